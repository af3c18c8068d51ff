/**
 * `gongzhi seed`: the demo district, deterministic for a given seed. Each
 * module owns its part; this runner calls them in dependency order inside one
 * transaction, so a failed seed leaves nothing behind.
 */

import { type Kysely, sql } from "kysely";
import type { FieldCrypto } from "../crypto/field-crypto.js";
import { migrateToLatest } from "../db/migrate.js";
import type { DB } from "../db/schema.js";
import { recordAudit } from "../modules/audit/audit.service.js";
import { type DemoAccount, seedAccounts } from "../modules/auth/accounts.seed.js";
import { seedBroadcasts } from "../modules/broadcasts/broadcasts.seed.js";
import { seedCaseHistory } from "../modules/cases/case-history.seed.js";
import { seedCaseTaxonomy } from "../modules/cases/cases.seed.js";
import {
  pendingRollupActions,
  withRollupsRebuiltAfter,
} from "../modules/coordination/rollups.service.js";
import { seedDepartments } from "../modules/departments/departments.seed.js";
import { seedEnterpriseRisk } from "../modules/enterprise-risk/enterprise-risk.seed.js";
import { seedEnterpriseWorkforce } from "../modules/enterprises/enterprises.seed.js";
import { seedAreas } from "../modules/geo/geo.seed.js";
import { seedGridRisk } from "../modules/grid-risk/grid-risk.seed.js";
import { seedHousing, seedLandlords } from "../modules/housing/housing.seed.js";
import { seedInspections } from "../modules/inspections/inspections.seed.js";
import { seedLiaison } from "../modules/liaison/liaison.seed.js";
import { seedMeetings } from "../modules/meetings/meetings.seed.js";
import { seedOrganisations } from "../modules/organisations/organisations.seed.js";
import { seedPoints } from "../modules/points/points.seed.js";
import { seedProposals } from "../modules/proposals/proposals.seed.js";
import { seedReportSchedules } from "../modules/reports/reports.seed.js";
import { linkDemoResident, seedResidents } from "../modules/residents/residents.seed.js";
import { seedVolunteers } from "../modules/volunteers/volunteers.seed.js";
import { createRandom, createStream } from "./random.js";
import type { Scale, SeedContext } from "./seed-context.js";

export interface SeedOptions {
  scale: Scale;
  seed: number;
  force: boolean;
  demoPassword: string;
  /** The keys the app will read personal numbers with: the seed encrypts with them. */
  fieldCrypto: FieldCrypto;
  log?: (message: string) => void;
  /** The moment the demo district's history ends (default: now). */
  now?: Date;
}

export class SeedRefusedError extends Error {}

/** True when the database holds any data a seed would collide with. */
export async function databaseHasData(db: Kysely<DB>): Promise<boolean> {
  const r = await sql<{ n: number }>`
    SELECT (SELECT count(*) FROM areas)::int + (SELECT count(*) FROM users)::int AS n`.execute(db);
  return (r.rows[0]?.n ?? 0) > 0;
}

/** Empties every table (the audit log's triggers forbid DELETE/TRUNCATE, so
 *  its triggers are bypassed by dropping and re-creating through migrations). */
export async function resetDatabase(db: Kysely<DB>): Promise<void> {
  await sql`DROP SCHEMA public CASCADE`.execute(db);
  await sql`CREATE SCHEMA public`.execute(db);
}

