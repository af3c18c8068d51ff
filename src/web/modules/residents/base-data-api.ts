/** The base-data endpoints (一标三实): residents (/api/residents) and units (/api/units). */
import type { z } from "zod";
import type { Unit } from "../../../shared/schemas/housing.js";
import type {
  RESIDENT_STATUSES,
  Resident,
  residentDetailSchema,
} from "../../../shared/schemas/residents.js";
import { api, apiWithStatus } from "../../api/client.js";

export type ResidentStatus = (typeof RESIDENT_STATUSES)[number];
export type ResidentDetail = z.infer<typeof residentDetailSchema>;
export type ResidentSort =
  | "name"
  | "-name"
  | "registeredSince"
  | "-registeredSince"
  | "createdAt"
  | "-createdAt";
export type UnitSort = "address" | "-address" | "occupants" | "-occupants";

export interface ResidentListFilter {
  q?: string | undefined;
  idNumber?: string | undefined;
  unitId?: string | undefined;
  status?: ResidentStatus | undefined;
  originProvince?: string | undefined;
  eligible?: "true" | undefined;
  sort?: ResidentSort | undefined;
  limit: number;
  offset: number;
}

export interface UnitListFilter {
  q?: string | undefined;
  rental?: "true" | "false" | undefined;
  overcrowded?: "true" | undefined;
  sort?: UnitSort | undefined;
  limit: number;
  offset: number;
}

const sig = (signal?: AbortSignal) => (signal ? { signal } : {});
const one = (id: string) => `/api/residents/${encodeURIComponent(id)}`;

export function listResidents(f: ResidentListFilter, signal?: AbortSignal) {
  return api<{ items: Resident[]; total: number }>("/api/residents", {
    query: { ...f },
    ...sig(signal),
  });
}

export interface RegisterResidentInput {
  name: string;
  idNumber: string;
  phone?: string;
  arrivalDate?: string;
  unitId?: string;
  movedIn?: string;
}

/** Registers a person; `created` is false when the ID number was already known (HTTP 200). */
export async function registerResident(body: RegisterResidentInput) {
  const res = await apiWithStatus<Resident>("/api/residents", { method: "POST", body });
  return { resident: res.data, created: res.status === 201 };
}

export function getResident(id: string, signal?: AbortSignal) {
  return api<ResidentDetail>(one(id), sig(signal));
}

export interface UpdateResidentInput {
  name?: string;
  phone?: string | null;
  arrivalDate?: string | null;
  status?: "registered" | "permit_holder";
}

export function updateResident(id: string, body: UpdateResidentInput) {
  return api<ResidentDetail>(one(id), { method: "PATCH", body });
}

export function moveResident(id: string, body: { unitId: string; date?: string }) {
  return api<ResidentDetail>(`${one(id)}/move`, { method: "POST", body });
}

export function moveOutResident(id: string, body: { date?: string }) {
  return api<ResidentDetail>(`${one(id)}/move-out`, { method: "POST", body });
}

export function revealResident(id: string, body: { field: "idNumber" | "phone"; reason: string }) {
  return api<{ field: "idNumber" | "phone"; value: string | null }>(`${one(id)}/reveal`, {
    method: "POST",
    body,
  });
}

export function listUnits(f: UnitListFilter, signal?: AbortSignal) {
  return api<{ items: Unit[]; total: number }>("/api/units", { query: { ...f }, ...sig(signal) });
}

/** Standard addresses containing `q` (≥ 2 characters), for anyone signed in. */
export function searchAddresses(q: string, signal?: AbortSignal) {
  return api<{ items: { id: string; address: string }[]; total: number }>("/api/addresses", {
    query: { q },
    ...sig(signal),
  });
}
