// One registered model: what it was trained on and how, how it did out of sample, its governance
// (stage, tags, note), its artifact, and its other versions.
import { Suspense, lazy } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError } from "../../api/errors";
import type { ModelDetail as Detail } from "../../api/types";
import { Section } from "../../components/ui/Card";
import { Empty, ErrorNote, Loading } from "../../components/ui/States";
import { BacktestFigures } from "../../features/models/BacktestFigures";
import { DeleteModel } from "../../features/models/DeleteModel";
import { FoldMetrics } from "../../features/models/FoldMetrics";
import { ModelEditor } from "../../features/models/ModelEditor";
import { ModelMetadata } from "../../features/models/ModelMetadata";
import { StageBadge } from "../../features/models/StageBadge";
import { VersionsList } from "../../features/models/VersionsList";
import { isAgent } from "../../features/models/agent-metadata";
import {
  artifactUrl,
  useDeleteModel,
  useFeatureImportance,
  useModel,
  useModelVersions,
  usePatchModel,
} from "../../features/models/api";
import { AgentFigures, AgentWindows, TrainingCurve } from "../../features/training/AgentTraining";
import { formatDateTime } from "../../lib/format";
import "../../features/models/models.css";

const FeatureImportanceChart = lazy(() => import("../../features/models/FeatureImportanceChart"));

export default function ModelDetail() {
  const { id = "" } = useParams();
  const model = useModel(id);
  return (
    <>
      <p className="crumbs">
        <Link to="/models">Models</Link> / {id.slice(0, 8)}
      </p>
      {model.isPending ? (
        <Loading what="the model" />
      ) : model.isError ? (
        <ErrorNote error={model.error} retry={() => void model.refetch()} />
      ) : (
        <ModelPage key={model.data.id} model={model.data} />
      )}
    </>
  );
}

function ModelPage({ model }: { model: Detail }) {
  const agent = isAgent(model.task, model.metadata);
  return (
    <>
      <h1>
        {model.name} v{model.version} <StageBadge stage={model.stage} />{" "}
        <span className="badge">{model.status}</span>
      </h1>
      <p className="muted">
        {model.algorithm} ({model.framework}) · {model.task} · {model.symbols.join(", ")} ·
        registered {formatDateTime(model.created_at)}
        {model.owner ? ` by ${model.owner}` : ""}
      </p>
      <Actions model={model} />
      <div className="columns">
        <Section title="Out-of-sample backtest">
          <BacktestFigures meta={model.metadata} />
        </Section>
        <Section title="Stage, tags and note">
          <Governance model={model} />
        </Section>
      </div>
      <Section title="Training metadata">
        <ModelMetadata model={model} />
      </Section>
      {agent ? (
        <AgentSections meta={model.metadata} />
      ) : (
        <>
          <Section title="Per-fold metrics">
            <FoldMetrics meta={model.metadata} />
          </Section>
          <Section title="Feature importance">
            <Importance id={model.id} />
          </Section>
        </>
      )}
      <Section title="Versions">
        <Versions id={model.id} />
      </Section>
    </>
  );
}

/** An agent learns from rewards: a learning curve and a time split instead of folds, and no
 * feature importance to ask for. */
function AgentSections({ meta }: { meta: Detail["metadata"] }) {
  return (
    <>
      <Section title="Training curve">
        <AgentFigures report={meta} />
        <TrainingCurve curve={meta.curve} />
      </Section>
      <Section title="Time split and training run">
        <AgentWindows windows={meta.validation} training={meta.training} />
      </Section>
    </>
  );
}

function Actions({ model }: { model: Detail }) {
  const navigate = useNavigate();
  const remove = useDeleteModel(model.id);
  return (
    <div className="actions-row panel">
      <Link className="button" to={`/simulations?model=${encodeURIComponent(model.id)}`}>
        Simulate with this model
      </Link>
      <a
        className="button button-plain"
        href={artifactUrl(model.id)}
        download={`${model.name}-v${model.version}.zip`}
      >
        Download artifact
      </a>
      <DeleteModel
        name={model.name}
        version={model.version}
        pending={remove.isPending}
        error={remove.error ?? undefined}
        onDelete={() => remove.mutate(undefined, { onSuccess: () => navigate("/models") })}
      />
    </div>
  );
}

function Governance({ model }: { model: Detail }) {
  const patch = usePatchModel(model.id);
  return (
    <ModelEditor
      model={model}
      pending={patch.isPending}
      error={patch.error ?? undefined}
      saved={patch.isSuccess}
      onSave={(body) => patch.mutate(body)}
    />
  );
}

function Importance({ id }: { id: string }) {
  const importance = useFeatureImportance(id);
  if (importance.isPending) return <Loading what="feature importance" />;
  if (importance.isError) {
    // Some algorithms report none: that is a fact about the model, not a failure.
    if (importance.error instanceof ApiError && importance.error.code === "no_feature_importance") {
      return <Empty>{importance.error.message}.</Empty>;
    }
    return <ErrorNote error={importance.error} retry={() => void importance.refetch()} />;
  }
  return (
    <Suspense fallback={<Loading what="the chart" />}>
      <FeatureImportanceChart items={importance.data.items} />
    </Suspense>
  );
}

function Versions({ id }: { id: string }) {
  const versions = useModelVersions(id);
  if (versions.isPending) return <Loading what="versions" />;
  if (versions.isError) {
    return <ErrorNote error={versions.error} retry={() => void versions.refetch()} />;
  }
  return <VersionsList versions={versions.data.items} currentId={id} />;
}
