// The training form's "Environment" part, shown instead of target, validation and decision when
// the algorithm is an RL agent: how it acts, what its reward pays for, and its unseen window.
import { InputField, SelectField } from "../../components/ui/Inputs";
import {
  type ActionKind,
  type EnvironmentErrors,
  type EnvironmentValues,
  type EvalBy,
  actionKinds,
} from "./environment";
import { NumberInput } from "./fields";

type Props = {
  algorithm: string;
  values: EnvironmentValues;
  errors: EnvironmentErrors;
  onChange: (values: EnvironmentValues) => void;
};

export function EnvironmentSection({ algorithm, values, errors, onChange }: Props) {
  const bind = <K extends keyof EnvironmentValues>(key: K, field: keyof EnvironmentErrors) => ({
    value: values[key],
    onChange: (value: EnvironmentValues[K]) => onChange({ ...values, [key]: value }),
    error: errors[field],
  });
  const kinds = actionKinds(algorithm);
  return (
    <fieldset className="train-environment">
      <legend>Environment</legend>
      <p className="hint">
        The agent trains on random episodes of the training window and is judged on the later
        evaluation window, which it never sees.
      </p>
      <div className="grid">
        <SelectField<ActionKind>
          label="Action"
          hint={`discrete: short / flat / long; continuous: target weights${
            kinds.length === 1 ? ` (${algorithm} acts only ${kinds[0]})` : ""
          }`}
          options={kinds}
          {...bind("action", "environment.action")}
        />
        <NumberInput
          label="Episode bars"
          hint="2–100000: bars in one training episode"
          min={2}
          max={100_000}
          step="1"
          {...bind("episodeBars", "environment.episode_bars")}
        />
        <NumberInput
          label="Drawdown penalty"
          hint="0–100: reward minus this × drawdown from the episode's peak"
          min={0}
          max={100}
          {...bind("drawdownPenalty", "environment.drawdown_penalty")}
        />
        <NumberInput
          label="Turnover penalty"
          hint="0–100: reward minus this × traded notional / equity"
          min={0}
          max={100}
          {...bind("turnoverPenalty", "environment.turnover_penalty")}
        />
        <SelectField<EvalBy>
          label="Evaluation window"
          options={[
            { value: "share", label: "latest share" },
            { value: "start", label: "from a date" },
          ]}
          value={values.evalBy}
          onChange={(evalBy) => onChange({ ...values, evalBy })}
        />
        {values.evalBy === "share" ? (
          <NumberInput
            label="Evaluation share"
            hint="above 0 and below 1, e.g. 0.2: the latest fifth of the bars"
            min={0}
            max={1}
            {...bind("evalShare", "environment.eval_share")}
          />
        ) : (
          <InputField
            label="Evaluation start"
            hint="YYYY-MM-DD, between the data's start and end"
            {...bind("evalStart", "environment.eval_start")}
          />
        )}
      </div>
    </fieldset>
  );
}
