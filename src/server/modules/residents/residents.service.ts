/**
 * Actual population: residents registered by themselves, a grid worker, a
 * landlord or an enterprise; one person per ID number (found again through
 * the blind index, never duplicated); moves in and out kept as a history;
 * eligibility for a residence permit after an unbroken registration; personal
 * numbers encrypted, masked in every answer, revealed only with a reason and
 * an audit row.
 */
import type { Kysely, Transaction } from "kysely";
import { addMonths, ageOn, todayInChina } from "../../../shared/dates.js";
import { maskMobile } from "../../../shared/formats/mobile.js";
import { regionName } from "../../../shared/formats/regions.js";
import {
  maskResidentId,
  parseResidentId,
  type ResidentId,
} from "../../../shared/formats/resident-id.js";
import { isEnterpriseRole } from "../../../shared/roles.js";
import type { Resident } from "../../../shared/schemas/residents.js";
import type { Config } from "../../config.js";
import type { FieldCrypto } from "../../crypto/field-crypto.js";
import type { DB } from "../../db/schema.js";
import { conflict, forbidden, notFound, validation } from "../../errors.js";
import {
  type Actor,
  canEditAnyBaseData,
  canEditBaseData,
  canRevealAnyPersonalData,
  dataScopeOf,
  unplacedAreaPathOf,
} from "../access/access.policy.js";
import { recordAudit } from "../audit/audit.service.js";
import { findUnitPlacement } from "../housing/housing.service.js";
import { findOrganisationById } from "../organisations/organisations.service.js";
import * as repo from "./residents.repository.js";

export interface ResidentsDeps {
  db: Kysely<DB>;
  config: Config;
  fieldCrypto: FieldCrypto;
}

export const ID_INDEX_KIND = "resident_id";
export const PHONE_INDEX_KIND = "phone";

type Channel = "self" | "grid_worker" | "landlord" | "enterprise" | "import" | "staff";

/** The personal columns of a resident, derived from the ID number and phone. */
export function identityColumns(
  crypto: FieldCrypto,
  /** The number as typed, or already parsed (imports parse every row first). */
  idNumber: string | ResidentId,
  phone: string | null | undefined,
) {
  let v: ResidentId;
  if (typeof idNumber === "string") {
    const parsed = parseResidentId(idNumber);
    if (!parsed.ok)
      throw validation(parsed.error, [{ path: "body.idNumber", message: parsed.error }]);
    v = parsed.value;
  } else v = idNumber;
  const region = regionName(v.regionCode);
  return {
    id_number_enc: crypto.encrypt(v.normalized, "residents.id_number"),
    id_number_index: crypto.blindIndex(ID_INDEX_KIND, v.normalized),
    id_number_masked: maskResidentId(v.normalized),
    gender: v.sex,
    birth_date: v.birthDate,
    region_code: v.regionCode,
    origin_province: region?.province ?? v.provinceCode,
    origin_city: region?.city ?? null,
    phone_enc: phone ? crypto.encrypt(phone, "residents.phone") : null,
    phone_index: phone ? crypto.blindIndex(PHONE_INDEX_KIND, phone) : null,
    phone_masked: phone ? maskMobile(phone) : null,
  };
}

function channelOf(actor: Actor): Channel {
  const roles = new Set(actor.grants.map((g) => g.role));
  if (roles.has("grid_worker")) return "grid_worker";
  if (roles.has("admin") || roles.has("coordinator") || roles.has("department_officer"))
    return "staff";
  if (roles.has("enterprise_officer") || roles.has("enterprise_manager")) return "enterprise";
  return "self";
}

function ownOrganisations(actor: Actor): string[] {
  return actor.grants
    .filter((g) => isEnterpriseRole(g.role) && g.scopeId)
    .map((g) => g.scopeId as string);
}

