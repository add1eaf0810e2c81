// Market data: a price chart for any symbol and range (the selection lives in the URL), the
// sources and their symbols, uploads of your own bars, and download jobs that warm the cache.
import { useState } from "react";
import { useSearchParams } from "react-router";
import { Section } from "../../components/ui/Card";
import { Empty, ErrorNote, Loading } from "../../components/ui/States";
import { useBars } from "../../features/charts/api";
import { BarsChart } from "../../features/data/BarsChart";
import { BarsQueryForm } from "../../features/data/BarsQueryForm";
import { DownloadForm } from "../../features/data/DownloadForm";
import { SourcesTable } from "../../features/data/SourcesTable";
import { SymbolsTable } from "../../features/data/SymbolsTable";
import { UploadForm } from "../../features/data/UploadForm";
import { useSources, useSubmitDownload, useSymbols, useUpload } from "../../features/data/api";
import { checkSelection, selectionFrom, toSearchParams } from "../../features/data/selection";
import "../../features/data/data.css";

export default function Data() {
  const [params, setParams] = useSearchParams();
  const selection = selectionFrom(params);
  const sources = useSources();
  const [browsed, setBrowsed] = useState(selection.source);
  const symbols = useSymbols(browsed);
  const intervals = sources.data?.items.find((s) => s.name === selection.source)?.intervals;
  const checked = selection.symbol ? checkSelection(selection, intervals) : undefined;
  const bars = useBars(checked?.ok ? checked.query : undefined);
  const upload = useUpload();
  const download = useSubmitDownload();

  return (
    <>
      <h1>Data</h1>
      <Section title="Price chart">
        {sources.isError ? (
          <ErrorNote error={sources.error} retry={() => void sources.refetch()} />
        ) : (
          <BarsQueryForm
            key={params.toString()}
            initial={selection}
            sources={sources.data?.items ?? []}
            symbols={symbols.data?.items ?? []}
            onSourceChange={setBrowsed}
            onSubmit={(next) => setParams(toSearchParams(next))}
            serverError={bars.error ?? undefined}
          />
        )}
        <div className="bars-result">
          {!selection.symbol ? (
            <Empty>Pick a symbol above, or one from the list of symbols below, to chart it.</Empty>
          ) : bars.isPending ? (
            checked?.ok ? (
              <Loading what={`bars of ${selection.symbol}`} />
            ) : (
              <Empty>Fix the fields above to show the chart.</Empty>
            )
          ) : bars.isSuccess ? (
            <BarsChart bars={bars.data} />
          ) : null}
        </div>
      </Section>
      <div className="columns data-columns">
        <Section title="Sources">
          {sources.isPending ? (
            <Loading what="sources" />
          ) : sources.isError ? (
            <ErrorNote error={sources.error} retry={() => void sources.refetch()} />
          ) : sources.data.items.length === 0 ? (
            <Empty>No data sources are configured; see the API documentation.</Empty>
          ) : (
            <SourcesTable sources={sources.data.items} current={browsed} onBrowse={setBrowsed} />
          )}
        </Section>
        <Section title={`Symbols of ${browsed}`}>
          {symbols.isPending ? (
            <Loading what="symbols" />
          ) : symbols.isError ? (
            <ErrorNote error={symbols.error} retry={() => void symbols.refetch()} />
          ) : (
            <SymbolsTable
              key={browsed}
              source={browsed}
              symbols={symbols.data.items}
              total={symbols.data.total}
            />
          )}
        </Section>
      </div>
      <div className="columns data-columns" id="upload">
        <Section title="Upload a file">
          <UploadForm
            onUpload={(input) => upload.mutate(input, { onSuccess: () => setBrowsed("files") })}
            pending={upload.isPending}
            uploaded={upload.data}
            uploadError={upload.error ?? undefined}
            onEdit={() => upload.reset()}
          />
        </Section>
        <Section title="Download to the cache">
          <p className="hint">
            Fetches bars once (from Yahoo Finance, for instance) so that charts and backtests read
            them from the cache.
          </p>
          {sources.isPending ? (
            <Loading what="sources" />
          ) : sources.isError ? (
            <ErrorNote error={sources.error} retry={() => void sources.refetch()} />
          ) : (
            <DownloadForm
              sources={sources.data.items}
              onSubmit={(request) => download.mutate(request)}
              pending={download.isPending}
              submitError={download.error ?? undefined}
              job={download.data?.job}
            />
          )}
        </Section>
      </div>
    </>
  );
}
