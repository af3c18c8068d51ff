/**
 * Random spot-checks (抽查): a department officer or coordinator draws a
 * sample of the enterprises in their area (optionally of one industry or a
 * smaller area), weighted by risk; the weighting rule and each drawn
 * enterprise's weight and factors are kept with the draw. Findings are then
 * recorded per enterprise; hazards found become hazards (source spot_check)
 * in the same transaction.
 */
import { randomInt } from "node:crypto";
import type { Kysely } from "kysely";
import type { z } from "zod";
import type {
  drawSpotCheckBody,
  recordFindingBody,
  SpotCheck,
  SpotCheckDetail,
} from "../../../shared/schemas/inspections.js";
import type { DB } from "../../db/schema.js";
import { conflict, forbidden, notFound, validation } from "../../errors.js";
import { type Actor, pathWithin } from "../access/access.policy.js";
import { recordAudit } from "../audit/audit.service.js";
import { findAreaByCode } from "../geo/areas.service.js";
import { actorName, coordinatorAreaPaths, officerDepartmentIds } from "./hazards.policy.js";
import { recordNewHazards } from "./hazards.service.js";
import { addDays, hazardDeadline, localDay } from "./inspection-rules.js";
import { findEnterprise } from "./inspections.repository.js";
import { riskWeight, SPOT_CHECK_WEIGHTS, weightedSample } from "./spot-check-sampling.js";
import * as repo from "./spot-checks.repository.js";

export interface SpotChecksDeps {
  db: Kysely<DB>;
}

/** Uniform in [0, 1) from the operating system's generator: a draw nobody can predict. */
const secureRandom = () => randomInt(2 ** 47) / 2 ** 47;

function scopeOf(actor: Actor): repo.SpotCheckScope {
  return { departmentIds: officerDepartmentIds(actor), areaPaths: coordinatorAreaPaths(actor) };
}

/** The areas an actor draws from: their department's or their own (coordinators, admins). */
function drawPaths(actor: Actor): { paths: string[]; departmentId: string | null } {
  const dept = actor.grants.find((g) => g.role === "department_officer" && g.areaPath !== null);
  const paths = [
    ...coordinatorAreaPaths(actor),
    ...actor.grants
      .filter((g) => g.role === "department_officer" && g.areaPath !== null)
      .map((g) => g.areaPath as string),
  ];
  return { paths: [...new Set(paths)], departmentId: dept?.scopeId ?? null };
}

function presentSpotCheck(s: repo.SpotCheckRow, areaName: string | null): SpotCheck {
  const c = s.criteria as { industry?: string | null; areaCode?: string | null };
  return {
    id: s.id,
    department:
      s.department_id === null ? null : { id: s.department_id, name: s.department_name ?? "" },
    drawnBy: s.drawn_label,
    drawnAt: new Date(s.drawn_at).toISOString(),
    criteria: {
      industry: c.industry ?? null,
      area: c.areaCode ? { code: c.areaCode, name: areaName ?? c.areaCode } : null,
    },
    weights: s.weights,
    population: s.population,
    sampleSize: s.sample_size,
    checked: s.checked,
    hazardsFound: s.hazards_found,
    note: s.note,
  };
}

export async function listSpotChecks(
  deps: SpotChecksDeps,
  actor: Actor,
  page: { limit: number; offset: number },
) {
  const r = await repo.listSpotChecks(deps.db, scopeOf(actor), page);
  return {
    items: r.items.map((s) =>
      presentSpotCheck(s, (s.criteria as { areaName?: string }).areaName ?? null),
    ),
    total: r.total,
  };
}

/** May the actor record findings of this draw: its department's officer, or a coordinator over it. */
function mayRecord(actor: Actor, s: { department_id: string | null }, areaPath: string) {
  return (
    (s.department_id !== null && officerDepartmentIds(actor).includes(s.department_id)) ||
    coordinatorAreaPaths(actor).some((p) => pathWithin(areaPath, p))
  );
}

export async function getSpotCheck(
  deps: SpotChecksDeps,
  actor: Actor,
  id: string,
): Promise<SpotCheckDetail> {
  const s = await repo.findSpotCheck(deps.db, scopeOf(actor), id);
  if (!s) throw notFound("抽查", "spot-check");
  const items = await repo.itemsOf(deps.db, id);
  return {
    ...presentSpotCheck(s, (s.criteria as { areaName?: string }).areaName ?? null),
    items: items.map((x) => ({
      id: x.id,
      rank: x.rank,
      organisation: {
        id: x.organisation_id,
        name: x.organisation_name,
        industry: x.industry,
        address: x.address,
      },
      weight: x.weight,
      factors: x.factors,
      finding: x.finding,
      note: x.note,
      checkedAt: x.checked_at ? new Date(x.checked_at).toISOString() : null,
      checkedBy: x.checked_by_name,
      hazards: x.hazards,
      allowedActions:
        x.finding === "pending" && mayRecord(actor, s, x.area_path) ? ["record" as const] : [],
    })),
  };
}

/**
 * Draws a risk-weighted random sample without replacement. Fewer enterprises
 * than asked for: all of them are drawn (in random order).
 */