export function present(
  r: repo.ResidentRow,
  actor: Actor,
  config: Config,
  today = todayInChina(),
): Resident {
  const eligibleSince = r.registered_since
    ? addMonths(r.registered_since, config.permitEligibleMonths)
    : null;
  const canEdit = r.area_path !== null && canEditBaseData(actor, r.area_path);
  const self = r.user_id !== null && r.user_id === actor.userId;
  return {
    id: r.id,
    name: r.name,
    idNumber: r.id_number_masked,
    gender: r.gender,
    birthDate: r.birth_date,
    age: ageOn(r.birth_date, today),
    origin: { regionCode: r.region_code, province: r.origin_province, city: r.origin_city },
    phone: r.phone_masked,
    arrivalDate: r.arrival_date,
    status: r.status,
    registeredSince: r.registered_since,
    permitEligibleSince: eligibleSince,
    permitEligible: r.status === "registered" && eligibleSince !== null && eligibleSince <= today,
    unit: r.unit_id && r.unit_address ? { id: r.unit_id, address: r.unit_address } : null,
    employer:
      r.employer_id && r.employer_name ? { id: r.employer_id, name: r.employer_name } : null,
    gridPath: r.area_path,
    allowedActions: [
      ...(canEdit ? (["edit", "move"] as const) : []),
      ...(canEdit || self ? (["reveal"] as const) : []),
    ],
  };
}

async function unitForRegistration(
  trx: Transaction<DB>,
  actor: Actor,
  unitId: string,
  selfRegistration: boolean,
) {
  const unit = await findUnitPlacement({ db: trx }, unitId);
  const allowed =
    unit !== undefined &&
    (canEditBaseData(actor, unit.area_path) ||
      selfRegistration ||
      (unit.landlord_organisation_id !== null &&
        ownOrganisations(actor).includes(unit.landlord_organisation_id)));
  if (!unit || !allowed) {
    throw validation("房屋不存在或不在您的管辖范围内 / Unknown unit, or outside your area", [
      { path: "body.unitId", message: "not found" },
    ]);
  }
  return unit;
}

/** Moves a resident into a unit from `date`, closing any open registration. */
async function moveInto(
  trx: Transaction<DB>,
  resident: {
    id: string;
    registered_since: string | null;
    status: "registered" | "permit_holder" | "departed";
  },
  unit: { id: string; area_path: string },
  date: string,
  channel: Channel,
  registeredBy: string | null,
) {
  const open = await repo.openRegistration(trx, resident.id);
  if (open?.unit_id === unit.id) return false;
  if (open) {
    if (date < open.moved_in) {
      throw validation(
        `迁入日期不能早于上一次迁入日期 ${open.moved_in} / The move date is before the previous move-in`,
        [{ path: "body.date", message: "before previous move-in" }],
      );
    }
    await repo.closeRegistration(trx, open.id, date);
  }
  await repo.insertRegistration(trx, {
    resident_id: resident.id,
    unit_id: unit.id,
    moved_in: date,
    channel,
    registered_by: registeredBy,
  });
  // A move without a gap keeps the registration unbroken; a return after leaving starts anew.
  const continuous = open !== undefined && resident.status !== "departed";
  await repo.setHome(trx, resident.id, {
    unit_id: unit.id,
    area_path: unit.area_path,
    registered_since: continuous ? (resident.registered_since ?? date) : date,
    status: resident.status === "permit_holder" ? "permit_holder" : "registered",
  });
  return true;
}

