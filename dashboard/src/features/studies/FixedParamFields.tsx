import type { HyperParam } from "../../api/types";
// The hyperparameters a study fixes for every trial instead of searching them (total_timesteps,
// n_envs, net_arch...): those every chosen agent declares, each with the range they all accept.
// Left unfixed, each agent trains with its own default, which the hint shows.
import { HyperparamFields } from "../training/HyperparamFields";
import { Collapsible } from "../training/fields";
import type { ParamValue } from "../training/hyperparams";
import { type FixedValue, type SharedParam, defaultsText, startValue } from "./fixed";
import type { StudyErrors } from "./form";

type Props = {
  shared: SharedParam[];
  fixed: Record<string, FixedValue>;
  errors: StudyErrors;
  onChange: (param: string, value: FixedValue) => void;
};

export function FixedParamFields({ shared, fixed, errors, onChange }: Props) {
  const on = shared.filter((s) => fixed[s.param.name]?.on);
  const problems = shared.filter((s) => errors[`hyperparameters.${s.param.name}`]);
  const summary = on.length
    ? on.map((s) => `${s.param.name} ${String(fixed[s.param.name]?.value)}`).join(", ")
    : "none: each agent's defaults";
  return (
    <Collapsible title="Fixed for every trial" summary={summary} hasError={problems.length > 0}>
      <p className="hint">
        What every chosen agent declares can be fixed for all trials, e.g. the timesteps each one
        trains for. Unfixed, each agent uses its own default.
      </p>
      {shared.length === 0 && <p className="hint">The chosen agents share no hyperparameter.</p>}
      <div className="study-ranges">
        {shared.map((s) => {
          const { name } = s.param;
          const value = fixed[name];
          return (
            <fieldset key={name} className="study-range">
              <legend>{name}</legend>
              <label className="field-check">
                <input
                  type="checkbox"
                  checked={value?.on ?? false}
                  onChange={(e) =>
                    onChange(name, value ? { ...value, on: e.target.checked } : startValue(s))
                  }
                />
                <span>Fix {name}</span>
              </label>
              {value?.on ? (
                <HyperparamFields
                  params={[withDefaults(s)]}
                  values={{ [name]: value.value }}
                  errors={errors}
                  onChange={(_, next: ParamValue) => onChange(name, { on: true, value: next })}
                />
              ) : (
                <small className="hint">{defaultsText(s)}</small>
              )}
            </fieldset>
          );
        })}
      </div>
    </Collapsible>
  );
}

/** The parameter as its field shows it: where the agents' defaults differ, the hint says so. */
function withDefaults(shared: SharedParam): HyperParam {
  const text = defaultsText(shared);
  if (text.startsWith("default ")) return shared.param;
  const { description } = shared.param;
  return {
    ...shared.param,
    description: `Unfixed: ${text}.${description ? ` ${description}` : ""}`,
  };
}
