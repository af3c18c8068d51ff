/** Organisations: enterprises and associations (grown by the base-data issue). */
import type { Kysely } from "kysely";
import type { z } from "zod";
import { maskMobile } from "../../../shared/formats/mobile.js";
import { isEnterpriseRole } from "../../../shared/roles.js";
import type {
  createOrganisationBody,
  OrganisationDetail,
  updateOrganisationBody,
} from "../../../shared/schemas/organisations.js";
import type { FieldCrypto } from "../../crypto/field-crypto.js";
import type { DB } from "../../db/schema.js";
import { conflict, forbidden, notFound, validation } from "../../errors.js";
import { type Actor, canEditBaseData, dataScopeOf } from "../access/access.policy.js";
import { recordAudit } from "../audit/audit.service.js";
import { findAreaByCode } from "../geo/areas.service.js";
import * as repo from "./organisations.repository.js";

export function findOrganisationById(deps: { db: Kysely<DB> }, id: string) {
  return repo.findById(deps.db, id);
}

/** Enterprises by unified social credit code (pass the trx as db). */
export function findEnterprisesByUscc(deps: { db: Kysely<DB> }, codes: string[]) {
  return repo.findEnterprisesByUscc(deps.db, codes);
}

export interface OrganisationsDeps {
  db: Kysely<DB>;
  fieldCrypto: FieldCrypto;
}

function present(o: repo.OrganisationRow, actor: Actor) {
  return {
    id: o.id,
    kind: o.kind,
    name: o.name,
    uscc: o.uscc,
    address: o.address,
    industry: o.industry,
    size: o.size,
    legalRepresentative: o.legal_representative,
    safetyOfficer: o.safety_officer,
    safetyOfficerPhone: o.safety_officer_phone_masked,
    associationKind: o.association_kind,
    provinces: o.provinces,
    dialects: o.dialects,
    sectors: o.sectors,
    gridPath: o.area_path,
    grid: { code: o.grid_code, name: o.grid_name },
    employees: o.employees,
    createdAt: o.created_at.toISOString(),
    allowedActions: canEditBaseData(actor, o.area_path) ? ["edit" as const] : [],
  };
}

/** Staff see the organisations in their area; an officer or representative sees their own. */
function orgScope(actor: Actor) {
  const s = dataScopeOf(actor);
  const own = actor.grants
    .filter((g) => (isEnterpriseRole(g.role) || g.role === "association_rep") && g.scopeId)
    .map((g) => g.scopeId as string);
  return { areaPaths: s.areaPaths, organisationIds: own };
}

export async function listOrganisations(
  deps: OrganisationsDeps,
  actor: Actor,
  f: Parameters<typeof repo.list>[2],
) {
  const r = await repo.list(deps.db, orgScope(actor), f);
  return { items: r.items.map((o) => present(o, actor)), total: r.total };
}

/** The industries in the caller's scope with how many organisations each (for filters). */
export async function listIndustries(deps: OrganisationsDeps, actor: Actor) {
  const rows = await repo.industries(deps.db, orgScope(actor));
  return {
    items: rows.map((r) => ({ industry: r.industry as string, count: r.n })),
    total: rows.length,
  };
}

export async function getOrganisation(
  deps: OrganisationsDeps,
  actor: Actor,
  id: string,
): Promise<OrganisationDetail> {
  const o = await repo.findVisible(deps.db, orgScope(actor), id);
  if (!o) throw notFound("组织", "organisation");
  const [areas, landlordUnits] = await Promise.all([
    repo.areasOnPath(deps.db, o.area_path),
    repo.countLandlordUnits(deps.db, o.id),
  ]);
  return { ...present(o, actor), areas, landlordUnits };
}

type UpdateInput = z.infer<typeof updateOrganisationBody>;
type Patch = Partial<repo.NewOrganisation>;

