/** Organisations: enterprises and associations (grown by the base-data issue). */
import type { Kysely } from "kysely";
import type { z } from "zod";
import { maskMobile } from "../../../shared/formats/mobile.js";
import type { createOrganisationBody } from "../../../shared/schemas/organisations.js";
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

function present(o: repo.OrganisationRow) {
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
    employees: o.employees,
  };
}

/** Staff see the organisations in their area; an officer or representative sees their own. */
function orgScope(actor: Actor) {
  const s = dataScopeOf(actor);
  const own = actor.grants
    .filter((g) => (g.role === "enterprise_officer" || g.role === "association_rep") && g.scopeId)
    .map((g) => g.scopeId as string);
  return { areaPaths: s.areaPaths, organisationIds: own };
}

export async function listOrganisations(
  deps: OrganisationsDeps,
  actor: Actor,
  f: Parameters<typeof repo.list>[2],
) {
  const r = await repo.list(deps.db, orgScope(actor), f);
  return { items: r.items.map(present), total: r.total };
}

export async function getOrganisation(deps: OrganisationsDeps, actor: Actor, id: string) {
  const o = await repo.findVisible(deps.db, orgScope(actor), id);
  if (!o) throw notFound("组织", "organisation");
  return present(o);
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
    const row = await repo.insertFull(trx, {
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
        ? deps.fieldCrypto.encrypt(input.safetyOfficerPhone, "organisations.safety_officer_phone")
        : null,
      safety_officer_phone_masked: input.safetyOfficerPhone
        ? maskMobile(input.safetyOfficerPhone)
        : null,
      association_kind: input.kind === "association" ? (input.associationKind ?? null) : null,
      provinces: input.provinces,
      dialects: input.dialects,
      sectors: input.sectors,
    });
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
