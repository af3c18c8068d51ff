/** The coordination centre's endpoints as the page calls them. */
import type {
  AreaMeasureResponse,
  BreakdownDimension,
  BreakdownResponse,
  CollaborationResponse,
  KpiResponse,
  MapMeasure,
  ScorecardResponse,
} from "../../../shared/schemas/coordination.js";
import { api, buildUrl } from "../../api/client.js";
import type { AreaFeatureCollection } from "../areas/areas-api.js";
import type { MapLevel } from "./coordination-model.js";

/** What every figure is asked for: a period and an area (none: the caller's widest). */
export interface Scope {
  from: string;
  to: string;
  areaId: string | undefined;
}

const opts = (query: Record<string, string | undefined>, signal: AbortSignal) => ({
  query,
  signal,
});

export function loadKpis(s: Scope, signal: AbortSignal) {
  return api<KpiResponse>("/api/coordination/kpis", opts({ ...s }, signal));
}

export function loadBreakdown(s: Scope, by: BreakdownDimension, signal: AbortSignal) {
  return api<BreakdownResponse>("/api/coordination/breakdown", opts({ ...s, by }, signal));
}

export function loadScorecards(s: Scope, signal: AbortSignal) {
  return api<ScorecardResponse>("/api/coordination/scorecards", opts({ ...s }, signal));
}

export function loadAreaMeasures(
  s: Scope,
  measure: MapMeasure,
  level: MapLevel,
  signal: AbortSignal,
) {
  return api<AreaMeasureResponse>(
    "/api/coordination/areas",
    opts({ ...s, measure, level }, signal),
  );
}

/** Who closed cases with whom (the network), in whole months. */
export function loadCollaboration(s: Scope, signal: AbortSignal) {
  return api<CollaborationResponse>("/api/coordination/collaboration", opts({ ...s }, signal));
}

/** The scorecards as a spreadsheet, for the same period and area (a plain link). */
export function scorecardsXlsxUrl(s: Scope): string {
  return buildUrl("/api/coordination/scorecards.xlsx", { ...s });
}

/** The boundaries of every area of `level` under the area `code`. */
export function loadLevelBoundaries(code: string, level: MapLevel, signal: AbortSignal) {
  return api<AreaFeatureCollection>(`/api/areas/${encodeURIComponent(code)}/geojson`, {
    query: { level },
    signal,
  });
}
