/**
 * Taxonomy editing: coordinators of the district add families and
 * categories, change a category's form, deadlines and flags, and retire or
 * restore one. Every change is a new version, kept with who made it and why;
 * a stale version is refused, never overwritten. Cases keep the category
 * they were filed under; a retired one is no longer offered for new reports.
 */
import type { Kysely } from "kysely";
import type { z } from "zod";
import { CATEGORY_SCHEMA, type CaseCategoryDef } from "../../../shared/case-taxonomy.js";
import type {
  CreateCategoryBody,
  retireCategoryBody,
  UpdateCategoryBody,
} from "../../../shared/schemas/case-categories.js";
import type { DB } from "../../db/schema.js";
import { conflict, notFound, validation } from "../../errors.js";
import type { Actor, Rule } from "../access/access.policy.js";
import { recordAudit } from "../audit/audit.service.js";
import * as repo from "./case-categories.repository.js";
import { categoryDef, presentCategory } from "./cases.service.js";

export interface CategoryDeps {
  db: Kysely<DB>;
  /** called after a change, so that intake on this server sees it at once */
  onChanged?: () => void;
}

/** The taxonomy is the district's: its admins and coordinators maintain it. */
export const canEditTaxonomy: Rule = (a) =>
  a.grants.some(
    (g) => (g.role === "admin" || g.role === "coordinator") && g.scopeLevel === "district",
  );

const STALE = "该分类已被他人修改，请刷新后重试 / the category changed meanwhile; reload and retry";

/** The entry-wide rules of the taxonomy, as field errors. */
function checkEntry(def: CaseCategoryDef) {
  const r = CATEGORY_SCHEMA.safeParse(def);
  if (r.success) return r.data;
  const details = r.error.issues.map((i) => ({
    path: ["body", ...i.path.map(String)].join("."),
    message: i.message,
  }));
  throw validation(details.map((d) => d.message).join("；"), details);
}

const valuesOf = (d: CaseCategoryDef): repo.CategoryValues => ({
  name: d.name,
  severity: d.severity,
  invalid: d.invalid,
  redirect: d.redirect,
  sensitive: d.sensitive,
  verify: d.verify,
  accept_hours: d.acceptHours,
  resolve_days: d.resolveDays,
  fields: d.fields,
  description: d.description,
  service_notice: d.serviceNotice,
});

export async function getCategory(deps: CategoryDeps, actor: Actor | null, code: string) {
  const row = await repo.find(deps.db, code);
  if (!row) throw notFound("分类", "category");
  const history = await repo.listVersions(deps.db, code);
  return {
    ...presentCategory(row),
    retiredAt: row.retired_at ? new Date(row.retired_at).toISOString() : null,
    updatedAt: new Date(row.updated_at).toISOString(),
    editable: actor !== null && canEditTaxonomy(actor),
    history: history.map((h) => ({
      version: h.version,
      change: h.change,
      snapshot: h.snapshot as Record<string, unknown>,
      note: h.note,
      changedAt: new Date(h.changed_at).toISOString(),
      changedBy: h.changed_by_name,
    })),
  };
}

export async function createCategory(
  deps: CategoryDeps,
  actor: Actor,
  body: CreateCategoryBody,
  requestId: string,
) {
  const { note, ...def } = body;
  const entry = checkEntry(def);
  await deps.db.transaction().execute(async (trx) => {
    if (entry.parent !== null) {
      const parent = await repo.findForUpdate(trx, entry.parent);
      if (!parent || parent.parent_code !== null)
        throw validation(`上级分类 ${entry.parent} 不存在 / no such family`, [
          { path: "body.parent", message: "unknown family" },
        ]);
      if (parent.retired_at)
        throw conflict(
          `上级分类「${parent.name}」已停用，请先恢复 / the family is retired; restore it first`,
        );
    }
    const sort = await repo.nextSort(trx, entry.parent);
    if (!(await repo.insert(trx, entry.code, entry.parent, sort, valuesOf(entry))))
      throw conflict(`分类代码 ${entry.code} 已存在 / the code is taken`, { code: entry.code });
    await repo.insertVersion(trx, {
      category_code: entry.code,
      version: 1,
      change: "created",
      snapshot: entry,
      note: note ?? null,
      changed_by: actor.userId,
    });
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "category.created",
        subjectType: "category",
        subjectId: entry.code,
        details: entry,
      },
    );
  });
  deps.onChanged?.();
  return getCategory(deps, actor, entry.code);
}

export async function updateCategory(
  deps: CategoryDeps,
  actor: Actor,
  code: string,
  body: UpdateCategoryBody,
  requestId: string,
) {
  const { version, note, ...changes } = body;
  await deps.db.transaction().execute(async (trx) => {
    const row = await repo.findForUpdate(trx, code);
    if (!row) throw notFound("分类", "category");
    if (row.version !== version) throw conflict(STALE, { currentVersion: row.version });
    const entry = checkEntry({ ...categoryDef(row), ...changes });
    const next = await repo.update(trx, code, version, valuesOf(entry));
    if (next === null) throw conflict(STALE);
    await repo.insertVersion(trx, {
      category_code: code,
      version: next,
      change: "updated",
      snapshot: entry,
      note: note ?? null,
      changed_by: actor.userId,
    });
    await recordAudit(
      trx,
      { actor, requestId },
      { action: "category.updated", subjectType: "category", subjectId: code, details: entry },
    );
  });
  deps.onChanged?.();
  return getCategory(deps, actor, code);
}

/** Retires (no longer offered for new reports) or restores a category. */
export async function setRetired(
  deps: CategoryDeps,
  actor: Actor,
  code: string,
  retire: boolean,
  body: z.infer<typeof retireCategoryBody>,
  requestId: string,
) {
  await deps.db.transaction().execute(async (trx) => {
    const row = await repo.findForUpdate(trx, code);
    if (!row) throw notFound("分类", "category");
    if (row.version !== body.version) throw conflict(STALE, { currentVersion: row.version });
    if (retire === (row.retired_at !== null))
      throw conflict(
        retire
          ? "该分类已停用 / the category is retired already"
          : "该分类未停用 / the category is not retired",
      );
    if (retire && row.parent_code === null) {
      const active = await repo.activeChildren(trx, code);
      if (active.length > 0)
        throw conflict(
          `请先停用其下的 ${active.length} 个子类别：${active.map((c) => c.name).join("、")} / retire its categories first`,
          { activeChildren: active.map((c) => c.code) },
        );
    }
    if (!retire && row.parent_code !== null) {
      const parent = await repo.find(trx, row.parent_code);
      if (parent?.retired_at)
        throw conflict(`上级分类「${parent.name}」已停用，请先恢复 / restore the family first`);
    }
    const next = await repo.update(trx, code, body.version, {
      retired_at: retire ? new Date() : null,
    });
    if (next === null) throw conflict(STALE);
    const change = retire ? "retired" : "restored";
    await repo.insertVersion(trx, {
      category_code: code,
      version: next,
      change,
      snapshot: categoryDef(row),
      note: body.note ?? null,
      changed_by: actor.userId,
    });
    await recordAudit(
      trx,
      { actor, requestId },
      { action: `category.${change}`, subjectType: "category", subjectId: code },
    );
  });
  deps.onChanged?.();
  return getCategory(deps, actor, code);
}
