// The study form: market, the agents to compare with the ranges to search for each, what is fixed
// for every trial, costs and execution, trials, objective, environment and seed. Nothing is sent while a field is invalid; a 422 is shown by
// the field it names.
import { useState } from "react";
import { ApiError } from "../../api/errors";
import type { AlgorithmsCatalogue, Source, StudyRequest } from "../../api/types";
import { FormError } from "../../components/ui/FormError";
import { SelectField } from "../../components/ui/Inputs";
import { useCheckedSubmit, withServerError } from "../../lib/forms";
import { BACKTEST_FIELDS, CostFields } from "../simulations/BacktestFields";
import { type BacktestValues, splitSymbols } from "../simulations/form";
import { DataRangeFields } from "../training/DataRangeFields";
import { EnvironmentSection } from "../training/EnvironmentSection";
import { fieldOfApiError } from "../training/apiField";
import { NumberInput } from "../training/fields";
import { FixedParamFields } from "./FixedParamFields";
import { RangeFields } from "./RangeFields";
import { sharedParams } from "./fixed";
import {
  BOTH_KINDS_AGENT,
  MAX_STUDY_TRIALS,
  OBJECTIVES,
  type Objective,
  type StudyErrors,
  type StudyField,
  type StudyFormValues,
  checkStudy,
  initialStudyValues,
  studyAlgorithms,
} from "./form";

type Props = {
  catalogue: AlgorithmsCatalogue;
  sources: Source[];
  symbols: string[];
  onSourceChange?: (source: string) => void;
  onSubmit: (request: StudyRequest) => void;
  pending?: boolean;
  submitError?: unknown;
};

