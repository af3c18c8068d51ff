/**
 * A year of monthly payroll declarations for every seeded enterprise, then the
 * warnings and ratings computed as the jobs would, with a few past points of
 * both so the charts show a trend.
 *
 * Most enterprises pay on time and in full; some pay a month late now and then
 * or file late; about 1% (construction and catering first) run into arrears
 * that build up over the last months, and about 2% show a mild shortfall. The
 * demo `enterprise` account's enterprise has this month's declaration still due.
 * The latest rise into warning or alarm of each enterprise wants its preventive
 * case: the first run of the `wage-warnings` job opens them.
 */
import { sql } from "kysely";
import { periodEnd, periodOf, shiftPeriod } from "../../../shared/schemas/enterprise-risk.js";
import { unnestRows } from "../../db/bulk-insert.js";
import type { SeedContext } from "../../seed/seed-context.js";
import { computeRatingsIn, computeWarningsIn } from "./enterprise-risk.service.js";

const MONTHS = 12;
const DAY = 86_400_000;

/** Average monthly wage per head by industry (yuan). */
const WAGE: Record<string, number> = {
  电子信息: 7_600,
  精密制造: 7_000,
  医疗器械: 8_200,
  物流仓储: 6_400,
  餐饮: 5_100,
  建筑施工: 7_800,
  零售: 5_000,
  物业服务: 4_500,
  平台经济: 6_600,
};

const HEADCOUNT: Record<string, [number, number]> = {
  micro: [3, 9],
  small: [10, 49],
  medium: [50, 299],
  large: [300, 1_800],
};

/** Industries where wage arrears concentrate (subcontracting chains, thin margins). */
const ARREARS_INDUSTRIES = new Set(["建筑施工", "餐饮"]);

interface Row extends Record<string, unknown> {
  organisation_id: string;
  period: string;
  paid_on_time: boolean;
  paid_on: string | null;
  headcount_paid: number;
  amount_due: string;
  amount_paid: string;
  note: string | null;
  declared_by: string | null;
  declared_at: string;
}

/** A China-time day at a given hour, as an ISO instant. */
const at = (day: string, hour: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + (hour - 8) * 3_600_000).toISOString();
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const money = (v: number) => (Math.round(v * 100) / 100).toFixed(2);

