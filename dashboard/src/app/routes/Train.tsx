// The trainer: a form built from the algorithms the API lists, and the recent trainings.
import { Link, useNavigate } from "react-router";
import { Section } from "../../components/ui/Card";
import { ErrorNote, Loading } from "../../components/ui/States";
import { useMarketChoices } from "../../features/data/api";
import { RecentTrainings } from "../../features/training/RecentTrainings";
import { TrainingForm } from "../../features/training/TrainingForm";
import { useAlgorithms, useSubmitTraining } from "../../features/training/api";
import "../../features/training/training.css";

export default function Train() {
  const navigate = useNavigate();
  const algorithms = useAlgorithms();
  const market = useMarketChoices();
  const submit = useSubmitTraining();

  return (
    <>
      <h1>Train</h1>
      <p className="muted">
        To compare RL agents and their hyperparameters, and test the winner against luck,{" "}
        <Link to="/train/studies">run an RL study</Link>.
      </p>
      <Section title="New training">
        {algorithms.isPending ? (
          <Loading what="algorithms" />
        ) : algorithms.isError ? (
          <ErrorNote error={algorithms.error} retry={() => void algorithms.refetch()} />
        ) : (
          <TrainingForm
            catalogue={algorithms.data}
            {...market}
            pending={submit.isPending}
            submitError={submit.error ?? undefined}
            onSubmit={(request) =>
              submit.mutate(request, {
                onSuccess: (accepted) => navigate(`/train/${accepted.training_id}`),
              })
            }
          />
        )}
      </Section>
      <Section title="Recent trainings">
        <RecentTrainings limit={20} />
      </Section>
    </>
  );
}