export async function registerResident(
  deps: ResidentsDeps,
  actor: Actor,
  input: {
    name: string;
    idNumber: string;
    phone?: string | undefined;
    arrivalDate?: string | undefined;
    unitId?: string | undefined;
    movedIn?: string | undefined;
    employerId?: string | undefined;
  },
  requestId: string,
): Promise<{ resident: Resident; created: boolean }> {
  const channel = channelOf(actor);
  const selfRegistration = channel === "self";
  const own = ownOrganisations(actor);
  if (channel === "enterprise" && (!input.employerId || !own.includes(input.employerId))) {
    throw forbidden("企业只能登记本企业员工 / An enterprise registers only its own employees");
  }
  if (channel === "self" && !actor.grants.some((g) => g.role === "resident")) throw forbidden();
  if (!input.unitId && channel === "staff" && !canEditAnyBaseData(actor)) throw forbidden();
  const identity = identityColumns(deps.fieldCrypto, input.idNumber, input.phone);
  const today = todayInChina();
  const movedIn = input.movedIn ?? today;
  if (movedIn > today)
    throw validation("迁入日期不能晚于今天 / The move-in date is in the future", [
      { path: "body.movedIn", message: "future" },
    ]);

  const { id, created } = await deps.db.transaction().execute(async (trx) => {
    if (input.employerId) {
      const org = await findOrganisationById({ db: trx }, input.employerId);
      if (org?.kind !== "enterprise") {
        throw validation("用人单位不存在 / Unknown employer", [
          { path: "body.employerId", message: "not found" },
        ]);
      }
    }
    const unit = input.unitId
      ? await unitForRegistration(trx, actor, input.unitId, selfRegistration)
      : null;
    const existing = await repo.findByIdNumberIndex(trx, identity.id_number_index);
    if (selfRegistration) {
      const mine = await repo.findByUserId(trx, actor.userId as string);
      if (mine && mine.id !== existing?.id)
        throw conflict("您已登记过 / You are already registered");
      if (existing?.user_id && existing.user_id !== actor.userId) {
        throw conflict(
          "该身份证号已与其他账户关联，请联系网格员 / This ID number belongs to another account; contact your grid worker",
        );
      }
      // Someone registered by staff claims their record: knowing the ID
      // number alone is not proof. The name must match, and the phone too
      // where one is on record; otherwise a grid worker checks in person.
      if (existing && !existing.user_id) {
        const nameMatches = existing.name === input.name.trim();
        const phoneMatches =
          existing.phone_index === null || existing.phone_index === identity.phone_index;
        if (!nameMatches || !phoneMatches) {
          throw conflict(
            "该身份证号已由工作人员登记，但姓名或手机号与登记信息不一致，请联系网格员当面核实 / This ID number is already registered with another name or phone; your grid worker will check in person",
          );
        }
      }
    }
    // An enterprise taking on someone already registered shows it has their
    // papers: the name must match the record.
    if (
      channel === "enterprise" &&
      existing &&
      existing.employer_id !== input.employerId &&
      existing.name !== input.name.trim()
    ) {
      throw conflict(
        "该身份证号已登记，但姓名与登记信息不一致，请核对员工证件 / This ID number is registered under another name; check the employee's papers",
        [{ path: "body.name", message: "name differs" }],
      );
    }
    let residentId: string;
    let wasCreated = false;
    if (existing) {
      residentId = existing.id;
      if (selfRegistration && !existing.user_id) {
        await repo.updateResident(trx, existing.id, { user_id: actor.userId });
      }
      if (input.employerId && existing.employer_id !== input.employerId) {
        await repo.updateResident(trx, existing.id, { employer_id: input.employerId });
      }
    } else {
      const row = await repo.insert(trx, {
        name: input.name,
        ...identity,
        arrival_date: input.arrivalDate ?? null,
        employer_id: input.employerId ?? null,
        user_id: selfRegistration ? actor.userId : null,
        // Without a unit yet, the person stays in the registrant's area.
        area_path: unit ? null : unplacedAreaPathOf(actor),
      });
      residentId = row.id;
      wasCreated = true;
    }
    const current = await repo.findById(trx, residentId);
    if (!current) throw new Error("resident vanished");
    const moved = unit ? await moveInto(trx, current, unit, movedIn, channel, actor.userId) : false;
    // A person found again who stays outside the caller's scope (not moved
    // into it, not their employee, not themself) is not shown to them: their
    // name and address are not the caller's to see.
    if (!wasCreated && !(await repo.findVisible(trx, dataScopeOf(actor), residentId))) {
      throw conflict(
        "该身份证号已在其他辖区登记；如其已迁入您的辖区，请同时选择现住房屋 / This person is registered outside your area; if they moved into it, choose the unit they live in",
        [{ path: "body.unitId", message: "registered elsewhere" }],
      );
    }
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: wasCreated ? "resident.registered" : "resident.found_again",
        subjectType: "resident",
        subjectId: residentId,
        details: { channel, unitId: unit?.id ?? null, moved, employerId: input.employerId ?? null },
      },
    );
    return { id: residentId, created: wasCreated };
  });
  const row = await repo.findRow(deps.db, id);
  if (!row) throw new Error("resident vanished");
  return { resident: present(row, actor, deps.config), created };
}

