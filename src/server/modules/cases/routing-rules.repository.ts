/** SQL for the responsibility list (routing rules) and its history. */
import { type Kysely, sql, type Transaction } from "kysely";
import type { DB, RoutingPartyRef } from "../../db/schema.js";
import { pathPrefixAny } from "../../db/scope-sql.js";

type Db = Kysely<DB> | Transaction<DB>;

const RULE_COLUMNS = [
  "routing_rules.id",
  "routing_rules.category_code",
  "routing_rules.area_id",
  "routing_rules.area_path",
  "routing_rules.conditions",
  "routing_rules.lead",
  "routing_rules.assist",
  "routing_rules.note",
  "routing_rules.active",
  "routing_rules.version",
  "routing_rules.updated_at",
] as const;

const RULE_NAMES = [
  "cat.name as category_name",
  "areas.code as area_code",
  "areas.name as area_name",
  "users.display_name as updated_by_name",
] as const;

function base(db: Db) {
  return db
    .selectFrom("routing_rules")
    .innerJoin("case_categories as cat", "cat.code", "routing_rules.category_code")
    .leftJoin("areas", "areas.id", "routing_rules.area_id")
    .leftJoin("users", "users.id", "routing_rules.updated_by");
}

export async function list(
  db: Db,
  f: {
    category?: string | undefined;
    areaPath?: string | undefined;
    active: "true" | "false" | "all";
    limit: number;
    offset: number;
  },
) {
  let q = base(db);
  if (f.category)
    q = q.where((eb) =>
      eb.or([
        eb("routing_rules.category_code", "=", f.category as string),
        eb("cat.parent_code", "=", f.category as string),
      ]),
    );
  if (f.areaPath) q = q.where(pathPrefixAny("routing_rules.area_path", [f.areaPath]));
  if (f.active !== "all") q = q.where("routing_rules.active", "=", f.active === "true");
  const [items, total] = await Promise.all([
    q
      .select(RULE_COLUMNS)
      .select(RULE_NAMES)
      .orderBy("routing_rules.category_code")
      .orderBy(sql`routing_rules.area_path NULLS FIRST`)
      .orderBy("routing_rules.id")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}
export type RuleRow = Awaited<ReturnType<typeof list>>["items"][number];

export function find(db: Db, id: string) {
  return base(db)
    .select(RULE_COLUMNS)
    .select(RULE_NAMES)
    .where("routing_rules.id", "=", id)
    .executeTakeFirst();
}

export interface RuleValues {
  category_code: string;
  area_id: string | null;
  area_path: string | null;
  conditions: Record<string, unknown>;
  lead: RoutingPartyRef;
  assist: RoutingPartyRef[];
  note: string | null;
  active: boolean;
}

const encode = (v: Partial<RuleValues>) => ({
  ...v,
  ...(v.conditions !== undefined ? { conditions: JSON.stringify(v.conditions) } : {}),
  ...(v.lead !== undefined ? { lead: JSON.stringify(v.lead) } : {}),
  ...(v.assist !== undefined ? { assist: JSON.stringify(v.assist) } : {}),
});

export function insert(db: Db, v: RuleValues, userId: string | null) {
  return db
    .insertInto("routing_rules")
    .values({ ...encode(v), updated_by: userId } as never)
    .returning(["id", "version"])
    .executeTakeFirstOrThrow();
}

/** Undefined when the rule is no longer at `version` (someone else changed it). */
export function update(
  db: Db,
  id: string,
  version: number,
  v: Partial<RuleValues>,
  userId: string | null,
) {
  return db
    .updateTable("routing_rules")
    .set({
      ...encode(v),
      updated_by: userId,
      version: sql`version + 1`,
      updated_at: sql`now()`,
    } as never)
    .where("id", "=", id)
    .where("version", "=", version)
    .returning(["id", "version"])
    .executeTakeFirst();
}

export async function insertVersion(
  db: Db,
  row: {
    rule_id: string;
    version: number;
    change: "created" | "updated" | "deactivated" | "reactivated";
    snapshot: Record<string, unknown>;
    changed_by: string | null;
  },
) {
  await db
    .insertInto("routing_rule_versions")
    .values({ ...row, snapshot: JSON.stringify(row.snapshot) })
    .execute();
}

export function versions(db: Db, ruleId: string) {
  return db
    .selectFrom("routing_rule_versions")
    .leftJoin("users", "users.id", "routing_rule_versions.changed_by")
    .select([
      "routing_rule_versions.version",
      "routing_rule_versions.change",
      "routing_rule_versions.snapshot",
      "routing_rule_versions.changed_at",
      "users.display_name as changed_by_name",
    ])
    .where("routing_rule_versions.rule_id", "=", ruleId)
    .orderBy("routing_rule_versions.version", "desc")
    .execute();
}
