/**
 * Self-inspection (自查): the government's checklist templates (versioned;
 * an inspection keeps a snapshot of the items it was made with), the
 * scheduling of each enterprise's due inspections per period, the
 * enterprise's evidence photos, and the submission — every item pass or
 * fail, a failed item with a note and a photo, each failed item a hazard in
 * the same transaction.
 */
import type { Kysely } from "kysely";
import type { z } from "zod";
import type {
  createTemplateBody,
  InspectionDetail,
  inspectionListQuery,
  submitInspectionBody,
  templateListQuery,
  updateTemplateBody,
} from "../../../shared/schemas/inspections.js";
import type { Config } from "../../config.js";
import type { DB } from "../../db/schema.js";
import type { ChecklistItemJson, InspectionResultJson } from "../../db/schema-inspections.js";
import { conflict, forbidden, notFound, validation } from "../../errors.js";
import type { Actor } from "../access/access.policy.js";
import type { FileStore } from "../attachments/file-store.js";
import { recordAudit } from "../audit/audit.service.js";
import { evidenceOf, presentFiles } from "./enterprise-files.service.js";
import { canManageTemplates, ownEnterpriseIds, staffAreaPaths } from "./hazards.policy.js";
import { recordNewHazards } from "./hazards.service.js";
import {
  hazardDeadline,
  isLate,
  isOverdue,
  localDay,
  periodEnd,
  periodOf,
} from "./inspection-rules.js";
import * as repo from "./inspections.repository.js";

export interface InspectionsDeps {
  db: Kysely<DB>;
  config: Config;
  store: FileStore;
}

const isUniqueViolation = (err: unknown) => (err as { code?: unknown } | null)?.code === "23505";

/** Enterprises an actor sees: in their area (staff), or their own (officers). */
export function orgScopeOf(actor: Actor): repo.OrgScope {
  return { areaPaths: staffAreaPaths(actor), organisationIds: ownEnterpriseIds(actor) };
}

// ---------------------------------------------------------------- templates

function presentTemplate(t: repo.TemplateRow, actor: Actor) {
  const manage = canManageTemplates(actor);
  return {
    id: t.id,
    code: t.code,
    name: t.name,
    topic: t.topic,
    description: t.description,
    industries: t.industries,
    frequency: t.frequency,
    items: t.items.map((i) => ({
      code: i.code,
      text: i.text,
      guidance: i.guidance ?? null,
      major: i.major === true,
    })),
    version: t.version,
    active: t.active,
    updatedBy: t.updated_by_name,
    updatedAt: new Date(t.updated_at).toISOString(),
    allowedActions: manage
      ? t.active
        ? (["edit", "deactivate"] as const).slice()
        : (["edit", "activate"] as const).slice()
      : [],
  };
}

export async function listTemplates(
  deps: InspectionsDeps,
  actor: Actor,
  f: z.infer<typeof templateListQuery>,
) {
  const rows = await repo.listTemplates(deps.db, f);
  return { items: rows.map((t) => presentTemplate(t, actor)), total: rows.length };
}

export async function getTemplate(deps: InspectionsDeps, actor: Actor, id: string) {
  const t = await repo.findTemplate(deps.db, id);
  if (!t) throw notFound("检查表", "checklist template");
  return presentTemplate(t, actor);
}

const itemsOf = (items: z.infer<typeof createTemplateBody>["items"]): ChecklistItemJson[] =>
  items.map((i) => ({
    code: i.code,
    text: i.text,
    guidance: i.guidance ?? null,
    major: i.major,
  }));

