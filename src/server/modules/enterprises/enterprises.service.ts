/**
 * The enterprise workspace (issue 6, part A): the enterprise list government
 * sees (scoped by area; an enterprise officer sees only their own), an
 * enterprise's profile summary, its sites placed in grids, its workforce —
 * employments linked to residents, hired by hand, imported from a
 * spreadsheet or pushed by an HR system, with residents.employer_id kept on
 * the current employer — its dormitory rooms with occupants and the
 * overcrowding rule, and the case tasks waiting for it.
 */
import fs from "node:fs";
import type { Kysely, Transaction } from "kysely";
import type { z } from "zod";
import { addMonths, ageOn, todayInChina } from "../../../shared/dates.js";
import type {
  createSiteBody,
  DormitoryTotals,
  Employee,
  EmployeeRecord,
  EmployeeSyncResult,
  EnterpriseDetail,
  EnterpriseListItem,
  EnterpriseListQuery,
  EnterpriseTask,
  Site,
  updateSiteBody,
  Workforce,
} from "../../../shared/schemas/enterprises.js";
import type { Config } from "../../config.js";
import type { FieldCrypto } from "../../crypto/field-crypto.js";
import type { DB } from "../../db/schema.js";
import { conflict, forbidden, notFound, validation } from "../../errors.js";
import {
  type Actor,
  areaScopePaths,
  dataScopeOf,
  pathWithin,
  unplacedAreaPathOf,
} from "../access/access.policy.js";
import { recordAudit } from "../audit/audit.service.js";
import type { AreaLocator } from "../geo/areas.service.js";
import { findAreaByCode } from "../geo/areas.service.js";
import { locateAddress } from "../housing/housing.service.js";
import { assessOvercrowding } from "../housing/overcrowding.js";
import { csvText, readRows, sniffSpreadsheet, xlsxBuffer } from "../imports/spreadsheet.js";
import {
  ID_INDEX_KIND,
  identityColumns,
  moveResidentWithin,
} from "../residents/residents.service.js";
import {
  checkEmploymentRecord,
  type EmploymentInput,
  planEmployment,
  type RecordedEmployment,
} from "./employment-plan.js";
import {
  allowedActions,
  canManageSites,
  canManageWorkforce,
  enterpriseScopeOf,
  isEmployeePusher,
  officerOf,
  scopeIsEmpty,
} from "./enterprises.policy.js";
import * as repo from "./enterprises.repository.js";

export interface EnterprisesDeps {
  db: Kysely<DB>;
  config: Config;
  fieldCrypto: FieldCrypto;
  locator: AreaLocator;
}

const NOT_FOUND = () => notFound("企业", "enterprise");

// ------------------------------------------------------------------ the list

function presentListItem(r: repo.EnterpriseListRow): EnterpriseListItem {
  return {
    id: r.id,
    name: r.name,
    uscc: r.uscc,
    industry: r.industry,
    size: r.size,
    grid: { code: r.grid_code, name: r.grid_name },
    street: r.street_code && r.street_name ? { code: r.street_code, name: r.street_name } : null,
    employees: r.employees,
    rating: r.rating ?? null,
    warningLevel: r.warning_level ?? "none",
    openHazards: r.open_hazards,
    majorHazards: r.major_hazards,
  };
}

/** GET /api/enterprises: only what the caller may see; others get an empty list. */
export async function listEnterprises(
  deps: Pick<EnterprisesDeps, "db">,
  actor: Actor,
  f: EnterpriseListQuery,
): Promise<{ items: EnterpriseListItem[]; total: number }> {
  const scope = enterpriseScopeOf(actor);
  if (scopeIsEmpty(scope)) return { items: [], total: 0 };
  const { area, ...rest } = f;
  let areaPath: string | undefined;
  if (area) {
    const a = await findAreaByCode(deps, area);
    // An unknown area matches nothing (a stale link), rather than everything.
    areaPath = a?.path ?? "/none/";
  }
  const r = await repo.listEnterprises(deps.db, scope, { ...rest, areaPath });
  return { items: r.items.map(presentListItem), total: r.total };
}

/** The enterprise if the caller sees it (404 otherwise, as if it did not exist). */
async function visibleEnterprise(deps: Pick<EnterprisesDeps, "db">, actor: Actor, id: string) {
  const scope = enterpriseScopeOf(actor);
  if (scopeIsEmpty(scope)) throw NOT_FOUND();
  const e = await repo.findVisibleEnterprise(deps.db, scope, id);
  if (!e) throw NOT_FOUND();
  return e;
}

