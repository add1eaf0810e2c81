// RL studies: a form that compares agents and their hyperparameters, and the recent studies.
import { Link, useNavigate } from "react-router";
import { Section } from "../../components/ui/Card";
import { ErrorNote, Loading } from "../../components/ui/States";
import { useMarketChoices } from "../../features/data/api";
import { RecentStudies } from "../../features/studies/RecentStudies";
import { StudyForm } from "../../features/studies/StudyForm";
import { useSubmitStudy } from "../../features/studies/api";
import { useAlgorithms } from "../../features/training/api";
import "../../features/training/training.css";
import "../../features/studies/studies.css";

export default function Studies() {
  const navigate = useNavigate();
  const algorithms = useAlgorithms();
  const market = useMarketChoices();
  const submit = useSubmitStudy();

  return (
    <>
      <p className="crumbs">
        <Link to="/train">Train</Link> / studies
      </p>
      <h1>RL studies</h1>
      <p className="muted">
        Compare agents and hyperparameters on one dataset, and learn whether the winner is more than
        the luck of having tried many.
      </p>
      <Section title="New study">
        {algorithms.isPending ? (
          <Loading what="algorithms" />
        ) : algorithms.isError ? (
          <ErrorNote error={algorithms.error} retry={() => void algorithms.refetch()} />
        ) : (
          <StudyForm
            catalogue={algorithms.data}
            {...market}
            pending={submit.isPending}
            submitError={submit.error ?? undefined}
            onSubmit={(request) =>
              submit.mutate(request, {
                onSuccess: (accepted) => navigate(`/train/studies/${accepted.study_id}`),
              })
            }
          />
        )}
      </Section>
      <Section title="Recent studies">
        <RecentStudies limit={20} />
      </Section>
    </>
  );
}