export async function createTemplate(
  deps: InspectionsDeps,
  actor: Actor,
  input: z.infer<typeof createTemplateBody>,
  requestId: string,
  now = new Date(),
) {
  const duplicate = () =>
    conflict(`检查表编号 ${input.code} 已存在 / a template with code ${input.code} exists`, [
      { path: "body.code", message: "exists" },
    ]);
  let id: string;
  try {
    id = await deps.db.transaction().execute(async (trx) => {
      if (await repo.findTemplateByCode(trx, input.code)) throw duplicate();
      const row = await repo.insertTemplate(trx, {
        code: input.code,
        name: input.name,
        topic: input.topic,
        description: input.description ?? null,
        industries: input.industries,
        frequency: input.frequency,
        items: itemsOf(input.items),
        updated_by: actor.userId,
      });
      // Enterprises it applies to have it due this period already.
      const period = periodOf(localDay(now), input.frequency);
      const scheduled = await repo.createDueInspections(trx, row.id, period, periodEnd(period));
      await recordAudit(
        trx,
        { actor, requestId },
        {
          action: "inspection_template.created",
          subjectType: "checklist_template",
          subjectId: row.id,
          details: { code: input.code, items: input.items.length, scheduled },
        },
      );
      return row.id;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicate();
    throw err;
  }
  return getTemplate(deps, actor, id);
}

const changedMeanwhile = () =>
  conflict("检查表已被他人修改，请刷新后重试 / the template changed meanwhile; reload and retry");

/**
 * Saves a new version; submitted inspections keep the items they were made
 * with. With `applyToDue`, this period's inspections not yet submitted
 * switch to the new version in the same transaction.
 */
export async function updateTemplate(
  deps: InspectionsDeps,
  actor: Actor,
  id: string,
  input: z.infer<typeof updateTemplateBody>,
  requestId: string,
  now = new Date(),
) {
  const refreshedInspections = await deps.db.transaction().execute(async (trx) => {
    const before = await repo.findTemplate(trx, id);
    if (!before) throw notFound("检查表", "checklist template");
    const updated = await repo.updateTemplate(trx, id, input.version, {
      name: input.name,
      topic: input.topic,
      description: input.description ?? null,
      industries: input.industries,
      frequency: input.frequency,
      items: itemsOf(input.items),
      updated_by: actor.userId,
    });
    if (!updated) throw changedMeanwhile();
    const refreshed = input.applyToDue
      ? await repo.refreshDueInspections(trx, id, localDay(now))
      : 0;
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "inspection_template.updated",
        subjectType: "checklist_template",
        subjectId: id,
        details: {
          code: before.code,
          version: updated.version,
          items: input.items.length,
          refreshedInspections: refreshed,
        },
      },
    );
    return refreshed;
  });
  return { ...(await getTemplate(deps, actor, id)), refreshedInspections };
}

/** Deactivated templates schedule nothing new; inspections already due stay due. */
export async function setTemplateActive(
  deps: InspectionsDeps,
  actor: Actor,
  id: string,
  version: number,
  active: boolean,
  requestId: string,
) {
  await deps.db.transaction().execute(async (trx) => {
    const before = await repo.findTemplate(trx, id);
    if (!before) throw notFound("检查表", "checklist template");
    if (before.active === active)
      throw conflict(
        active
          ? "检查表已是启用状态 / the template is already active"
          : "检查表已停用 / the template is already inactive",
        { allowed: [active ? "deactivate" : "activate"] },
      );
    const updated = await repo.updateTemplate(trx, id, version, {
      active,
      updated_by: actor.userId,
    });
    if (!updated) throw changedMeanwhile();
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: active ? "inspection_template.activated" : "inspection_template.deactivated",
        subjectType: "checklist_template",
        subjectId: id,
        details: { code: before.code },
      },
    );
  });
  return getTemplate(deps, actor, id);
}

// --------------------------------------------------------------- scheduling

/**
 * Creates every enterprise's inspections of the current period for each
 * active template that applies to it (due on the period's last day). Safe to
 * run again and on two servers at once: the unique key (enterprise,
 * template, period) lets only one of them insert a row.
 */
export async function scheduleInspections(db: Kysely<DB>, now: Date): Promise<number> {
  const today = localDay(now);
  let created = 0;
  for (const t of await repo.activeTemplates(db)) {
    const period = periodOf(today, t.frequency);
    created += await repo.createDueInspections(db, t.id, period, periodEnd(period));
  }
  return created;
}

// -------------------------------------------------------------- inspections

