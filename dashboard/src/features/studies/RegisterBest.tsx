// "Register the best": the winning trial's policy written as the next version of a model name.
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { InputField } from "../../components/ui/Inputs";
import { ErrorNote } from "../../components/ui/States";
import { useRegisterBest } from "./api";

// StudyRegisterIn.model_name's pattern (MODEL_NAME_PATTERN).
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

type Props = { studyId: string; suggestedName: string; registeredModelId: string | null };

export function RegisterBest({ studyId, suggestedName, registeredModelId }: Props) {
  const [name, setName] = useState(suggestedName);
  const [problem, setProblem] = useState<string>();
  const register = useRegisterBest(studyId);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!MODEL_NAME.test(name)) {
      setProblem("Up to 64 letters, digits and _ . - (starting with a letter or digit).");
      return;
    }
    setProblem(undefined);
    register.mutate(name);
  };
  const done = register.data;
  // Registering hands the staged policy over to the model: a study registers its best once.
  if (registeredModelId && !done) {
    return (
      <p>
        The best trial is registered:{" "}
        <Link to={`/models/${registeredModelId}`}>open the model</Link>.
      </p>
    );
  }
  return (
    <>
      {!done && (
        <form
          className="study-register"
          onSubmit={submit}
          noValidate
          aria-label="Register the best"
        >
          <InputField
            label="Model name"
            hint="the best trial's policy becomes the name's next version (once per study)"
            value={name}
            onChange={setName}
            error={problem}
          />
          <button type="submit" className="button" disabled={register.isPending}>
            {register.isPending ? "Registering…" : "Register the best"}
          </button>
        </form>
      )}
      {register.isError && <ErrorNote error={register.error} />}
      {done && (
        <output className="state">
          Trial #{done.trial} registered as{" "}
          <Link to={`/models/${done.model_id}`}>
            {done.model_name} v{done.version}
          </Link>
          .
        </output>
      )}
    </>
  );
}
