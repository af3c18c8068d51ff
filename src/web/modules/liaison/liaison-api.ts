/** The liaison endpoints: notices (/api/notices) and mediation requests (/api/mediation-requests). */
import type {
  AssociationSuggestion,
  AudiencePreview,
  MediationAction,
  MediationDetail,
  MediationSummary,
  NoticeAudienceInput,
  NoticeDetail,
  NoticeRecipient,
  NoticeSummary,
} from "../../../shared/schemas/liaison.js";
import { api } from "../../api/client.js";

const sig = (signal?: AbortSignal) => (signal ? { signal } : {});
const notice = (id: string) => `/api/notices/${encodeURIComponent(id)}`;
const mediation = (id: string) => `/api/mediation-requests/${encodeURIComponent(id)}`;

export interface NoticeFilter {
  q?: string | undefined;
  status?: "draft" | "sent" | "withdrawn" | undefined;
  importance?: "normal" | "important" | "urgent" | undefined;
  state?: "unread" | "read" | "to_acknowledge" | "acknowledged" | undefined;
  enterpriseId?: string | undefined;
  sort?: "newest" | "oldest" | "unreadFirst" | undefined;
  limit: number;
  offset: number;
}

export function listNotices(f: NoticeFilter, signal?: AbortSignal) {
  return api<{ items: NoticeSummary[]; total: number }>("/api/notices", {
    query: { ...f },
    ...sig(signal),
  });
}

export function getNotice(id: string, signal?: AbortSignal) {
  return api<NoticeDetail>(notice(id), sig(signal));
}

export interface NoticeInput {
  title: string;
  body: string;
  importance: "normal" | "important" | "urgent";
  ackRequired: boolean;
  ackDueOn: string | null;
  audience: NoticeAudienceInput;
}

export function createNotice(body: NoticeInput) {
  return api<NoticeDetail>("/api/notices", { method: "POST", body });
}

export function updateNotice(id: string, body: Partial<NoticeInput> & { version: number }) {
  return api<NoticeDetail>(notice(id), { method: "PATCH", body });
}

export function deleteNotice(id: string) {
  return api<void>(notice(id), { method: "DELETE" });
}

export function previewAudience(audience: NoticeAudienceInput, signal?: AbortSignal) {
  return api<AudiencePreview>("/api/notices/preview", {
    method: "POST",
    body: { audience },
    ...sig(signal),
  });
}

export function sendNotice(id: string, version: number) {
  return api<NoticeDetail>(`${notice(id)}/send`, { method: "POST", body: { version } });
}

export function withdrawNotice(id: string, version: number, reason: string) {
  return api<NoticeDetail>(`${notice(id)}/withdraw`, {
    method: "POST",
    body: { version, reason },
  });
}

export function remindNotice(id: string, note?: string) {
  return api<{ enterprises: number; users: number; nextReminderAt: string }>(
    `${notice(id)}/remind`,
    { method: "POST", body: note ? { note } : {} },
  );
}

export function readNotice(id: string) {
  return api<NoticeDetail>(`${notice(id)}/read`, { method: "POST" });
}

export function acknowledgeNotice(id: string) {
  return api<NoticeDetail>(`${notice(id)}/acknowledge`, { method: "POST" });
}

export type RecipientState = "read" | "unread" | "acknowledged" | "unacknowledged" | "overdue";

export function listRecipients(
  id: string,
  f: { state?: RecipientState | undefined; q?: string | undefined; limit: number; offset: number },
  signal?: AbortSignal,
) {
  return api<{ items: NoticeRecipient[]; total: number }>(`${notice(id)}/recipients`, {
    query: { ...f },
    ...sig(signal),
  });
}

export const recipientsExportUrl = (id: string) => `${notice(id)}/recipients/export.xlsx`;

export interface MediationFilter {
  q?: string | undefined;
  status?: MediationSummary["status"] | undefined;
  open?: boolean | undefined;
  enterpriseId?: string | undefined;
  limit: number;
  offset: number;
}

export function listMediations(f: MediationFilter, signal?: AbortSignal) {
  return api<{ items: MediationSummary[]; total: number }>("/api/mediation-requests", {
    query: { ...f, open: f.open === undefined ? undefined : String(f.open) },
    ...sig(signal),
  });
}

export function getMediation(id: string, signal?: AbortSignal) {
  return api<MediationDetail>(mediation(id), sig(signal));
}

export interface MediationInput {
  associationId: string;
  subject: string;
  description: string;
  peopleInvolved: number;
  workerProvinces: string[];
  caseId?: string | undefined;
}

export function createMediation(body: MediationInput) {
  return api<MediationDetail>("/api/mediation-requests", { method: "POST", body });
}

export interface MediationStepBody {
  version: number;
  note?: string | undefined;
  reason?: string | undefined;
  outcome?: "success" | "partial" | "failed" | undefined;
  heldAt?: string | undefined;
  place?: string | undefined;
  attendees?: number | undefined;
}

export function mediationStep(id: string, action: MediationAction, body: MediationStepBody) {
  return api<MediationDetail>(`${mediation(id)}/${action}`, { method: "POST", body });
}

export function suggestAssociations(
  f: { q?: string | undefined; provinces?: string[] | undefined },
  signal?: AbortSignal,
) {
  return api<{
    items: AssociationSuggestion[];
    total: number;
    provinces: { province: string; workers: number }[];
  }>("/api/mediation-requests/associations", {
    query: { q: f.q, provinces: f.provinces?.join(",") || undefined, limit: 50 },
    ...sig(signal),
  });
}