function presentInspection(r: repo.InspectionRow, actor: Actor, today: string) {
  const mine = ownEnterpriseIds(actor).includes(r.organisation_id);
  return {
    id: r.id,
    organisation: { id: r.organisation_id, name: r.organisation_name },
    template: {
      id: r.template_id,
      code: r.template_code,
      name: r.template_name,
      topic: r.topic,
      frequency: r.frequency,
    },
    templateVersion: r.template_version,
    period: r.period,
    dueOn: r.due_on,
    status: r.status,
    overdue: isOverdue(r.status, r.due_on, today),
    submittedAt: r.submitted_at ? new Date(r.submitted_at).toISOString() : null,
    late: r.late,
    failedItems: r.failed_items,
    itemCount: r.item_count,
    allowedActions: mine && r.status === "due" ? (["submit"] as const).slice() : [],
  };
}

export async function listInspections(
  deps: InspectionsDeps,
  actor: Actor,
  f: z.infer<typeof inspectionListQuery>,
  now = new Date(),
) {
  const today = localDay(now);
  const r = await repo.listInspections(deps.db, orgScopeOf(actor), f, today);
  return { items: r.items.map((i) => presentInspection(i, actor, today)), total: r.total };
}

export async function getInspection(
  deps: InspectionsDeps,
  actor: Actor,
  id: string,
  now = new Date(),
): Promise<InspectionDetail> {
  const r = await repo.findInspection(deps.db, orgScopeOf(actor), id);
  if (!r) throw notFound("自查", "inspection");
  const results = r.results ?? null;
  const fileIds = (results ?? []).flatMap((x) => x.evidence ?? []);
  const [files, hazards] = await Promise.all([
    presentFiles(deps.db, fileIds),
    results ? repo.hazardsOfInspection(deps.db, id) : Promise.resolve([]),
  ]);
  const fileById = new Map(files.map((f) => [f.id, f]));
  const hazardByCode = new Map(hazards.map((h) => [h.item_code, h.id]));
  return {
    ...presentInspection(r, actor, localDay(now)),
    items: r.items.map((i) => ({
      code: i.code,
      text: i.text,
      guidance: i.guidance ?? null,
      major: i.major === true,
    })),
    results: results
      ? results.map((x) => ({
          code: x.code,
          result: x.result,
          note: x.note ?? null,
          evidence: (x.evidence ?? []).flatMap((f) => {
            const file = fileById.get(f);
            return file ? [file] : [];
          }),
          hazardId: hazardByCode.get(x.code) ?? null,
        }))
      : null,
    submittedBy: r.submitted_by_name,
  };
}

const alreadySubmitted = () =>
  conflict("该自查已提交，不能重复提交 / this inspection has already been submitted", {
    status: "submitted",
    allowed: [],
  });

const checklistChanged = (version: number) =>
  conflict(
    `检查表已更新为第 ${version} 版，请刷新后按新版本填写 / the checklist is now version ${version}; reload and fill it in again`,
    { templateVersion: version },
  );

/** Every item answered once; a failed item with a note and at least one photo. */
function checkResults(
  items: ChecklistItemJson[],
  results: z.infer<typeof submitInspectionBody>["results"],
) {
  const known = new Set(items.map((i) => i.code));
  const issues: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  results.forEach((r, n) => {
    if (!known.has(r.code))
      issues.push({
        path: `body.results.${n}.code`,
        message: `没有条目 ${r.code} / no item ${r.code}`,
      });
    else if (seen.has(r.code))
      issues.push({
        path: `body.results.${n}.code`,
        message: `条目 ${r.code} 重复 / item ${r.code} twice`,
      });
    seen.add(r.code);
    if (r.result === "fail") {
      if (!r.note)
        issues.push({
          path: `body.results.${n}.note`,
          message: "不合格项须说明情况 / a failed item needs a note",
        });
      if (r.evidence.length === 0)
        issues.push({
          path: `body.results.${n}.evidence`,
          message: "不合格项须上传至少一张照片 / a failed item needs at least one photo",
        });
    }
  });
  const missing = items.filter((i) => !seen.has(i.code));
  for (const m of missing)
    issues.push({
      path: `body.results`,
      message: `未填写：${m.text} / item ${m.code} is not answered`,
    });
  if (issues.length)
    throw validation(
      missing.length
        ? `还有 ${missing.length} 项未填写合格或不合格 / ${missing.length} items are not answered`
        : (issues[0] as { message: string }).message,
      issues,
    );
}