export async function drawSpotCheck(
  deps: SpotChecksDeps,
  actor: Actor,
  input: z.infer<typeof drawSpotCheckBody>,
  requestId: string,
  opts: { now?: Date; random?: () => number } = {},
) {
  const now = opts.now ?? new Date();
  const { paths, departmentId } = drawPaths(actor);
  if (paths.length === 0) throw forbidden("您没有可抽查的辖区 / you have no area to draw from");
  let areaPaths = paths;
  let areaName: string | null = null;
  if (input.areaCode) {
    const area = await findAreaByCode(deps, input.areaCode);
    if (!area)
      throw validation("区域不存在 / unknown area", [
        { path: "body.areaCode", message: "not found" },
      ]);
    if (!paths.some((p) => pathWithin(area.path, p)))
      throw forbidden("该区域不在您的辖区内 / the area is outside yours");
    areaPaths = [area.path];
    areaName = area.name;
  }
  const today = localDay(now);
  const pop = await repo.population(deps.db, {
    areaPaths,
    industry: input.industry,
    today,
    yearAgo: addDays(today, -365),
  });
  if (pop.length === 0)
    throw validation("没有符合条件的企业 / no enterprise matches these criteria", [
      { path: "body", message: "empty population" },
    ]);
  const weighted = pop.map((p) => {
    const factors = {
      openHazards: p.open_hazards,
      overdueHazards: p.overdue_hazards,
      majorOpenHazards: p.major_open_hazards,
      missedInspections: p.missed_inspections,
      rating: p.rating,
      warningLevel: p.warning_level,
    };
    return { row: p, factors, weight: riskWeight(factors) };
  });
  const drawn = weightedSample(
    weighted,
    (w) => w.weight,
    input.sampleSize,
    opts.random ?? secureRandom,
  );
  const id = await deps.db.transaction().execute(async (trx) => {
    const s = await repo.insertSpotCheck(trx, {
      department_id: departmentId,
      area_path: areaPaths[0] ?? null,
      drawn_by: actor.userId,
      drawn_label: actorName(actor),
      drawn_at: now,
      criteria: {
        industry: input.industry ?? null,
        areaCode: input.areaCode ?? null,
        areaName,
      },
      weights: { ...SPOT_CHECK_WEIGHTS },
      population: pop.length,
      sample_size: drawn.length,
      note: input.note ?? null,
    });
    await repo.insertItems(
      trx,
      drawn.map((d, n) => ({
        spot_check_id: s.id,
        organisation_id: d.row.id,
        rank: n + 1,
        weight: d.weight,
        factors: d.factors,
      })),
    );
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "spot_check.drawn",
        subjectType: "spot_check",
        subjectId: s.id,
        details: {
          population: pop.length,
          drawn: drawn.map((d) => d.row.id),
          industry: input.industry ?? null,
          areaCode: input.areaCode ?? null,
        },
      },
    );
    return s.id;
  });
  return getSpotCheck(deps, actor, id);
}

/** Records what was found at one drawn enterprise; once only (409 after). */
export async function recordFinding(
  deps: SpotChecksDeps,
  actor: Actor,
  spotCheckId: string,
  itemId: string,
  input: z.infer<typeof recordFindingBody>,
  requestId: string,
  now = new Date(),
) {
  const s = await repo.findSpotCheck(deps.db, scopeOf(actor), spotCheckId);
  if (!s) throw notFound("抽查", "spot-check");
  const today = localDay(now);
  for (const [n, h] of input.hazards.entries())
    if (h.deadline !== undefined && h.deadline < today)
      throw validation("整改期限不能早于今天 / the deadline cannot be in the past", [
        { path: `body.hazards.${n}.deadline`, message: "past" },
      ]);
  await deps.db.transaction().execute(async (trx) => {
    const item = await repo.lockItem(trx, spotCheckId, itemId);
    if (!item) throw notFound("抽查对象", "spot-check item");
    if (!mayRecord(actor, s, item.area_path))
      throw forbidden(
        "只有抽查部门或综治中心可以登记结果 / only the drawing department or a coordinator records findings",
      );
    const already = () =>
      conflict("该企业的抽查结果已登记 / the finding has already been recorded", {
        finding: item.finding,
        allowed: [],
      });
    if (item.finding !== "pending") throw already();
    const done = await repo.recordFinding(trx, itemId, {
      finding: input.finding,
      note: input.note ?? null,
      checked_at: now,
      checked_by: actor.userId,
    });
    if (!done) throw already();
    const org = await findEnterprise(trx, item.organisation_id);
    const hazardIds = await recordNewHazards(
      trx,
      actor,
      input.hazards.map((h) => ({
        organisation_id: item.organisation_id,
        area_path: item.area_path,
        site_id: null,
        source: "spot_check" as const,
        inspection_id: null,
        item_code: null,
        spot_check_id: spotCheckId,
        level: h.level,
        title: h.title,
        description: h.description ?? null,
        lat: org?.lat ?? null,
        lng: org?.lng ?? null,
        address: item.address,
        deadline: h.deadline ?? hazardDeadline(today, h.level),
        created_by: actor.userId,
        found_evidence: [],
      })),
      { note: `抽查发现${input.note ? `：${input.note}` : ""}`, details: { spotCheckId } },
    );
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "spot_check.finding_recorded",
        subjectType: "spot_check",
        subjectId: spotCheckId,
        details: {
          itemId,
          organisationId: item.organisation_id,
          finding: input.finding,
          hazardIds,
        },
      },
    );
  });
  return getSpotCheck(deps, actor, spotCheckId);
}
