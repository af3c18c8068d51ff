import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";

let t: TestApp;
let coord: Session;
let resident: Session;
let gw: Session;
let residentUserId: string;
let community: { code: string; path: string };
let otherUserId: string;

/** A verified patrol of `minutes` for the account, `daysAgo` days back. */
async function verifiedPatrol(
  userId: string,
  minutes: number,
  daysAgo: number,
  verifiedBy: string,
) {
  const db = t.database.db;
  let v = await db
    .selectFrom("volunteers")
    .select("id")
    .where("user_id", "=", userId)
    .executeTakeFirst();
  v ??= await db
    .insertInto("volunteers")
    .values({ user_id: userId, area_path: community.path })
    .returning("id")
    .executeTakeFirstOrThrow();
  const grid = await db
    .selectFrom("areas")
    .select(["id", "path"])
    .where("level", "=", "grid")
    .where("path", "like", `${community.path}%`)
    .executeTakeFirstOrThrow();
  const starts = new Date(Date.now() - daysAgo * 86_400_000 - 10 * 3_600_000);
  const shift = await db
    .insertInto("shifts")
    .values({
      kind: "patrol",
      title: "夜间治安巡逻",
      area_id: grid.id,
      area_path: grid.path,
      starts_at: starts,
      ends_at: new Date(starts.getTime() + 4 * 3_600_000),
      capacity: 5,
      created_by: verifiedBy,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return db
    .insertInto("shift_signups")
    .values({
      shift_id: shift.id,
      volunteer_id: v.id,
      status: "checked_out",
      checked_in_at: starts,
      checked_out_at: new Date(starts.getTime() + minutes * 60_000),
      minutes,
      hours_status: "verified",
      verified_by: verifiedBy,
      verified_at: new Date(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

beforeAll(async () => {
  t = await createTestApp();
  [coord, resident, gw] = await Promise.all([
    login(t.app, "coordinator"),
    login(t.app, "resident"),
    login(t.app, "gridworker"),
  ]);
  const me = (await resident.request({ method: "GET", url: "/api/auth/me" })).json();
  residentUserId = me.user.id;
  const gwMe = (await gw.request({ method: "GET", url: "/api/auth/me" })).json();
  const grid = await t.database.db
    .selectFrom("areas")
    .select("path")
    .where("code", "=", gwMe.grants[0].scope.code)
    .executeTakeFirstOrThrow();
  const c = await t.database.db
    .selectFrom("areas")
    .select(["code", "path"])
    .where("level", "=", "community")
    .where(sql<boolean>`${grid.path} LIKE path || '%'`)
    .executeTakeFirstOrThrow();
  community = c;
  const coordId = (await coord.request({ method: "GET", url: "/api/auth/me" })).json().user.id;
  // The resident patrols in the grid worker's community: 2 h, verified by the grid worker's colleague.
  await verifiedPatrol(residentUserId, 120, 3, coordId);
  const other = await t.database.db
    .insertInto("users")
    .values({ username: "points_other", password_hash: "x", display_name: "李四" })
    .returning("id")
    .executeTakeFirstOrThrow();
  otherUserId = other.id;
  await verifiedPatrol(otherUserId, 90, 2, coordId);
  // Self-verified work pays nothing.
  await verifiedPatrol(otherUserId, 60, 1, otherUserId);
  const r = await coord.request({ method: "POST", url: "/api/points/reconcile" });
  expect(r.statusCode).toBe(403); // admins only
  const admin = await login(t.app, "admin");
  const run = await admin.request({ method: "POST", url: "/api/points/reconcile" });
  expect(run.statusCode, run.body).toBe(200);
});
afterAll(() => t.close());

describe("points statements", () => {
  it("needs a session", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/points" })).statusCode).toBe(401);
    expect((await t.app.inject({ method: "GET", url: "/api/participation/me" })).statusCode).toBe(
      401,
    );
  });

  it("shows a volunteer their balance and entries, with what earned them", async () => {
    const r = await resident.request({ method: "GET", url: "/api/points" });
    expect(r.statusCode, r.body).toBe(200);
    const s = r.json();
    expect(s.user.id).toBe(residentUserId);
    const patrol = s.items.find(
      (e: { rule: string; source: string }) =>
        e.rule === "verified_hours" && e.source?.includes("夜间治安巡逻"),
    );
    expect(patrol).toMatchObject({ amount: 20, uncapped: 20, cappedBy: null });
    expect(s.balance).toBe(s.items.reduce((n: number, e: { amount: number }) => n + e.amount, 0));
    expect(s.canCorrect).toBe(false);
  });

  it("lets staff in the area read a person's statement; others get 404", async () => {
    const staff = await gw.request({ method: "GET", url: `/api/points?userId=${residentUserId}` });
    expect(staff.statusCode, staff.body).toBe(200);
    const other = await resident.request({
      method: "GET",
      url: `/api/points?userId=${otherUserId}`,
    });
    expect(other.statusCode).toBe(404);
    const bad = await coord.request({ method: "GET", url: "/api/points?userId=abc" });
    expect(bad.statusCode).toBe(400);
  });

  it("pays nothing for work one verified oneself", async () => {
    const rows = await t.database.db
      .selectFrom("points_ledger")
      .select(["amount", "rule"])
      .where("user_id", "=", otherUserId)
      .execute();
    expect(rows).toEqual([{ amount: 15, rule: "verified_hours" }]);
  });

  it("exports the statement as XLSX", async () => {
    const r = await resident.request({ method: "GET", url: "/api/points/statement.xlsx" });
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toContain("spreadsheetml");
    expect(r.rawPayload.subarray(0, 2).toString()).toBe("PK");
  });
});

describe("corrections", () => {
  it("are for coordinators, on others, by a new entry that keeps the balance in step", async () => {
    const entry = await t.database.db
      .selectFrom("points_ledger")
      .select("id")
      .where("user_id", "=", residentUserId)
      .where("rule", "=", "verified_hours")
      .executeTakeFirstOrThrow();
    const byResident = await resident.request({
      method: "POST",
      url: "/api/points/corrections",
      payload: { entryId: entry.id, amount: -5, reason: "重复登记" },
    });
    expect(byResident.statusCode).toBe(403);
    for (const payload of [
      { entryId: entry.id, amount: 0, reason: "无" },
      { entryId: entry.id, amount: -5 },
      { entryId: entry.id, amount: 1.5, reason: "半分" },
    ]) {
      const r = await coord.request({ method: "POST", url: "/api/points/corrections", payload });
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
    }
    const tooMuch = await coord.request({
      method: "POST",
      url: "/api/points/corrections",
      payload: { entryId: entry.id, amount: -500, reason: "全部扣回" },
    });
    expect(tooMuch.statusCode).toBe(400);
    const ok = await coord.request({
      method: "POST",
      url: "/api/points/corrections",
      payload: { entryId: entry.id, amount: -5, reason: "签退晚登记了半小时" },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const s = (await resident.request({ method: "GET", url: "/api/points" })).json();
    const corr = s.items.find((e: { rule: string }) => e.rule === "correction");
    expect(corr).toMatchObject({ amount: -5, correctsId: entry.id, note: "签退晚登记了半小时" });
    const sum = await sql<{
      n: number;
    }>`SELECT sum(amount)::int AS n FROM points_ledger WHERE user_id = ${residentUserId}`.execute(
      t.database.db,
    );
    expect(s.balance).toBe(sum.rows[0]?.n);
    // A later reconciliation keeps the coordinator's correction.
    const admin = await login(t.app, "admin");
    await admin.request({ method: "POST", url: "/api/points/reconcile" });
    expect((await resident.request({ method: "GET", url: "/api/points" })).json().balance).toBe(
      s.balance,
    );
  });
});

describe("leaderboard", () => {
  it("lists only people who opted in", async () => {
    const url = `/api/points/leaderboard?community=${community.code}`;
    expect((await resident.request({ method: "GET", url })).json().items).toEqual([]);
    const opt = await resident.request({
      method: "PUT",
      url: "/api/points/leaderboard",
      payload: { optIn: true },
    });
    expect(opt.statusCode).toBe(200);
    const board = (await resident.request({ method: "GET", url })).json();
    expect(board.items).toHaveLength(1);
    expect(board.items[0]).toMatchObject({ rank: 1, me: true });
    expect(
      (await resident.request({ method: "GET", url: "/api/points/leaderboard?community=x" }))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await resident.request({
          method: "PUT",
          url: "/api/points/leaderboard",
          payload: { optIn: "yes" },
        })
      ).statusCode,
    ).toBe(400);
  });
});

describe("participation depth", () => {
  it("places each person on the ladder and sums a community up for staff", async () => {
    const me = (await resident.request({ method: "GET", url: "/api/participation/me" })).json();
    expect(me.rung).not.toBeNull();
    expect(me.rungs.verifier).not.toBeNull();
    expect(me.superficial).toBe(false);

    const summary = await gw.request({
      method: "GET",
      url: `/api/participation/summary?community=${community.code}`,
    });
    expect(summary.statusCode, summary.body).toBe(200);
    const s = summary.json();
    const sum = Object.values(s.distribution as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(sum).toBe(s.people);
    expect(s.progression).toHaveLength(12);
    expect(s.retention.months).toHaveLength(3);
    if (s.volunteers > 0)
      expect(s.superficialShare).toBeCloseTo(s.superficialVolunteers / s.volunteers);

    const people = (
      await gw.request({
        method: "GET",
        url: `/api/participation?community=${community.code}&rung=${me.rung}`,
      })
    ).json();
    expect(people.items.every((p: { rung: string }) => p.rung === me.rung)).toBe(true);
    expect(people.items.some((p: { userId: string }) => p.userId === residentUserId)).toBe(true);
    const verifiers = (
      await gw.request({
        method: "GET",
        url: `/api/participation?community=${community.code}&rung=verifier`,
      })
    ).json();
    expect(verifiers.items.every((p: { rung: string }) => p.rung === "verifier")).toBe(true);

    expect(
      (
        await resident.request({
          method: "GET",
          url: `/api/participation/summary?community=${community.code}`,
        })
      ).statusCode,
    ).toBe(404);
  });
});

describe("participation depth of an organisation's volunteers", () => {
  /** The association's volunteers (members now of its active teams), from the tables. */
  async function teamVolunteers(organisationId: string) {
    const r = await sql<{ user_id: string }>`
      SELECT DISTINCT v.user_id::text FROM teams tm_t
      JOIN team_members tm ON tm.team_id = tm_t.id AND tm.left_at IS NULL
      JOIN volunteers v ON v.id = tm.volunteer_id
      WHERE tm_t.organisation_id = ${organisationId} AND tm_t.active`.execute(t.database.db);
    return new Set(r.rows.map((x) => x.user_id));
  }

  it("shows an association the depth of the volunteers in its teams, and no one else's", async () => {
    const assoc = await login(t.app, "association");
    const me = (await assoc.request({ method: "GET", url: "/api/auth/me" })).json();
    const orgId: string = me.grants[0].scope.id;
    const members = await teamVolunteers(orgId);
    expect(members.size).toBeGreaterThan(0);

    const summary = await assoc.request({
      method: "GET",
      url: `/api/participation/summary?organisationId=${orgId}`,
    });
    expect(summary.statusCode, summary.body).toBe(200);
    const s = summary.json();
    expect(s.community).toBeNull();
    expect(s.organisation.id).toBe(orgId);
    expect(s.volunteers).toBe(members.size);
    const sum = Object.values(s.distribution as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(sum).toBe(s.people);

    const list = await assoc.request({
      method: "GET",
      url: `/api/participation?organisationId=${orgId}&limit=200`,
    });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().total).toBe(s.people);
    for (const p of list.json().items as { userId: string }[])
      expect(members.has(p.userId)).toBe(true);

    // Staff over the organisation's place see it too; a resident does not.
    expect(
      (
        await coord.request({
          method: "GET",
          url: `/api/participation/summary?organisationId=${orgId}`,
        })
      ).json().volunteers,
    ).toBe(members.size);
    expect(
      (
        await resident.request({
          method: "GET",
          url: `/api/participation/summary?organisationId=${orgId}`,
        })
      ).statusCode,
    ).toBe(404);

    // Another organisation's volunteers: as if it did not exist.
    const other = await t.database.db
      .selectFrom("organisations")
      .select("id")
      .where("id", "!=", orgId)
      .orderBy("id")
      .executeTakeFirstOrThrow();
    expect(
      (
        await assoc.request({
          method: "GET",
          url: `/api/participation?organisationId=${other.id}`,
        })
      ).statusCode,
    ).toBe(404);
    // A community is the grid workers' and coordinators' to read.
    expect(
      (
        await assoc.request({
          method: "GET",
          url: `/api/participation/summary?community=${community.code}`,
        })
      ).statusCode,
    ).toBe(404);
  });

  it("asks for a community or an organisation, not both and not neither", async () => {
    for (const q of ["", `?community=${community.code}&organisationId=1`, "?organisationId=abc"]) {
      const r = await coord.request({ method: "GET", url: `/api/participation/summary${q}` });
      expect(r.statusCode, q).toBe(400);
    }
    const r = await coord.request({ method: "GET", url: "/api/participation" });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain("二者选一");
  });
});

describe("points follow the verification of hours", () => {
  it("pays at once when a grid worker verifies, and takes back on a correction", async () => {
    const queue = (await gw.request({ method: "GET", url: "/api/shifts/hours?limit=50" })).json();
    // Not one the system checked out (those wait for the real check-out time).
    const entry = (
      queue.items as { id: string; minutes: number | null; checkoutSource: string | null }[]
    ).find((e) => (e.minutes ?? 0) >= 60 && e.checkoutSource !== "auto");
    expect(entry, "a pending entry of an hour or more in the grid worker's queue").toBeTruthy();
    const e = entry as { id: string; minutes: number };
    const owner = await t.database.db
      .selectFrom("shift_signups as s")
      .innerJoin("volunteers as v", "v.id", "s.volunteer_id")
      .select("v.user_id")
      .where("s.id", "=", e.id)
      .executeTakeFirstOrThrow();
    const ledger = () =>
      t.database.db
        .selectFrom("points_ledger")
        .select(["amount", "rule", "corrects_id"])
        .where("source_type", "=", "shift_signup")
        .where("source_id", "=", e.id)
        .orderBy("id")
        .execute();
    expect(await ledger()).toEqual([]);
    const v = await gw.request({
      method: "POST",
      url: "/api/shifts/hours/verify",
      payload: { signupIds: [e.id] },
    });
    expect(v.statusCode, v.body).toBe(200);
    const [award] = await ledger();
    expect(award?.rule).toBe("verified_hours");
    expect(award?.amount).toBeGreaterThan(0);

    const corrected = await gw.request({
      method: "POST",
      url: `/api/shifts/hours/${e.id}/correct`,
      payload: { minutes: 10, reason: "提前离开，按实际时长更正" },
    });
    expect(corrected.statusCode, corrected.body).toBe(200);
    const after = await ledger();
    expect(after).toHaveLength(2);
    expect(after[1]).toMatchObject({ rule: "correction", amount: -(award?.amount ?? 0) });
    const balance = await t.database.db
      .selectFrom("points_balances")
      .select("balance")
      .where("user_id", "=", owner.user_id)
      .executeTakeFirstOrThrow();
    const sum = await sql<{
      n: number;
    }>`SELECT coalesce(sum(amount), 0)::int AS n FROM points_ledger WHERE user_id = ${owner.user_id}`.execute(
      t.database.db,
    );
    expect(balance.balance).toBe(sum.rows[0]?.n);
  });
});
