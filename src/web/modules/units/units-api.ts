/** The housing endpoints: units (/api/units), their map and detail, and buildings (/api/buildings). */
import type { z } from "zod";
import type {
  buildingSchema,
  createBuildingBody,
  createUnitBody,
  Unit,
  UnitDetail,
  UnitMap,
  updateUnitBody,
} from "../../../shared/schemas/housing.js";
import { api, buildUrl } from "../../api/client.js";

export type Building = z.infer<typeof buildingSchema>;
export type CreateBuildingInput = z.input<typeof createBuildingBody>;
export type CreateUnitInput = z.input<typeof createUnitBody>;
export type UpdateUnitInput = z.input<typeof updateUnitBody>;

export const UNIT_SORTS = ["address", "-address", "occupants", "-occupants"] as const;
export type UnitSort = (typeof UNIT_SORTS)[number];

/** The list filters, as the API takes them (also for the export and the map). */
export interface UnitFilter {
  q?: string | undefined;
  rental?: "true" | "false" | undefined;
  overcrowded?: "true" | undefined;
  gridCode?: string | undefined;
}

const sig = (signal?: AbortSignal) => (signal ? { signal } : {});
const one = (id: string) => `/api/units/${encodeURIComponent(id)}`;

export function listUnits(
  f: UnitFilter & { sort?: UnitSort; limit: number; offset: number },
  signal?: AbortSignal,
) {
  return api<{ items: Unit[]; total: number }>("/api/units", { query: { ...f }, ...sig(signal) });
}

/** The export link for the list as filtered and sorted (a plain download). */
export function unitsExportUrl(f: UnitFilter & { sort?: UnitSort }) {
  return buildUrl("/api/units/export.xlsx", { ...f });
}

export function getUnit(id: string, signal?: AbortSignal) {
  return api<UnitDetail>(one(id), sig(signal));
}

export function createUnit(body: CreateUnitInput) {
  return api<Unit>("/api/units", { method: "POST", body });
}

export function updateUnit(id: string, body: UpdateUnitInput) {
  return api<Unit>(one(id), { method: "PATCH", body });
}

/** bbox is [west, south, east, north]. */
export function mapUnits(
  f: UnitFilter & { bbox: [number, number, number, number]; zoom: number },
  signal?: AbortSignal,
) {
  const { bbox, ...rest } = f;
  return api<UnitMap>("/api/units/map", {
    query: { ...rest, bbox: bbox.map((v) => v.toFixed(6)).join(",") },
    ...sig(signal),
  });
}

export function listBuildings(
  f: { q?: string | undefined; limit: number; offset: number },
  signal?: AbortSignal,
) {
  return api<{ items: Building[]; total: number }>("/api/buildings", {
    query: { ...f },
    ...sig(signal),
  });
}

export function createBuilding(body: CreateBuildingInput) {
  return api<Building>("/api/buildings", { method: "POST", body });
}

/** Landlord candidates: residents by name, or organisations by name. */
export function searchLandlords(
  kind: "resident" | "organisation",
  q: string,
  signal?: AbortSignal,
) {
  const path = kind === "resident" ? "/api/residents" : "/api/organisations";
  return api<{ items: { id: string; name: string }[]; total: number }>(path, {
    query: { q: q || undefined, limit: 20, offset: 0 },
    ...sig(signal),
  });
}