/** As visibleEnterprise, then `rule` must allow the action (403). */
export async function enterpriseFor(
  deps: Pick<EnterprisesDeps, "db">,
  actor: Actor,
  id: string,
  rule: (a: Actor, e: { id: string; areaPath: string }) => boolean,
) {
  const e = await visibleEnterprise(deps, actor, id);
  if (!rule(actor, { id: e.id, areaPath: e.area_path })) throw forbidden();
  return e;
}

function presentSite(s: repo.SiteRow): Site {
  return {
    id: s.id,
    name: s.name,
    kind: s.kind,
    address: s.address,
    lat: s.lat,
    lng: s.lng,
    grid: { code: s.grid_code, name: s.grid_name },
    gridPath: s.area_path,
    active: s.active,
    version: s.version,
    createdAt: s.created_at.toISOString(),
  };
}

function presentTotals(t: Awaited<ReturnType<typeof repo.dormitoryTotals>>): DormitoryTotals {
  return {
    rooms: t.rooms,
    capacity: t.capacity,
    occupants: t.occupants,
    overcrowdedRooms: t.overcrowded_rooms,
  };
}

/** GET /api/enterprises/:id: the profile's summary and what the caller may do there. */
export async function getEnterprise(
  deps: EnterprisesDeps,
  actor: Actor,
  id: string,
): Promise<EnterpriseDetail> {
  const e = await visibleEnterprise(deps, actor, id);
  const [areas, sites, dorm] = await Promise.all([
    repo.areasOnPath(deps.db, e.area_path),
    repo.listSites(deps.db, e.id, false),
    repo.dormitoryTotals(deps.db, e.id, deps.config.overcrowdingMinM2PerPerson),
  ]);
  return {
    ...presentListItem(e),
    address: e.address,
    legalRepresentative: e.legal_representative,
    safetyOfficer: e.safety_officer,
    safetyOfficerPhone: e.safety_officer_phone_masked,
    gridPath: e.area_path,
    areas,
    headcount: e.employees,
    dormitory: presentTotals(dorm),
    sites: sites.map(presentSite),
    allowedActions: allowedActions(actor, { id: e.id, areaPath: e.area_path }),
  };
}

// ------------------------------------------------------------------ sites

export async function listSites(
  deps: EnterprisesDeps,
  actor: Actor,
  id: string,
  includeInactive: boolean,
) {
  const e = await visibleEnterprise(deps, actor, id);
  const rows = await repo.listSites(deps.db, e.id, includeInactive);
  return { items: rows.map(presentSite), total: rows.length };
}

/**
 * Where a site is: the point given, or the standard address (a registered
 * building) the address names; either must lie in a grid of the district.
 */
async function placeSite(
  deps: EnterprisesDeps,
  input: { address: string; lat?: number | undefined; lng?: number | undefined },
) {
  let lat = input.lat;
  let lng = input.lng;
  if (lat === undefined || lng === undefined) {
    const found = await locateAddress(deps, input.address);
    if (!found) {
      throw validation(
        "地址不是已登记的标准地址，请核对或在地图上选点 / The address matches no standard address; check it or pick the point on the map",
        [{ path: "body.address", message: "unknown address" }],
      );
    }
    lat = found.lat;
    lng = found.lng;
  }
  const grid = await deps.locator.locate(lng, lat);
  if (!grid) {
    throw validation(
      "该位置不在本辖区任何网格内 / The location is not inside any grid of the district",
      [{ path: "body.lng", message: "outside the district" }],
    );
  }
  return { lat, lng, grid_id: grid.id, area_path: grid.path };
}

const duplicateSite = (name: string) =>
  conflict(`已有同名场所「${name}」 / A site with this name already exists`, [
    { path: "body.name", message: "exists" },
  ]);

export async function createSite(
  deps: EnterprisesDeps,
  actor: Actor,
  id: string,
  input: z.infer<typeof createSiteBody>,
  requestId: string,
): Promise<Site> {
  const e = await enterpriseFor(deps, actor, id, canManageSites);
  const place = await placeSite(deps, input);
  const siteId = await deps.db.transaction().execute(async (trx) => {
    await repo.lockEnterprise(trx, e.id);
    if (await repo.activeSiteNamed(trx, e.id, input.name)) throw duplicateSite(input.name);
    const row = await repo.insertSite(trx, {
      organisation_id: e.id,
      name: input.name,
      kind: input.kind,
      address: input.address,
      ...place,
      building_id: null,
      created_by: actor.userId,
    });
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "enterprise_site.created",
        subjectType: "organisation",
        subjectId: e.id,
        details: { siteId: row.id, name: input.name, kind: input.kind, gridPath: place.area_path },
      },
    );
    return row.id;
  });
  const s = await repo.findSite(deps.db, e.id, siteId);
  if (!s) throw new Error("site vanished");
  return presentSite(s);
}

