import {
  keepPreviousData,
  useMutation,
  useQueries,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { Model, ModelPatch, ModelsPage } from "../../api/types";
import type { RegistryQuery } from "./registry";

export type LoadModels = (query: RegistryQuery & { limit: number }) => Promise<ModelsPage>;

/** The registry's page, filtered and sorted by the API. */
export const loadModels: LoadModels = ({
  name,
  algorithm,
  stage,
  tag,
  sort,
  order,
  offset,
  limit,
}) =>
  unwrap(
    api.GET("/api/v1/models", {
      params: {
        query: {
          name: name || undefined,
          algorithm: algorithm || undefined,
          stage: stage || undefined,
          tag: tag || undefined,
          sort,
          order,
          offset,
          limit,
        },
      },
    }),
  );

export function useModelsPage(load: LoadModels, query: RegistryQuery & { limit: number }) {
  return useQuery({
    queryKey: ["models", query],
    queryFn: () => load(query),
    placeholderData: keepPreviousData,
  });
}

const detailQuery = (id: string) => ({
  queryKey: ["model", id],
  queryFn: () =>
    unwrap(api.GET("/api/v1/models/{model_id}", { params: { path: { model_id: id } } })),
});

export function useModel(id: string | undefined) {
  return useQuery({ ...detailQuery(id ?? ""), enabled: Boolean(id) });
}

/** Several models' details at once (the compare page). */
export function useModelDetails(ids: string[]) {
  return useQueries({ queries: ids.map(detailQuery) });
}

export function useModelVersions(id: string) {
  return useQuery({
    queryKey: ["model-versions", id],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/models/{model_id}/versions", {
          params: { path: { model_id: id }, query: { limit: 200 } },
        }),
      ),
  });
}

export function useFeatureImportance(id: string) {
  return useQuery({
    queryKey: ["feature-importance", id],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/models/{model_id}/feature-importance", {
          params: { path: { model_id: id } },
        }),
      ),
  });
}

/** Plain link target: the browser downloads the zip itself (with the session cookie). */
export function artifactUrl(id: string): string {
  return `/api/v1/models/${encodeURIComponent(id)}/artifact`;
}

export function usePatchModel(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ModelPatch) =>
      unwrap(api.PATCH("/api/v1/models/{model_id}", { params: { path: { model_id: id } }, body })),
    onSuccess: (model: Model) => {
      client.setQueryData(["model", id], (old: object | undefined) =>
        old ? { ...old, ...model } : old,
      );
      // production demotes the name's previous production version: other rows change too
      void client.invalidateQueries({ queryKey: ["models"] });
      void client.invalidateQueries({ queryKey: ["model-versions"] });
    },
  });
}

export function useDeleteModel(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(api.DELETE("/api/v1/models/{model_id}", { params: { path: { model_id: id } } })),
    onSuccess: () => {
      client.removeQueries({ queryKey: ["model", id] });
      void client.invalidateQueries({ queryKey: ["models"] });
      void client.invalidateQueries({ queryKey: ["model-versions"] });
    },
  });
}
