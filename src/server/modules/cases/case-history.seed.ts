/**
 * A year of case history for the demo district: hotspots, seasons (wage
 * disputes before the Spring Festival, fire hazards in winter, noise in
 * summer), realistic handling times on the working-time clock, some overdue,
 * returned, co-handled or reopened after a poor rating, and the last weeks'
 * cases still open in every state. Cases are routed by the seeded
 * responsibility list exactly as intake routes them.
 *
 * The history ends on the day the seed runs, so open cases are open now.
 */

import { sql } from "kysely";
import { CASE_TAXONOMY, type CaseCategoryDef } from "../../../shared/case-taxonomy.js";
import { addWorkingDays, addWorkingHours, DEFAULT_CALENDAR } from "../../../shared/working-time.js";
import type { Scale, SeedContext } from "../../seed/seed-context.js";
import type { Boundary } from "../geo/geometry.js";
import { boundaryBbox, boundaryInteriorPoint, pointInBoundary } from "../geo/geometry.js";
import { CaseReference, snapshotRoutingSource } from "./case-reference.js";
import { routeCase } from "./routing-rules.service.js";

const CASES_BY_SCALE: Record<Scale, number> = { small: 3_000, medium: 200_000, large: 5_000_000 };
const CHUNK = 1_000;

interface OrgRef {
  id: string;
  name: string;
}
/** "/320505/320505002/…" → "/320505/320505002/": the street of an area path. */
const streetOf = (path: string | null) => (path ?? "").split("/").slice(0, 3).join("/");
const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Share of cases per family, and the month (1–12) each family peaks in. */
const FAMILIES: Record<string, { weight: number; peak?: number }> = {
  dispute: { weight: 20, peak: 1 },
  public_order: { weight: 8, peak: 7 },
  theft_fraud: { weight: 15 },
  fire_hazard: { weight: 12, peak: 12 },
  rental_housing: { weight: 10, peak: 3 },
  dormitory: { weight: 4, peak: 2 },
  traffic: { weight: 10 },
  drugs_gambling: { weight: 1 },
  vulnerable: { weight: 3, peak: 1 },
  environment: { weight: 12, peak: 7 },
  market_food: { weight: 3, peak: 8 },
  workplace_safety: { weight: 2, peak: 6 },
};

/**
 * Who besides government is asked in, by family: the employer or operator
 * (an enterprise of the case's street) with what it is asked for, and for
 * disputes an association that mediates. The share of a family's worked
 * cases that get each.
 */
const CO_HANDLERS: Record<string, { enterprise?: [number, string]; association?: number }> = {
  dispute: { enterprise: [0.12, "提供劳动合同和工资发放记录"], association: 0.15 },
  dormitory: { enterprise: [0.6, "提供宿舍入住登记表并组织整改"] },
  fire_hazard: { enterprise: [0.25, "配合消防检查并落实整改"] },
  workplace_safety: { enterprise: [0.7, "提交安全生产自查报告并整改"] },
  market_food: { enterprise: [0.4, "配合现场检查，提供进货台账"] },
  rental_housing: { association: 0.08 },
};

