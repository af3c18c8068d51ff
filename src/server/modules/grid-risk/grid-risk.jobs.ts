/**
 * The `grid-risk` job (listed in jobs/registry.ts): hourly, but the index is
 * computed once a day — the first run after midnight in China does the day,
 * later runs (here or on another server) find it done. It waits while the
 * case rollups are far behind (their figures would read as no cases).
 */
import type { Kysely } from "kysely";
import type { Config } from "../../config.js";
import type { DB } from "../../db/schema.js";
import type { LiveEvent } from "../events/event-bus.js";
import { computeToday } from "./grid-risk.service.js";

interface Ctx {
  db: Kysely<DB>;
  config: Config;
  events?: { publish(e: LiveEvent): void };
}

export async function gridRiskJob(ctx: Ctx, now: Date): Promise<string> {
  const r = await computeToday(
    { db: ctx.db, config: ctx.config, ...(ctx.events ? { events: ctx.events } : {}) },
    now,
  );
  if ("skipped" in r) return `skipped: ${r.skipped}`;
  return `${r.computed} grids scored for ${r.day}, ${r.warnings} warnings raised, ${r.notified.length} people notified`;
}
