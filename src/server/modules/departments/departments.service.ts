/** Departments: who they are, where they sit and which areas they cover. */
import type { Kysely, Transaction } from "kysely";
import type { DEPARTMENT_KINDS } from "../../../shared/schemas/areas.js";
import type { DB } from "../../db/schema.js";
import { findAreaByCode } from "../geo/areas.service.js";
import * as repo from "./departments.repository.js";

export interface DepartmentDeps {
  db: Kysely<DB>;
}

export async function listDepartments(
  deps: DepartmentDeps,
  q: {
    kind?: (typeof DEPARTMENT_KINDS)[number] | undefined;
    q?: string | undefined;
    areaCode?: string | undefined;
    limit: number;
    offset: number;
  },
) {
  let areaPath: string | undefined;
  if (q.areaCode) {
    const a = await findAreaByCode(deps, q.areaCode);
    if (!a) return { items: [], total: 0 };
    areaPath = a.path;
  }
  const { items, total } = await repo.list(deps.db, { ...q, areaPath });
  const coverage = await repo.coverageOf(
    deps.db,
    items.map((d) => d.id),
  );
  return {
    items: items.map((d) => ({
      id: d.id,
      code: d.code,
      name: d.name,
      kind: d.kind,
      parentId: d.parent_id,
      area: { id: d.area_id, code: d.area_code, name: d.area_name },
      coverage: coverage
        .filter((c) => c.department_id === d.id)
        .map((c) => ({ id: c.id, code: c.code, name: c.name })),
    })),
    total,
  };
}

export const createDepartment = repo.insert;
export const addDepartmentCoverage = repo.addCoverage;

/** A department with the path of its home area (for scope checks elsewhere). */
export function findDepartmentById(deps: DepartmentDeps, id: string) {
  return repo.findById(deps.db, id);
}

/**
 * The most local department of a kind covering a place (for routing, for
 * proposals, for warnings); pass the caller's transaction as `db`.
 */
export function departmentOfKindCovering(
  db: Kysely<DB> | Transaction<DB>,
  kind: string,
  areaPath: string,
) {
  return repo.ofKindCovering(db, kind, areaPath);
}

/** The active officers of the departments; pass the caller's transaction as `db`. */
export function departmentOfficers(
  db: Kysely<DB> | Transaction<DB>,
  departmentIds: readonly string[],
) {
  return repo.activeOfficers(db, departmentIds);
}
