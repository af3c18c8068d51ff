import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import { findJob } from "../../jobs/registry.js";
import { runShiftCheckouts } from "./shift-checkouts.js";
import {
  type DemoGrid,
  demoGrid,
  fromNow,
  newVolunteer,
  planShift,
} from "./volunteers.fixtures.js";

let t: TestApp;
let admin: Session;
let gw: Session;
let officer: Session;
let grid: DemoGrid;

const db = () => t.database.db;
const volunteer = () => newVolunteer(t.app, admin, grid.communityCode);
type V = Awaited<ReturnType<typeof volunteer>>;
const post = (s: Session, url: string, payload?: object) =>
  s.request({ method: "POST", url, ...(payload ? { payload } : {}) });
const get = (s: Session, url: string) => s.request({ method: "GET", url });
const MIN = 60_000;

/**
 * A 60-minute shift starting in 20 minutes; the volunteers sign up and those
 * in `checkIn` check in now. Then the whole shift is moved a day back, as if
 * it had happened yesterday and been forgotten.
 */
async function pastShift(signUp: V[], checkIn: V[], checkOut: V[] = []) {
  const shift = await planShift(gw, {
    areaCode: grid.gridCode,
    startsAt: fromNow(20),
    endsAt: fromNow(80),
  });
  for (const v of signUp)
    expect((await post(v, `/api/shifts/${shift.id}/sign-up`)).statusCode).toBe(201);
  for (const v of checkIn) {
    const r = await post(v, `/api/shifts/${shift.id}/check-in`, grid.inside);
    expect(r.statusCode, r.body).toBe(200);
  }
  for (const v of checkOut) {
    const r = await post(v, `/api/shifts/${shift.id}/check-out`, grid.inside);
    expect(r.statusCode, r.body).toBe(200);
  }
  await sql`UPDATE shifts SET starts_at = starts_at - interval '1 day', ends_at = ends_at - interval '1 day'
    WHERE id = ${shift.id}::bigint`.execute(db());
  await sql`UPDATE shift_signups SET checked_in_at = checked_in_at - interval '1 day',
    checked_out_at = checked_out_at - interval '1 day' WHERE shift_id = ${shift.id}::bigint`.execute(
    db(),
  );
  const s = await db()
    .selectFrom("shifts")
    .select(["starts_at", "ends_at"])
    .where("id", "=", shift.id)
    .executeTakeFirstOrThrow();
  return { id: shift.id, startsAt: new Date(s.starts_at), endsAt: new Date(s.ends_at) };
}

async function signupOf(shiftId: string, v: V) {
  return db()
    .selectFrom("shift_signups")
    .selectAll()
    .where("shift_id", "=", shiftId)
    .where("volunteer_id", "=", v.volunteerId)
    .executeTakeFirstOrThrow();
}

async function counts(signupId: string, userId: string) {
  const [a, n] = await Promise.all([
    db()
      .selectFrom("shift_signup_actions")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("signup_id", "=", signupId)
      .executeTakeFirstOrThrow(),
    db()
      .selectFrom("notifications")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("user_id", "=", userId)
      .where("kind", "=", "shift.auto_checkout")
      .executeTakeFirstOrThrow(),
  ]);
  return { actions: Number(a.n), notifications: Number(n.n) };
}

beforeAll(async () => {
  t = await createTestApp();
  [admin, gw, officer] = await Promise.all([
    login(t.app, "admin"),
    login(t.app, "gridworker"),
    login(t.app, "officer"),
  ]);
  grid = await demoGrid(gw);
});
afterAll(() => t.close());