/** Columns the update touches, with the stored value to compare against. */
function patchOf(deps: OrganisationsDeps, input: UpdateInput): Patch {
  const p: Patch = {};
  // An emptied text field clears the column.
  const text = (v: string | null) => (v ? v : null);
  if (input.name !== undefined) p.name = input.name;
  if (input.uscc !== undefined) p.uscc = input.uscc;
  if (input.address !== undefined) p.address = text(input.address);
  if (input.industry !== undefined) p.industry = text(input.industry);
  if (input.size !== undefined) p.size = input.size;
  if (input.legalRepresentative !== undefined)
    p.legal_representative = text(input.legalRepresentative);
  if (input.safetyOfficer !== undefined) p.safety_officer = text(input.safetyOfficer);
  if (input.safetyOfficerPhone !== undefined) {
    p.safety_officer_phone_enc = input.safetyOfficerPhone
      ? deps.fieldCrypto.encrypt(input.safetyOfficerPhone, "organisations.safety_officer_phone")
      : null;
    p.safety_officer_phone_masked = input.safetyOfficerPhone
      ? maskMobile(input.safetyOfficerPhone)
      : null;
  }
  if (input.associationKind !== undefined) p.association_kind = input.associationKind;
  if (input.provinces !== undefined) p.provinces = input.provinces;
  if (input.dialects !== undefined) p.dialects = input.dialects;
  if (input.sectors !== undefined) p.sectors = input.sectors;
  return p;
}

/**
 * Changes an organisation's facts (not its kind). Base-data editors of its
 * grid may do it, and of the new grid when it moves; the change and its
 * audit row (which fields, before and after; phone numbers masked) are one
 * transaction. Nothing that equals the stored value is written.
 */
export async function updateOrganisation(
  deps: OrganisationsDeps,
  actor: Actor,
  id: string,
  input: UpdateInput,
  requestId: string,
) {
  const current = await repo.findVisible(deps.db, orgScope(actor), id);
  if (!current) throw notFound("组织", "organisation");
  if (!canEditBaseData(actor, current.area_path))
    throw forbidden("该单位不在您的管辖范围内，不能修改 / This organisation is outside your area");
  if (current.kind === "enterprise") {
    if (input.uscc === null) {
      throw validation("企业须填写统一社会信用代码 / an enterprise needs its USCC", [
        { path: "body.uscc", message: "企业须填写统一社会信用代码 / an enterprise needs its USCC" },
      ]);
    }
    const assocOnly = (["associationKind", "provinces", "dialects", "sectors"] as const).filter(
      (k) => input[k] !== undefined,
    );
    if (assocOnly.length) {
      throw validation(
        "协会类型、覆盖省份、方言和行业只适用于协会 / association fields do not apply to an enterprise",
        assocOnly.map((k) => ({ path: `body.${k}`, message: "only for associations" })),
      );
    }
  }
  let grid: { id: string; path: string } | undefined;
  if (input.gridCode !== undefined && input.gridCode !== current.grid_code) {
    const g = await findAreaByCode(deps, input.gridCode);
    if (g?.level !== "grid") {
      throw validation("网格不存在 / Unknown grid", [
        { path: "body.gridCode", message: "not found" },
      ]);
    }
    if (!canEditBaseData(actor, g.path))
      throw forbidden("该网格不在您的管辖范围内 / The grid is outside your area");
    grid = g;
  }

  await deps.db.transaction().execute(async (trx) => {
    const before = await repo.findForUpdate(trx, id);
    if (!before) throw notFound("组织", "organisation");
    const patch = patchOf(deps, input);
    if (grid) {
      patch.area_id = grid.id;
      patch.area_path = grid.path;
    }
    // A phone is compared in clear (each encryption differs); the rest as stored.
    const phoneBefore = before.safety_officer_phone_enc
      ? deps.fieldCrypto.decrypt(
          before.safety_officer_phone_enc,
          "organisations.safety_officer_phone",
        )
      : null;
    const phoneChanged =
      input.safetyOfficerPhone !== undefined && (input.safetyOfficerPhone ?? null) !== phoneBefore;
    const changed = (Object.keys(patch) as (keyof Patch)[]).filter((k) =>
      k === "safety_officer_phone_enc" || k === "safety_officer_phone_masked"
        ? phoneChanged
        : JSON.stringify(patch[k]) !== JSON.stringify(before[k]),
    );
    if (changed.length === 0) return;
    if (patch.uscc && changed.includes("uscc")) {
      const other = await repo.findByUscc(trx, patch.uscc);
      if (other && other.id !== id) {
        throw conflict(`统一社会信用代码 ${patch.uscc} 已登记 / This USCC is already registered`, [
          { path: "body.uscc", message: "exists" },
        ]);
      }
    }
    const write: Patch = {};
    const from: Record<string, unknown> = {};
    const to: Record<string, unknown> = {};
    for (const k of changed) {
      (write as Record<string, unknown>)[k] = patch[k];
      // The encrypted phone is never logged; its masked form stands in for it.
      if (k === "safety_officer_phone_enc" || k === "area_id") continue;
      from[k] = before[k];
      to[k] = patch[k];
    }
    await repo.update(trx, id, write);
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "organisation.updated",
        subjectType: "organisation",
        subjectId: id,
        details: { before: from, after: to },
      },
    );
  });
  return getOrganisation(deps, actor, id);
}

