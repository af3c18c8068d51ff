/**
 * The responsibility list (权责清单): routing a case to its lead and
 * assisting parties, and the coordinators' editing of the rules, each change
 * kept as a version, with a "test this rule" preview that shows where a case
 * would go under the list as it is and with a draft rule.
 */
import type { Kysely, Transaction } from "kysely";
import type { z } from "zod";
import { categoryFamily } from "../../../shared/case-taxonomy.js";
import {
  type ConditionField,
  conditionFields,
  conditionProblem,
} from "../../../shared/routing-conditions.js";
import { DEPARTMENT_KIND_NAMES } from "../../../shared/schemas/areas.js";
import type {
  routingPartyRef,
  routingPreviewBody,
  routingRuleBody,
  routingRuleListQuery,
  ruleConditions,
  updateRoutingRuleBody,
} from "../../../shared/schemas/cases.js";
import type { DB, RoutingPartyRef } from "../../db/schema.js";
import { conflict, forbidden, notFound, validation } from "../../errors.js";
import { type Actor, isStaff, pathWithin } from "../access/access.policy.js";
import { recordAudit } from "../audit/audit.service.js";
import { departmentOfKindCovering } from "../departments/departments.service.js";
import { type AreaLocator, findAreaByCode } from "../geo/areas.service.js";
import { chooseRule, type RoutingRule } from "./case-routing.js";
import * as cases from "./cases.repository.js";
import * as repo from "./routing-rules.repository.js";

type Db = Kysely<DB> | Transaction<DB>;
type PartyRef = z.infer<typeof routingPartyRef>;

export interface RoutingDeps {
  db: Kysely<DB>;
  locator: AreaLocator;
  /** Told after a rule changes (intake holds the list in memory). */
  onListChanged?: () => void;
}

// ------------------------------------------------------------------ routing

export interface RoutableFacts {
  categoryCode: string;
  areaPath: string;
  severity: string;
  fields: Record<string, string | number | boolean>;
}

export interface RouteOutcome {
  ruleId: string | null;
  lead: { id: string; name: string } | null;
  assist: { departmentId: string | null; organisationId: string | null; name: string }[];
}

export function toRule(r: {
  id: string;
  category_code: string;
  area_path: string | null;
  conditions: unknown;
  lead: RoutingPartyRef;
  assist: RoutingPartyRef[];
}): RoutingRule {
  return {
    id: r.id,
    categoryCode: r.category_code,
    areaPath: r.area_path,
    conditions: r.conditions as RoutingRule["conditions"],
    lead: r.lead,
    assist: r.assist,
  };
}

/**
 * Where routing reads the list and the departments from: the database (in a
 * transaction, for transitions and the preview), or the intake's in-memory
 * reference snapshot (case-reference.ts).
 */
export interface RoutingSource {
  rulesFor(categoryCodes: string[]): Promise<RoutingRule[]>;
  /** the department of a kind whose coverage holds the place, the most local first */
  departmentOfKind(
    kind: string,
    areaPath: string,
  ): Promise<{ id: string; name: string } | undefined>;
  department(id: string): Promise<{ id: string; name: string } | undefined>;
  organisation(id: string): Promise<{ id: string; name: string } | undefined>;
}

export function dbRoutingSource(db: Db): RoutingSource {
  return {
    rulesFor: async (codes) => (await cases.activeRulesFor(db, codes)).map(toRule),
    departmentOfKind: (kind, areaPath) => departmentOfKindCovering(db, kind, areaPath),
    department: (id) => cases.findDepartment(db, id),
    organisation: (id) => cases.findOrganisation(db, id),
  };
}

async function resolveParty(src: RoutingSource, ref: RoutingPartyRef, areaPath: string) {
  if ("kind" in ref) {
    const d = await src.departmentOfKind(ref.kind, areaPath);
    return d ? { departmentId: d.id, organisationId: null, name: d.name } : null;
  }
  if ("departmentId" in ref) {
    const d = await src.department(ref.departmentId);
    return d ? { departmentId: d.id, organisationId: null, name: d.name } : null;
  }
  const o = await src.organisation(ref.organisationId);
  return o ? { departmentId: null, organisationId: o.id, name: o.name } : null;
}