export async function updateSite(
  deps: EnterprisesDeps,
  actor: Actor,
  id: string,
  siteId: string,
  input: z.infer<typeof updateSiteBody>,
  requestId: string,
): Promise<Site> {
  const e = await enterpriseFor(deps, actor, id, canManageSites);
  const before = await repo.findSite(deps.db, e.id, siteId);
  if (!before) throw notFound("场所", "site");
  const moved = input.address !== undefined || input.lat !== undefined;
  const place = moved
    ? await placeSite(deps, {
        address: input.address ?? before.address,
        lat: input.lat,
        lng: input.lng,
      })
    : undefined;
  await deps.db.transaction().execute(async (trx) => {
    await repo.lockEnterprise(trx, e.id);
    const name = input.name ?? before.name;
    const active = input.active ?? before.active;
    if (active && (name !== before.name || !before.active)) {
      const other = await repo.activeSiteNamed(trx, e.id, name);
      if (other && other.id !== siteId) throw duplicateSite(name);
    }
    const done = await repo.updateSite(trx, siteId, input.version, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.kind !== undefined ? { kind: input.kind } : {}),
      ...(input.address !== undefined ? { address: input.address } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
      ...(place ?? {}),
    });
    if (!done) {
      throw conflict(
        "该场所已被他人修改，请刷新后重试 / The site was changed by someone else; reload and retry",
      );
    }
    const { version: _v, ...changed } = input;
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: input.active === false ? "enterprise_site.deactivated" : "enterprise_site.updated",
        subjectType: "organisation",
        subjectId: e.id,
        details: { siteId, changed: Object.keys(changed) },
      },
    );
  });
  const s = await repo.findSite(deps.db, e.id, siteId);
  if (!s) throw new Error("site vanished");
  return presentSite(s);
}

/** DELETE: a site is deactivated, not removed (hazards and inspections may name it). */
export async function deactivateSite(
  deps: EnterprisesDeps,
  actor: Actor,
  id: string,
  siteId: string,
  requestId: string,
) {
  const e = await enterpriseFor(deps, actor, id, canManageSites);
  const before = await repo.findSite(deps.db, e.id, siteId);
  if (!before) throw notFound("场所", "site");
  if (!before.active) return;
  await updateSite(deps, actor, id, siteId, { version: before.version, active: false }, requestId);
}

// ------------------------------------------------------------------ workforce

function presentEmployee(r: repo.EmployeeRow, today: string): Employee {
  return {
    residentId: r.resident_id,
    employmentId: r.employment_id,
    name: r.name,
    idNumber: r.id_number_masked,
    gender: r.gender,
    age: ageOn(r.birth_date, today),
    origin: { province: r.origin_province, city: r.origin_city },
    phone: r.phone_masked,
    hiredOn: r.hired_on,
    leftOn: r.left_on,
    position: r.position,
    source: r.source,
    current: r.current,
    dormitory:
      r.dorm_unit_id && r.dorm_address ? { unitId: r.dorm_unit_id, address: r.dorm_address } : null,
  };
}

export async function listEmployees(
  deps: EnterprisesDeps,
  actor: Actor,
  id: string,
  f: repo.EmployeeFilter,
) {
  const e = await visibleEnterprise(deps, actor, id);
  const r = await repo.listEmployees(deps.db, e.id, f);
  const today = todayInChina();
  return { items: r.items.map((x) => presentEmployee(x, today)), total: r.total };
}

interface RowRecord {
  /** file row number, or index in a push (from 0) */
  row: number;
  value: EmploymentInput;
}

interface UpsertOutcome extends EmployeeSyncResult {
  /** Rows refused because the person is already employed (the hire form answers 409). */
  alreadyEmployed: number[];
  /** Rows refused because the name differs from the register (409 for the hire form). */
  nameMismatch: number[];
}

type Source = "import" | "api" | "staff";

/**
 * Writes employment records for one enterprise inside `trx`: finds each
 * person by ID number (blind index) or registers them as base data, plans
 * each record against the person's employments (employment-plan.ts), writes
 * the inserts and updates in bulk, moves residents.employer_id to the
 * current employer, and records one audit row. Refused records come back
 * with their row and reason; the others go in.
 */