/** The stored row for a registration (the web form's and the import's). */
export function organisationColumns(
  crypto: FieldCrypto,
  input: Omit<z.infer<typeof createOrganisationBody>, "gridCode">,
  grid: { id: string; path: string },
): repo.NewOrganisation {
  return {
    kind: input.kind,
    name: input.name,
    uscc: input.uscc ?? null,
    area_id: grid.id,
    area_path: grid.path,
    address: input.address ?? null,
    industry: input.industry ?? null,
    size: input.size ?? null,
    legal_representative: input.legalRepresentative ?? null,
    safety_officer: input.safetyOfficer ?? null,
    safety_officer_phone_enc: input.safetyOfficerPhone
      ? crypto.encrypt(input.safetyOfficerPhone, "organisations.safety_officer_phone")
      : null,
    safety_officer_phone_masked: input.safetyOfficerPhone
      ? maskMobile(input.safetyOfficerPhone)
      : null,
    association_kind: input.kind === "association" ? (input.associationKind ?? null) : null,
    provinces: input.provinces,
    dialects: input.dialects,
    sectors: input.sectors,
  };
}

export async function createOrganisation(
  deps: OrganisationsDeps,
  actor: Actor,
  input: z.infer<typeof createOrganisationBody>,
  requestId: string,
) {
  const grid = await findAreaByCode(deps, input.gridCode);
  if (grid?.level !== "grid") {
    throw validation("网格不存在 / Unknown grid", [
      { path: "body.gridCode", message: "not found" },
    ]);
  }
  if (!canEditBaseData(actor, grid.path))
    throw forbidden("该网格不在您的管辖范围内 / The grid is outside your area");
  const id = await deps.db.transaction().execute(async (trx) => {
    if (input.uscc && (await repo.findByUscc(trx, input.uscc))) {
      throw conflict(`统一社会信用代码 ${input.uscc} 已登记 / This USCC is already registered`, [
        { path: "body.uscc", message: "exists" },
      ]);
    }
    const row = await repo.insertFull(trx, organisationColumns(deps.fieldCrypto, input, grid));
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "organisation.created",
        subjectType: "organisation",
        subjectId: row.id,
        details: { kind: input.kind, name: input.name, uscc: input.uscc ?? null },
      },
    );
    return row.id;
  });
  return getOrganisation(deps, actor, id);
}

/** Organisations of any kind by unified social credit code (pass the trx as db). */
export function findOrganisationsByUscc(deps: { db: Kysely<DB> }, codes: string[]) {
  return repo.findByUsccs(deps.db, codes);
}

/** For other modules (a grid's profile): enterprises and associations per area path under `rootPath`. */
export async function organisationCountsByArea(
  deps: { db: Kysely<DB> },
  rootPath: string,
): Promise<Map<string, { enterprises: number; associations: number }>> {
  const rows = await repo.countsByArea(deps.db, rootPath);
  return new Map(
    rows.map((r) => [r.area_path, { enterprises: r.enterprises, associations: r.associations }]),
  );
}