/** The parties a rule names, resolved for a place; no lead when none is found. */
async function resolveRule(
  src: RoutingSource,
  rule: RoutingRule,
  areaPath: string,
): Promise<RouteOutcome> {
  const lead = await resolveParty(src, rule.lead, areaPath);
  if (!lead?.departmentId) return { ruleId: rule.id, lead: null, assist: [] };
  const assist = [];
  for (const a of rule.assist) {
    const p = await resolveParty(src, a, areaPath);
    if (p && p.departmentId !== lead.departmentId) assist.push(p);
  }
  return { ruleId: rule.id, lead: { id: lead.departmentId, name: lead.name }, assist };
}

/**
 * Where a case goes by the list. `extra` puts a draft rule in (replacing the
 * rule `replaces`), for the preview.
 */
export async function routeCase(
  src: RoutingSource,
  k: RoutableFacts,
  extra?: { draft: RoutingRule; replaces?: string | undefined },
): Promise<RouteOutcome & { draft: boolean }> {
  const family = categoryFamily(k.categoryCode);
  let rules = await src.rulesFor([...new Set([k.categoryCode, family])]);
  if (extra) rules = [...rules.filter((r) => r.id !== extra.replaces), extra.draft];
  const rule = chooseRule(rules, { ...k, family });
  if (!rule) return { ruleId: null, lead: null, assist: [], draft: false };
  const out = await resolveRule(src, rule, k.areaPath);
  const draft = extra?.draft === rule;
  return { ...out, ruleId: draft ? (extra?.replaces ?? null) : out.ruleId, draft };
}

// -------------------------------------------------------------------- rules

type RuleBody = z.infer<typeof routingRuleBody>;

/** Coordinators (and admins) edit the rules of their area; a district-wide rule needs a district grant. */
function canEditRulesAt(actor: Actor, areaPath: string | null): boolean {
  return actor.grants.some(
    (g) =>
      (g.role === "admin" || g.role === "coordinator") &&
      g.areaPath !== null &&
      (areaPath === null ? g.scopeLevel === "district" : pathWithin(areaPath, g.areaPath)),
  );
}

function partyLabel(ref: RoutingPartyRef, names: Map<string, string>): string {
  if ("kind" in ref)
    return `${DEPARTMENT_KIND_NAMES[ref.kind as keyof typeof DEPARTMENT_KIND_NAMES] ?? ref.kind}（属地）`;
  if ("departmentId" in ref)
    return names.get(`d${ref.departmentId}`) ?? `部门 #${ref.departmentId}`;
  return names.get(`o${ref.organisationId}`) ?? `单位 #${ref.organisationId}`;
}

async function partyNames(db: Db, refs: RoutingPartyRef[]) {
  const names = new Map<string, string>();
  for (const r of refs) {
    if ("departmentId" in r) {
      const d = await cases.findDepartment(db, r.departmentId);
      if (d) names.set(`d${d.id}`, d.name);
    } else if ("organisationId" in r) {
      const o = await cases.findOrganisation(db, r.organisationId);
      if (o) names.set(`o${o.id}`, o.name);
    }
  }
  return names;
}

async function presentRules(db: Db, rows: repo.RuleRow[]) {
  const names = await partyNames(
    db,
    rows.flatMap((r) => [r.lead, ...r.assist]),
  );
  return rows.map((r) => ({
    id: r.id,
    categoryCode: r.category_code,
    categoryName: r.category_name,
    area: r.area_code ? { code: r.area_code, name: r.area_name ?? "" } : null,
    conditions: r.conditions as z.infer<typeof ruleConditions>,
    lead: { ref: r.lead as PartyRef, label: partyLabel(r.lead, names) },
    assist: r.assist.map((a) => ({ ref: a as PartyRef, label: partyLabel(a, names) })),
    note: r.note,
    active: r.active,
    version: r.version,
    updatedAt: new Date(r.updated_at).toISOString(),
    updatedBy: r.updated_by_name,
  }));
}

export async function listRules(
  deps: RoutingDeps,
  actor: Actor,
  q: z.infer<typeof routingRuleListQuery>,
) {
  if (!isStaff(actor)) throw forbidden();
  const areaPath = q.areaCode
    ? ((await findAreaByCode(deps, q.areaCode))?.path ?? "/none/")
    : undefined;
  const { items, total } = await repo.list(deps.db, { ...q, areaPath });
  return { items: await presentRules(deps.db, items), total };
}

export async function getRule(deps: RoutingDeps, actor: Actor, id: string) {
  if (!isStaff(actor)) throw forbidden();
  const row = await repo.find(deps.db, id);
  if (!row) throw notFound("规则", "rule");
  const [rule] = await presentRules(deps.db, [row]);
  const history = await repo.versions(deps.db, id);
  return {
    ...(rule as NonNullable<typeof rule>),
    history: history.map((h) => ({
      version: h.version,
      change: h.change,
      snapshot: h.snapshot,
      changedAt: new Date(h.changed_at).toISOString(),
      changedBy: h.changed_by_name,
    })),
  };
}

