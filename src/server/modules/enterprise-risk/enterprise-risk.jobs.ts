/**
 * The two scheduled jobs of the module (listed in jobs/registry.ts):
 * `wage-warnings` (hourly: every enterprise's warning, then the preventive
 * cases of rises) and `enterprise-ratings` (hourly, but each enterprise is
 * rated once a day: the first run after midnight in China does the day's work,
 * later runs find nothing left).
 */
import type { Kysely } from "kysely";
import type { Config } from "../../config.js";
import type { FieldCrypto } from "../../crypto/field-crypto.js";
import type { DB } from "../../db/schema.js";
import { CaseReference } from "../cases/case-reference.js";
import { AreaLocator } from "../geo/areas.service.js";
import { computeRatings, runWageWarnings } from "./enterprise-risk.service.js";

interface Ctx {
  db: Kysely<DB>;
  config: Config;
  fieldCrypto?: FieldCrypto;
}

export async function wageWarningsJob(ctx: Ctx, now: Date): Promise<string> {
  // Preventive cases are sealed with the field keys (their idempotency record).
  if (!ctx.fieldCrypto) return "skipped: no field keys";
  const r = await runWageWarnings(
    {
      db: ctx.db,
      config: ctx.config,
      fieldCrypto: ctx.fieldCrypto,
      locator: new AreaLocator(ctx.db),
      reference: new CaseReference(ctx.db),
    },
    now,
  );
  const summary = `${r.computed} warnings computed, ${r.changed} level changes, ${r.raised} rises; ${r.opened} preventive cases opened, ${r.linked} linked to an open one, ${r.failed} left for the next run`;
  return r.refusals.length ? `${summary} (${r.refusals.slice(0, 3).join("; ")})` : summary;
}

export async function enterpriseRatingsJob(ctx: Ctx, now: Date): Promise<string> {
  const r = await computeRatings({ db: ctx.db }, now);
  return `${r.rated} enterprises rated`;
}
