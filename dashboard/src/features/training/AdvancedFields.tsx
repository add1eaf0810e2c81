// The folded-away parts of the training form: features, target, validation, decision and run.
import type { Algorithm, AlgorithmsCatalogue, FeatureKind, FeatureSpec } from "../../api/types";
import { SelectField } from "../../components/ui/Inputs";
import { isReinforcement } from "./environment";
import { Collapsible, NumberInput, type SetValue, binder } from "./fields";
import { type TrainingErrors, type TrainingFormValues, targetKinds } from "./form";

type Props = {
  values: TrainingFormValues;
  set: SetValue;
  errors: TrainingErrors;
  algorithm: Algorithm | undefined;
  catalogue: AlgorithmsCatalogue;
};

const hasAny = (errors: TrainingErrors, prefix: string) =>
  Object.keys(errors).some((k) => k === prefix || k.startsWith(`${prefix}.`));

export function FeaturesSection({ values, set, errors, catalogue }: Props) {
  const toggle = (kind: string, on: boolean) =>
    set("features", on ? [...values.features, kind] : values.features.filter((k) => k !== kind));
  return (
    <Collapsible
      title="Features"
      summary={`${values.features.length} of ${catalogue.feature_kinds.length} kinds`}
      hasError={hasAny(errors, "features")}
    >
      <fieldset className="train-features" aria-describedby="train-features-hint">
        <legend>Feature kinds</legend>
        <p id="train-features-hint" className="hint">
          Preselected: the default set. Each kind is computed with the parameters shown.
        </p>
        <ul className="train-feature-list">
          {catalogue.feature_kinds.map((kind) => (
            <li key={kind.kind}>
              <label className="field-check">
                <input
                  type="checkbox"
                  checked={values.features.includes(kind.kind)}
                  onChange={(e) => toggle(kind.kind, e.target.checked)}
                />
                <span>
                  <code>{kind.kind}</code> {paramsText(kind, catalogue.default_features)}
                </span>
              </label>
              <small className="hint">{kind.description}</small>
            </li>
          ))}
        </ul>
        {errors.features && (
          <span className="field-error" role="alert">
            {errors.features}
          </span>
        )}
      </fieldset>
    </Collapsible>
  );
}

/** "period 10, 50" for the default set's entries of a kind, else its declared defaults. */
export function paramsText(kind: FeatureKind, defaults: readonly FeatureSpec[]): string {
  const preset = defaults.filter((f) => f.kind === kind.kind);
  const values = (name: string, fallback: unknown) =>
    preset.length > 0 ? preset.map((f) => f.params?.[name]).join(", ") : String(fallback);
  return kind.params.map((p) => `${p.name} ${values(p.name, p.default)}`).join("; ");
}

export function TargetSection({ values, set, errors, algorithm }: Props) {
  const bind = binder(values, set, errors);
  const kinds = targetKinds(algorithm);
  return (
    <Collapsible
      title="Target"
      summary={`${values.targetKind}, ${values.horizon} bar(s) ahead`}
      hasError={hasAny(errors, "target")}
    >
      <div className="grid">
        <SelectField
          label="Target"
          options={kinds.map((k) => ({
            value: k,
            label: k === "direction" ? "direction (up/down)" : "return",
          }))}
          {...bind("targetKind", "target.kind")}
        />
        <NumberInput
          label="Horizon (bars)"
          hint="1–250: bars ahead the label looks"
          min={1}
          max={250}
          step="1"
          {...bind("horizon", "target.horizon")}
        />
        {values.targetKind === "direction" && (
          <NumberInput
            label="Dead zone"
            hint="0 to below 1: rows with |forward return| ≤ this are dropped"
            min={0}
            max={0.99}
            {...bind("deadZone", "target.dead_zone")}
          />
        )}
      </div>
    </Collapsible>
  );
}

export function ValidationSection({ values, set, errors }: Props) {
  const bind = binder(values, set, errors);
  return (
    <Collapsible
      title="Validation"
      summary={`${values.method === "walk_forward" ? "walk-forward" : "purged k-fold"}, ${values.folds} folds`}
      hasError={hasAny(errors, "validation")}
    >
      <div className="grid">
        <SelectField
          label="Scheme"
          options={[
            { value: "walk_forward", label: "walk-forward" },
            { value: "purged_kfold", label: "purged k-fold" },
          ]}
          hint="k-fold trains some folds on later data: its backtest is not out-of-sample"
          {...bind("method", "validation.method")}
        />
        <NumberInput
          label="Folds"
          hint="2–20"
          min={2}
          max={20}
          step="1"
          {...bind("folds", "validation.n_folds")}
        />
        <NumberInput
          label="Embargo (bars)"
          hint="0–500: gap dropped around each test fold"
          min={0}
          max={500}
          step="1"
          {...bind("embargo", "validation.embargo_bars")}
        />
        <SelectField
          label="Training window"
          options={[
            { value: "expanding", label: "expanding" },
            { value: "rolling", label: "rolling" },
          ]}
          {...bind("window", "validation.window")}
        />
        {values.window === "rolling" && (
          <NumberInput
            label="Rolling window (bars)"
            hint="at least 10, e.g. 500"
            min={10}
            step="1"
            {...bind("trainBars", "validation.train_bars")}
          />
        )}
        <NumberInput
          label="Minimum training bars"
          hint="at least 10: fewest training bars a fold may have"
          min={10}
          step="1"
          {...bind("minTrainBars", "validation.min_train_bars")}
        />
      </div>
    </Collapsible>
  );
}

export function DecisionSection({ values, set, errors, algorithm }: Props) {
  const bind = binder(values, set, errors);
  const classifier = values.targetKind === "direction";
  // An agent decides by its own actions: it has no thresholds, only the run's settings.
  const agent = isReinforcement(algorithm);
  return (
    <Collapsible
      title={agent ? "Run" : "Decision and run"}
      summary={`seed ${values.seed}${algorithm?.supports_cuda ? `, device ${values.device}` : ""}`}
      hasError={hasAny(errors, "decision") || !!errors.seed || !!errors.initial_cash}
    >
      <div className="grid">
        {agent ? null : classifier ? (
          <>
            <NumberInput
              label="Long above"
              hint="0–1: long when P(up) ≥ this"
              min={0}
              max={1}
              {...bind("longAbove", "decision.long_above")}
            />
            <NumberInput
              label="Short below"
              hint="0–1: short when P(up) ≤ this (shorts are off by default)"
              min={0}
              max={1}
              {...bind("shortBelow", "decision.short_below")}
            />
          </>
        ) : (
          <NumberInput
            label="Minimum |return|"
            hint="act only when |predicted return| is above this"
            min={0}
            {...bind("minAbsReturn", "decision.min_abs_return")}
          />
        )}
        <NumberInput
          label="Initial cash"
          hint="for the out-of-sample backtest"
          min={0}
          {...bind("initialCash", "initial_cash")}
        />
        <NumberInput
          label="Seed"
          hint="0–2147483647; the same seed gives the same model"
          min={0}
          max={2 ** 31 - 1}
          step="1"
          {...bind("seed", "seed")}
        />
        {algorithm?.supports_cuda && (
          <SelectField
            label="Device"
            options={[
              { value: "auto", label: "auto (GPU when present)" },
              { value: "cpu", label: "CPU" },
              { value: "cuda", label: "GPU (CUDA)" },
            ]}
            {...bind("device", "device")}
          />
        )}
      </div>
    </Collapsible>
  );
}
