/** SQL of taxonomy editing: categories and their versions. */
import type { Kysely, Transaction } from "kysely";
import type { CaseCategoriesTable, DB } from "../../db/schema.js";

type Db = Kysely<DB> | Transaction<DB>;

export function findForUpdate(trx: Transaction<DB>, code: string) {
  return trx
    .selectFrom("case_categories")
    .selectAll()
    .where("code", "=", code)
    .forUpdate()
    .executeTakeFirst();
}

export function find(db: Db, code: string) {
  return db.selectFrom("case_categories").selectAll().where("code", "=", code).executeTakeFirst();
}

export type CategoryValues = {
  name: string;
  severity: CaseCategoriesTable["severity"];
  invalid: boolean;
  redirect: string | null;
  sensitive: boolean;
  verify: boolean;
  accept_hours: number;
  resolve_days: number;
  fields: unknown[];
  description: string;
  service_notice: string | null;
};

/** The next sort position: after the family's last category (or the last family). */
export async function nextSort(trx: Transaction<DB>, parent: string | null) {
  const q = trx.selectFrom("case_categories").select((eb) => eb.fn.max("sort").as("max"));
  const r = await (parent === null
    ? q.where("parent_code", "is", null)
    : q.where((eb) => eb.or([eb("parent_code", "=", parent), eb("code", "=", parent)]))
  ).executeTakeFirst();
  return Number(r?.max ?? 0) + 1;
}

/** Inserts; false when the code is taken. */
export async function insert(
  trx: Transaction<DB>,
  code: string,
  parent: string | null,
  sort: number,
  v: CategoryValues,
) {
  const r = await trx
    .insertInto("case_categories")
    .values({ code, parent_code: parent, sort, ...v, fields: JSON.stringify(v.fields) })
    .onConflict((oc) => oc.column("code").doNothing())
    .returning("version")
    .executeTakeFirst();
  return r !== undefined;
}

/** Updates when the version still matches; the new version, or null. */
export async function update(
  trx: Transaction<DB>,
  code: string,
  version: number,
  v: Partial<CategoryValues> & { retired_at?: Date | null },
) {
  const { fields, ...rest } = v;
  const r = await trx
    .updateTable("case_categories")
    .set({
      ...rest,
      ...(fields !== undefined ? { fields: JSON.stringify(fields) } : {}),
      version: version + 1,
      updated_at: new Date(),
    })
    .where("code", "=", code)
    .where("version", "=", version)
    .returning("version")
    .executeTakeFirst();
  return r?.version ?? null;
}

/** The family's categories still offered for new reports. */
export function activeChildren(db: Db, family: string) {
  return db
    .selectFrom("case_categories")
    .select(["code", "name"])
    .where("parent_code", "=", family)
    .where("retired_at", "is", null)
    .orderBy("sort")
    .execute();
}

export async function insertVersion(
  trx: Transaction<DB>,
  row: {
    category_code: string;
    version: number;
    change: "created" | "updated" | "retired" | "restored";
    snapshot: Record<string, unknown>;
    note: string | null;
    changed_by: string | null;
  },
) {
  await trx
    .insertInto("case_category_versions")
    .values({ ...row, snapshot: JSON.stringify(row.snapshot) })
    .execute();
}

export function listVersions(db: Db, code: string) {
  return db
    .selectFrom("case_category_versions")
    .leftJoin("users", "users.id", "case_category_versions.changed_by")
    .select([
      "case_category_versions.version",
      "case_category_versions.change",
      "case_category_versions.snapshot",
      "case_category_versions.note",
      "case_category_versions.changed_at",
      "users.display_name as changed_by_name",
    ])
    .where("case_category_versions.category_code", "=", code)
    .orderBy("case_category_versions.version", "desc")
    .execute();
}