export async function runSeed(
  db: Kysely<DB>,
  opts: SeedOptions,
): Promise<{ accounts: DemoAccount[] }> {
  const log = opts.log ?? (() => {});
  if (await databaseHasData(db)) {
    if (!opts.force) {
      throw new SeedRefusedError(
        "The database already holds data; seeding would mix demo data into it. Use --force to wipe it and seed anew.",
      );
    }
    log("--force: wiping the database");
    await resetDatabase(db);
    await migrateToLatest(db);
  }
  const started = Date.now();
  const random = createRandom(opts.seed);
  const accounts = await db.transaction().execute(async (trx) => {
    const ctx = {
      trx,
      random,
      scale: opts.scale,
      demoPassword: opts.demoPassword,
      fieldCrypto: opts.fieldCrypto,
      log: (m: string) => log(`${m} (${((Date.now() - started) / 1000).toFixed(1)} s)`),
    };
    const areas = await seedAreas(ctx);
    const departments = await seedDepartments(ctx, areas);
    await seedCaseTaxonomy(ctx);
    const orgs = await seedOrganisations(ctx, areas);
    const housing = await seedHousing(ctx, orgs.enterprises);
    const residents = await seedResidents(ctx, housing, orgs.enterprises);
    await seedLandlords(ctx, housing, residents.landlordCandidates);
    const accounts = await seedAccounts(ctx, areas, departments, orgs);
    await linkDemoResident(ctx, residents);
    // The dated parts below draw from streams of their own and share one
    // clock: each reads the hour it stands on, and what one of them draws
    // must not reshape the people and accounts the next one picks.
    const part = (label: string) => ({ ...ctx, random: createStream(opts.seed, label) });
    const now = opts.now ?? new Date();
    // The coordination centre's rollups: the small and medium districts count
    // their case actions in one rebuild at the end (the medium district's
    // 1.44 M actions: 31 s on PGlite, 20-27 s on PostgreSQL, 2026-11-29),
    // so the dashboards are right from the first start; folding them through
    // the queue in batches would take the case-rollups job over ten minutes.
    // The large district leaves them queued for the job, the dashboards
    // saying how many are still to count meanwhile.
    if (opts.scale !== "large")
      await withRollupsRebuiltAfter(trx, () => seedDatedParts(part, now), ctx.log);
    else {
      await seedDatedParts(part, now);
      ctx.log(
        `coordination rollups: ${await pendingRollupActions(trx)} case actions queued for the case-rollups job`,
      );
    }
    // The grid risk index reads the rollups just counted: it comes after them, on
    // the same clock, with its own stream (the small district; larger ones leave
    // it to the grid-risk job once the rollups are counted).
    await seedGridRisk(part("grid-risk"), now);

    await recordAudit(
      trx,
      { actor: null },
      {
        action: "seed.run",
        subjectType: "database",
        details: { scale: opts.scale, seed: opts.seed },
      },
    );
    return accounts;
  });
  // Fresh statistics, or the first queries plan for empty tables. The large
  // district is vacuumed as well: its inboxes need index-only scans, which
  // wait for the visibility map that autovacuum would build only later.
  if (opts.scale === "large") await sql`VACUUM (ANALYZE)`.execute(db);
  else await sql`ANALYZE`.execute(db);
  log(
    `seeded (${opts.scale}, seed ${opts.seed}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return { accounts };
}

/** The parts of the seed that stand on the clock, each with its own random stream. */
async function seedDatedParts(part: (label: string) => SeedContext, now: Date): Promise<void> {
  await seedCaseHistory(part("cases"), now);
  await seedEnterpriseWorkforce(part("enterprises"));
  await seedInspections(part("inspections"), now);
  // After every other enterprise seed: the rating reads inspections, hazards and cases.
  await seedEnterpriseRisk(part("enterprise-risk"), now);
  // Notices and mediation requests last: they read the other enterprise seeds' ratings.
  await seedLiaison(part("liaison"), now);
  // Volunteers, teams, shifts and hours: after the residents, accounts and cases they read.
  await seedVolunteers(part("volunteers"), now);
  // Deliberation after the people, accounts and cases it reads (and volunteers, when seeded).
  await seedProposals(part("proposals"), now);
  // Points last: derived from the verified work every seed above wrote.
  await seedPoints(part("points"));
  // Joint meetings after the cases, proposals and wage warnings their agenda is built from.
  await seedMeetings(part("meetings"), now);
  // Broadcasts after the residents, accounts, employees and volunteers they reach.
  await seedBroadcasts(part("broadcasts"), now);
  await seedReportSchedules(part("reports"));
}
