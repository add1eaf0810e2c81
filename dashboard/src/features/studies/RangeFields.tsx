// Per algorithm, the numeric hyperparameters a study may search: a "search" flag, low, high and
// log scale, each starting at the declared range. Folded away unless something needs a fix.
import type { Algorithm } from "../../api/types";
import { Collapsible, NumberInput } from "../training/fields";
import { type RangeValues, type StudyErrors, isNumeric } from "./form";

type Props = {
  algorithm: Algorithm;
  ranges: Record<string, RangeValues>;
  errors: StudyErrors;
  onChange: (param: string, range: RangeValues) => void;
};

export function RangeFields({ algorithm, ranges, errors, onChange }: Props) {
  const params = algorithm.params.filter(isNumeric);
  const searched = params.filter((p) => ranges[p.name]?.searched).map((p) => p.name);
  const problems = params.filter((p) => errors[`search_space.${algorithm.name}.${p.name}`]);
  return (
    <Collapsible
      title={`${algorithm.name} ranges`}
      summary={searched.length ? `searching ${searched.join(", ")}` : "learning_rate and gamma"}
      hasError={problems.length > 0}
    >
      {params.length === 0 && <p className="hint">No numeric hyperparameters to search.</p>}
      <div className="study-ranges">
        {params.map((param) => {
          const range = ranges[param.name];
          if (!range) return null;
          const set = (change: Partial<RangeValues>) =>
            onChange(param.name, { ...range, ...change });
          const label = `${algorithm.name} ${param.name}`;
          const error = errors[`search_space.${algorithm.name}.${param.name}`];
          return (
            <fieldset key={param.name} className="study-range">
              <legend>{param.name}</legend>
              <label className="field-check">
                <input
                  type="checkbox"
                  checked={range.searched}
                  onChange={(e) => set({ searched: e.target.checked })}
                />
                <span>Search {label}</span>
              </label>
              {range.searched && (
                <>
                  <NumberInput
                    label={`${label} low`}
                    hint={param.min != null ? `declared min ${param.min}` : undefined}
                    value={range.low}
                    onChange={(low) => set({ low })}
                    error={error}
                  />
                  <NumberInput
                    label={`${label} high`}
                    hint={param.max != null ? `declared max ${param.max}` : undefined}
                    value={range.high}
                    onChange={(high) => set({ high })}
                  />
                  <label className="field-check">
                    <input
                      type="checkbox"
                      checked={range.log}
                      onChange={(e) => set({ log: e.target.checked })}
                    />
                    <span>{label} on a log scale</span>
                  </label>
                </>
              )}
            </fieldset>
          );
        })}
      </div>
    </Collapsible>
  );
}
