// One control per declared hyperparameter, whatever the algorithm: numbers with their range,
// flags as checkboxes, choices as selects, each with its description as the hint.
import { useId } from "react";
import type { HyperParam } from "../../api/types";
import { InputField, SelectField } from "../../components/ui/Inputs";
import type { TrainingErrors, TrainingField } from "./form";
import { type ParamValue, controlFor, hintFor } from "./hyperparams";

type Props = {
  params: readonly HyperParam[];
  values: Record<string, ParamValue>;
  errors: TrainingErrors;
  onChange: (name: string, value: ParamValue) => void;
};

export function HyperparamFields({ params, values, errors, onChange }: Props) {
  if (params.length === 0) return <p className="hint">This algorithm has no hyperparameters.</p>;
  return (
    <div className="grid">
      {params.map((param) => (
        <HyperparamField
          key={param.name}
          param={param}
          value={values[param.name]}
          errors={errors}
          onChange={(value) => onChange(param.name, value)}
        />
      ))}
    </div>
  );
}

type FieldProps = {
  param: HyperParam;
  value: ParamValue | undefined;
  errors: TrainingErrors;
  onChange: (value: ParamValue) => void;
};

function HyperparamField({ param, value, errors, onChange }: FieldProps) {
  const control = controlFor(param);
  const name: TrainingField = `hyperparameters.${param.name}`;
  const hint = hintFor(param);
  if (control.kind === "checkbox") {
    return (
      <CheckboxParam
        param={param}
        checked={value === true}
        hint={hint}
        error={errors[name]}
        onChange={onChange}
      />
    );
  }
  const text = typeof value === "string" ? value : "";
  const field = { label: param.name, error: errors[name], hint, value: text, onChange };
  if (control.kind === "select") return <SelectField {...field} options={control.choices} />;
  return (
    <InputField {...field} type="number" min={control.min} max={control.max} step={control.step} />
  );
}

function CheckboxParam({
  param,
  checked,
  hint,
  error,
  onChange,
}: {
  param: HyperParam;
  checked: boolean;
  hint: string;
  error: string | undefined;
  onChange: (value: boolean) => void;
}) {
  const id = useId();
  return (
    <div className={`field${error ? " field-invalid" : ""}`}>
      <label className="field-check" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          aria-describedby={`${id}-hint`}
          checked={checked}
          onChange={(e) => onChange(e.target.checked)}
        />
        <span className="field-label">{param.name}</span>
      </label>
      <small id={`${id}-hint`} className="hint">
        {hint}
      </small>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