async function upsertEmployments(
  deps: EnterprisesDeps,
  trx: Transaction<DB>,
  actor: Actor,
  org: { id: string },
  records: RowRecord[],
  source: Source,
  requestId: string,
  opts: { newHireOnly?: boolean } = {},
): Promise<UpsertOutcome> {
  await repo.lockEnterprise(trx, org.id);
  const out: UpsertOutcome = {
    received: records.length,
    residentsCreated: 0,
    hired: 0,
    updated: 0,
    unchanged: 0,
    errors: [],
    alreadyEmployed: [],
    nameMismatch: [],
  };
  const refuse = (row: number, reason: string) => out.errors.push({ row, reason });

  const prepared = records.map((r) => ({
    ...r,
    identity: identityColumns(deps.fieldCrypto, r.value.idNumber, r.value.phone),
  }));
  const known = new Map(
    (
      await repo.residentsByIdIndexes(trx, [
        ...new Set(prepared.map((p) => p.identity.id_number_index)),
      ])
    ).map((r) => [r.id_number_index, r]),
  );
  const accepted: (typeof prepared)[number][] = [];
  const fresh = new Map<string, repo.NewResidentRow>();
  const unplaced = unplacedAreaPathOf(actor);
  for (const p of prepared) {
    const k = known.get(p.identity.id_number_index);
    if (k && k.name !== p.value.name) {
      out.nameMismatch.push(p.row);
      refuse(
        p.row,
        "该身份证号已登记，但姓名与登记信息不一致，请核对员工证件 / This ID number is registered under another name; check the papers",
      );
      continue;
    }
    if (!k && !fresh.has(p.identity.id_number_index)) {
      fresh.set(p.identity.id_number_index, {
        name: p.value.name,
        ...p.identity,
        // Without a home yet, a person registered by staff stays in their area;
        // an enterprise sees its employees through the employment.
        area_path: unplaced,
      });
    }
    accepted.push(p);
  }
  const idByIndex = new Map([...known.values()].map((r) => [r.id_number_index, r.id]));
  const inserted = await repo.insertResidents(trx, [...fresh.values()]);
  out.residentsCreated = inserted.length;
  for (const r of inserted) idByIndex.set(r.id_number_index, r.id);
  if (inserted.length < fresh.size) {
    // Someone registered the same people meanwhile: find them again.
    const missing = [...fresh.keys()].filter((k) => !idByIndex.has(k));
    for (const r of await repo.residentsByIdIndexes(trx, missing))
      idByIndex.set(r.id_number_index, r.id);
  }

  const residentIds = [
    ...new Set(accepted.map((p) => idByIndex.get(p.identity.id_number_index))),
  ].filter((x): x is string => x !== undefined);
  // Each person's employments here, kept up to date as records are planned.
  interface Entry extends RecordedEmployment {
    dirty: boolean;
  }
  const history = new Map<string, Entry[]>();
  for (const e of await repo.employmentsOf(trx, org.id, residentIds)) {
    const list = history.get(e.resident_id) ?? [];
    list.push({ ...e, dirty: false });
    history.set(e.resident_id, list);
  }
  // Records of one person in order of hire, so a pushed history builds up in order.
  accepted.sort((a, b) =>
    a.identity.id_number_index === b.identity.id_number_index
      ? a.value.hiredOn.localeCompare(b.value.hiredOn)
      : a.row - b.row,
  );
  let pendingId = 0;
  const touched = new Set<string>();
  for (const p of accepted) {
    const residentId = idByIndex.get(p.identity.id_number_index) as string;
    const list = history.get(residentId) ?? [];
    if (opts.newHireOnly && list.some((e) => e.left_on === null)) {
      out.alreadyEmployed.push(p.row);
      refuse(p.row, "该员工已在职 / already a current employee");
      continue;
    }
    const plan = planEmployment(list, p.value);
    switch (plan.kind) {
      case "refused":
        refuse(p.row, plan.reason);
        continue;
      case "unchanged":
        out.unchanged++;
        continue;
      case "insert":
        list.push({
          id: `new:${pendingId++}`,
          hired_on: plan.hiredOn,
          left_on: plan.leftOn,
          position: plan.position,
          dirty: true,
        });
        break;
      case "update": {
        const e = list.find((x) => x.id === plan.id) as Entry;
        e.hired_on = plan.hiredOn;
        e.left_on = plan.leftOn;
        e.position = plan.position;
        e.dirty = true;
        break;
      }
    }
    list.sort((a, b) => a.hired_on.localeCompare(b.hired_on));
    history.set(residentId, list);
    touched.add(residentId);
  }

  const inserts: repo.NewEmployment[] = [];
  const updates: repo.EmploymentPatch[] = [];
  for (const [residentId, list] of history) {
    for (const e of list) {
      if (!e.dirty) continue;
      if (e.id.startsWith("new:")) {
        inserts.push({
          organisation_id: org.id,
          resident_id: residentId,
          hired_on: e.hired_on,
          left_on: e.left_on,
          position: e.position,
          source,
          created_by: actor.userId,
        });
      } else {
        updates.push({ id: e.id, hired_on: e.hired_on, left_on: e.left_on, position: e.position });
      }
    }
  }
  out.hired = inserts.length;
  out.updated = updates.length;
  // Closing comes before opening: at most one open employment per person here.
  await repo.updateEmployments(trx, updates);
  await repo.insertEmployments(trx, inserts);
  await repo.syncEmployers(trx, org.id, [...touched]);
  if (inserts.length + updates.length + out.residentsCreated > 0) {
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "enterprise.employees_written",
        subjectType: "organisation",
        subjectId: org.id,
        details: {
          source,
          received: out.received,
          residentsCreated: out.residentsCreated,
          hired: out.hired,
          updated: out.updated,
          refused: out.errors.length,
        },
      },
    );
  }
  out.errors.sort((a, b) => a.row - b.row);
  return out;
}

