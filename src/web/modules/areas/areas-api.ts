/** The area endpoints the browser uses. */
import type { FeatureCollection, MultiPolygon, Polygon } from "geojson";
import type { AreaLevel } from "../../../shared/roles.js";
import type { AreaDetail, AreaSummary } from "../../../shared/schemas/areas.js";
import { api } from "../../api/client.js";

export interface AreaFeatureProps {
  id: string;
  code: string;
  name: string;
  level: AreaLevel;
}
export type AreaFeatureCollection = FeatureCollection<
  Polygon | MultiPolygon | null,
  AreaFeatureProps
>;

const PAGE = 1000;

/** Every area the user can see, in code order (~600 in the demo district). */
export async function loadAllAreas(signal?: AbortSignal): Promise<AreaSummary[]> {
  const all: AreaSummary[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await api<{ items: AreaSummary[]; total: number }>("/api/areas", {
      query: { limit: PAGE, offset, sort: "code" },
      ...(signal ? { signal } : {}),
    });
    all.push(...page.items);
    if (page.items.length < PAGE || all.length >= page.total) return all;
  }
}

export interface AreaView {
  detail: AreaDetail;
  children: AreaFeatureCollection;
}

/** One area with the GeoJSON of its direct children, fetched together. */
export async function loadAreaView(code: string, signal?: AbortSignal): Promise<AreaView> {
  const opts = signal ? { signal } : {};
  const enc = encodeURIComponent(code);
  const [detail, children] = await Promise.all([
    api<AreaDetail>(`/api/areas/${enc}`, opts),
    api<AreaFeatureCollection>(`/api/areas/${enc}/geojson`, { ...opts, query: { children: 1 } }),
  ]);
  return { detail, children };
}