const OUTCOMES = [
  "已现场处置，隐患已消除",
  "经调解双方达成一致，签订调解协议",
  "已立案调查，结果已告知群众",
  "已责令整改，复查合格",
  "已协调相关单位处理完毕",
  "已清理完毕并加强巡查",
];
const CALLERS = ["张先生", "李女士", "王师傅", "刘女士", "陈先生", "赵女士", "周先生", "吴女士"];
const DESCRIPTIONS: Record<string, string[]> = {
  dispute: [
    "楼上楼下因漏水发生争执",
    "房东不退押金，多次协商未果",
    "工厂拖欠三个月工资，工友们很着急",
  ],
  public_order: ["夜间有人在烧烤摊聚集吵闹", "小区门口有可疑人员徘徊", "两伙人在路口发生推搡"],
  theft_fraud: [
    "电动车停在楼下被偷了",
    "接到冒充客服的诈骗电话，被骗转账",
    "快递柜里的包裹被人拿走",
  ],
  fire_hazard: ["楼道里有人飞线给电动车充电", "消防通道被杂物堵塞", "出租屋里用煤气罐做饭"],
  rental_housing: [
    "一套房子住了十几个人，疑似群租",
    "出租屋违规隔断成很多小间",
    "出租房未登记，人员进出频繁",
  ],
  dormitory: ["宿舍一个房间住了十几个人", "宿舍楼灭火器过期", "宿舍夜间无人值守，外人随意进出"],
  traffic: ["路口电动车逆行严重", "人行道上停满了非机动车", "厂车在小区门口乱停"],
  drugs_gambling: ["某出租屋内疑似有人聚众赌博", "发现有人在出租屋内吸食可疑物品"],
  vulnerable: ["邻居独居老人多日未出门", "发现一名走失儿童", "听到隔壁经常传来打骂声"],
  environment: ["工地夜间施工噪声扰民", "垃圾堆放多日无人清理", "小区内私搭乱建"],
  market_food: ["路边摊贩售卖过期食品", "无证经营的小饭馆卫生很差"],
  workplace_safety: ["车间安全出口被货物堵住", "工人高空作业没有系安全带"],
};

interface Grid {
  id: string;
  path: string;
  boundary: Boundary;
  bbox: [number, number, number, number];
  weight: number;
}

function fillFields(c: CaseCategoryDef, r: SeedContext["random"]) {
  const out: Record<string, string | number | boolean> = {};
  for (const f of c.fields) {
    if (!f.required && !r.chance(0.5)) continue;
    if (f.type === "integer")
      out[f.code] = r.int(f.min ?? 1, Math.min(f.max ?? 50, (f.min ?? 1) + 30));
    else if (f.type === "number")
      out[f.code] = Math.round(r.float(f.min ?? 100, Math.min(f.max ?? 20_000, 20_000)));
    else if (f.type === "boolean") out[f.code] = r.chance(0.3);
    else if (f.type === "select" && f.options?.length) out[f.code] = r.pick(f.options).value;
    else if (f.type === "date") out[f.code] = "2026-10-15";
    else out[f.code] = r.pick(["某电子厂", "某物流公司", "某餐饮店", "某服装厂"]);
  }
  return out;
}