const result = (o: UpsertOutcome): EmployeeSyncResult => ({
  received: o.received,
  residentsCreated: o.residentsCreated,
  hired: o.hired,
  updated: o.updated,
  unchanged: o.unchanged,
  errors: o.errors,
});

/** POST /api/enterprises/:id/employees: one new hire from the form. */
export async function hireEmployee(
  deps: EnterprisesDeps,
  actor: Actor,
  id: string,
  input: {
    name: string;
    idNumber: string;
    phone?: string | undefined;
    hiredOn: string;
    position?: string | undefined;
  },
  requestId: string,
): Promise<Employee> {
  const e = await enterpriseFor(deps, actor, id, canManageWorkforce);
  const checked = checkEmploymentRecord({ ...input, leftOn: null }, todayInChina());
  if (!checked.ok) {
    const field = checked.reason.startsWith("入职") ? "body.hiredOn" : "body";
    throw validation(checked.reason, [{ path: field, message: checked.reason }]);
  }
  const residentId = await deps.db.transaction().execute(async (trx) => {
    const o = await upsertEmployments(
      deps,
      trx,
      actor,
      e,
      [{ row: 0, value: checked.value }],
      "staff",
      requestId,
      { newHireOnly: true },
    );
    const reason = o.errors[0]?.reason;
    if (o.alreadyEmployed.length || o.nameMismatch.length)
      throw conflict(reason ?? "conflict", [{ path: "body.idNumber", message: reason }]);
    if (reason) throw validation(reason, [{ path: "body.hiredOn", message: reason }]);
    const index = deps.fieldCrypto.blindIndex(ID_INDEX_KIND, checked.value.idNumber.normalized);
    return (await repo.residentsByIdIndexes(trx, [index]))[0]?.id as string;
  });
  const list = await repo.listEmployees(deps.db, e.id, {
    status: "current",
    residentId,
    sort: "-hiredOn",
    limit: 1,
    offset: 0,
  });
  const row = list.items[0];
  if (!row) throw new Error("employee vanished");
  return presentEmployee(row, todayInChina());
}

/** POST /api/enterprises/:id/employees/:residentId/leave */
export async function leaveEmployee(
  deps: EnterprisesDeps,
  actor: Actor,
  id: string,
  residentId: string,
  leftOn: string,
  requestId: string,
) {
  const e = await enterpriseFor(deps, actor, id, canManageWorkforce);
  if (leftOn > todayInChina()) {
    throw validation("离职日期晚于今天 / The leave date is in the future", [
      { path: "body.leftOn", message: "future" },
    ]);
  }
  await deps.db.transaction().execute(async (trx) => {
    await repo.lockEnterprise(trx, e.id);
    const resident = await repo.findResident(trx, residentId);
    const open = (await repo.employmentsOf(trx, e.id, [residentId])).find(
      (x) => x.left_on === null,
    );
    if (!resident || (!open && resident.employer_id !== e.id))
      throw notFound("在职员工", "current employee");
    if (open) {
      if (leftOn < open.hired_on) {
        throw validation(
          `离职日期不能早于入职日期 ${open.hired_on} / The leave date is before the hire date`,
          [{ path: "body.leftOn", message: "before hire" }],
        );
      }
      await repo.updateEmployments(trx, [
        { id: open.id, hired_on: open.hired_on, left_on: leftOn, position: open.position },
      ]);
    }
    await repo.syncEmployers(trx, e.id, [residentId]);
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "enterprise.employee_left",
        subjectType: "organisation",
        subjectId: e.id,
        details: { residentId, employmentId: open?.id ?? null, leftOn },
      },
    );
  });
}

