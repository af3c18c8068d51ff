/**
 * Keeping the coordination centre's rollups current: the `case-rollups` job
 * folds what the case-action trigger queued, a few seconds behind the
 * actions; a bulk load (the seed) switches the trigger off and rebuilds once.
 */
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import * as coordinationRepo from "./coordination.repository.js";
import * as repo from "./rollups.repository.js";

const BATCH = 5000;

/** Folds every queued action (in batches); returns how many were counted. */
export async function foldCaseRollups(db: Kysely<DB>, batch = BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await db.transaction().execute((trx) => repo.foldQueued(trx, batch));
    total += n;
    if (n < batch) return total;
  }
}

/** Recounts every rollup from the action log; for bulk loads, never on a request path. */
export async function rebuildCaseRollups(db: Kysely<DB>): Promise<void> {
  await repo.rebuildAll(db);
}

/** Runs `load` with the queue trigger off, then rebuilds (inside the caller's transaction). */
export async function withRollupsRebuiltAfter<T>(
  trx: Kysely<DB>,
  load: () => Promise<T>,
  log?: (message: string) => void,
): Promise<T> {
  await repo.setQueueTrigger(trx, false);
  const out = await load();
  await repo.setQueueTrigger(trx, true);
  const started = Date.now();
  await repo.rebuildAll(trx);
  log?.(`coordination rollups rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return out;
}

export const pendingRollupActions = repo.queueLength;

// ----------------------------------------------- figures for other modules
// The grid risk index reads case figures here (not from coordination.service,
// which reads the index back for the map: that would be an import cycle).

/** Cases reported per area (each path given, dimension `all`) over days [from, to], from the day rollups. */
export async function receivedByArea(
  db: Kysely<DB>,
  areaPaths: string[],
  from: string,
  to: string,
): Promise<Map<string, number>> {
  const rows = await coordinationRepo.totalsByArea(db, areaPaths, "day", from, to);
  return new Map(rows.map((r) => [r.area_path, Number(r.received) || 0]));
}

/** Cases reported per month in one area over months [fromMonth, to] (months without cases left out). */
export async function receivedPerMonth(
  db: Kysely<DB>,
  areaPath: string,
  fromMonth: string,
  to: string,
): Promise<{ month: string; received: number }[]> {
  const rows = await coordinationRepo.series(db, areaPath, "month", fromMonth, to);
  return rows.map((r) => ({ month: r.period.slice(0, 7), received: Number(r.received) || 0 }));
}

/** Open cases now (not closed, withdrawn or merged) per area path given. */
export function openCasesByArea(db: Kysely<DB>, areaPaths: string[]): Promise<Map<string, number>> {
  return coordinationRepo.openByArea(db, areaPaths);
}
