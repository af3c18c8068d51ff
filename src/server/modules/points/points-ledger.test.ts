/**
 * The ledger under random sequences of what happens to verified work: hours
 * signed up, verified (sometimes by the volunteer themself), rejected,
 * corrected; reconciliations for one person or everyone; corrections by a
 * coordinator. After every sequence: each balance equals its ledger sum, no
 * source pays more than its rule or less than nothing, no day or month is
 * over its cap, self-verified work pays nothing, a second reconciliation
 * writes nothing, and the database refuses to change or delete an entry.
 */
import fc from "fast-check";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/test-database.js";
import type { Database } from "../../db/database.js";
import type { Actor } from "../access/access.policy.js";
import { correctEntry, reconcilePoints } from "./points.service.js";
import { DAILY_CAP, MONTHLY_CAP, pointsForMinutes } from "./points-rules.js";

let database: Database;
let gridId: string;
let creatorId: string;
let run = 0;

beforeAll(async () => {
  database = await createTestDatabase("seeded");
  const grid = await database.db
    .selectFrom("areas")
    .select("id")
    .where("level", "=", "grid")
    .orderBy("code")
    .executeTakeFirstOrThrow();
  gridId = grid.id;
  const admin = await database.db
    .selectFrom("users")
    .select("id")
    .where("username", "=", "admin")
    .executeTakeFirstOrThrow();
  creatorId = admin.id;
});
afterAll(() => database.close());

type Op =
  | { kind: "signup"; user: number; day: number; minutes: number }
  | { kind: "verify"; signup: number; byUser: number | null }
  | { kind: "reject"; signup: number }
  | { kind: "correct"; signup: number; minutes: number }
  | { kind: "reconcile"; user: number | null }
  | { kind: "manual"; entry: number; amount: number };

const USERS = 3;
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant("signup" as const),
      user: fc.nat(USERS - 1),
      day: fc.nat(40),
      minutes: fc.integer({ min: 0, max: 720 }),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("verify" as const),
      signup: fc.nat(30),
      byUser: fc.option(fc.nat(USERS - 1), { nil: null, freq: 4 }),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant("reject" as const), signup: fc.nat(30) }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant("correct" as const),
      signup: fc.nat(30),
      minutes: fc.integer({ min: 0, max: 720 }),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("reconcile" as const),
      user: fc.option(fc.nat(USERS - 1), { nil: null }),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("manual" as const),
      entry: fc.nat(50),
      amount: fc.integer({ min: -40, max: -1 }),
    }),
    weight: 1,
  },
);

const coordinator = (): Actor => ({
  kind: "user",
  userId: creatorId,
  tokenId: null,
  label: "admin",
  grants: [
    {
      id: "1",
      role: "admin",
      scopeKind: "area",
      scopeId: gridId,
      scopeName: null,
      scopeCode: null,
      scopeLevel: "district",
      areaPath: "/",
    },
  ],
  tokenScopes: [],
});

async function newPeople(n: number) {
  run += 1;
  const users = await database.db
    .insertInto("users")
    .values(
      Array.from({ length: n }, (_, i) => ({
        username: `points_p${run}_${i}`,
        password_hash: "x",
        display_name: `积分测试${run}-${i}`,
      })),
    )
    .returning("id")
    .execute();
  const volunteers = await database.db
    .insertInto("volunteers")
    .values(users.map((u) => ({ user_id: u.id })))
    .returning(["id", "user_id"])
    .execute();
  return volunteers.map((v) => ({ volunteerId: v.id, userId: v.user_id }));
}

async function apply(
  ops: Op[],
  people: { volunteerId: string; userId: string }[],
  signups: { id: string; userId: string }[],
) {
  const base = Date.UTC(2026, 9, 1, 1, 0, 0);
  for (const o of ops) {
    if (o.kind === "signup") {
      const person = people[o.user] as (typeof people)[number];
      const starts = new Date(base + o.day * 86_400_000);
      const [shift] = await database.db
        .insertInto("shifts")
        .values({
          kind: "patrol",
          title: "积分测试巡逻",
          area_id: gridId,
          area_path: "/",
          starts_at: starts,
          ends_at: new Date(starts.getTime() + 12 * 3_600_000),
          capacity: 5,
          created_by: creatorId,
        })
        .returning("id")
        .execute();
      const [s] = await database.db
        .insertInto("shift_signups")
        .values({
          shift_id: shift?.id as string,
          volunteer_id: person.volunteerId,
          status: "checked_out",
          checked_in_at: starts,
          checked_out_at: new Date(starts.getTime() + o.minutes * 60_000),
          minutes: o.minutes,
          hours_status: "pending",
        })
        .returning("id")
        .execute();
      signups.push({ id: s?.id as string, userId: person.userId });
    } else if (o.kind === "verify" || o.kind === "reject" || o.kind === "correct") {
      const s = signups[o.signup % Math.max(1, signups.length)];
      if (!s) continue;
      const set =
        o.kind === "verify"
          ? {
              hours_status: "verified" as const,
              verified_by:
                o.byUser === null
                  ? creatorId
                  : (people[o.byUser] as (typeof people)[number]).userId,
            }
          : o.kind === "reject"
            ? { hours_status: "rejected" as const }
            : { minutes: o.minutes };
      await database.db.updateTable("shift_signups").set(set).where("id", "=", s.id).execute();
    } else if (o.kind === "reconcile") {
      const users = o.user === null ? null : [(people[o.user] as (typeof people)[number]).userId];
      await database.db.transaction().execute((trx) => reconcilePoints(trx, users));
    } else {
      const entries = await database.db
        .selectFrom("points_ledger")
        .select("id")
        .where(
          "user_id",
          "in",
          people.map((p) => p.userId),
        )
        .orderBy("id")
        .execute();
      const e = entries[o.entry % Math.max(1, entries.length)];
      if (!e) continue;
      try {
        await correctEntry(
          { db: database.db },
          coordinator(),
          { entryId: e.id, amount: o.amount, reason: "人工更正" },
          "test",
        );
      } catch (err) {
        // Taking back more than is left of an entry is refused; nothing is written.
        expect(String((err as Error).message)).toContain("扣减不能超过");
      }
    }
  }
}