/**
 * The enterprise's officer submits the inspection. Late is allowed (and
 * recorded). Twice is refused (409) and changes nothing. Each failed item
 * becomes a hazard — major if the item is flagged major — in the same
 * transaction as the submission.
 */
export async function submitInspection(
  deps: InspectionsDeps,
  actor: Actor,
  id: string,
  input: z.infer<typeof submitInspectionBody>,
  requestId: string,
  now = new Date(),
) {
  const found = await repo.findInspection(deps.db, orgScopeOf(actor), id);
  if (!found) throw notFound("自查", "inspection");
  if (!ownEnterpriseIds(actor).includes(found.organisation_id))
    throw forbidden(
      "只有本企业的安全员可以提交自查 / only the enterprise's own officer submits it",
    );
  if (found.status === "submitted") throw alreadySubmitted();
  if (input.templateVersion !== undefined && input.templateVersion !== found.template_version)
    throw checklistChanged(found.template_version);
  checkResults(found.items, input.results);
  await evidenceOf(
    deps.db,
    found.organisation_id,
    input.results.map((r, n) => ({ path: `body.results.${n}.evidence`, ids: r.evidence })),
  );
  const today = localDay(now);
  const itemByCode = new Map(found.items.map((i) => [i.code, i]));
  // In the checklist's order, whatever order they were sent in.
  const order = new Map(found.items.map((i, n) => [i.code, n]));
  const results: InspectionResultJson[] = [...input.results]
    .sort((a, b) => (order.get(a.code) ?? 0) - (order.get(b.code) ?? 0))
    .map((r) => ({
      code: r.code,
      result: r.result,
      ...(r.note ? { note: r.note } : {}),
      ...(r.evidence.length ? { evidence: r.evidence } : {}),
    }));
  const failed = results.filter((r) => r.result === "fail");
  const late = isLate(now, found.due_on);

  await deps.db.transaction().execute(async (trx) => {
    const locked = await repo.lockInspection(trx, id);
    if (!locked) throw notFound("自查", "inspection");
    if (locked.status !== "due") throw alreadySubmitted();
    // The checklist moved to a new version while the answers were checked.
    if (locked.template_version !== found.template_version)
      throw checklistChanged(locked.template_version);
    const done = await repo.markSubmitted(trx, id, {
      submitted_at: now,
      submitted_by: actor.userId,
      late,
      results,
      failed_items: failed.length,
    });
    if (!done) throw alreadySubmitted();
    const org = await repo.findEnterprise(trx, found.organisation_id);
    const created = await recordNewHazards(
      trx,
      actor,
      failed.map((r) => {
        const item = itemByCode.get(r.code) as ChecklistItemJson;
        const level = item.major ? ("major" as const) : ("general" as const);
        return {
          organisation_id: found.organisation_id,
          area_path: found.area_path,
          site_id: null,
          source: "inspection" as const,
          inspection_id: id,
          item_code: r.code,
          spot_check_id: null,
          level,
          title: item.text,
          description: r.note ?? null,
          lat: org?.lat ?? null,
          lng: org?.lng ?? null,
          address: org?.address ?? null,
          deadline: hazardDeadline(today, level),
          created_by: actor.userId,
          found_evidence: r.evidence ?? [],
        };
      }),
      {
        note: `${found.template_name}（${found.period}）自查不合格项`,
        details: { inspectionId: id, period: found.period },
      },
    );
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "inspection.submitted",
        subjectType: "inspection",
        subjectId: id,
        details: {
          organisationId: found.organisation_id,
          period: found.period,
          failed: failed.length,
          late,
          hazards: created,
        },
      },
    );
  });
  return getInspection(deps, actor, id, now);
}
