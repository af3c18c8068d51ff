/** SQL for the area hierarchy (district → street → community → grid). */
import { type Kysely, sql, type Transaction } from "kysely";
import type { AreaLevel } from "../../../shared/roles.js";
import type { DB } from "../../db/schema.js";

type Db = Kysely<DB> | Transaction<DB>;

const SUMMARY = ["id", "code", "name", "level", "parent_id", "path"] as const;

export interface AreaFilter {
  level?: AreaLevel | undefined;
  parentId?: string | undefined;
  q?: string | undefined;
  sort: "code" | "name" | "-code" | "-name";
  limit: number;
  offset: number;
}

export async function list(db: Db, f: AreaFilter) {
  let q = db.selectFrom("areas");
  if (f.level) q = q.where("level", "=", f.level);
  if (f.parentId) q = q.where("parent_id", "=", f.parentId);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb("name", "like", like), eb("code", "like", like)]));
  }
  const desc = f.sort.startsWith("-");
  const col = (desc ? f.sort.slice(1) : f.sort) as "code" | "name";
  const [items, total] = await Promise.all([
    q
      .select(SUMMARY)
      .orderBy(col, desc ? "desc" : "asc")
      .orderBy("id")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items, total: total.n };
}

export function findByCode(db: Db, code: string) {
  return db.selectFrom("areas").selectAll().where("code", "=", code).executeTakeFirst();
}

export function findById(db: Db, id: string) {
  return db.selectFrom("areas").selectAll().where("id", "=", id).executeTakeFirst();
}

export function findByCodes(db: Db, codes: string[]) {
  if (codes.length === 0) return Promise.resolve([]);
  return db.selectFrom("areas").select(SUMMARY).where("code", "in", codes).execute();
}

export async function childCount(db: Db, id: string): Promise<number> {
  const r = await db
    .selectFrom("areas")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("parent_id", "=", id)
    .executeTakeFirstOrThrow();
  return r.n;
}

export function childrenWithBoundary(db: Db, parentId: string) {
  return db
    .selectFrom("areas")
    .select([...SUMMARY, "boundary"])
    .where("parent_id", "=", parentId)
    .orderBy("code")
    .execute();
}

/** The areas of one level under a path (the area itself when it is of that level). */
export function descendantsWithBoundary(db: Db, path: string, level: AreaLevel) {
  return (
    db
      .selectFrom("areas")
      .select([...SUMMARY, "boundary"])
      .where("level", "=", level)
      // Paths are digits and slashes (`/320505/320505001/`): nothing to escape.
      .where("path", "like", `${path}%`)
      .orderBy("code")
      .execute()
  );
}

export function gridBoundaries(db: Db) {
  return db
    .selectFrom("areas")
    .select(["id", "code", "name", "path", "boundary"])
    .where("level", "=", "grid")
    .where("boundary", "is not", null)
    .execute();
}

/** Changes whenever any grid is added, removed or redrawn (cheap to poll). */
export async function gridGeometryVersion(db: Db): Promise<string> {
  const r = await db
    .selectFrom("areas")
    .select([
      sql<number>`count(*)::int`.as("n"),
      sql<string>`coalesce(sum(version), 0)::text`.as("v"),
      sql<string>`coalesce(max(id), 0)::text`.as("m"),
    ])
    .where("level", "=", "grid")
    .executeTakeFirstOrThrow();
  return `${r.n}:${r.v}:${r.m}`;
}

export async function updateBoundary(
  db: Db,
  id: string,
  expectedVersion: number,
  g: {
    boundary: unknown;
    bbox: [number, number, number, number];
    centroid: [number, number];
  },
) {
  return db
    .updateTable("areas")
    .set({
      boundary: JSON.stringify(g.boundary),
      min_lng: g.bbox[0],
      min_lat: g.bbox[1],
      max_lng: g.bbox[2],
      max_lat: g.bbox[3],
      centroid_lng: g.centroid[0],
      centroid_lat: g.centroid[1],
      version: sql`version + 1`,
      updated_at: new Date(),
    })
    .where("id", "=", id)
    .where("version", "=", expectedVersion)
    .returning(["id", "version"])
    .executeTakeFirst();
}

export interface NewArea {
  code: string;
  name: string;
  level: AreaLevel;
  parent_id: string | null;
  path: string;
  boundary: unknown;
  bbox: [number, number, number, number] | null;
  centroid: [number, number] | null;
}

export async function insertMany(db: Db, rows: NewArea[]) {
  if (rows.length === 0) return [];
  return db
    .insertInto("areas")
    .values(
      rows.map((a) => ({
        code: a.code,
        name: a.name,
        level: a.level,
        parent_id: a.parent_id,
        path: a.path,
        boundary: a.boundary === null ? null : JSON.stringify(a.boundary),
        min_lng: a.bbox?.[0] ?? null,
        min_lat: a.bbox?.[1] ?? null,
        max_lng: a.bbox?.[2] ?? null,
        max_lat: a.bbox?.[3] ?? null,
        centroid_lng: a.centroid?.[0] ?? null,
        centroid_lat: a.centroid?.[1] ?? null,
      })),
    )
    .returning(["id", "code", "path"])
    .execute();
}

export async function countAll(db: Db): Promise<number> {
  const r = await db
    .selectFrom("areas")
    .select(sql<number>`count(*)::int`.as("n"))
    .executeTakeFirstOrThrow();
  return r.n;
}

export function districtOutline(db: Db) {
  return db
    .selectFrom("areas")
    .select(["code", "name", "boundary"])
    .where("level", "=", "district")
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
}

export function findDistrict(db: Db) {
  return db
    .selectFrom("areas")
    .select(["id", "code", "name"])
    .where("level", "=", "district")
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
}