/**
 * PUT /api/enterprises/:id/employees: an HR system's push (API token with
 * `employees:write`) or the enterprise's own upload of records; an
 * idempotent upsert, one transaction.
 */
export async function pushEmployees(
  deps: EnterprisesDeps,
  actor: Actor,
  id: string,
  records: EmployeeRecord[],
  requestId: string,
): Promise<EmployeeSyncResult> {
  let org: { id: string };
  if (isEmployeePusher(actor)) {
    // Tokens are not scoped to an area: any enterprise, by id.
    const found = await repo.findEnterprise(deps.db, id);
    if (!found) throw NOT_FOUND();
    org = found;
  } else {
    org = await enterpriseFor(deps, actor, id, canManageWorkforce);
  }
  const today = todayInChina();
  const good: RowRecord[] = [];
  const errors: EmployeeSyncResult["errors"] = [];
  const seen = new Map<string, number>();
  records.forEach((r, i) => {
    const c = checkEmploymentRecord(r, today);
    if (!c.ok) {
      errors.push({ row: i, reason: c.reason });
      return;
    }
    const key = `${c.value.idNumber.normalized}@${c.value.hiredOn}`;
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({ row: i, reason: `与第 ${first} 条重复 / duplicate of record ${first}` });
      return;
    }
    seen.set(key, i);
    good.push({ row: i, value: c.value });
  });
  const o = await deps.db
    .transaction()
    .execute((trx) => upsertEmployments(deps, trx, actor, org, good, "api", requestId));
  const r = result(o);
  return {
    ...r,
    received: records.length,
    errors: [...errors, ...r.errors].sort((a, b) => a.row - b.row),
  };
}

// ------------------------------------------------------------------ import

export const EMPLOYEE_COLUMNS = [
  { key: "name", header: "姓名", required: true, example: "张伟", note: "必填" },
  {
    key: "idNumber",
    header: "身份证号",
    required: true,
    example: "34010219950308123X",
    note: "必填，18 位，末位为校验码",
  },
  {
    key: "phone",
    header: "手机号",
    required: false,
    example: "13800138000",
    note: "11 位大陆手机号",
  },
  {
    key: "hiredOn",
    header: "入职日期",
    required: true,
    example: "2024-03-01",
    note: "必填，YYYY-MM-DD（也可写 2024/3/1 或 2024年3月1日），不晚于今天",
  },
  {
    key: "leftOn",
    header: "离职日期",
    required: false,
    example: "",
    note: "已离职的填写，不早于入职日期；在职的留空",
  },
  { key: "position", header: "岗位", required: false, example: "操作工", note: "最多 40 个字" },
] as const;

/** Files larger than this are refused: the whole file is written in one transaction. */
export const EMPLOYEE_IMPORT_MAX_ROWS = 5000;

export async function employeeTemplate(format: "csv" | "xlsx") {
  const rows = [EMPLOYEE_COLUMNS.map((c) => c.header), EMPLOYEE_COLUMNS.map((c) => c.example)];
  if (format === "csv") return csvText(rows);
  return xlsxBuffer("员工名册", rows, [
    "员工名册导入模板：第一行为表头，请勿修改；从第二行起每行一条任职记录（示例行请删除）。",
    "同一人按身份证号识别；已登记的居民不会重复登记。同一文件重复导入不会产生重复记录。",
    `每个文件最多 ${EMPLOYEE_IMPORT_MAX_ROWS} 行。`,
    ...EMPLOYEE_COLUMNS.map((c) => `${c.header}：${c.note}`),
  ]);
}

