// The backtest form, built from the strategies the API offers (or a trained model from the
// registry); nothing is sent while a field is invalid, and each problem is shown next to its field.
import { type FormEvent, type ReactNode, useId, useState } from "react";
import { ApiError, messageOf } from "../../api/errors";
import type { SimulationRequest, Strategy } from "../../api/types";
import {
  type FieldErrors,
  type FieldName,
  type FormValues,
  check,
  defaultParams,
  initialValues,
} from "./form";
import { type ModelChoice, decisionThresholds, modelLabel } from "./model-decider";

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
  const [errors, setErrors] = useState<FieldErrors>({});
  const strategy = strategies.find((s) => s.name === values.strategy);
  const serverField = submitError instanceof ApiError ? fieldOf(submitError.field) : undefined;
  const shown: FieldErrors =
    serverField && !errors[serverField]
      ? { ...errors, [serverField]: messageOf(submitError) }
      : errors;

  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  const decideWith = (decider: FormValues["decider"]) =>
    setValues((v) => ({
      ...v,
      decider,
      model: v.model || (models[0]?.id ?? ""),
      // a model's thresholds start blank (its own rule); a strategy's at their defaults
      params: decider === "model" || !strategy ? {} : defaultParams(strategy),
    }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = check(values, strategies, symbols, models);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    onSubmit(result.request);
  };

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
            onParam={(name, value) => set("params", { ...values.params, [name]: value })}
          />
        ) : (
          <>
            <Field label="Strategy" name="strategy" errors={shown}>
              {(id, describedBy) => (
                <select
                  id={id}
                  aria-describedby={describedBy}
                  value={values.strategy}
                  onChange={(e) => {
                    const next = strategies.find((s) => s.name === e.target.value);
                    setValues((v) => ({
                      ...v,
                      strategy: e.target.value,
                      params: next ? defaultParams(next) : {},
                    }));
                  }}
                >
                  {strategies.map((s) => (
                    <option key={s.name} value={s.name}>
                      {s.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {strategy && <p className="hint">{strategy.description}</p>}
            <div className="grid">
              {strategy &&
                Object.entries(strategy.params).map(([name, spec]) => (
                  <Field
                    key={name}
                    label={name}
                    name={`params.${name}`}
                    errors={shown}
                    hint={`${spec.min}–${spec.max}, default ${spec.default}. ${spec.description}`}
                  >
                    {(id, describedBy) => (
                      <input
                        id={id}
                        aria-describedby={describedBy}
                        inputMode={spec.integer ? "numeric" : "decimal"}
                        value={values.params[name] ?? ""}
                        onChange={(e) =>
                          set("params", { ...values.params, [name]: e.target.value })
                        }
                      />
                    )}
                  </Field>
                ))}
            </div>
          </>
        )}
      </fieldset>

      <fieldset>
        <legend>Market</legend>
        <div className="grid">
          <Field label="Source" name="source" errors={shown}>
            {(id, describedBy) => (
              <select
                id={id}
                aria-describedby={describedBy}
                value={values.source}
                onChange={(e) => {
                  set("source", e.target.value);
                  onSourceChange?.(e.target.value);
                }}
              >
                {(sources.length ? sources : [values.source]).map((s) => (
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
          <Field label="Start" name="start" errors={shown} hint="YYYY-MM-DD">
            {(id, describedBy) => (
              <input
                id={id}
                aria-describedby={describedBy}
                value={values.start}
                onChange={(e) => set("start", e.target.value)}
              />
            )}
          </Field>
          <Field label="End" name="end" errors={shown} hint="YYYY-MM-DD; blank: the latest bar">
            {(id, describedBy) => (
              <input
                id={id}
                aria-describedby={describedBy}
                value={values.end}
                onChange={(e) => set("end", e.target.value)}
              />
            )}
          </Field>
          <Field label="Initial cash" name="initial_cash" errors={shown}>
            {(id, describedBy) => (
              <input
                id={id}
                aria-describedby={describedBy}
                inputMode="decimal"
                value={values.initialCash}
                onChange={(e) => set("initialCash", e.target.value)}
              />
            )}
          </Field>
        </div>
      </fieldset>

      <fieldset>
        <legend>Costs and execution</legend>
        <div className="grid">
          <NumberField
            label="Commission rate"
            name="costs.commission_rate"
            hint="fraction of notional; 0.001 = 10 bps"
            value={values.commissionRate}
            onChange={(v) => set("commissionRate", v)}
            errors={shown}
          />
          <NumberField
            label="Slippage (bps)"
            name="costs.slippage_bps"
            value={values.slippageBps}
            onChange={(v) => set("slippageBps", v)}
            errors={shown}
          />
          <NumberField
            label="Spread (bps)"
            name="costs.spread_bps"
            value={values.spreadBps}
            onChange={(v) => set("spreadBps", v)}
            errors={shown}
          />
          <NumberField
            label="Position size"
            name="execution.position_size"
            hint="fraction of equity deployed"
            value={values.positionSize}
            onChange={(v) => set("positionSize", v)}
            errors={shown}
          />
          <NumberField
            label="Stop loss"
            name="execution.stop_loss"
            hint="optional; 0.05 = 5% below entry"
            value={values.stopLoss}
            onChange={(v) => set("stopLoss", v)}
            errors={shown}
          />
          <NumberField
            label="Take profit"
            name="execution.take_profit"
            hint="optional; 0.1 = 10% above entry"
            value={values.takeProfit}
            onChange={(v) => set("takeProfit", v)}
            errors={shown}
          />
          <label className="field">
            <span className="field-label">Fill</span>
            <select
              value={values.fill}
              onChange={(e) => set("fill", e.target.value as FormValues["fill"])}
            >
              <option value="next_open">next open (honest)</option>
              <option value="close">close (optimistic)</option>
            </select>
          </label>
          <label className="field field-check">
            <input
              type="checkbox"
              checked={values.allowShort}
              onChange={(e) => set("allowShort", e.target.checked)}
            />
            <span>Allow short positions</span>
          </label>
        </div>
      </fieldset>

      {submitError !== undefined && submitError !== null && !serverField && (
        <p className="state state-error" role="alert">
          {messageOf(submitError)}
        </p>
      )}
      <button type="submit" className="button" disabled={pending}>
        {pending ? "Submitting…" : "Run simulation"}
      </button>
    </form>
  );
}

function DeciderChoice({
  value,
  onChange,
}: { value: FormValues["decider"]; onChange: (decider: FormValues["decider"]) => void }) {
  const id = useId();
  return (
    <div className="field" role="radiogroup" aria-labelledby={`${id}-label`}>
      <span id={`${id}-label`} className="field-label">
        Decide with
      </span>
      <label className="field-check">
        <input
          type="radio"
          name={`${id}-decider`}
          checked={value === "strategy"}
          onChange={() => onChange("strategy")}
        />
        <span>A built-in strategy</span>
      </label>
      <label className="field-check">
        <input
          type="radio"
          name={`${id}-decider`}
          checked={value === "model"}
          onChange={() => onChange("model")}
        />
        <span>A trained model</span>
      </label>
    </div>
  );
}

type ModelFieldsProps = {
  models: ModelChoice[];
  values: FormValues;
  errors: FieldErrors;
  onModel: (id: string) => void;
  onParam: (name: string, value: string) => void;
};

function ModelFields({ models, values, errors, onModel, onParam }: ModelFieldsProps) {
  const model = models.find((m) => m.id === values.model);
  return (
    <>
      <Field label="Model" name="model_id" errors={errors}>
        {(id, describedBy) => (
          <select
            id={id}
            aria-describedby={describedBy}
            value={values.model}
            onChange={(e) => onModel(e.target.value)}
          >
            {!model && <option value="">Choose a model</option>}
            {models.map((m) => (
              <option key={m.id} value={m.id}>
                {modelLabel(m)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {model && (
        <p className="hint">
          Trained on {model.symbols.join(", ")} ({model.source}) up to{" "}
          {model.trained_to?.slice(0, 10) ?? "—"}: bars after that are out of sample.
        </p>
      )}
      <div className="grid">
        {model &&
          decisionThresholds(model.task).map((t) => (
            <Field
              key={t.name}
              label={t.name}
              name={`params.${t.name}`}
              errors={errors}
              hint={`${t.description}; blank: the model's own rule`}
            >
              {(id, describedBy) => (
                <input
                  id={id}
                  aria-describedby={describedBy}
                  inputMode="decimal"
                  value={values.params[t.name] ?? ""}
                  onChange={(e) => onParam(t.name, e.target.value)}
                />
              )}
            </Field>
          ))}
      </div>
    </>
  );
}

type FieldProps = {
  label: string;
  name: FieldName;
  errors: FieldErrors;
  hint?: string;
  children: (id: string, describedBy: string | undefined) => ReactNode;
};

function Field({ label, name, errors, hint, children }: FieldProps) {
  const id = useId();
  const error = errors[name];
  const describedBy =
    [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${error ? " field-invalid" : ""}`}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children(id, describedBy)}
      {hint && (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      )}
      {error && (
        <span id={`${id}-error`} className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

type NumberFieldProps = {
  label: string;
  name: FieldName;
  value: string;
  onChange: (value: string) => void;
  errors: FieldErrors;
  hint?: string;
};

function NumberField({ label, name, value, onChange, errors, hint }: NumberFieldProps) {
  return (
    <Field label={label} name={name} errors={errors} hint={hint}>
      {(id, describedBy) => (
        <input
          id={id}
          aria-describedby={describedBy}
          aria-invalid={errors[name] ? true : undefined}
          inputMode="decimal"
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/** The form field a server-side 422 names (the API may prefix the body's fields). */
function fieldOf(field: string | null | undefined): FieldName | undefined {
  if (!field) return undefined;
  return field.replace(/^body\./, "") as FieldName;
}
