// The simulation form's "decide with a trained model" part: the choice, the model and its
// optional decision thresholds (blank: the model's own trained rule).
import { useId } from "react";
import { Field } from "./BacktestFields";
import type { FieldErrors, FormValues } from "./form";
import { type ModelChoice, decisionThresholds, modelLabel } from "./model-decider";

export function DeciderChoice({
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

export function ModelFields({ models, values, errors, onModel, onParam }: ModelFieldsProps) {
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