function mapHeaders(header: string[]): (string | null)[] {
  const norm = (s: string) =>
    s
      .replace(/\s+/g, "")
      .replace(/[（(].*[)）]$/, "")
      .toLowerCase();
  const mapped = header.map(
    (h) =>
      EMPLOYEE_COLUMNS.find((c) => norm(c.header) === norm(h) || c.key.toLowerCase() === norm(h))
        ?.key ?? null,
  );
  const missing = EMPLOYEE_COLUMNS.filter((c) => c.required && !mapped.includes(c.key)).map(
    (c) => c.header,
  );
  if (missing.length) {
    throw validation(
      `表头不正确：缺少「${missing.join("」「")}」列。请下载模板对照。 / Wrong headers: missing ${missing.join(", ")}; download the template`,
      { missing, found: header.slice(0, 12) },
    );
  }
  return mapped;
}

/**
 * POST /api/enterprises/:id/employees/import: a CSV or XLSX of employment
 * records (EMPLOYEE_COLUMNS). Each bad row is reported with its row number
 * and reason; the good rows go in together, in one transaction.
 */
export async function importEmployees(
  deps: EnterprisesDeps,
  actor: Actor,
  id: string,
  file: string,
  requestId: string,
): Promise<EmployeeSyncResult> {
  const e = await enterpriseFor(deps, actor, id, canManageWorkforce);
  const size = (await fs.promises.stat(file)).size;
  if (size === 0) throw validation("文件为空 / The file is empty");
  const kind = await sniffSpreadsheet(file);
  if (!kind)
    throw validation("文件不是 CSV 或 XLSX 表格 / The file is not a CSV or XLSX spreadsheet");
  const today = todayInChina();
  const good: RowRecord[] = [];
  const errors: EmployeeSyncResult["errors"] = [];
  const seen = new Map<string, number>();
  let keys: (string | null)[] | null = null;
  let rowNumber = 0;
  let total = 0;
  try {
    for await (const cells of readRows(file, kind)) {
      rowNumber++;
      if (!keys) {
        keys = mapHeaders(cells);
        continue;
      }
      total++;
      if (total > EMPLOYEE_IMPORT_MAX_ROWS) {
        throw validation(
          `文件超过 ${EMPLOYEE_IMPORT_MAX_ROWS} 行，请拆分后分批导入 / More than ${EMPLOYEE_IMPORT_MAX_ROWS} rows; split the file`,
        );
      }
      const byKey: Record<string, string> = {};
      keys.forEach((k, i) => {
        if (k) byKey[k] = cells[i] ?? "";
      });
      const c = checkEmploymentRecord(byKey, today);
      if (!c.ok) {
        errors.push({ row: rowNumber, reason: c.reason });
        continue;
      }
      const key = `${c.value.idNumber.normalized}@${c.value.hiredOn}`;
      const first = seen.get(key);
      if (first !== undefined) {
        errors.push({ row: rowNumber, reason: `与第 ${first} 行重复 / duplicate of row ${first}` });
        continue;
      }
      seen.set(key, rowNumber);
      good.push({ row: rowNumber, value: c.value });
    }
  } catch (err) {
    if (err instanceof Error && "status" in err) throw err;
    throw validation(
      "无法读取表格，文件可能已损坏 / The spreadsheet cannot be read; it may be damaged",
    );
  }
  if (!keys) throw validation("文件没有表头 / The file has no header row");
  const o = await deps.db
    .transaction()
    .execute((trx) => upsertEmployments(deps, trx, actor, e, good, "import", requestId));
  const r = result(o);
  return { ...r, received: total, errors: [...errors, ...r.errors].sort((a, b) => a.row - b.row) };
}

// ------------------------------------------------------------------ headcount

/** The first day of the month `months` before today's month. */
function monthStart(today: string, months: number): string {
  return `${addMonths(`${today.slice(0, 7)}-01`, -months)}`;
}

export async function workforce(
  deps: EnterprisesDeps,
  actor: Actor,
  id: string,
): Promise<Workforce> {
  const e = await visibleEnterprise(deps, actor, id);
  const today = todayInChina();
  const from = monthStart(today, 11);
  const [origin, moves, dorm] = await Promise.all([
    repo.headcountByOrigin(deps.db, e.id),
    repo.movementsByMonth(deps.db, e.id, from),
    repo.dormitoryTotals(deps.db, e.id, deps.config.overcrowdingMinM2PerPerson),
  ]);
  const hires = new Map(moves.hires.map((m) => [m.month, m.n]));
  const leavers = new Map(moves.leavers.map((m) => [m.month, m.n]));
  const months = Array.from({ length: 12 }, (_, i) => {
    const month = addMonths(from, i).slice(0, 7);
    return { month, hires: hires.get(month) ?? 0, leavers: leavers.get(month) ?? 0 };
  });
  return {
    headcount: origin.reduce((n, o) => n + o.n, 0),
    byOrigin: origin.map((o) => ({ province: o.province, count: o.n })),
    months,
    dormitory: presentTotals(dorm),
  };
}

