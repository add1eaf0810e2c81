// metadata.json as readable sections: data, features, target, validation, hyperparameters, run.
import { Fragment, useState } from "react";
import type { ModelDetail } from "../../api/types";
import { environmentFacts, evaluationSplitFacts, isAgent } from "./agent-metadata";
import {
  type Fact,
  type Metadata,
  allFacts,
  dataFacts,
  featureSpecs,
  runFacts,
  targetFacts,
  validationFacts,
} from "./metadata";

export function FactList({ facts, label }: { facts: Fact[]; label: string }) {
  if (facts.length === 0) return <p className="muted">Not recorded.</p>;
  return (
    <dl className="kv" aria-label={label}>
      {facts.map((f) => (
        <Fragment key={f.label}>
          <dt>{f.label}</dt>
          <dd>{f.value}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

function Block({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="meta-block">
      <h3 className="sub">{title}</h3>
      {children}
    </div>
  );
}

export function ModelMetadata({ model }: { model: ModelDetail }) {
  const meta: Metadata = model.metadata;
  const features = featureSpecs(meta);
  const agent = isAgent(model.task, meta);
  return (
    <>
      <div className="meta-grid">
        <Block title="Data">
          <FactList facts={dataFacts(meta)} label="Data" />
        </Block>
        {agent ? (
          <>
            <Block title="Environment">
              <FactList facts={environmentFacts(meta)} label="Environment" />
            </Block>
            <Block title="Evaluation split">
              <FactList facts={evaluationSplitFacts(meta)} label="Evaluation split" />
            </Block>
          </>
        ) : (
          <>
            <Block title="Target">
              <FactList facts={targetFacts(meta)} label="Target" />
            </Block>
            <Block title="Validation scheme">
              <FactList facts={validationFacts(meta)} label="Validation scheme" />
            </Block>
          </>
        )}
        <Block title="Hyperparameters">
          <FactList facts={allFacts(meta.hyperparameters)} label="Hyperparameters" />
        </Block>
        <Block title="Run">
          <FactList facts={runFacts(meta)} label="Run" />
        </Block>
        <Block title="Library versions">
          <FactList facts={allFacts(meta.package_versions)} label="Library versions" />
        </Block>
      </div>
      <Block title={`Features (${features.length})`}>
        {features.length ? (
          <ul className="chips" aria-label="Features">
            {features.map((f) => (
              <li key={f} className="chip">
                {f}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">Not recorded.</p>
        )}
      </Block>
      <Block title="Checksum">
        <Checksum value={model.checksum} />
      </Block>
    </>
  );
}

function Checksum({ value }: { value: string }) {
  const [copied, setCopied] = useState<"yes" | "no" | undefined>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("yes");
    } catch {
      setCopied("no"); // no clipboard outside a secure context: the text stays selectable
    }
  };
  return (
    <div className="checksum">
      <code>{value}</code>
      <button type="button" className="button button-small button-plain" onClick={copy}>
        Copy checksum
      </button>
      <output aria-live="polite" className="muted">
        {copied === "yes"
          ? "Copied."
          : copied === "no"
            ? "Copy it by hand: no clipboard here."
            : ""}
      </output>
    </div>
  );
}