/**
 * Checks a rule's category, area and parties, and (with `checkConditions`:
 * when they are new, or the category changed) that each field condition can
 * hold for the category's form; returns the values to store.
 */
async function ruleValues(
  db: Db,
  body: RuleBody,
  opts: { checkConditions: boolean } = { checkConditions: true },
): Promise<repo.RuleValues> {
  const cat = await cases.findCategory(db, body.categoryCode);
  if (!cat)
    throw validation(`未知的事件类别 ${body.categoryCode} / unknown category`, [
      { path: "body.categoryCode", message: "unknown" },
    ]);
  if (cat.invalid)
    throw validation("不受理的类别无需派单规则 / categories not handled here need no rule", [
      { path: "body.categoryCode", message: "invalid category" },
    ]);
  let area: { id: string; path: string } | null = null;
  if (body.areaCode) {
    const a = await findAreaByCode({ db: db as Kysely<DB> }, body.areaCode);
    if (!a)
      throw validation(`区域 ${body.areaCode} 不存在 / unknown area`, [
        { path: "body.areaCode", message: "unknown" },
      ]);
    area = { id: a.id, path: a.path };
  }
  if ("organisationId" in body.lead)
    throw validation("牵头方须为政府部门 / the lead must be a department", [
      { path: "body.lead", message: "a department or a department kind" },
    ]);
  const names = await partyNames(db, [body.lead, ...body.assist]);
  for (const [i, ref] of [body.lead, ...body.assist].entries()) {
    const key =
      "departmentId" in ref
        ? `d${ref.departmentId}`
        : "organisationId" in ref
          ? `o${ref.organisationId}`
          : null;
    if (key && !names.has(key))
      throw validation("指定的部门或单位不存在 / no such department or organisation", [
        { path: i === 0 ? "body.lead" : `body.assist.${i - 1}`, message: "unknown" },
      ]);
  }
  for (const f of body.conditions.fields ?? []) {
    const fields = (cat.fields ?? []) as { code: string }[];
    if (!fields.some((x) => x.code === f.code) && cat.parent_code !== null)
      throw validation(`类别没有字段 ${f.code} / the category has no field ${f.code}`, [
        { path: "body.conditions.fields", message: "unknown field" },
      ]);
  }
  if (opts.checkConditions && body.conditions.fields?.length) {
    // A family's rule tests the fields of its leaves.
    const all = (await cases.listCategories(db)).map((c) => ({
      code: c.code,
      parent: c.parent_code,
      fields: (c.fields ?? []) as ConditionField[],
    }));
    const defs = conditionFields(all, cat.code);
    for (const [i, f] of body.conditions.fields.entries()) {
      const problem = conditionProblem(defs, f);
      if (problem)
        throw validation(problem, [{ path: `body.conditions.fields.${i}`, message: problem }]);
    }
  }
  return {
    category_code: cat.code,
    area_id: area?.id ?? null,
    area_path: area?.path ?? null,
    conditions: body.conditions,
    lead: body.lead,
    assist: body.assist,
    note: body.note ?? null,
    active: true,
  };
}

const snapshotOf = (v: repo.RuleValues) => ({
  categoryCode: v.category_code,
  areaPath: v.area_path,
  conditions: v.conditions,
  lead: v.lead,
  assist: v.assist,
  note: v.note,
  active: v.active,
});

export async function createRule(
  deps: RoutingDeps,
  actor: Actor,
  body: RuleBody,
  requestId: string,
) {
  const id = await deps.db
    .transaction()
    .execute(async (trx) => (await createRuleIn(trx, actor, body, requestId)).id);
  deps.onListChanged?.();
  return getRule(deps, actor, id);
}

/**
 * Adds a rule inside the caller's transaction (a joint meeting's ruling
 * saves its routing rule with the rest of the ruling), with the same checks,
 * first version and audit row as `createRule`. The caller tells
 * `onListChanged` once its transaction has committed.
 */
