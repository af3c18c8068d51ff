/** The saved-filter endpoints (/api/saved-filters) as the case inbox uses them. */
import type {
  CreateSavedFilterBody,
  SavedFilter,
  UpdateSavedFilterBody,
} from "../../../shared/schemas/saved-filters.js";
import { api } from "../../api/client.js";

const one = (id: string) => `/api/saved-filters/${encodeURIComponent(id)}`;

export function listSavedFilters(signal?: AbortSignal) {
  return api<{ items: SavedFilter[]; total: number }>("/api/saved-filters", {
    query: { scope: "cases" },
    ...(signal ? { signal } : {}),
  });
}

export function createSavedFilter(body: CreateSavedFilterBody) {
  return api<SavedFilter>("/api/saved-filters", { method: "POST", body });
}

export function updateSavedFilter(id: string, body: UpdateSavedFilterBody) {
  return api<SavedFilter>(one(id), { method: "PATCH", body });
}

export function deleteSavedFilter(id: string) {
  return api<void>(one(id), { method: "DELETE" });
}
