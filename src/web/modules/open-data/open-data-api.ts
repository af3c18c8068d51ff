/** The public open-data endpoints, as the 开放数据 page reads them (no session needed). */
import type { OpenDataStats } from "../../../shared/schemas/open-data.js";
import { api, buildUrl } from "../../api/client.js";

export const STATS_URL = "/api/open-data/stats";
export const GEOJSON_URL = "/api/open-data/cases.geojson";

export function loadOpenDataStats(months: number, signal?: AbortSignal): Promise<OpenDataStats> {
  return api<OpenDataStats>(STATS_URL, { query: { months }, ...(signal ? { signal } : {}) });
}

/** Where the statistics of `months` months and the last days' public cases download from. */
export function downloadUrls(months: number): { stats: string; geojson: string } {
  return {
    stats: buildUrl(STATS_URL, { months }),
    geojson: buildUrl(GEOJSON_URL, { days: 30, limit: 5000 }),
  };
}
