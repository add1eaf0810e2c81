// The backtest form, built from the strategies the API offers (or a trained model from the
// registry); nothing is sent while a field is invalid, and each problem is shown next to its field.
import { useState } from "react";
import { ApiError } from "../../api/errors";
import type { SimulationRequest, Strategy } from "../../api/types";
import { FormError } from "../../components/ui/FormError";
import { InputField, SelectField } from "../../components/ui/Inputs";
import { useCheckedSubmit, withServerError } from "../../lib/forms";
import { CostFields, MarketFields, fieldOf, isBacktestField } from "./BacktestFields";
import { DeciderChoice, ModelFields } from "./ModelDeciderFields";
import { type FieldName, type FormValues, check, defaultParams, initialValues } from "./form";
import type { ModelChoice } from "./model-decider";

type Props = {
  strategies: Strategy[];
  /** registered models, offered as deciders instead of a strategy */
  models?: ModelChoice[];
  /** a model to start with (the page's ?model=<id>) */
  initialModel?: string;
  sources: string[];
  symbols: string[];
  onSourceChange?: (source: string) => void;
  onSubmit: (request: SimulationRequest) => void;
  pending?: boolean;
  submitError?: unknown;
};

export function SimulationForm(props: Props) {
  const { strategies, sources, symbols, onSourceChange, onSubmit, pending, submitError } = props;
  const models = props.models ?? [];
  const [values, setValues] = useState<FormValues>(() =>
    initialValues(
      strategies.find((s) => Object.keys(s.params).length > 0) ?? strategies[0],
      models.find((m) => m.id === props.initialModel),
    ),
  );
  const { errors, submit } = useCheckedSubmit(
    () => check(values, strategies, symbols, models),
    onSubmit,
  );
  const strategy = strategies.find((s) => s.name === values.strategy);
  const serverField =
    submitError instanceof ApiError ? fieldOf(submitError.field, isSimulationField) : undefined;
  const shown = withServerError(errors, serverField, submitError);

  const update = (patch: Partial<FormValues>) => setValues((v) => ({ ...v, ...patch }));
  const decideWith = (decider: FormValues["decider"]) =>
    setValues((v) => ({
      ...v,
      decider,
      model: v.model || (models[0]?.id ?? ""),
      // a model's thresholds start blank (its own rule); a strategy's at their defaults
      params: decider === "model" || !strategy ? {} : defaultParams(strategy),
    }));

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="New simulation">
      <fieldset>
        <legend>Decision</legend>
        {models.length > 0 && <DeciderChoice value={values.decider} onChange={decideWith} />}
        {values.decider === "model" ? (
          <ModelFields
            models={models}
            values={values}
            errors={shown}
            onModel={(model) => setValues((v) => ({ ...v, model, params: {} }))}
            onParam={(name, value) => update({ params: { ...values.params, [name]: value } })}
          />
        ) : (
          <>
            <SelectField
              label="Strategy"
              error={shown.strategy}
              value={values.strategy}
              options={strategies.map((s) => s.name)}
              onChange={(name) => {
                const next = strategies.find((s) => s.name === name);
                setValues((v) => ({
                  ...v,
                  strategy: name,
                  params: next ? defaultParams(next) : {},
                }));
              }}
            />
            {strategy && <p className="hint">{strategy.description}</p>}
            <div className="grid">
              {strategy &&
                Object.entries(strategy.params).map(([name, spec]) => (
                  <InputField
                    key={name}
                    label={name}
                    error={shown[`params.${name}`]}
                    hint={`${spec.min}–${spec.max}, default ${spec.default}. ${spec.description}`}
                    inputMode={spec.integer ? "numeric" : "decimal"}
                    value={values.params[name] ?? ""}
                    onChange={(v) => update({ params: { ...values.params, [name]: v } })}
                  />
                ))}
            </div>
          </>
        )}
      </fieldset>

      <MarketFields
        values={values}
        update={update}
        errors={shown}
        sources={sources}
        symbols={symbols}
        onSourceChange={onSourceChange}
      />
      <CostFields values={values} update={update} errors={shown} />

      {!serverField && <FormError error={submitError} />}
      <button type="submit" className="button" disabled={pending}>
        {pending ? "Submitting…" : "Run simulation"}
      </button>
    </form>
  );
}

function isSimulationField(name: string): name is FieldName {
  return (
    name === "strategy" ||
    name === "model_id" ||
    name.startsWith("params.") ||
    isBacktestField(name)
  );
}
