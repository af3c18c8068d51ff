/** The district reports' endpoints (/api/reports…) as the pages call them. */
import type {
  RecipientCandidate,
  ReportContent,
  ReportDetail,
  ReportKind,
  ReportSchedule,
  ReportSummary,
} from "../../../shared/schemas/reports.js";
import { api, buildUrl } from "../../api/client.js";

export interface ReportAsk {
  kind: ReportKind;
  period?: string | undefined;
  areaId?: string | undefined;
}

export function previewReport(q: ReportAsk, signal?: AbortSignal) {
  return api<ReportContent>("/api/reports/preview", { query: { ...q }, signal });
}

export function generateReport(body: ReportAsk) {
  return api<ReportDetail>("/api/reports", { method: "POST", body });
}

export function listReports(
  q: {
    kind?: ReportKind | undefined;
    source?: "manual" | "schedule" | undefined;
    areaId?: string | undefined;
    limit: number;
    offset: number;
  },
  signal?: AbortSignal,
) {
  return api<{ items: ReportSummary[]; total: number }>("/api/reports", { query: q, signal });
}

export function getReport(id: string, signal?: AbortSignal) {
  return api<ReportDetail>(`/api/reports/${encodeURIComponent(id)}`, { signal });
}

/** The stored workbook (a plain link: the browser downloads with the session cookie). */
export const reportXlsxUrl = (id: string) => `/api/reports/${encodeURIComponent(id)}.xlsx`;

/** The printable page of a stored report, or of a preview. */
export const printUrl = (id: string) => `/coordination/reports/${encodeURIComponent(id)}/print`;
export const previewPrintUrl = (q: ReportAsk) =>
  buildUrl("/coordination/reports/preview/print", { ...q });
export const previewUrl = (q: ReportAsk) => buildUrl("/coordination/reports/preview", { ...q });

export function listSchedules(signal?: AbortSignal) {
  return api<{ items: ReportSchedule[]; total: number }>("/api/reports/schedules", { signal });
}

export function createSchedule(body: {
  areaId: string;
  kind: ReportKind;
  recipientIds: string[];
  active?: boolean;
}) {
  return api<ReportSchedule>("/api/reports/schedules", { method: "POST", body });
}

export function updateSchedule(
  id: string,
  body: { version: number; active?: boolean; recipientIds?: string[] },
) {
  return api<ReportSchedule>(`/api/reports/schedules/${encodeURIComponent(id)}`, {
    method: "PATCH",
    body,
  });
}

export function deleteSchedule(id: string) {
  return api<void>(`/api/reports/schedules/${encodeURIComponent(id)}`, { method: "DELETE" });
}

export function recipientCandidates(areaId: string, signal?: AbortSignal) {
  return api<{ items: RecipientCandidate[] }>("/api/reports/recipients", {
    query: { areaId },
    signal,
  });
}