export async function listResidents(
  deps: ResidentsDeps,
  actor: Actor,
  f: Omit<repo.ResidentFilter, "idNumberIndex" | "registeredSinceOnOrBefore"> & {
    idNumber?: string | undefined;
    eligible?: boolean;
  },
) {
  const { idNumber, eligible, ...rest } = f;
  let idNumberIndex: string | undefined;
  if (idNumber) {
    const parsed = parseResidentId(idNumber);
    if (!parsed.ok)
      throw validation(parsed.error, [{ path: "querystring.idNumber", message: parsed.error }]);
    idNumberIndex = deps.fieldCrypto.blindIndex(ID_INDEX_KIND, parsed.value.normalized);
  }
  const today = todayInChina();
  const r = await repo.list(deps.db, dataScopeOf(actor), {
    ...rest,
    ...(idNumberIndex ? { idNumberIndex } : {}),
    ...(eligible
      ? { registeredSinceOnOrBefore: addMonths(today, -deps.config.permitEligibleMonths) }
      : {}),
  });
  return { items: r.items.map((x) => present(x, actor, deps.config, today)), total: r.total };
}

export async function getResident(deps: ResidentsDeps, actor: Actor, id: string) {
  const r = await repo.findVisible(deps.db, dataScopeOf(actor), id);
  if (!r) throw notFound("居民", "resident");
  const registrations = await repo.registrationsOf(deps.db, id);
  return {
    ...present(r, actor, deps.config),
    registrations: registrations.map((g) => ({
      id: g.id,
      unit: { id: g.unit_id, address: g.address },
      movedIn: g.moved_in,
      movedOut: g.moved_out,
      channel: g.channel,
      registeredBy: g.registered_by,
    })),
  };
}

async function editable(deps: ResidentsDeps, actor: Actor, id: string) {
  // A role that may never edit is refused whatever the record (403, not 404).
  if (!canEditAnyBaseData(actor)) throw forbidden();
  const r = await repo.findVisible(deps.db, dataScopeOf(actor), id);
  if (!r) throw notFound("居民", "resident");
  if (r.area_path === null ? !canEditAnyBaseData(actor) : !canEditBaseData(actor, r.area_path))
    throw forbidden();
  return r;
}

/**
 * Corrects a resident's facts (name, phone, arrival date, employer) or
 * records a residence permit. Audited with what changed (never the phone
 * number itself).
 */
