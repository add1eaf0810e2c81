// The training form, built from the algorithms and feature kinds the API lists; nothing is sent
// while a field is invalid, and each problem (ours or the API's 422) is shown next to its field.
import { useState } from "react";
import { ApiError } from "../../api/errors";
import type { AlgorithmsCatalogue, Source, TrainingRequest } from "../../api/types";
import { FormError } from "../../components/ui/FormError";
import { InputField, SelectField } from "../../components/ui/Inputs";
import { useCheckedSubmit, withServerError } from "../../lib/forms";
import { offeredIntervals } from "../../lib/intervals";
import {
  DecisionSection,
  FeaturesSection,
  TargetSection,
  ValidationSection,
} from "./AdvancedFields";
import { DataRangeFields } from "./DataRangeFields";
import { EnvironmentSection } from "./EnvironmentSection";
import { HyperparamFields } from "./HyperparamFields";
import { fieldOfApiError } from "./apiField";
import { isReinforcement } from "./environment";
import { binder } from "./fields";
import {
  type TrainingField,
  type TrainingFormValues,
  checkTraining,
  initialTrainingValues,
  suggestedModelName,
  withAlgorithm,
} from "./form";

type Props = {
  catalogue: AlgorithmsCatalogue;
  sources: Source[];
  symbols: string[];
  onSourceChange?: (source: string) => void;
  onSubmit: (request: TrainingRequest) => void;
  pending?: boolean;
  submitError?: unknown;
};

export function TrainingForm(props: Props) {
  const { catalogue, sources, symbols, onSourceChange, onSubmit, pending, submitError } = props;
  const [values, setValues] = useState<TrainingFormValues>(() => initialTrainingValues(catalogue));
  const [nameEdited, setNameEdited] = useState(false);
  const { errors, submit } = useCheckedSubmit(
    () => checkTraining(values, catalogue, symbols),
    onSubmit,
  );
  const algorithm = catalogue.items.find((a) => a.name === values.algorithm);
  const agent = isReinforcement(algorithm);
  const serverField =
    submitError instanceof ApiError
      ? fieldOfApiError(submitError, shownFields(values, agent))
      : undefined;
  const shown = withServerError(errors, serverField, submitError);

  const set = <K extends keyof TrainingFormValues>(key: K, value: TrainingFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));

  const pickAlgorithm = (name: string) => {
    const next = catalogue.items.find((a) => a.name === name);
    if (!next) return;
    setValues((v) => ({
      ...withAlgorithm(v, next),
      modelName: nameEdited ? v.modelName : suggestedModelName(name, v.symbols),
    }));
  };

  const section = { values, set, errors: shown, algorithm, catalogue };
  const bind = binder(values, set, shown);
  return (
    <form
      className="form"
      id="training-form"
      onSubmit={submit}
      noValidate
      aria-label="New training"
    >
      <fieldset>
        <legend>Algorithm</legend>
        <SelectField
          label="Algorithm"
          error={shown.algorithm}
          value={values.algorithm}
          options={catalogue.items.map((a) => a.name)}
          onChange={pickAlgorithm}
        />
        {algorithm && (
          <p className="hint train-algorithm">
            {algorithm.description}{" "}
            <span className="train-tags">
              {algorithm.framework} · {algorithm.tasks.join(", ")}
              {algorithm.supports_cuda ? " · GPU capable" : ""}
            </span>
          </p>
        )}
        <h3 className="sub">Hyperparameters</h3>
        <HyperparamFields
          params={algorithm?.params ?? []}
          values={values.hyperparameters}
          errors={shown}
          onChange={(name, value) =>
            setValues((v) => ({ ...v, hyperparameters: { ...v.hyperparameters, [name]: value } }))
          }
        />
      </fieldset>

      <fieldset>
        <legend>Data and model</legend>
        <div className="grid">
          <DataRangeFields
            values={values}
            errors={shown}
            sources={sources}
            symbols={symbols}
            update={(patch) => setValues((v) => ({ ...v, ...patch }))}
            onSourceChange={onSourceChange}
          />
          <SelectField
            label="Interval"
            options={offeredIntervals(sources, values.source, values.interval)}
            {...bind("interval", "interval")}
          />
          <InputField
            label="Model name"
            error={shown.model_name}
            hint="training again under a name makes its next version"
            value={values.modelName}
            onChange={(v) => {
              setNameEdited(true);
              set("modelName", v);
            }}
          />
        </div>
      </fieldset>

      {agent && (
        <EnvironmentSection
          algorithm={values.algorithm}
          values={values.environment}
          errors={shown}
          onChange={(environment) => set("environment", environment)}
        />
      )}
      <FeaturesSection {...section} />
      {!agent && <TargetSection {...section} />}
      {!agent && <ValidationSection {...section} />}
      <DecisionSection {...section} />

      {!serverField && <FormError error={submitError} />}
      <button type="submit" className="button" disabled={pending}>
        {pending ? "Submitting…" : "Start training"}
      </button>
    </form>
  );
}

const ENVIRONMENT_FIELDS: TrainingField[] = [
  "environment.action",
  "environment.episode_bars",
  "environment.drawdown_penalty",
  "environment.turnover_penalty",
];

/** The fields on screen now: where an API error can be shown beside its input. */
export function shownFields(values: TrainingFormValues, agent = false): TrainingField[] {
  const common: TrainingField[] = [
    "algorithm",
    ...Object.keys(values.hyperparameters).map((n) => `hyperparameters.${n}` as const),
    "source",
    "symbols",
    "start",
    "end",
    "interval",
    "model_name",
    "features",
    "initial_cash",
    "seed",
  ];
  if (agent) {
    const window =
      values.environment.evalBy === "share" ? "environment.eval_share" : "environment.eval_start";
    return [...common, ...ENVIRONMENT_FIELDS, window];
  }
  return [...common, ...supervisedFields(values)];
}

function supervisedFields(values: TrainingFormValues): TrainingField[] {
  const fields: TrainingField[] = [
    "target.kind",
    "target.horizon",
    "validation.method",
    "validation.n_folds",
    "validation.embargo_bars",
    "validation.window",
    "validation.min_train_bars",
  ];
  if (values.targetKind === "direction") {
    fields.push("target.dead_zone", "decision.long_above", "decision.short_below");
  } else fields.push("decision.min_abs_return");
  if (values.window === "rolling") fields.push("validation.train_bars");
  return fields;
}
