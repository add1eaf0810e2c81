import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, unwrap } from "../../api/client";
import type { DownloadRequest } from "../../api/types";

/** The API's largest page: enough for every enumerated source's symbols. */
export const SYMBOLS_LIMIT = 200;

export function useSources() {
  return useQuery({
    queryKey: ["sources"],
    queryFn: () => unwrap(api.GET("/api/v1/data/sources")),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useSymbols(source: string) {
  return useQuery({
    queryKey: ["symbols", source],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/data/symbols", { params: { query: { source, limit: SYMBOLS_LIMIT } } }),
      ),
    staleTime: 60_000,
    enabled: source !== "",
  });
}

/**
 * What a request form offers: every source, and the symbols of the one the form has chosen
 * (the form reports its choice through `onSourceChange`).
 */
export function useMarketChoices(initialSource = "builtin") {
  const sources = useSources();
  const [source, setSource] = useState(initialSource);
  const symbols = useSymbols(source);
  return {
    sources: sources.data?.items ?? [],
    symbols: symbols.data?.items.map((s) => s.symbol) ?? [],
    onSourceChange: setSource,
  };
}

export type UploadInput = { file: File; symbol: string };

export function uploadBars({ file, symbol }: UploadInput) {
  return unwrap(
    api.POST("/api/v1/data/upload", {
      // The schema types a file as a string, so the typed body only names the fields; the
      // FormData built below is what is sent (the browser sets the multipart boundary).
      body: { file: file.name, symbol: symbol || null },
      bodySerializer: () => {
        const form = new FormData();
        form.append("file", file, file.name);
        if (symbol) form.append("symbol", symbol);
        return form;
      },
    }),
  );
}

export function useUpload() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: uploadBars,
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["symbols", "files"] });
      void client.invalidateQueries({ queryKey: ["bars"] }); // a re-upload replaces a symbol's bars
    },
  });
}

export function useSubmitDownload() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: DownloadRequest) => unwrap(api.POST("/api/v1/data/downloads", { body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["jobs"] }),
  });
}
