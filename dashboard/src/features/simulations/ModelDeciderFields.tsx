// The simulation form's "decide with a trained model" part: the choice, the model and its
// optional decision thresholds (blank: the model's own trained rule).
import { useId } from "react";
import { InputField, SelectField } from "../../components/ui/Inputs";
import type { FieldErrors, FormValues } from "./form";
import { type ModelChoice, decisionThresholds, isAgentTask, modelLabel } from "./model-decider";

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
      <SelectField
        label="Model"
        error={errors.model_id}
        value={values.model}
        options={[
          ...(model ? [] : [{ value: "", label: "Choose a model" }]),
          ...models.map((m) => ({ value: m.id, label: modelLabel(m) })),
        ]}
        onChange={onModel}
      />
      {model && (
        <p className="hint">
          Trained on {model.symbols.join(", ")} ({model.source}) up to{" "}
          {model.trained_to?.slice(0, 10) ?? "—"}: bars after that are out of sample.
          {isAgentTask(model.task) &&
            " An RL agent acts by its own policy: it has no decision thresholds to set; give it as many symbols as it was trained on."}
        </p>
      )}
      <div className="grid">
        {model &&
          decisionThresholds(model.task).map((t) => (
            <InputField
              key={t.name}
              label={t.name}
              error={errors[`params.${t.name}`]}
              hint={`${t.description}; blank: the model's own rule`}
              inputMode="decimal"
              value={values.params[t.name] ?? ""}
              onChange={(v) => onParam(t.name, v)}
            />
          ))}
      </div>
    </>
  );
}
