/**
 * Seeds the case taxonomy and the district-wide responsibility list from
 * src/shared/case-taxonomy.ts: every category with its form and deadlines,
 * and one routing rule per default route (parties named by department kind,
 * resolved to the local department when a case is routed).
 */
import { CASE_TAXONOMY, DEFAULT_ROUTES } from "../../../shared/case-taxonomy.js";
import type { SeedContext } from "../../seed/seed-context.js";

export async function seedCaseTaxonomy(ctx: SeedContext) {
  // Families before their sub-categories (the parent must exist).
  const ordered = [
    ...CASE_TAXONOMY.filter((c) => c.parent === null),
    ...CASE_TAXONOMY.filter((c) => c.parent !== null),
  ];
  await ctx.trx
    .insertInto("case_categories")
    .values(
      ordered.map((c) => ({
        code: c.code,
        name: c.name,
        parent_code: c.parent,
        severity: c.severity,
        invalid: c.invalid,
        redirect: c.redirect,
        sensitive: c.sensitive,
        verify: c.verify,
        accept_hours: c.acceptHours,
        resolve_days: c.resolveDays,
        fields: JSON.stringify(c.fields),
        description: c.description,
        service_notice: c.serviceNotice,
        sort: CASE_TAXONOMY.indexOf(c),
      })),
    )
    .execute();
  // Each category's first version, so its history starts with what was seeded.
  await ctx.trx
    .insertInto("case_category_versions")
    .values(
      ordered.map((c) => ({
        category_code: c.code,
        version: 1,
        change: "created" as const,
        snapshot: JSON.stringify(c),
        note: "初始分类",
        changed_by: null,
      })),
    )
    .execute();
  await ctx.trx
    .insertInto("routing_rules")
    .values(
      DEFAULT_ROUTES.map((r) => ({
        category_code: r.category,
        area_id: null,
        area_path: null,
        lead: JSON.stringify({ kind: r.lead }),
        assist: JSON.stringify(r.assist.map((kind) => ({ kind }))),
        note: "默认权责清单",
      })),
    )
    .execute();
  ctx.log(`case categories: ${ordered.length}, routing rules: ${DEFAULT_ROUTES.length}`);
}