export async function updateResidentFacts(
  deps: ResidentsDeps,
  actor: Actor,
  id: string,
  input: {
    name?: string | undefined;
    phone?: string | null | undefined;
    arrivalDate?: string | null | undefined;
    employerId?: string | null | undefined;
    status?: "registered" | "permit_holder" | undefined;
  },
  requestId: string,
) {
  const before = await editable(deps, actor, id);
  if (input.arrivalDate && input.arrivalDate > todayInChina())
    throw validation("来苏日期不能晚于今天 / The arrival date is in the future", [
      { path: "body.arrivalDate", message: "future" },
    ]);
  if (input.status && before.status === "departed")
    throw conflict("该居民已迁出，请先登记迁入 / The resident has left; register a move-in first");
  const patch: Parameters<typeof repo.updateResident>[2] = {};
  const changed: string[] = [];
  if (input.name !== undefined && input.name !== before.name) {
    patch.name = input.name;
    changed.push("name");
  }
  if (input.phone !== undefined) {
    const index = input.phone ? deps.fieldCrypto.blindIndex(PHONE_INDEX_KIND, input.phone) : null;
    const stored = await repo.findById(deps.db, id);
    if (index !== (stored?.phone_index ?? null)) {
      patch.phone_enc = input.phone
        ? deps.fieldCrypto.encrypt(input.phone, "residents.phone")
        : null;
      patch.phone_index = index;
      patch.phone_masked = input.phone ? maskMobile(input.phone) : null;
      changed.push("phone");
    }
  }
  if (input.arrivalDate !== undefined && input.arrivalDate !== before.arrival_date) {
    patch.arrival_date = input.arrivalDate;
    changed.push("arrivalDate");
  }
  if (input.status !== undefined && input.status !== before.status) {
    patch.status = input.status;
    changed.push("status");
  }
  await deps.db.transaction().execute(async (trx) => {
    if (input.employerId !== undefined && input.employerId !== before.employer_id) {
      if (input.employerId) {
        const org = await findOrganisationById({ db: trx }, input.employerId);
        if (org?.kind !== "enterprise") {
          throw validation("用人单位不存在 / Unknown employer", [
            { path: "body.employerId", message: "not found" },
          ]);
        }
      }
      patch.employer_id = input.employerId;
      changed.push("employer");
    }
    if (changed.length === 0) return;
    await repo.updateResident(trx, id, patch);
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "resident.updated",
        subjectType: "resident",
        subjectId: id,
        details: {
          changed,
          ...(patch.status ? { status: patch.status } : {}),
          ...(patch.employer_id !== undefined ? { employerId: patch.employer_id } : {}),
        },
      },
    );
  });
  return getResident(deps, actor, id);
}

export async function moveResident(
  deps: ResidentsDeps,
  actor: Actor,
  id: string,
  input: { unitId: string; date?: string | undefined },
  requestId: string,
) {
  await editable(deps, actor, id);
  const date = input.date ?? todayInChina();
  if (date > todayInChina())
    throw validation("迁入日期不能晚于今天 / The date is in the future", [
      { path: "body.date", message: "future" },
    ]);
  await deps.db.transaction().execute(async (trx) => {
    const unit = await unitForRegistration(trx, actor, input.unitId, false);
    const current = await repo.findById(trx, id);
    if (!current) throw notFound("居民", "resident");
    const moved = await moveInto(trx, current, unit, date, channelOf(actor), actor.userId);
    if (!moved) throw conflict("该居民已登记在此房屋 / The resident already lives in this unit");
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "resident.moved_in",
        subjectType: "resident",
        subjectId: id,
        details: { unitId: unit.id, date },
      },
    );
  });
  return getResident(deps, actor, id);
}

/**
 * Moves a resident into a unit inside the caller's transaction, for modules
 * that have already decided the caller may move this person (an enterprise
 * housing its employee in its own dormitory). The unit is checked here as
 * for any registration; the move and its audit row join `trx`. False when
 * the resident already lives there.
 */
export async function moveResidentWithin(
  trx: Transaction<DB>,
  actor: Actor,
  id: string,
  input: { unitId: string; date: string },
  requestId: string,
): Promise<boolean> {
  const unit = await unitForRegistration(trx, actor, input.unitId, false);
  const current = await repo.findById(trx, id);
  if (!current) throw notFound("居民", "resident");
  const moved = await moveInto(trx, current, unit, input.date, channelOf(actor), actor.userId);
  if (moved) {
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "resident.moved_in",
        subjectType: "resident",
        subjectId: id,
        details: { unitId: unit.id, date: input.date },
      },
    );
  }
  return moved;
}

export async function moveOut(
  deps: ResidentsDeps,
  actor: Actor,
  id: string,
  input: { date?: string | undefined },
  requestId: string,
) {
  await editable(deps, actor, id);
  const date = input.date ?? todayInChina();
  await deps.db.transaction().execute(async (trx) => {
    const current = await repo.findById(trx, id);
    const open = await repo.openRegistration(trx, id);
    if (!current || !open)
      throw conflict("该居民当前没有居住登记 / The resident has no current registration");
    if (date < open.moved_in) {
      throw validation(
        `迁出日期不能早于迁入日期 ${open.moved_in} / The move-out date is before the move-in`,
        [{ path: "body.date", message: "before move-in" }],
      );
    }
    await repo.closeRegistration(trx, open.id, date);
    // The last area stays, so the grid keeps seeing who left.
    await repo.setHome(trx, id, {
      unit_id: null,
      area_path: current.area_path,
      registered_since: null,
      status: "departed",
    });
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "resident.moved_out",
        subjectType: "resident",
        subjectId: id,
        details: { unitId: open.unit_id, date },
      },
    );
  });
  return getResident(deps, actor, id);
}

