/** The enterprise-workspace endpoints (/api/enterprises …), as the web pages call them. */
import type { z } from "zod";
import type {
  CreateStaffBody,
  StaffAccount,
  StaffList,
} from "../../../shared/schemas/enterprise-staff.js";
import type {
  DormitoryRoom,
  DormitoryTotals,
  Employee,
  EmployeeSort,
  EmployeeSyncResult,
  EnterpriseDetail,
  EnterpriseListItem,
  EnterpriseSort,
  EnterpriseTask,
  hireBody,
  Rating,
  Site,
  SiteKind,
  WarningLevel,
  Workforce,
} from "../../../shared/schemas/enterprises.js";
import { api } from "../../api/client.js";

type Size = "micro" | "small" | "medium" | "large";
const sig = (signal?: AbortSignal) => (signal ? { signal } : {});
const one = (id: string) => `/api/enterprises/${encodeURIComponent(id)}`;

export interface EnterpriseFilter {
  q?: string | undefined;
  industry?: string | undefined;
  area?: string | undefined;
  rating?: Rating | undefined;
  warningLevel?: WarningLevel | undefined;
  size?: Size | undefined;
  sort?: EnterpriseSort | undefined;
}

export function listEnterprises(
  f: EnterpriseFilter & { limit: number; offset: number },
  signal?: AbortSignal,
) {
  return api<{ items: EnterpriseListItem[]; total: number }>("/api/enterprises", {
    query: { ...f },
    ...sig(signal),
  });
}

export function getEnterprise(id: string, signal?: AbortSignal) {
  return api<EnterpriseDetail>(one(id), sig(signal));
}

export interface SiteInput {
  name: string;
  kind: SiteKind;
  address: string;
  lat?: number | undefined;
  lng?: number | undefined;
}

export function createSite(enterpriseId: string, body: SiteInput) {
  return api<Site>(`${one(enterpriseId)}/sites`, { method: "POST", body });
}

export function updateSite(
  enterpriseId: string,
  siteId: string,
  body: Partial<SiteInput> & { version: number },
) {
  return api<Site>(`${one(enterpriseId)}/sites/${encodeURIComponent(siteId)}`, {
    method: "PATCH",
    body,
  });
}

export function deactivateSite(enterpriseId: string, siteId: string) {
  return api<void>(`${one(enterpriseId)}/sites/${encodeURIComponent(siteId)}`, {
    method: "DELETE",
  });
}

export function listEmployees(
  enterpriseId: string,
  q: {
    status: "current" | "left" | "all";
    q?: string | undefined;
    sort?: EmployeeSort;
    limit: number;
    offset: number;
  },
  signal?: AbortSignal,
) {
  return api<{ items: Employee[]; total: number }>(`${one(enterpriseId)}/employees`, {
    query: { ...q },
    ...sig(signal),
  });
}

export function hireEmployee(enterpriseId: string, body: z.input<typeof hireBody>) {
  return api<Employee>(`${one(enterpriseId)}/employees`, { method: "POST", body });
}

export function leaveEmployee(enterpriseId: string, residentId: string, leftOn: string) {
  return api<void>(`${one(enterpriseId)}/employees/${encodeURIComponent(residentId)}/leave`, {
    method: "POST",
    body: { leftOn },
  });
}

export function importEmployees(enterpriseId: string, file: File) {
  const body = new FormData();
  body.append("file", file, file.name);
  return api<EmployeeSyncResult>(`${one(enterpriseId)}/employees/import`, {
    method: "POST",
    body,
  });
}

export const EMPLOYEE_TEMPLATE_URL = {
  xlsx: "/api/enterprises/templates/employees.xlsx",
  csv: "/api/enterprises/templates/employees.csv",
};

export function getWorkforce(enterpriseId: string, signal?: AbortSignal) {
  return api<Workforce>(`${one(enterpriseId)}/workforce`, sig(signal));
}

export function listDormitories(
  enterpriseId: string,
  q: { overcrowded?: "true" | undefined; q?: string | undefined; limit: number; offset: number },
  signal?: AbortSignal,
) {
  return api<{ items: DormitoryRoom[]; total: number; totals: DormitoryTotals }>(
    `${one(enterpriseId)}/dormitories`,
    { query: { ...q }, ...sig(signal) },
  );
}

export function assignRoom(
  enterpriseId: string,
  unitId: string,
  body: { residentId: string; date?: string | undefined },
) {
  return api<DormitoryRoom>(
    `${one(enterpriseId)}/dormitories/${encodeURIComponent(unitId)}/occupants`,
    { method: "POST", body },
  );
}

export function listTasks(enterpriseId: string, signal?: AbortSignal) {
  return api<{ items: EnterpriseTask[]; total: number }>(`${one(enterpriseId)}/tasks`, {
    query: { limit: 10, offset: 0 },
    ...sig(signal),
  });
}

// ------------------------------------------------------------ staff accounts

export function listStaff(
  enterpriseId: string,
  page: { limit: number; offset: number },
  signal?: AbortSignal,
) {
  return api<StaffList>(`${one(enterpriseId)}/staff`, { query: { ...page }, ...sig(signal) });
}

export function createStaff(enterpriseId: string, body: CreateStaffBody) {
  return api<StaffAccount>(`${one(enterpriseId)}/staff`, { method: "POST", body });
}

export function setStaffActive(enterpriseId: string, userId: string, active: boolean) {
  const action = active ? "reactivate" : "deactivate";
  return api<StaffAccount>(`${one(enterpriseId)}/staff/${encodeURIComponent(userId)}/${action}`, {
    method: "POST",
  });
}