export async function seedEnterpriseRisk(ctx: SeedContext, now = new Date()) {
  const { trx, random } = ctx;
  const started = Date.now();
  const enterprises = await trx
    .selectFrom("organisations")
    .select(["id", "industry", "size"])
    .where("kind", "=", "enterprise")
    .orderBy("id")
    .execute();
  if (enterprises.length === 0) return;
  const demo = await trx
    .selectFrom("role_grants as g")
    .innerJoin("users as u", "u.id", "g.user_id")
    .select(["g.organisation_id", "g.user_id"])
    .where("u.username", "=", "enterprise")
    .where("g.role", "=", "enterprise_officer")
    .executeTakeFirst();
  const officers = new Map(
    (
      await trx
        .selectFrom("role_grants")
        .select(["organisation_id", sql<string>`min(user_id)`.as("user_id")])
        .where("role", "=", "enterprise_officer")
        .groupBy("organisation_id")
        .execute()
    ).map((o) => [o.organisation_id as string, o.user_id]),
  );

  const current = periodOf(now);
  const today = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const candidates = enterprises.filter(
    (e) => e.id !== demo?.organisation_id && ARREARS_INDUSTRIES.has(e.industry ?? ""),
  );
  const others = enterprises.filter((e) => e.id !== demo?.organisation_id);
  const arrearsCount = Math.max(2, Math.round(enterprises.length * 0.01));
  const mildCount = Math.max(2, Math.round(enterprises.length * 0.02));
  const arrears = new Set(
    random
      .shuffle([...candidates])
      .concat(random.shuffle([...others]))
      .slice(0, arrearsCount)
      .map((e) => e.id),
  );
  const mild = new Set(
    random
      .shuffle(others.filter((e) => !arrears.has(e.id)))
      .slice(0, mildCount)
      .map((e) => e.id),
  );

  const rows: Row[] = [];
  for (const e of enterprises) {
    const [lo, hi] = HEADCOUNT[e.size ?? "small"] ?? [10, 49];
    let headcount = random.int(lo, hi);
    const wage = (WAGE[e.industry ?? ""] ?? 6_000) * random.float(0.85, 1.2);
    const payDay = random.int(5, 15);
    const lateProne = random.chance(0.15);
    // Arrears start 3–5 months back and deepen each month after.
    const arrearsFrom = arrears.has(e.id) ? random.int(3, 5) : -1;
    const mildMonths = mild.has(e.id) ? new Set([random.int(0, 2), random.int(0, 2)]) : null;
    for (let back = MONTHS; back >= 0; back--) {
      const period = shiftPeriod(current, -back);
      const isCurrent = back === 0;
      headcount = Math.max(1, headcount + random.int(-2, 2));
      const due = headcount * wage * random.float(0.95, 1.08);
      let share = 1;
      let late = lateProne && random.chance(0.12);
      if (arrearsFrom >= back) {
        const depth = arrearsFrom - back;
        share = Math.max(0.25, 0.88 - depth * 0.16 + random.float(-0.03, 0.03));
        late = true;
        // The enterprise stops declaring once things get bad.
        if (back === 1 && depth >= 3) continue;
      } else if (mildMonths?.has(back)) {
        share = random.float(0.9, 0.96);
        late = true;
      }
      let paidOn = `${period}-${String(payDay).padStart(2, "0")}`;
      if (late) paidOn = addDays(paidOn, random.int(6, 25));
      let declaredOn = addDays(paidOn, random.int(0, 4));
      // Some file long after the month (counted as late declarations).
      if (!isCurrent && random.chance(0.03))
        declaredOn = addDays(periodEnd(period), random.int(12, 25));
      if (isCurrent) {
        // This month: only those who paid already have declared; the demo enterprise has not.
        if (e.id === demo?.organisation_id || paidOn > today || declaredOn > today) continue;
      }
      if (declaredOn > today) declaredOn = today;
      const paid = due * share;
      rows.push({
        organisation_id: e.id,
        period,
        paid_on_time: !late && share === 1,
        paid_on: paidOn > today ? today : paidOn,
        headcount_paid: headcount,
        amount_due: money(due),
        amount_paid: money(Math.min(due, paid)),
        note: share < 1 ? "资金周转困难，部分工资暂缓发放" : null,
        declared_by: officers.get(e.id) ?? null,
        declared_at: at(declaredOn, random.int(9, 17)),
      });
    }
  }
  for (let i = 0; i < rows.length; i += 5_000) {
    const { select } = unnestRows(
      {
        organisation_id: "bigint",
        period: "text",
        paid_on_time: "boolean",
        paid_on: "date",
        headcount_paid: "integer",
        amount_due: "numeric",
        amount_paid: "numeric",
        note: "text",
        declared_by: "bigint",
        declared_at: "text",
      },
      rows.slice(i, i + 5_000),
    );
    await sql`
      INSERT INTO payroll_declarations (organisation_id, period, paid_on_time, paid_on,
        headcount_paid, amount_due, amount_paid, note, declared_by, declared_at)
      SELECT x.organisation_id, x.period, x.paid_on_time, x.paid_on, x.headcount_paid,
        x.amount_due, x.amount_paid, x.note, x.declared_by, x.declared_at::timestamptz
      FROM (${select}) AS x(organisation_id, period, paid_on_time, paid_on, headcount_paid,
        amount_due, amount_paid, note, declared_by, declared_at)`.execute(trx);
  }

  // The trend: warnings mid-month and ratings on the 1st of the last 6 months, then now.
  for (let back = 6; back >= 1; back--) {
    const p = shiftPeriod(current, -back);
    await computeWarningsIn(trx, new Date(at(`${p}-20`, 12)), { quiet: true, batch: 500 });
    await computeRatingsIn(trx, new Date(at(`${p}-01`, 2)), { force: true });
  }
  await computeWarningsIn(trx, now, { quiet: true, batch: 500 });
  await computeRatingsIn(trx, now, { force: true });
  // Each enterprise now at warning or alarm wants one preventive case, for its latest rise.
  await sql`
    UPDATE wage_warning_history w SET case_wanted = true
    FROM enterprise_scores s
    WHERE s.organisation_id = w.organisation_id AND s.warning_level IN ('warning', 'alarm')
      AND w.id = (SELECT max(h.id) FROM wage_warning_history h
        WHERE h.organisation_id = w.organisation_id AND h.level IN ('warning', 'alarm')
          AND (h.previous_level IS NULL OR h.previous_level IN ('none', 'watch')
            OR (h.previous_level = 'warning' AND h.level = 'alarm')))`.execute(trx);
  ctx.log(
    `payroll: ${rows.length} declarations of ${enterprises.length} enterprises (${arrears.size} in arrears), warnings and ratings computed in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