export async function createRuleIn(
  trx: Transaction<DB>,
  actor: Actor,
  body: RuleBody,
  requestId: string,
): Promise<{ id: string; version: number }> {
  const v = await ruleValues(trx, body);
  if (!canEditRulesAt(actor, v.area_path))
    throw forbidden("只能编辑本辖区的派单规则 / you may edit the rules of your own area only");
  const r = await repo.insert(trx, v, actor.userId);
  await repo.insertVersion(trx, {
    rule_id: r.id,
    version: r.version,
    change: "created",
    snapshot: snapshotOf(v),
    changed_by: actor.userId,
  });
  await recordAudit(
    trx,
    { actor, requestId },
    {
      action: "routing_rule.created",
      subjectType: "routing_rule",
      subjectId: r.id,
      details: snapshotOf(v),
    },
  );
  return { id: r.id, version: r.version };
}

export async function updateRule(
  deps: RoutingDeps,
  actor: Actor,
  id: string,
  body: z.infer<typeof updateRoutingRuleBody>,
  requestId: string,
) {
  await deps.db.transaction().execute(async (trx) => {
    const row = await repo.find(trx, id);
    if (!row) throw notFound("规则", "rule");
    if (!canEditRulesAt(actor, row.area_path)) throw notFound("规则", "rule");
    if (row.version !== body.version)
      throw conflict(
        "规则已被他人修改，请刷新后重试 / the rule changed meanwhile; reload and retry",
        {
          currentVersion: row.version,
        },
      );
    const merged: RuleBody = {
      categoryCode: body.categoryCode ?? row.category_code,
      areaCode: body.areaCode !== undefined ? body.areaCode : row.area_code,
      conditions: body.conditions ?? (row.conditions as RuleBody["conditions"]),
      lead: body.lead ?? row.lead,
      assist: body.assist ?? row.assist,
      note: body.note ?? row.note ?? undefined,
    } as RuleBody;
    // Conditions already stored are not judged again when only the state or a party changes.
    const checkConditions = body.conditions !== undefined || body.categoryCode !== undefined;
    const v = {
      ...(await ruleValues(trx, merged, { checkConditions })),
      active: body.active ?? row.active,
    };
    if (!canEditRulesAt(actor, v.area_path))
      throw forbidden("只能编辑本辖区的派单规则 / you may edit the rules of your own area only");
    const updated = await repo.update(trx, id, row.version, v, actor.userId);
    if (!updated)
      throw conflict(
        "规则已被他人修改，请刷新后重试 / the rule changed meanwhile; reload and retry",
      );
    const change =
      row.active && !v.active ? "deactivated" : !row.active && v.active ? "reactivated" : "updated";
    await repo.insertVersion(trx, {
      rule_id: id,
      version: updated.version,
      change,
      snapshot: snapshotOf(v),
      changed_by: actor.userId,
    });
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: `routing_rule.${change}`,
        subjectType: "routing_rule",
        subjectId: id,
        details: snapshotOf(v),
      },
    );
  });
  deps.onListChanged?.();
  return getRule(deps, actor, id);
}

/** "Test this rule": where a case of this category at this place goes, now and with a draft. */
export async function previewRouting(
  deps: RoutingDeps,
  actor: Actor,
  body: z.infer<typeof routingPreviewBody>,
) {
  if (!isStaff(actor)) throw forbidden();
  const cat = await cases.findCategory(deps.db, body.categoryCode);
  if (!cat)
    throw validation(`未知的事件类别 ${body.categoryCode} / unknown category`, [
      { path: "body.categoryCode", message: "unknown" },
    ]);
  const grid = await deps.locator.locate(body.lng, body.lat);
  if (!grid)
    throw validation("位置不在本区范围内 / the location is outside the district", [
      { path: "body.lat", message: "outside" },
    ]);
  const facts = {
    categoryCode: cat.code,
    areaPath: grid.path,
    severity: body.severity ?? cat.severity,
    fields: body.fields ?? {},
  };
  const src = dbRoutingSource(deps.db);
  const now = await routeCase(src, facts);
  let outcome = now;
  let current: { ruleId: string | null; lead: { id: string; name: string } | null } | null = null;
  if (body.draft) {
    const v = await ruleValues(deps.db, body.draft);
    const draft: RoutingRule = toRule({ id: body.replaces ?? "9223372036854775807", ...v });
    outcome = await routeCase(src, facts, { draft, replaces: body.replaces });
    current = { ruleId: now.ruleId, lead: now.lead };
  }
  const area = await findAreaByCode(deps, grid.code);
  return {
    grid: { code: grid.code, name: area?.name ?? grid.code },
    rule:
      outcome.ruleId !== null || outcome.draft
        ? { id: outcome.ruleId, draft: outcome.draft }
        : null,
    lead: outcome.lead,
    assist: outcome.assist.map((a) => ({ name: a.name })),
    current,
  };
}