describe("the shift-checkouts job", () => {
  it("is registered with the other jobs", () => {
    expect(findJob("shift-checkouts")?.description).toContain("2 hours");
  });

  it("has, in the seed, a forgotten check-out waiting in the grid worker's queue", async () => {
    const queue = (await get(gw, "/api/shifts/hours?limit=200")).json();
    const auto = queue.items.filter((e: { checkoutSource: string }) => e.checkoutSource === "auto");
    expect(auto.length).toBeGreaterThanOrEqual(1);
    expect(auto[0]).toMatchObject({ hoursStatus: "pending", status: "checked_out" });
    const history = (await get(gw, `/api/shifts/hours/${auto[0].id}/history`)).json();
    expect(history.items.map((x: { action: string }) => x.action)).toEqual([
      "sign_up",
      "check_in",
      "auto_check_out",
    ]);
  });

  it("closes a forgotten check-in 2 hours after the end, at the end, once; leaves the rest alone", async () => {
    const [forgot, done, absent] = await Promise.all([volunteer(), volunteer(), volunteer()]);
    const s = await pastShift([forgot, done, absent], [forgot, done], [done]);
    const before = await signupOf(s.id, done);

    const early = await runShiftCheckouts(db(), new Date(s.endsAt.getTime() + 119 * MIN));
    expect((await signupOf(s.id, forgot)).status).toBe("checked_in");
    expect(early.closed).toBe(0);

    const at = new Date(s.endsAt.getTime() + 120 * MIN);
    const first = await runShiftCheckouts(db(), at);
    expect(first.closed).toBeGreaterThanOrEqual(1);
    const g = await signupOf(s.id, forgot);
    expect(g).toMatchObject({
      status: "checked_out",
      checkout_source: "auto",
      hours_status: "pending",
      minutes: 60,
    });
    expect(new Date(g.checked_out_at as Date).getTime()).toBe(s.endsAt.getTime());
    const after1 = await counts(g.id, forgot.userId);
    expect(after1.notifications).toBe(1);
    const note = await db()
      .selectFrom("notifications")
      .selectAll()
      .where("user_id", "=", forgot.userId)
      .where("kind", "=", "shift.auto_checkout")
      .executeTakeFirstOrThrow();
    expect(note.link).toBe(`/shifts/${s.id}`);
    expect(note.title).toContain("未签退");

    // Twice (and twice at once): the same result.
    const again = await Promise.all([runShiftCheckouts(db(), at), runShiftCheckouts(db(), at)]);
    expect(again.map((r) => r.closed)).toEqual([0, 0]);
    expect(await signupOf(s.id, forgot)).toEqual(g);
    expect(await counts(g.id, forgot.userId)).toEqual(after1);

    // The one who checked out, and the one who never came, are untouched.
    expect(await signupOf(s.id, done)).toEqual(before);
    expect(before.checkout_source).toBe("volunteer");
    expect((await signupOf(s.id, absent)).status).toBe("signed_up");

    const history = (await get(forgot, `/api/shifts/hours/${g.id}/history`)).json();
    expect(history.items.at(-1)).toMatchObject({
      action: "auto_check_out",
      actor: null,
      newMinutes: 60,
      newCheckedOutAt: s.endsAt.toISOString(),
    });
    const audit = await db()
      .selectFrom("audit_log")
      .select(["action", "actor_label"])
      .where("action", "=", "shift.auto_checked_out")
      .execute();
    expect(audit.length).toBeGreaterThanOrEqual(1);

    // The volunteer is told it was closed automatically, and cannot check out any more.
    const mine = (await get(forgot, `/api/shifts/${s.id}`)).json();
    expect(mine.mySignup).toMatchObject({ status: "checked_out", checkoutSource: "auto" });
    const late = await post(forgot, `/api/shifts/${s.id}/check-out`, grid.inside);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toContain("自动签退");
  });
});

