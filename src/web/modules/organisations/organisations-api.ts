/** The organisation endpoints (/api/organisations) and the lists the detail page shows. */
import type { z } from "zod";
import type { Unit } from "../../../shared/schemas/housing.js";
import type {
  ASSOCIATION_KINDS,
  createOrganisationBody,
  ENTERPRISE_SIZES,
  ORGANISATION_KINDS,
  ORGANISATION_SORTS,
  Organisation,
  OrganisationDetail,
  updateOrganisationBody,
} from "../../../shared/schemas/organisations.js";
import type { Resident } from "../../../shared/schemas/residents.js";
import { api } from "../../api/client.js";

export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];
export type AssociationKind = (typeof ASSOCIATION_KINDS)[number];
export type EnterpriseSize = (typeof ENTERPRISE_SIZES)[number];
export type OrganisationSort = (typeof ORGANISATION_SORTS)[number];
export type CreateOrganisationInput = z.input<typeof createOrganisationBody>;
export type UpdateOrganisationInput = z.input<typeof updateOrganisationBody>;

export interface OrganisationFilter {
  q?: string | undefined;
  kind?: OrganisationKind | undefined;
  associationKind?: AssociationKind | undefined;
  industry?: string | undefined;
  size?: EnterpriseSize | undefined;
  gridCode?: string | undefined;
  sort?: OrganisationSort | undefined;
}

const sig = (signal?: AbortSignal) => (signal ? { signal } : {});
const one = (id: string) => `/api/organisations/${encodeURIComponent(id)}`;

export function listOrganisations(
  f: OrganisationFilter & { limit: number; offset: number },
  signal?: AbortSignal,
) {
  return api<{ items: Organisation[]; total: number }>("/api/organisations", {
    query: { ...f },
    ...sig(signal),
  });
}

export function listIndustries(signal?: AbortSignal) {
  return api<{ items: { industry: string; count: number }[]; total: number }>(
    "/api/organisations/industries",
    sig(signal),
  );
}

export function getOrganisation(id: string, signal?: AbortSignal) {
  return api<OrganisationDetail>(one(id), sig(signal));
}

export function createOrganisation(body: CreateOrganisationInput) {
  return api<OrganisationDetail>("/api/organisations", { method: "POST", body });
}

export function updateOrganisation(id: string, body: UpdateOrganisationInput) {
  return api<OrganisationDetail>(one(id), { method: "PATCH", body });
}

/** Residents whose employer is the organisation (the caller's scope applies). */
export function listEmployees(
  employerId: string,
  page: { limit: number; offset: number; q?: string | undefined },
  signal?: AbortSignal,
) {
  return api<{ items: Resident[]; total: number }>("/api/residents", {
    query: { employerId, sort: "name", ...page },
    ...sig(signal),
  });
}

/** Units whose landlord is the organisation (its rentals and dormitories). */
export function listLandlordUnits(
  landlordOrganisationId: string,
  page: { limit: number; offset: number },
  signal?: AbortSignal,
) {
  return api<{ items: Unit[]; total: number }>("/api/units", {
    query: { landlordOrganisationId, ...page },
    ...sig(signal),
  });
}