export function StudyForm(props: Props) {
  const { catalogue, sources, symbols, onSourceChange, onSubmit, pending, submitError } = props;
  const [values, setValues] = useState<StudyFormValues>(() => initialStudyValues(catalogue));
  const { errors, submit } = useCheckedSubmit(
    () => checkStudy(values, catalogue, symbols),
    onSubmit,
  );
  const symbolCount = splitSymbols(values.symbols).length;
  const offered = studyAlgorithms(catalogue, values.environment.action, symbolCount);
  const serverField =
    submitError instanceof ApiError
      ? fieldOfApiError(submitError, shownFields(values, catalogue))
      : undefined;
  const shown: StudyErrors = withServerError(errors, serverField, submitError);
  const set = <K extends keyof StudyFormValues>(key: K, value: StudyFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  const update = (patch: Partial<BacktestValues>) => setValues((v) => ({ ...v, ...patch }));
  const shared = sharedParams(catalogue, values.algorithms);
  const bind = <K extends "symbols" | "start" | "end" | "initialCash" | "nTrials" | "seed">(
    key: K,
    field: StudyField,
  ) => ({
    value: values[key],
    onChange: (value: string) => set(key, value),
    error: shown[field],
  });
  const toggle = (name: string, on: boolean) =>
    setValues((v) => ({
      ...v,
      algorithms: on ? [...v.algorithms, name] : v.algorithms.filter((a) => a !== name),
    }));

  return (
    <form className="form" id="study-form" onSubmit={submit} noValidate aria-label="New study">
      <fieldset>
        <legend>Market</legend>
        <div className="grid">
          <DataRangeFields
            values={values}
            errors={shown}
            sources={sources}
            symbols={symbols}
            update={(patch) => setValues((v) => ({ ...v, ...patch }))}
            onSourceChange={onSourceChange}
          />
          <NumberInput
            label="Initial cash"
            hint="each trial's out-of-sample backtest starts from it"
            min={0}
            {...bind("initialCash", "initial_cash")}
          />
        </div>
      </fieldset>

      <EnvironmentSection
        algorithm={BOTH_KINDS_AGENT}
        values={values.environment}
        errors={shown}
        onChange={(environment) =>
          setValues((v) => {
            // an agent that cannot act in the new action kind leaves the comparison
            const fit = studyAlgorithms(catalogue, environment.action, symbolCount).map(
              (a) => a.name,
            );
            return { ...v, environment, algorithms: v.algorithms.filter((a) => fit.includes(a)) };
          })
        }
      />

      <fieldset aria-describedby="study-algorithms-hint">
        <legend>Algorithms to compare</legend>
        <p className="hint" id="study-algorithms-hint">
          Agents that can act in {values.environment.action} actions
          {symbolCount > 1 ? " on several symbols" : ""}. Each one's ranges start at the declared
          ones; an agent with nothing searched searches learning_rate and gamma.
        </p>
        <div className="study-algorithms">
          {offered.map((a) => (
            <label key={a.name} className="field-check">
              <input
                type="checkbox"
                checked={values.algorithms.includes(a.name)}
                onChange={(e) => toggle(a.name, e.target.checked)}
              />
              <span>{a.name}</span>
            </label>
          ))}
        </div>
        {shown.algorithms && (
          <span className="field-error" role="alert">
            {shown.algorithms}
          </span>
        )}
        {offered
          .filter((a) => values.algorithms.includes(a.name))
          .map((a) => (
            <RangeFields
              key={a.name}
              algorithm={a}
              ranges={values.ranges[a.name] ?? {}}
              errors={shown}
              onChange={(param, range) =>
                setValues((v) => ({
                  ...v,
                  ranges: { ...v.ranges, [a.name]: { ...v.ranges[a.name], [param]: range } },
                }))
              }
            />
          ))}
        <FixedParamFields
          shared={shared}
          fixed={values.fixed}
          errors={shown}
          onChange={(param, value) =>
            setValues((v) => ({ ...v, fixed: { ...v.fixed, [param]: value } }))
          }
        />
      </fieldset>

      <CostFields values={values} update={update} errors={shown} />

      <fieldset>
        <legend>Search</legend>
        <div className="grid">
          <NumberInput
            label="Trials"
            hint={`1–${MAX_STUDY_TRIALS}: agents trained and judged`}
            min={1}
            max={MAX_STUDY_TRIALS}
            step="1"
            {...bind("nTrials", "n_trials")}
          />
          <SelectField<Objective>
            label="Objective"
            hint="maximised on the evaluation window"
            error={shown.objective}
            value={values.objective}
            options={Object.entries(OBJECTIVES).map(([value, label]) => ({
              value: value as Objective,
              label,
            }))}
            onChange={(objective) => set("objective", objective)}
          />
          <NumberInput label="Seed" hint="0–2147483647" step="1" {...bind("seed", "seed")} />
        </div>
      </fieldset>

      {!serverField && <FormError error={submitError} />}
      <button type="submit" className="button" disabled={pending}>
        {pending ? "Submitting…" : "Start study"}
      </button>
    </form>
  );
}

/** The fields on screen now: where an API error can be shown beside its input. */
function shownFields(
  values: StudyFormValues,
  catalogue: AlgorithmsCatalogue,
): (keyof StudyErrors)[] {
  const fixed = sharedParams(catalogue, values.algorithms)
    .filter((s) => values.fixed[s.param.name]?.on)
    .map((s) => `hyperparameters.${s.param.name}` as const);
  const ranges = values.algorithms.flatMap((a) =>
    Object.entries(values.ranges[a] ?? {})
      .filter(([, r]) => r.searched)
      .map(([p]) => `search_space.${a}.${p}` as const),
  );
  const window =
    values.environment.evalBy === "share" ? "environment.eval_share" : "environment.eval_start";
  return [
    ...BACKTEST_FIELDS,
    "algorithms",
    ...ranges,
    ...fixed,
    "n_trials",
    "objective",
    "seed",
    "environment.action",
    "environment.episode_bars",
    "environment.drawdown_penalty",
    "environment.turnover_penalty",
    window,
  ];
}
