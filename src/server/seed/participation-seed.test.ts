/**
 * The seeded participation (issue 7) is realistically uneven, as the demo
 * district must show: many volunteers only signed up or checked in, a few
 * went deep (mediators, deliberators, co-deciders); teams have leaders;
 * shifts spread over a year; the points ledger sums to the balances;
 * proposals carry supports, answers and milestones. Reads the small seeded
 * test template (no seeding of its own), so it stays fast.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../test/test-database.js";
import type { Rung } from "../../shared/schemas/points.js";
import type { Database } from "../db/database.js";
import { highestRung } from "../modules/points/participation-ladder.js";
import { participationFacts } from "../modules/points/points.repository.js";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase("seeded");
});
afterAll(() => database.close());

const count = async (query: ReturnType<typeof sql<{ n: number }>>) =>
  (await query.execute(database.db)).rows[0]?.n ?? -1;

describe("the seeded participation (small scale)", () => {
  it("has many shallow volunteers and a few deep ones on the ladder", async () => {
    const district = await database.db
      .selectFrom("areas")
      .select("path")
      .where("level", "=", "district")
      .executeTakeFirstOrThrow();
    const volunteers = new Set(
      (await database.db.selectFrom("volunteers").select("user_id").execute()).map((v) =>
        String(v.user_id),
      ),
    );
    expect(volunteers.size).toBeGreaterThanOrEqual(150);
    const facts = await participationFacts(
      database.db,
      { communityPath: district.path },
      new Date(Date.now() - 92 * 86_400_000),
    );
    const rungs = new Map<Rung | "none", number>();
    for (const f of facts) {
      if (!volunteers.has(f.user_id)) continue;
      const top = highestRung({
        signedUp: f.signed_up,
        reported: f.reported,
        verifiedWork: f.verified_work,
        caseParty: f.case_party,
        tipResolved: f.tip_resolved,
        mediationClosed: f.mediation_closed,
        proposedOrSupported: f.proposed_or_supported,
        proposalAdopted: f.proposal_adopted,
      });
      const key = top?.rung ?? "none";
      rungs.set(key, (rungs.get(key) ?? 0) + 1);
    }
    const n = (...keys: (Rung | "none")[]) => keys.reduce((s, k) => s + (rungs.get(k) ?? 0), 0);
    const all = n(
      "none",
      "informed",
      "reporter",
      "verifier",
      "co_handler",
      "mediator",
      "deliberator",
      "co_decider",
    );
    expect(all).toBe(volunteers.size);
    // Shallow: nothing verified, no part in a case or a proposal.
    const shallow = n("none", "informed", "reporter");
    const deep = n("mediator", "deliberator", "co_decider");
    expect(shallow / all, JSON.stringify([...rungs])).toBeGreaterThan(0.3);
    expect(deep, JSON.stringify([...rungs])).toBeGreaterThan(0);
    expect(deep / all, JSON.stringify([...rungs])).toBeLessThan(0.25);
    expect(deep).toBeLessThan(shallow);
    // The middle is there too: verified patrols.
    expect(n("verifier")).toBeGreaterThan(0);
    // Each rung the ladder reaches at the top is reached by someone.
    expect(n("mediator") + n("co_decider")).toBeGreaterThan(0);
  });

  it("concentrates attendance in a few: a third never come, the busiest tenth do much of the work", async () => {
    const rows = (
      await sql<{ attended: number }>`
        SELECT count(g.id) FILTER (WHERE g.checked_in_at IS NOT NULL)::int AS attended
        FROM volunteers v LEFT JOIN shift_signups g ON g.volunteer_id = v.id
        GROUP BY v.id ORDER BY 1 DESC`.execute(database.db)
    ).rows.map((r) => r.attended);
    const total = rows.reduce((s, x) => s + x, 0);
    expect(total).toBeGreaterThan(0);
    const top = rows.slice(0, Math.ceil(rows.length / 10)).reduce((s, x) => s + x, 0);
    expect(top / total).toBeGreaterThan(0.25);
    const never = rows.filter((x) => x === 0).length;
    expect(never / rows.length).toBeGreaterThan(0.2);
  });

  it("gives every team a leader who is one of its members", async () => {
    const teams = await count(sql`SELECT count(*)::int AS n FROM teams WHERE active`);
    expect(teams).toBeGreaterThanOrEqual(8);
    const leaderless = await count(sql`SELECT count(*)::int AS n FROM teams t WHERE t.active
      AND NOT EXISTS (SELECT 1 FROM team_members m
        WHERE m.team_id = t.id AND m.role = 'leader' AND m.left_at IS NULL)`);
    expect(leaderless).toBe(0);
    const kinds = await sql<{ kind: string }>`SELECT DISTINCT kind FROM teams`.execute(database.db);
    expect(kinds.rows.map((k) => k.kind).sort()).toEqual([
      "association",
      "community",
      "enterprise",
    ]);
  });

  it("spreads shifts over a year, with hours verified by someone other than the volunteer", async () => {
    const span = (
      await sql<{ months: number; days: number; upcoming: number }>`SELECT
        count(DISTINCT date_trunc('month', starts_at))::int AS months,
        extract(day FROM max(starts_at) - min(starts_at))::int AS days,
        count(*) FILTER (WHERE starts_at > now())::int AS upcoming
        FROM shifts`.execute(database.db)
    ).rows[0];
    expect(span?.months).toBeGreaterThanOrEqual(11);
    expect(span?.days).toBeGreaterThanOrEqual(300);
    expect(span?.upcoming).toBeGreaterThan(0);
    const own = await count(sql`SELECT count(*)::int AS n FROM shift_signups g
      JOIN volunteers v ON v.id = g.volunteer_id
      WHERE g.hours_status IN ('verified', 'rejected') AND g.verified_by = v.user_id`);
    expect(own).toBe(0);
    const statuses = await sql<{ hours_status: string; n: number }>`
      SELECT hours_status, count(*)::int AS n FROM shift_signups
      WHERE hours_status IS NOT NULL GROUP BY 1`.execute(database.db);
    const by = Object.fromEntries(statuses.rows.map((r) => [r.hours_status, r.n]));
    expect(by.verified).toBeGreaterThan(by.pending ?? 0);
    expect(by.pending).toBeGreaterThan(0);
    expect(by.rejected).toBeGreaterThan(0);
  });

  it("keeps the points balances equal to the ledger's sums", async () => {
    const entries = await count(sql`SELECT count(*)::int AS n FROM points_ledger`);
    expect(entries).toBeGreaterThan(100);
    const mismatched = await count(sql`SELECT count(*)::int AS n FROM (
      SELECT coalesce(l.user_id, b.user_id) AS user_id
      FROM (SELECT user_id, sum(amount)::int AS total, count(*)::int AS entries
            FROM points_ledger GROUP BY user_id) l
      FULL JOIN points_balances b ON b.user_id = l.user_id
      WHERE l.user_id IS NULL OR b.user_id IS NULL
         OR b.balance <> l.total OR b.entries <> l.entries) x`);
    expect(mismatched).toBe(0);
  });

  it("has proposals with supporters, answers with reasons, and milestones", async () => {
    const p = (
      await sql<{
        proposals: number;
        supported: number;
        answered: number;
        unreasoned: number;
        with_milestones: number;
        done: number;
      }>`SELECT
        count(*)::int AS proposals,
        count(*) FILTER (WHERE EXISTS (SELECT 1 FROM proposal_supports s WHERE s.proposal_id = p.id))::int AS supported,
        count(*) FILTER (WHERE p.answer IS NOT NULL)::int AS answered,
        count(*) FILTER (WHERE p.answer IS NOT NULL AND coalesce(length(p.answer_reason), 0) < 5)::int AS unreasoned,
        count(*) FILTER (WHERE EXISTS (SELECT 1 FROM proposal_milestones m WHERE m.proposal_id = p.id))::int AS with_milestones,
        count(*) FILTER (WHERE p.status = 'done')::int AS done
        FROM proposals p`.execute(database.db)
    ).rows[0];
    expect(p?.proposals).toBeGreaterThanOrEqual(10);
    expect(p?.supported).toBeGreaterThan((p?.proposals ?? 0) / 2);
    expect(p?.answered).toBeGreaterThan(0);
    expect(p?.unreasoned).toBe(0);
    expect(p?.with_milestones).toBeGreaterThan(0);
    expect(p?.done).toBeGreaterThan(0);
    // Uneven, like the volunteers: most proposals gather few supporters, a few many.
    const supports = (
      await sql<{ n: number }>`SELECT count(s.user_id)::int AS n FROM proposals p
        LEFT JOIN proposal_supports s ON s.proposal_id = p.id GROUP BY p.id ORDER BY 1`.execute(
        database.db,
      )
    ).rows.map((r) => r.n);
    const median = supports[Math.floor(supports.length / 2)] ?? 0;
    expect(Math.max(...supports)).toBeGreaterThan(median * 2);
  });
});