/** The full ID or phone number, for those whose policy allows it, with an audit row. */
export async function revealResident(
  deps: ResidentsDeps,
  actor: Actor,
  id: string,
  input: { field: "idNumber" | "phone"; reason: string },
  requestId: string,
) {
  const refused = () => forbidden("您无权查看完整信息 / You may not see the full number");
  if (!canRevealAnyPersonalData(actor)) throw refused();
  const visible = await repo.findVisible(deps.db, dataScopeOf(actor), id);
  if (!visible) throw notFound("居民", "resident");
  const r = present(visible, actor, deps.config);
  if (!r.allowedActions.includes("reveal")) throw refused();
  const secrets = await repo.secretsOf(deps.db, id);
  if (!secrets) throw notFound("居民", "resident");
  const value =
    input.field === "idNumber"
      ? deps.fieldCrypto.decrypt(secrets.id_number_enc, "residents.id_number")
      : secrets.phone_enc
        ? deps.fieldCrypto.decrypt(secrets.phone_enc, "residents.phone")
        : null;
  await deps.db.transaction().execute((trx) =>
    recordAudit(
      trx,
      { actor, requestId },
      {
        action: "personal_data.read",
        subjectType: "resident",
        subjectId: id,
        details: { field: input.field, reason: input.reason },
      },
    ),
  );
  return { field: input.field, value };
}

/** An export of the (masked) list is itself recorded: who took which rows out. */
export async function recordExport(
  deps: ResidentsDeps,
  actor: Actor,
  details: { filters: Record<string, unknown>; rows: number },
  requestId: string,
) {
  // The audit trail is append-only: an exact-number filter goes in masked.
  const { idNumber, ...filters } = details.filters;
  if (typeof idNumber === "string") {
    const p = parseResidentId(idNumber);
    filters.idNumber = p.ok ? maskResidentId(p.value.normalized) : "[invalid]";
  }
  const safe = { ...details, filters };
  await deps.db
    .transaction()
    .execute((trx) =>
      recordAudit(
        trx,
        { actor, requestId },
        { action: "residents.exported", subjectType: "resident", details: safe },
      ),
    );
}

/**
 * Resident ids by ID number (normalised), for other modules' imports; numbers
 * with no resident are missing from the map (pass the trx as db).
 */
export async function findResidentIdsByIdNumbers(
  deps: { db: Kysely<DB>; fieldCrypto: FieldCrypto },
  idNumbers: string[],
): Promise<Map<string, string>> {
  const byIndex = new Map(
    idNumbers.map((n) => [deps.fieldCrypto.blindIndex(ID_INDEX_KIND, n), n] as const),
  );
  const rows = await repo.idsByIdNumberIndexes(deps.db, [...byIndex.keys()]);
  return new Map(rows.map((r) => [byIndex.get(r.id_number_index) as string, r.id]));
}

/**
 * Population figures for other modules (the grid risk index, the coordination
 * map): current residents per area path under `rootPath`, and how many of
 * them are new citizens (新市民) — people with an arrival date, or whose
 * household region lies outside the district's prefecture (the first four
 * digits of the district's GB/T 2260 code, the first segment of the path).
 */
export async function residentFiguresByArea(
  deps: { db: Kysely<DB> },
  rootPath: string,
): Promise<Map<string, { residents: number; newCitizens: number }>> {
  const district = rootPath.split("/").filter(Boolean)[0] ?? "";
  const rows = await repo.residentFiguresByArea(deps.db, rootPath, district.slice(0, 4));
  return new Map(
    rows.map((r) => [r.area_path, { residents: r.residents, newCitizens: r.new_citizens }]),
  );
}
