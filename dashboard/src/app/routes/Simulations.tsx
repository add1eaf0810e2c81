import { useNavigate, useSearchParams } from "react-router";
import { messageOf } from "../../api/errors";
import { Section } from "../../components/ui/Card";
import { ErrorNote, Loading } from "../../components/ui/States";
import { useMarketChoices } from "../../features/data/api";
import { loadModels, useModel, useModelsPage } from "../../features/models/api";
import { DEFAULT_QUERY } from "../../features/models/registry";
import { RecentSimulations } from "../../features/simulations/RecentSimulations";
import { SimulationForm } from "../../features/simulations/SimulationForm";
import { useStrategies, useSubmitSimulation } from "../../features/simulations/api";

export default function Simulations() {
  const navigate = useNavigate();
  const strategies = useStrategies();
  const market = useMarketChoices();
  const submit = useSubmitSimulation();
  const [params] = useSearchParams();
  const wanted = params.get("model") ?? undefined;
  const models = useModelsPage(loadModels, { ...DEFAULT_QUERY, limit: 200 });
  const wantedModel = useModel(wanted);
  const choices = [...(models.data?.items ?? [])];
  // ?model=<id> beyond the newest 200 (or an older registry page) is still offered
  if (wantedModel.data && !choices.some((m) => m.id === wantedModel.data.id)) {
    choices.unshift(wantedModel.data);
  }
  // wait for the models only when one was asked for: the form takes its defaults once
  const waiting = models.isPending || (wanted !== undefined && wantedModel.isPending);

  return (
    <>
      <h1>Simulations</h1>
      <Section title="New simulation">
        {models.isError && (
          <p className="hint">Trained models cannot be offered: {messageOf(models.error)}</p>
        )}
        {wantedModel.isError && <ErrorNote error={wantedModel.error} />}
        {strategies.isPending || waiting ? (
          <Loading what="strategies and models" />
        ) : strategies.isError ? (
          <ErrorNote error={strategies.error} retry={() => void strategies.refetch()} />
        ) : (
          <SimulationForm
            key={wanted ?? ""}
            strategies={strategies.data.items}
            models={choices}
            initialModel={wantedModel.isError ? undefined : wanted}
            sources={market.sources.map((s) => s.name)}
            symbols={market.symbols}
            onSourceChange={market.onSourceChange}
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