async function checkInvariants(people: { userId: string }[], reconciled: boolean) {
  const ids = people.map((p) => p.userId);
  const sums = await sql<{ user_id: string; total: number; n: number }>`
    SELECT user_id::text, coalesce(sum(amount), 0)::int AS total, count(*)::int AS n
    FROM points_ledger WHERE user_id IN (${sql.join(ids)}) GROUP BY user_id`.execute(database.db);
  const balances = await database.db
    .selectFrom("points_balances")
    .selectAll()
    .where("user_id", "in", ids)
    .execute();
  for (const s of sums.rows) {
    const b = balances.find((x) => x.user_id === s.user_id);
    expect(b?.balance, `balance of ${s.user_id}`).toBe(s.total);
    expect(b?.entries).toBe(s.n);
  }
  expect(balances.length).toBe(sums.rows.length);

  // Per source, once reconciled: never below zero, never above what its rule pays now.
  const chains = await sql<{
    source_id: string;
    total: number;
    minutes: number;
    payable: boolean;
  }>`
    SELECT a.source_id::text, (a.amount + coalesce((SELECT sum(c.amount) FROM points_ledger c
        WHERE c.corrects_id = a.id), 0))::int AS total,
      s.minutes, (s.hours_status = 'verified' AND s.verified_by IS DISTINCT FROM v.user_id) AS payable
    FROM points_ledger a JOIN shift_signups s ON s.id = a.source_id
    JOIN volunteers v ON v.id = s.volunteer_id
    WHERE a.rule = 'verified_hours' AND a.user_id IN (${sql.join(ids)})`.execute(database.db);
  for (const c of chains.rows) {
    expect(c.total).toBeGreaterThanOrEqual(0);
    if (reconciled)
      expect(c.total).toBeLessThanOrEqual(c.payable ? pointsForMinutes(c.minutes) : 0);
  }

  // Caps: awards (before any correction) per day and per month.
  const days = await sql<{ total: number }>`
    SELECT sum(amount)::int AS total FROM points_ledger
    WHERE rule <> 'correction' AND user_id IN (${sql.join(ids)}) GROUP BY user_id, occurred_on`.execute(
    database.db,
  );
  for (const d of days.rows) expect(d.total).toBeLessThanOrEqual(DAILY_CAP);
  const months = await sql<{ total: number }>`
    SELECT sum(amount)::int AS total FROM points_ledger
    WHERE rule <> 'correction' AND user_id IN (${sql.join(ids)})
    GROUP BY user_id, date_trunc('month', occurred_on)`.execute(database.db);
  for (const m of months.rows) expect(m.total).toBeLessThanOrEqual(MONTHLY_CAP);
}

describe("the points ledger", () => {
  it("keeps balances equal to ledger sums, within caps, under any sequence of operations", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 30 }), async (ops) => {
        const people = await newPeople(USERS);
        const signups: { id: string; userId: string }[] = [];
        await apply(ops, people, signups);
        await checkInvariants(people, false);
        // Everyone reconciled: every verified source paid, self-verified ones not.
        await database.db.transaction().execute((trx) =>
          reconcilePoints(
            trx,
            people.map((p) => p.userId),
          ),
        );
        await checkInvariants(people, true);
        const again = await database.db.transaction().execute((trx) =>
          reconcilePoints(
            trx,
            people.map((p) => p.userId),
          ),
        );
        expect(again).toBe(0);
      }),
      { numRuns: Number(process.env.POINTS_RUNS ?? 15), seed: 20261129 },
    );
  });

  it("refuses to change, delete or empty the ledger", async () => {
    const [p] = await newPeople(1);
    const person = p as { userId: string };
    await apply(
      [
        { kind: "signup", user: 0, day: 1, minutes: 90 },
        { kind: "verify", signup: 0, byUser: null },
        { kind: "reconcile", user: 0 },
      ],
      [p as { volunteerId: string; userId: string }],
      [],
    );
    const entry = await database.db
      .selectFrom("points_ledger")
      .select(["id", "amount"])
      .where("user_id", "=", person.userId)
      .executeTakeFirstOrThrow();
    expect(entry.amount).toBe(15);
    await expect(
      database.db
        .updateTable("points_ledger")
        .set({ amount: 999 })
        .where("id", "=", entry.id)
        .execute(),
    ).rejects.toThrow(/append-only/);
    await expect(
      database.db.deleteFrom("points_ledger").where("id", "=", entry.id).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE points_ledger CASCADE`.execute(database.db)).rejects.toThrow(
      /append-only/,
    );
  });
});