export async function seedCaseHistory(ctx: SeedContext, now = new Date()) {
  const r = ctx.random;
  const total = CASES_BY_SCALE[ctx.scale];
  const endDay = Math.floor(now.getTime() / DAY) * DAY;
  const start = endDay - 365 * DAY;
  const grids: Grid[] = (
    await ctx.trx
      .selectFrom("areas")
      .select(["id", "path", "boundary"])
      .where("level", "=", "grid")
      .where("boundary", "is not", null)
      .orderBy("code")
      .execute()
  ).map((g) => ({
    id: g.id,
    path: g.path,
    boundary: g.boundary as Boundary,
    bbox: boundaryBbox(g.boundary as Boundary),
    // A few grids carry much of the load: hotspots near factories and markets.
    weight: r.chance(0.1) ? r.float(5, 12) : r.float(0.5, 2),
  }));
  const gridPick = grids.map((g) => [g, g.weight] as const);
  const reference = await new CaseReference(ctx.trx, Number.POSITIVE_INFINITY).get();
  const source = snapshotRoutingSource(reference, ctx.trx);
  const leaves = CASE_TAXONOMY.filter((c) => c.parent !== null && !c.invalid);
  const byFamily = new Map<string, CaseCategoryDef[]>();
  for (const c of leaves) {
    const f = c.parent as string;
    byFamily.set(f, [...(byFamily.get(f) ?? []), c]);
  }
  const calendar = DEFAULT_CALENDAR;
  // Enterprises and associations by street, for the cases they are asked into.
  const orgsByStreet = new Map<string, { enterprise: OrgRef[]; association: OrgRef[] }>();
  const allOrgs = { enterprise: [] as OrgRef[], association: [] as OrgRef[] };
  for (const o of await ctx.trx
    .selectFrom("organisations")
    .select(["id", "name", "kind", "area_path"])
    .where("kind", "in", ["enterprise", "association"])
    .orderBy("id")
    .execute()) {
    const kind = o.kind as "enterprise" | "association";
    const street = streetOf(o.area_path);
    const at = orgsByStreet.get(street) ?? { enterprise: [], association: [] };
    at[kind].push({ id: o.id, name: o.name });
    orgsByStreet.set(street, at);
    allOrgs[kind].push({ id: o.id, name: o.name });
  }
  const orgNear = (path: string, kind: "enterprise" | "association") => {
    const near = orgsByStreet.get(streetOf(path))?.[kind] ?? [];
    const pool = near.length ? near : allOrgs[kind];
    return pool.length ? r.pick(pool) : null;
  };
  const patroller = await ctx.trx
    .selectFrom("users")
    .select(["id", "display_name"])
    .where("username", "=", "gridworker")
    .executeTakeFirst();
  const seq = { n: 0 };
  let inserted = 0;
  // Secondary indexes are much cheaper built once over all the rows than kept
  // up row by row: drop them (keys and constraints stay) and build them again
  // after, from their own definitions.
  const indexes = await sql<{ indexname: string; indexdef: string }>`
    SELECT indexname, indexdef FROM pg_indexes
    WHERE schemaname = current_schema()
      AND tablename IN ('cases', 'case_actions', 'case_parties')
      AND indexname NOT IN (SELECT conname FROM pg_constraint)`.execute(ctx.trx);
  for (const i of indexes.rows) await sql`DROP INDEX ${sql.id(i.indexname)}`.execute(ctx.trx);

  // When each case came in, and its family, decided first and taken in time
  // order: a live system writes cases as they arrive, so the table's rows lie
  // in time order and a list by date reads neighbouring pages. (Written in
  // random order, a page of the newest cases read a page of the table each.)
  const familyCodes = Object.keys(FAMILIES);
  const familyWeights = familyCodes.map((k, i) => [i, FAMILIES[k]?.weight ?? 1] as const);
  const times = new Float64Array(total);
  const families = new Uint8Array(total);
  for (let i = 0; i < total; i++) {
    // When: a year, weighted toward each family's peak month.
    const f = r.weighted(familyWeights);
    const fam = FAMILIES[familyCodes[f] as string] ?? { weight: 1 };
    let created = start + r.float(0, 365) * DAY;
    if (fam.peak && r.chance(0.35)) {
      const year = new Date(endDay).getUTCFullYear();
      const peak =
        Date.UTC(year, fam.peak - 1, 15) -
        (Date.UTC(year, fam.peak - 1, 15) > endDay ? 365 * DAY : 0);
      created = Math.min(endDay - HOUR, Math.max(start, peak + r.normal(0, 12) * DAY));
    }
    // Daytime mostly (China time).
    times[i] =
      Math.floor(created / DAY) * DAY + (r.chance(0.8) ? r.float(0, 11) : r.float(11, 16)) * HOUR;
    families[i] = f;
  }
  const order = new Uint32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  order.sort((a, b) => (times[a] as number) - (times[b] as number));

  for (let done = 0; done < total; done += CHUNK) {
    const size = Math.min(CHUNK, total - done);
    const plans = [];
    for (let i = 0; i < size; i++) {
      const k = order[done + i] as number;
      const created = times[k] as number;
      const familyCode = familyCodes[families[k] as number] as string;
      const category = r.pick(byFamily.get(familyCode) ?? leaves);
      const grid = r.weighted(gridPick);
      let lng = 0;
      let lat = 0;
      for (let t = 0; t < 12; t++) {
        lng = r.float(grid.bbox[0], grid.bbox[2]);
        lat = r.float(grid.bbox[1], grid.bbox[3]);
        if (pointInBoundary(grid.boundary, lng, lat)) break;
        if (t === 11) [lng, lat] = boundaryInteriorPoint(grid.boundary);
      }
      const fields = fillFields(category, r);
      const routed = await routeCase(source, {
        categoryCode: category.code,
        areaPath: grid.path,
        severity: category.severity,
        fields,
      });
      plans.push({ created: new Date(created), category, grid, lng, lat, fields, routed });
    }

    const caseRows = [];
    const later: { actions: Record<string, unknown>[]; parties: Record<string, unknown>[] }[] = [];
    for (const p of plans) {
      seq.n++;
      const c = p.category;
      const age = (endDay - p.created.getTime()) / DAY;
      const channel = r.weighted([
        ["hotline", 35],
        ["patrol", 25],
        ["web", 22],
        ["anonymous", 12],
        ["enterprise", 6],
      ] as const);
      const actions: Record<string, unknown>[] = [];
      const act = (
        at: number,
        action: string,
        from: string | null,
        to: string | null,
        label: string,
        note: string | null = null,
        visibility: "public" | "internal" = "public",
      ) =>
        actions.push({
          created_at: new Date(at),
          action,
          from_status: from,
          to_status: to,
          actor_label: label,
          note,
          visibility,
        });
      const reporterLabel =
        channel === "anonymous"
          ? "匿名群众"
          : channel === "patrol"
            ? (patroller?.display_name ?? "网格员")
            : "群众";
      let t = p.created.getTime();
      // report, the first dispatch, accept, start, the final resolve and the
      // closing feedback or close are derived from the case row (see below).
      const lead = p.routed.lead;
      // Recent cases may still be anywhere in their life; older ones are finished.
      const openStage =
        age < 21
          ? r.weighted([
              ["done", 45],
              ["reported", 5],
              ["dispatched", 12],
              ["accepted", 10],
              ["in_progress", 18],
              ["resolved", 10],
            ] as const)
          : "done";
      let status: string = "reported";
      let dispatchedAt: number | null = null;
      let acceptDue: Date | null = null;
      let resolveDue: Date | null = null;
      let acceptedAt: number | null = null;
      let resolvedAt: number | null = null;
      let closedAt: number | null = null;
      let rating: number | null = null;
      let feedbackComment: string | null = null;
      let supervised = false;
      const parties: Record<string, unknown>[] = [];
      const stop = (s: string) => openStage === s;
      if (c.verify && !stop("reported")) {
        t += r.float(0.5, 6) * HOUR;
        act(t, "verify", "reported", "verified", "网格员", "现场核实属实");
        status = "verified";
      }
      if (lead && !stop("reported")) {
        t += r.float(0, 0.2) * HOUR;
        dispatchedAt = t;
        acceptDue = addWorkingHours(new Date(t), c.acceptHours, calendar);
        resolveDue = addWorkingDays(new Date(t), c.resolveDays, calendar);
        status = "dispatched";
        parties.push({
          role: "lead",
          department_id: lead.id,
          organisation_id: null,
          task: null,
          status: "open",
        });
        for (const a of p.routed.assist)
          parties.push({
            role: "assist",
            department_id: a.departmentId,
            organisation_id: a.organisationId,
            task: null,
            status: "open",
          });
        if (r.chance(0.05) && !stop("dispatched")) {
          t += r.float(1, 8) * HOUR;
          act(
            t,
            "return",
            "dispatched",
            "returned",
            lead.name,
            "经核实不属于本单位职责，请重新派单",
            "internal",
          );
          t += r.float(2, 20) * HOUR;
          act(
            t,
            "dispatch",
            "returned",
            "dispatched",
            "区综治中心",
            `派往 ${lead.name}：经核实仍属本单位`,
          );
        }
        if (!stop("dispatched")) {
          t += Math.exp(r.normal(Math.log(2), 0.8)) * HOUR;
          acceptedAt = t;
          status = "accepted";
          if (!stop("accepted")) {
            t += r.float(0.5, 20) * HOUR;
            status = "in_progress";
            // An enterprise or an association asked in with its own task:
            // joint handling beyond government (they see the case and answer).
            const co = CO_HANDLERS[c.parent as string];
            for (const kind of ["enterprise", "association"] as const) {
              const share = kind === "enterprise" ? co?.enterprise?.[0] : co?.association;
              if (!share || !r.chance(share)) continue;
              const org = orgNear(p.grid.path, kind);
              if (!org) continue;
              const task =
                kind === "enterprise"
                  ? (co?.enterprise?.[1] ?? "配合处置")
                  : "协助调解，组织双方协商";
              const asked = t + r.float(1, 24) * HOUR;
              const finished = !stop("in_progress") || r.chance(0.5);
              parties.push({
                role: "assist",
                department_id: null,
                organisation_id: org.id,
                task,
                status: finished ? "done" : "open",
              });
              act(asked, "invite", "in_progress", null, lead.name, `请 ${org.name} 协办：${task}`);
              if (finished) {
                // The lead resolves only after its co-handlers have answered.
                const answered = asked + r.float(4, 72) * HOUR;
                act(
                  answered,
                  "complete_task",
                  "in_progress",
                  null,
                  org.name,
                  kind === "enterprise" ? "已按要求提供材料并完成整改" : "已组织调解，双方达成一致",
                  "internal",
                );
                t = Math.max(t, answered);
              }
            }
            const assist = parties.find((x) => x.role === "assist" && x.department_id !== null);
            if (assist && r.chance(0.4)) {
              assist.task = "配合现场核查并反馈情况";
              act(t, "invite", "in_progress", null, lead.name, "请协助现场核查", "public");
              if (!stop("in_progress") || r.chance(0.5)) {
                assist.status = "done";
                act(
                  t + r.float(2, 48) * HOUR,
                  "complete_task",
                  "in_progress",
                  null,
                  "协办单位",
                  "已核查并反馈",
                  "internal",
                );
              }
            }
            if (!stop("in_progress")) {
              // Most finish well inside the deadline; some do not.
              const late = r.chance(0.08);
              const span =
                (resolveDue.getTime() - t) * (late ? r.float(1.05, 1.8) : r.float(0.1, 0.9));
              t += Math.max(HOUR, span);
              resolvedAt = t;
              const firstResolve = t;
              status = "resolved";
              if (!stop("resolved")) {
                if (r.chance(0.7)) {
                  rating = r.weighted([
                    [5, 55],
                    [4, 25],
                    [3, 10],
                    [2, 6],
                    [1, 4],
                  ] as const);
                  t += r.float(2, 72) * HOUR;
                  if (rating <= 2) {
                    feedbackComment = "问题没有彻底解决";
                    act(
                      firstResolve,
                      "resolve",
                      "in_progress",
                      "resolved",
                      lead.name,
                      r.pick(OUTCOMES),
                    );
                    act(
                      t,
                      "feedback",
                      "resolved",
                      "in_progress",
                      reporterLabel,
                      `评价 ${rating} 分：问题没有彻底解决`,
                    );
                    t += r.float(1, 5) * DAY;
                    resolvedAt = t;
                    rating = 4;
                    t += r.float(2, 48) * HOUR;
                  }
                } else {
                  t += 7 * DAY;
                }
                closedAt = t;
                status = "closed";
              }
            }
          }
        }
        if (status !== "closed" && r.chance(0.04)) {
          supervised = true;
          act(t + HOUR, "supervise", status, null, "区综治中心", "请加快办理", "internal");
        }
      }
      // Nothing happens after the moment the seed runs: a step planned later
      // has not happened yet.
      const nowMs = now.getTime();
      if (closedAt !== null && closedAt > nowMs) {
        closedAt = null;
        rating = null;
        feedbackComment = null;
        status = "resolved";
      }
      if (resolvedAt !== null && resolvedAt > nowMs) {
        resolvedAt = null;
        status = "in_progress";
      }
      if (acceptedAt !== null && acceptedAt > nowMs) {
        acceptedAt = null;
        status = "dispatched";
      }
      const kept = actions.filter((a) => (a.created_at as Date).getTime() <= nowMs);
      actions.length = 0;
      actions.push(...kept);
      caseRows.push({
        code: `SJ${new Date(p.created.getTime() + 8 * HOUR).toISOString().slice(0, 10).replaceAll("-", "")}${String(seq.n).padStart(6, "0")}`,
        category_code: c.code,
        severity: c.severity,
        status,
        description: `${r.pick(DESCRIPTIONS[c.parent as string] ?? ["请尽快处理"])}（${c.name}）`,
        fields: p.fields,
        lat: p.lat,
        lng: p.lng,
        address: null,
        grid_id: p.grid.id,
        area_path: p.grid.path,
        channel,
        reporter_user_id: channel === "patrol" ? (patroller?.id ?? null) : null,
        on_behalf_name: channel === "hotline" ? r.pick(CALLERS) : null,
        anonymous_secret_hash: channel === "anonymous" ? `seed-${seq.n}-${r.int(0, 1e9)}` : null,
        lead_department_id: dispatchedAt !== null ? (lead?.id ?? null) : null,
        routing_rule_id: dispatchedAt !== null ? p.routed.ruleId : null,
        supervised,
        dispatched_at: dispatchedAt === null ? null : new Date(dispatchedAt),
        accept_due_at: acceptDue,
        resolve_due_at: resolveDue,
        accepted_at: acceptedAt === null ? null : new Date(acceptedAt),
        resolved_at: resolvedAt === null ? null : new Date(resolvedAt),
        closed_at: closedAt === null ? null : new Date(closedAt),
        feedback_rating: rating,
        feedback_comment: feedbackComment,
        created_at: p.created,
        updated_at: new Date(Math.min(t, now.getTime())),
      });
      later.push({ actions, parties: parties.filter((x) => x.role === "assist") });
    }
    // Rows go in as one JSON parameter each batch: the database parses JSON
    // far faster than thousands of separate parameters.
    const ids = await insertJsonRows(ctx, "cases", caseRows, ["id", "code"]);
    const idByCode = new Map(ids.map((x) => [x.code as string, x.id as string]));
    const actionRows = caseRows.flatMap((c, i) =>
      (later[i]?.actions ?? []).map((a) => ({ ...a, case_id: idByCode.get(c.code) })),
    );
    const partyRows = caseRows.flatMap((c, i) =>
      (later[i]?.parties ?? []).map((x) => ({ ...x, case_id: idByCode.get(c.code) })),
    );
    await insertJsonRows(ctx, "case_actions", actionRows, []);
    await insertJsonRows(ctx, "case_parties", partyRows, []);
    inserted += ids.length;
    // The large district takes minutes: say how far it is.
    if (
      total >= 1_000_000 &&
      Math.floor(inserted / 500_000) > Math.floor((inserted - ids.length) / 500_000)
    )
      ctx.log(`cases: ${inserted} of ${total}`);
  }
  await deriveStandardSteps(ctx, patroller?.display_name ?? "网格员");
  if (total >= 1_000_000) ctx.log("cases: report, dispatch, acceptance … steps derived");
  // Room to sort each index in memory (for this transaction only).
  await sql`SET LOCAL maintenance_work_mem = '256MB'`.execute(ctx.trx);
  for (const i of indexes.rows) await sql.raw(i.indexdef).execute(ctx.trx);
  // Intake numbers continue after the seeded ones.
  await sql`SELECT setval('case_code_seq', ${seq.n + 1}, false)`.execute(ctx.trx);
  ctx.log(`cases: ${inserted}`);
}

