import { useNavigate } from "react-router";
import { Section } from "../../components/ui/Card";
import { ErrorNote, Loading } from "../../components/ui/States";
import { useMarketChoices } from "../../features/data/api";
import { useStrategies } from "../../features/simulations/api";
import { RecentSweeps } from "../../features/sweeps/RecentSweeps";
import { SweepForm } from "../../features/sweeps/SweepForm";
import { useSubmitSweep } from "../../features/sweeps/api";
import "../../features/sweeps/sweeps.css";

export default function Sweeps() {
  const navigate = useNavigate();
  const strategies = useStrategies();
  const market = useMarketChoices();
  const submit = useSubmitSweep();

  return (
    <>
      <h1>Sweeps</h1>
      <div id="new-sweep">
        <Section title="New sweep">
          {strategies.isPending ? (
            <Loading what="strategies" />
          ) : strategies.isError ? (
            <ErrorNote error={strategies.error} retry={() => void strategies.refetch()} />
          ) : (
            <SweepForm
              strategies={strategies.data.items}
              sources={market.sources.map((s) => s.name)}
              symbols={market.symbols}
              onSourceChange={market.onSourceChange}
              pending={submit.isPending}
              submitError={submit.error ?? undefined}
              onSubmit={(request) =>
                submit.mutate(request, {
                  onSuccess: (accepted) => navigate(`/sweeps/${accepted.sweep_id}`),
                })
              }
            />
          )}
        </Section>
      </div>
      <Section title="Recent sweeps">
        <RecentSweeps limit={20} />
      </Section>
    </>
  );
}
