/**
 * The demo district's grid risk index: the last three weeks, day by day, as
 * the nightly job would have computed them (the signals of a past day read
 * as of its end where the records keep their dates — cases, hazards, wage
 * warnings, patrols — and as now for residents and housing), so the ranking
 * has a trend, the profiles a history, and grids that jumped or turned high
 * have warnings. Quiet: no notifications for the back-filled days.
 *
 * It reads the case rollups, so it runs after they are counted: the small
 * district counts them at the end of the seed; larger ones leave them to the
 * case-rollups job, and their index to the grid-risk job once that is done.
 */
import { todayInChina } from "../../../shared/dates.js";
import { loadConfig } from "../../config.js";
import type { SeedContext } from "../../seed/seed-context.js";
import { pendingRollupActions } from "../coordination/rollups.service.js";
import { addDays, computeDayIn } from "./grid-risk.service.js";

/** Days of history before today. */
const HISTORY_DAYS = 21;

export async function seedGridRisk(ctx: SeedContext, now: Date): Promise<void> {
  const pending = await pendingRollupActions(ctx.trx);
  if (pending > 0) {
    ctx.log(`grid risk: left for the grid-risk job (${pending} case actions still to count)`);
    return;
  }
  const config = { overcrowdingMinM2PerPerson: loadConfig(process.env).overcrowdingMinM2PerPerson };
  const today = todayInChina(now);
  let warnings = 0;
  let grids = 0;
  for (let i = HISTORY_DAYS; i >= 0; i--) {
    const day = addDays(today, -i);
    const asOf =
      i === 0 ? now : new Date(new Date(`${addDays(day, 1)}T00:00:00+08:00`).getTime() - 1);
    const r = await computeDayIn(ctx.trx, { config }, day, asOf, { quiet: true });
    warnings += r.warnings;
    grids = r.computed;
  }
  ctx.log(`grid risk: ${grids} grids scored over ${HISTORY_DAYS + 1} days, ${warnings} warnings`);
}