// ------------------------------------------------------------------ dormitories

export async function listDormitories(
  deps: EnterprisesDeps,
  actor: Actor,
  id: string,
  f: {
    overcrowded?: boolean | undefined;
    q?: string | undefined;
    unitId?: string | undefined;
    limit: number;
    offset: number;
  },
) {
  const e = await visibleEnterprise(deps, actor, id);
  const min = deps.config.overcrowdingMinM2PerPerson;
  const [rooms, totals] = await Promise.all([
    repo.listDormitoryRooms(deps.db, e.id, f, min),
    repo.dormitoryTotals(deps.db, e.id, min),
  ]);
  const people = await repo.visibleOccupants(
    deps.db,
    dataScopeOf(actor),
    e.id,
    rooms.items.map((u) => u.id),
  );
  return {
    items: rooms.items.map((u) => {
      const floorAreaM2 = u.floor_area_m2 === null ? null : Number(u.floor_area_m2);
      const named = people.filter((p) => p.unit_id === u.id);
      return {
        unitId: u.id,
        address: u.address,
        floorAreaM2,
        capacity: u.declared_capacity,
        occupants: u.occupants,
        overcrowding: assessOvercrowding(
          { occupants: u.occupants, declaredCapacity: u.declared_capacity, floorAreaM2 },
          min,
        ),
        people: named.map((p) => ({ residentId: p.id, name: p.name, employee: p.employee })),
        hiddenOccupants: Math.max(0, u.occupants - named.length),
      };
    }),
    total: rooms.total,
    totals: presentTotals(totals),
  };
}

/** Houses a current employee in one of the enterprise's dormitory rooms (a residence move). */
export async function assignRoom(
  deps: EnterprisesDeps,
  actor: Actor,
  id: string,
  unitId: string,
  input: { residentId: string; date?: string | undefined },
  requestId: string,
) {
  const e = await enterpriseFor(deps, actor, id, canManageWorkforce);
  const date = input.date ?? todayInChina();
  if (date > todayInChina()) {
    throw validation("入住日期不能晚于今天 / The date is in the future", [
      { path: "body.date", message: "future" },
    ]);
  }
  await deps.db.transaction().execute(async (trx) => {
    await repo.lockEnterprise(trx, e.id);
    const room = await repo.findDormitoryRoom(trx, e.id, unitId);
    if (!room) throw notFound("宿舍房间", "dormitory room");
    if (!(await repo.isCurrentEmployee(trx, e.id, input.residentId))) {
      throw validation("只能安排本企业在职员工入住 / Only current employees can be housed here", [
        { path: "body.residentId", message: "not a current employee" },
      ]);
    }
    const moved = await moveResidentWithin(
      trx,
      actor,
      input.residentId,
      { unitId, date },
      requestId,
    );
    if (!moved) throw conflict("该员工已住在此房间 / The employee already lives in this room");
  });
  const r = await listDormitories(deps, actor, id, { unitId, limit: 1, offset: 0 });
  return r.items[0] as (typeof r.items)[number];
}

// ------------------------------------------------------------------ case tasks

/**
 * The enterprise's open tasks on cases (a department asked it to assist):
 * for its own officers, and for coordinators and admins over its area.
 */
export async function listTasks(
  deps: EnterprisesDeps,
  actor: Actor,
  id: string,
  page: { limit: number; offset: number },
): Promise<{ items: EnterpriseTask[]; total: number }> {
  const e = await visibleEnterprise(deps, actor, id);
  const oversees = areaScopePaths(actor, ["admin", "coordinator"]).some((p) =>
    pathWithin(e.area_path, p),
  );
  if (!officerOf(actor).includes(e.id) && !oversees) throw forbidden();
  const r = await repo.openTasks(deps.db, e.id, page.limit, page.offset);
  const now = Date.now();
  return {
    items: r.items.map((t) => ({
      partyId: t.party_id,
      caseId: t.case_id,
      caseCode: t.code,
      caseStatus: t.status,
      category: t.category,
      task: t.task,
      dueAt: t.due_at?.toISOString() ?? null,
      overdue: t.due_at !== null && t.due_at.getTime() < now,
      createdAt: t.created_at.toISOString(),
    })),
    total: r.total,
  };
}