/**
 * The steps every case goes through, written by the database from the
 * case's own columns (much faster than sending a million rows): report,
 * dispatch, accept, start, the final resolve, and the rating or the
 * automatic close; and each case's lead party. The rarer steps (verify,
 * return, invite, a poor first rating, supervision) were written above.
 */
async function deriveStandardSteps(ctx: SeedContext, patrolLabel: string) {
  const reporter = sql`CASE c.channel WHEN 'anonymous' THEN '匿名群众' WHEN 'patrol' THEN ${patrolLabel} ELSE '群众' END`;
  const outcomes = sql`(ARRAY[${sql.join(OUTCOMES)}])[1 + (c.id % ${OUTCOMES.length})]`;
  // Work starts a tenth of the way from acceptance to resolution (two hours on, if open).
  const started = sql`LEAST(c.accepted_at + COALESCE((c.resolved_at - c.accepted_at) / 10, interval '2 hours'), c.updated_at)`;
  await sql`
    INSERT INTO case_actions (case_id, action, from_status, to_status, actor_label, note, visibility, created_at)
    SELECT c.id, 'report', NULL, 'reported', ${reporter}, NULL, 'public', c.created_at FROM cases c
    UNION ALL
    SELECT c.id, 'dispatch', 'reported', 'dispatched', '系统（权责清单）', '派往 ' || d.name, 'public', c.dispatched_at
      FROM cases c JOIN departments d ON d.id = c.lead_department_id WHERE c.dispatched_at IS NOT NULL
    UNION ALL
    SELECT c.id, 'accept', 'dispatched', 'accepted', d.name, NULL, 'public', c.accepted_at
      FROM cases c JOIN departments d ON d.id = c.lead_department_id WHERE c.accepted_at IS NOT NULL
    UNION ALL
    SELECT c.id, 'start', 'accepted', 'in_progress', d.name, NULL, 'public', ${started}
      FROM cases c JOIN departments d ON d.id = c.lead_department_id
      WHERE c.accepted_at IS NOT NULL AND c.status IN ('in_progress', 'resolved', 'closed')
    UNION ALL
    SELECT c.id, 'resolve', 'in_progress', 'resolved', d.name, ${outcomes}, 'public', c.resolved_at
      FROM cases c JOIN departments d ON d.id = c.lead_department_id WHERE c.resolved_at IS NOT NULL
    UNION ALL
    SELECT c.id, CASE WHEN c.feedback_rating IS NULL THEN 'close' ELSE 'feedback' END, 'resolved', 'closed',
      CASE WHEN c.feedback_rating IS NULL THEN '系统' ELSE ${reporter} END,
      CASE WHEN c.feedback_rating IS NULL THEN '7 日内未评价，自动结案' ELSE '评价 ' || c.feedback_rating || ' 分' END,
      'public', c.closed_at
      FROM cases c WHERE c.closed_at IS NOT NULL`.execute(ctx.trx);
  await sql`
    INSERT INTO case_parties (case_id, role, department_id, created_at)
    SELECT id, 'lead', lead_department_id, dispatched_at FROM cases WHERE lead_department_id IS NOT NULL`.execute(
    ctx.trx,
  );
}

/** Inserts rows given as one JSON array; the columns are the first row's keys. */
async function insertJsonRows(
  ctx: SeedContext,
  table: "cases" | "case_actions" | "case_parties",
  rows: Record<string, unknown>[],
  returning: string[],
): Promise<Record<string, unknown>[]> {
  const first = rows[0];
  if (!first) return [];
  const cols = sql.join(Object.keys(first).map((k) => sql.ref(k)));
  const out = await sql<Record<string, unknown>>`
    INSERT INTO ${sql.table(table)} (${cols})
    SELECT ${cols} FROM json_populate_recordset(NULL::${sql.table(table)}, ${JSON.stringify(rows)}::json)
    ${returning.length ? sql`RETURNING ${sql.join(returning.map((c) => sql.ref(c)))}` : sql``}`.execute(
    ctx.trx,
  );
  return out.rows;
}
