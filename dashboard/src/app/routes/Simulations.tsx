import { useState } from "react";
import { useNavigate } from "react-router";
import { Section } from "../../components/ui/Card";
import { ErrorNote, Loading } from "../../components/ui/States";
import { RecentSimulations } from "../../features/simulations/RecentSimulations";
import { SimulationForm } from "../../features/simulations/SimulationForm";
import {
  useSources,
  useStrategies,
  useSubmitSimulation,
  useSymbols,
} from "../../features/simulations/api";

export default function Simulations() {
  const navigate = useNavigate();
  const strategies = useStrategies();
  const sources = useSources();
  const [source, setSource] = useState("builtin");
  const symbols = useSymbols(source);
  const submit = useSubmitSimulation();

  return (
    <>
      <h1>Simulations</h1>
      <Section title="New simulation">
        {strategies.isPending ? (
          <Loading what="strategies" />
        ) : strategies.isError ? (
          <ErrorNote error={strategies.error} retry={() => void strategies.refetch()} />
        ) : (
          <SimulationForm
            strategies={strategies.data.items}
            sources={sources.data?.items.map((s) => s.name) ?? []}
            symbols={symbols.data?.items.map((s) => s.symbol) ?? []}
            onSourceChange={setSource}
            pending={submit.isPending}
            submitError={submit.error ?? undefined}
            onSubmit={(request) =>
              submit.mutate(request, {
                onSuccess: (accepted) => navigate(`/simulations/${accepted.simulation_id}`),
              })
            }
          />
        )}
      </Section>
      <Section title="Recent simulations">
        <RecentSimulations limit={20} selectable />
      </Section>
    </>
  );
}
