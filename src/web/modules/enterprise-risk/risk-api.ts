/** The enterprise risk endpoints: payroll declarations, warning and rating, the warning list. */
import type { z } from "zod";
import type {
  correctPayrollBody,
  DeclarePayrollBody,
  EnterpriseRisk,
  PayrollDeclaration,
  PayrollList,
  WAGE_WARNING_SORTS,
  WageWarningItem,
  WarningLevel,
} from "../../../shared/schemas/enterprise-risk.js";
import { api } from "../../api/client.js";

export type WageWarningSort = (typeof WAGE_WARNING_SORTS)[number];
export type CorrectPayrollInput = z.input<typeof correctPayrollBody>;
export interface DeclareResult {
  declaration: PayrollDeclaration;
  warning: { score: number; level: WarningLevel };
}

const sig = (signal?: AbortSignal) => (signal ? { signal } : {});
const base = (id: string) => `/api/enterprises/${encodeURIComponent(id)}`;

export function listPayroll(
  id: string,
  page: { limit: number; offset: number },
  signal?: AbortSignal,
) {
  return api<PayrollList>(`${base(id)}/payroll`, { query: { ...page }, ...sig(signal) });
}

export function declarePayroll(id: string, body: DeclarePayrollBody) {
  return api<DeclareResult>(`${base(id)}/payroll`, { method: "POST", body });
}

export function correctPayroll(id: string, period: string, body: CorrectPayrollInput) {
  return api<DeclareResult>(`${base(id)}/payroll/${encodeURIComponent(period)}`, {
    method: "PUT",
    body,
  });
}

/** The enterprise's manager signs a declared month, as of the version they checked. */
export function signPayroll(id: string, period: string, version: number) {
  return api<PayrollDeclaration>(`${base(id)}/payroll/${encodeURIComponent(period)}/sign`, {
    method: "POST",
    body: { version },
  });
}

export function getRisk(id: string, signal?: AbortSignal) {
  return api<EnterpriseRisk>(`${base(id)}/risk`, sig(signal));
}

export interface WageWarningFilter {
  level?: WarningLevel | undefined;
  q?: string | undefined;
  industry?: string | undefined;
  sort?: WageWarningSort | undefined;
}

export function listWageWarnings(
  f: WageWarningFilter & { limit: number; offset: number },
  signal?: AbortSignal,
) {
  return api<{ items: WageWarningItem[]; total: number }>("/api/wage-warnings", {
    query: { ...f },
    ...sig(signal),
  });
}
