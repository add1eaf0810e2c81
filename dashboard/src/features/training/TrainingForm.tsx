// The training form, built from the algorithms and feature kinds the API lists; nothing is sent
// while a field is invalid, and each problem (ours or the API's 422) is shown next to its field.
import { type FormEvent, useState } from "react";
import { ApiError, messageOf } from "../../api/errors";
import type { AlgorithmsCatalogue, Source, TrainingRequest } from "../../api/types";
import { Field } from "../simulations/BacktestFields";
import {
  DecisionSection,
  FeaturesSection,
  TargetSection,
  ValidationSection,
} from "./AdvancedFields";
import { HyperparamFields } from "./HyperparamFields";
import { fieldOfApiError } from "./apiField";
import {
  type TrainingErrors,
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
  const [errors, setErrors] = useState<TrainingErrors>({});
  const algorithm = catalogue.items.find((a) => a.name === values.algorithm);
  const serverField =
    submitError instanceof ApiError ? fieldOfApiError(submitError, shownFields(values)) : undefined;
  const shown: TrainingErrors =
    serverField && !errors[serverField]
      ? { ...errors, [serverField]: messageOf(submitError) }
      : errors;

  const set = <K extends keyof TrainingFormValues>(key: K, value: TrainingFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  const intervals = sources.find((s) => s.name === values.source)?.intervals ?? [values.interval];

  const pickAlgorithm = (name: string) => {
    const next = catalogue.items.find((a) => a.name === name);
    if (!next) return;
    setValues((v) => ({
      ...withAlgorithm(v, next),
      modelName: nameEdited ? v.modelName : suggestedModelName(name, v.symbols),
    }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = checkTraining(values, catalogue, symbols);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    onSubmit(result.request);
  };

  const section = { values, set, errors: shown, algorithm, catalogue };
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
        <Field label="Algorithm" name="algorithm" errors={shown}>
          {(id, describedBy) => (
            <select
              id={id}
              aria-describedby={describedBy}
              value={values.algorithm}
              onChange={(e) => pickAlgorithm(e.target.value)}
            >
              {catalogue.items.map((a) => (
                <option key={a.name} value={a.name}>
                  {a.name}
                </option>
              ))}
            </select>
          )}
        </Field>
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
          <Field label="Source" name="source" errors={shown}>
            {(id, describedBy) => (
              <select
                id={id}
                aria-describedby={describedBy}
                value={values.source}
                onChange={(e) => {
                  const next = sources.find((s) => s.name === e.target.value);
                  setValues((v) => ({
                    ...v,
                    source: e.target.value,
                    interval:
                      next && !next.intervals.includes(v.interval)
                        ? (next.intervals[0] ?? v.interval)
                        : v.interval,
                  }));
                  onSourceChange?.(e.target.value);
                }}
              >
                {(sources.length ? sources.map((s) => s.name) : [values.source]).map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label="Symbols"
            name="symbols"
            errors={shown}
            hint="Comma-separated, e.g. SP500, NASDAQ"
          >
            {(id, describedBy) => (
              <>
                <input
                  id={id}
                  aria-describedby={describedBy}
                  list={`${id}-list`}
                  value={values.symbols}
                  onChange={(e) => set("symbols", e.target.value)}
                />
                <datalist id={`${id}-list`}>
                  {symbols.map((s) => (
                    <option key={s} value={s} />
                  ))}
                </datalist>
              </>
            )}
          </Field>
          <DateInput
            label="Start"
            name="start"
            value={values.start}
            onChange={(v) => set("start", v)}
            errors={shown}
          />
          <DateInput
            label="End"
            name="end"
            value={values.end}
            onChange={(v) => set("end", v)}
            errors={shown}
          />
          <Field label="Interval" name="interval" errors={shown}>
            {(id, describedBy) => (
              <select
                id={id}
                aria-describedby={describedBy}
                value={values.interval}
                onChange={(e) => set("interval", e.target.value)}
              >
                {intervals.map((i) => (
                  <option key={i} value={i}>
                    {i}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label="Model name"
            name="model_name"
            errors={shown}
            hint="training again under a name makes its next version"
          >
            {(id, describedBy) => (
              <input
                id={id}
                aria-describedby={describedBy}
                value={values.modelName}
                onChange={(e) => {
                  setNameEdited(true);
                  set("modelName", e.target.value);
                }}
              />
            )}
          </Field>
        </div>
      </fieldset>

      <FeaturesSection {...section} />
      <TargetSection {...section} />
      <ValidationSection {...section} />
      <DecisionSection {...section} />

      {submitError !== undefined && submitError !== null && !serverField && (
        <p className="state state-error" role="alert">
          {messageOf(submitError)}
        </p>
      )}
      <button type="submit" className="button" disabled={pending}>
        {pending ? "Submitting…" : "Start training"}
      </button>
    </form>
  );
}

function DateInput({
  label,
  name,
  value,
  onChange,
  errors,
}: {
  label: string;
  name: TrainingField;
  value: string;
  onChange: (value: string) => void;
  errors: TrainingErrors;
}) {
  return (
    <Field label={label} name={name} errors={errors} hint="YYYY-MM-DD">
      {(id, describedBy) => (
        <input
          id={id}
          aria-describedby={describedBy}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/** The fields on screen now: where an API error can be shown beside its input. */
export function shownFields(values: TrainingFormValues): TrainingField[] {
  const fields: TrainingField[] = [
    "algorithm",
    ...Object.keys(values.hyperparameters).map((n) => `hyperparameters.${n}` as const),
    "source",
    "symbols",
    "start",
    "end",
    "interval",
    "model_name",
    "features",
    "target.kind",
    "target.horizon",
    "validation.method",
    "validation.n_folds",
    "validation.embargo_bars",
    "validation.window",
    "validation.min_train_bars",
    "initial_cash",
    "seed",
  ];
  if (values.targetKind === "direction") {
    fields.push("target.dead_zone", "decision.long_above", "decision.short_below");
  } else fields.push("decision.min_abs_return");
  if (values.window === "rolling") fields.push("validation.train_bars");
  return fields;
}