describe("the verifier and an auto-closed attendance", () => {
  let s: Awaited<ReturnType<typeof pastShift>>;
  let forgot: V;
  let done: V;
  let id = "";

  beforeAll(async () => {
    [forgot, done] = await Promise.all([volunteer(), volunteer()]);
    s = await pastShift([forgot, done], [forgot, done], [done]);
    await runShiftCheckouts(db(), new Date(s.endsAt.getTime() + 121 * MIN));
    id = (await signupOf(s.id, forgot)).id;
  });

  const setTime = (who: Session, entry: string, body: object) =>
    post(who, `/api/shifts/hours/${entry}/check-out-time`, body);

  it("shows the flag in the queue and refuses to verify before the time is set", async () => {
    const queue = (await get(gw, "/api/shifts/hours?limit=200")).json();
    const entry = queue.items.find((e: { id: string }) => e.id === id);
    expect(entry).toMatchObject({
      checkoutSource: "auto",
      hoursStatus: "pending",
      canVerify: true,
    });
    const verify = await post(gw, "/api/shifts/hours/verify", { signupIds: [id] });
    expect(verify.statusCode).toBe(409);
    expect(verify.json().error.message).toContain("补录");
    expect((await signupOf(s.id, forgot)).hours_status).toBe("pending");
  });

  it("refuses a time outside check-in … end + 2 h, bad input, and callers who may not decide", async () => {
    const g = await signupOf(s.id, forgot);
    const checkedIn = new Date(g.checked_in_at as Date);
    const reason = "志愿者电话确认实际离开时间";
    const cases: [object, string][] = [
      [{ checkedOutAt: new Date(checkedIn.getTime() - MIN).toISOString(), reason }, "之间"],
      [{ checkedOutAt: new Date(s.endsAt.getTime() + 121 * MIN).toISOString(), reason }, "之间"],
      [{ checkedOutAt: "昨天晚上", reason }, "签退时间格式"],
      [{ checkedOutAt: s.endsAt.toISOString() }, ""],
      [{ checkedOutAt: s.endsAt.toISOString(), reason: " " }, "补录理由"],
    ];
    for (const [body, words] of cases) {
      const r = await setTime(gw, id, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.body).toContain(words);
    }
    const ok = { checkedOutAt: s.endsAt.toISOString(), reason };
    expect(
      (
        await t.app.inject({
          method: "POST",
          url: `/api/shifts/hours/${id}/check-out-time`,
          payload: ok,
        })
      ).statusCode,
    ).toBe(401);
    expect((await setTime(forgot, id, ok)).statusCode, "own hours").toBe(403);
    expect((await setTime(officer, id, ok)).statusCode, "out of scope").toBe(404);
    expect((await setTime(gw, "99999999", ok)).statusCode).toBe(404);
    // A volunteer's own check-out is corrected by minutes, not by time.
    const doneId = (await signupOf(s.id, done)).id;
    const own = await setTime(gw, doneId, ok);
    expect(own.statusCode).toBe(409);
    expect(own.json().error.message).toContain("更正时长");
    // Nothing changed.
    expect(await signupOf(s.id, forgot)).toEqual(g);
  });

  it("sets the real time (logged like a correction), then verifies as usual", async () => {
    const g = await signupOf(s.id, forgot);
    const real = new Date(s.endsAt.getTime() - 15 * MIN);
    const r = await setTime(gw, id, {
      checkedOutAt: real.toISOString(),
      reason: "志愿者提前 15 分钟离开，电话确认",
      version: g.version,
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({
      checkoutSource: "verifier",
      checkedOutAt: real.toISOString(),
      minutes: 45,
      hoursStatus: "pending",
    });
    // A stale version is refused.
    const stale = await setTime(gw, id, {
      checkedOutAt: real.toISOString(),
      reason: "再改一次",
      version: g.version,
    });
    expect(stale.statusCode).toBe(409);

    const history = (await get(forgot, `/api/shifts/hours/${id}/history`)).json();
    expect(history.items.at(-1)).toMatchObject({
      action: "set_check_out",
      oldMinutes: 60,
      newMinutes: 45,
      oldCheckedOutAt: s.endsAt.toISOString(),
      newCheckedOutAt: real.toISOString(),
      reason: "志愿者提前 15 分钟离开，电话确认",
    });
    expect(history.items.at(-1).actor).toBeTruthy();
    const audit = await db()
      .selectFrom("audit_log")
      .select(["details"])
      .where("action", "=", "hours.checkout_set")
      .where("subject_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ to: real.toISOString() });

    const verify = await post(gw, "/api/shifts/hours/verify", { signupIds: [id] });
    expect(verify.statusCode, verify.body).toBe(200);
    expect((await signupOf(s.id, forgot)).hours_status).toBe("verified");
    const mine = (await get(forgot, `/api/shifts/${s.id}`)).json();
    expect(mine.mySignup).toMatchObject({ checkoutSource: "verifier", hoursStatus: "verified" });
    // Decided hours keep their time.
    const afterVerify = await setTime(gw, id, {
      checkedOutAt: s.endsAt.toISOString(),
      reason: "再改一次",
    });
    expect(afterVerify.statusCode).toBe(409);
  });
});
