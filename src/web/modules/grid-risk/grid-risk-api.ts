/** The grid risk endpoints as the pages call them. */
import type {
  GridProfile,
  GridRiskList,
  GridRiskPreview,
  GridRiskSettings,
  GridRiskSettingsInput,
  GridRiskSort,
  GridWarning,
  GridWarningStatus,
} from "../../../shared/schemas/grid-risk.js";
import { api } from "../../api/client.js";

export function listGrids(
  q: {
    areaId?: string | undefined;
    level?: string | undefined;
    q?: string | undefined;
    sort: GridRiskSort;
    limit: number;
    offset: number;
  },
  signal: AbortSignal,
) {
  return api<GridRiskList>("/api/grid-risk/grids", { query: q, signal });
}

export function loadProfile(code: string, signal: AbortSignal) {
  return api<GridProfile>(`/api/grid-risk/grids/${encodeURIComponent(code)}`, { signal });
}

export function listWarnings(
  q: {
    status?: GridWarningStatus | undefined;
    areaId?: string | undefined;
    limit: number;
    offset: number;
  },
  signal: AbortSignal,
) {
  return api<{ items: GridWarning[]; total: number }>("/api/grid-risk/warnings", {
    query: q,
    signal,
  });
}

export function acknowledgeWarning(w: GridWarning) {
  return api<GridWarning>(`/api/grid-risk/warnings/${w.id}/acknowledge`, {
    method: "POST",
    body: { version: w.version },
  });
}

export function dismissWarning(w: GridWarning, reason: string) {
  return api<GridWarning>(`/api/grid-risk/warnings/${w.id}/dismiss`, {
    method: "POST",
    body: { version: w.version, reason },
  });
}

export function createTask(w: GridWarning, note: string | undefined) {
  return api<GridWarning>(`/api/grid-risk/warnings/${w.id}/create-task`, {
    method: "POST",
    body: { version: w.version, ...(note ? { note } : {}) },
  });
}

export function loadSettings(signal: AbortSignal) {
  return api<GridRiskSettings>("/api/grid-risk/weights", { signal });
}

export function saveSettings(s: GridRiskSettingsInput & { version: number; note?: string }) {
  return api<GridRiskSettings>("/api/grid-risk/weights", { method: "PUT", body: s });
}

export function previewSettings(s: GridRiskSettingsInput, areaId: string | undefined) {
  return api<GridRiskPreview>("/api/grid-risk/weights/preview", {
    method: "POST",
    body: s,
    query: { areaId },
  });
}

export function runNow() {
  return api<{ day: string; computed: number; warnings: number }>("/api/grid-risk/run", {
    method: "POST",
    body: {},
  });
}
