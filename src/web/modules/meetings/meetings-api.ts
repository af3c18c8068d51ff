/** The joint-meeting endpoints (/api/meetings …) as the web app calls them. */
import type { z } from "zod";
import type {
  ActionItem,
  ActionItemState,
  AddAgendaBody,
  AgendaCandidates,
  AgendaItem,
  CandidateKind,
  createActionItemBody,
  MeetingDetail,
  MeetingSettings,
  MeetingStatus,
  MeetingSummary,
  RulingContext,
  RulingPreview,
  rulingBody,
  rulingPreviewBody,
} from "../../../shared/schemas/meetings.js";
import { api, buildUrl } from "../../api/client.js";

const sig = (signal?: AbortSignal) => (signal ? { signal } : {});
const one = (id: string) => `/api/meetings/${encodeURIComponent(id)}`;
const agendaItem = (id: string) => `/api/meetings/agenda-items/${encodeURIComponent(id)}`;
const actionItem = (id: string) => `/api/meetings/action-items/${encodeURIComponent(id)}`;

export type MeetingSort = "scheduledAt" | "-scheduledAt";

export interface MeetingFilter {
  areaId?: string | undefined;
  status?: MeetingStatus | undefined;
  q?: string | undefined;
  sort?: MeetingSort | undefined;
  limit: number;
  offset: number;
}

export function listMeetings(f: MeetingFilter, signal?: AbortSignal) {
  return api<{ items: MeetingSummary[]; total: number }>("/api/meetings", {
    query: { ...f },
    ...sig(signal),
  });
}

export function getMeeting(id: string, signal?: AbortSignal) {
  return api<MeetingDetail>(one(id), sig(signal));
}

export interface MeetingInput {
  areaId?: string | undefined;
  title: string;
  scheduledAt: string;
  place: string;
  participants: { departmentIds: string[]; organisationIds: string[] };
}

export function createMeeting(body: MeetingInput) {
  return api<MeetingDetail>("/api/meetings", { method: "POST", body });
}

export function updateMeeting(id: string, body: Partial<MeetingInput> & { version: number }) {
  return api<MeetingDetail>(one(id), { method: "PATCH", body });
}

export function holdMeeting(id: string, version: number) {
  return api<MeetingDetail>(`${one(id)}/hold`, { method: "POST", body: { version } });
}

export function closeMeeting(id: string, version: number) {
  return api<MeetingDetail>(`${one(id)}/close`, { method: "POST", body: { version } });
}

export function cancelMeeting(id: string, version: number, reason: string) {
  return api<MeetingDetail>(`${one(id)}/cancel`, { method: "POST", body: { version, reason } });
}

export function saveMinutes(
  id: string,
  body: {
    version: number;
    minutes: string;
    attendance?: { participantId: string; attended: boolean }[];
  },
) {
  return api<MeetingDetail>(`${one(id)}/minutes`, { method: "PUT", body });
}

export function addAgendaItem(id: string, body: AddAgendaBody) {
  return api<MeetingDetail>(`${one(id)}/agenda`, { method: "POST", body });
}

export function loadCandidates(
  q: { areaId?: string | undefined; kind?: CandidateKind | undefined },
  signal?: AbortSignal,
) {
  return api<AgendaCandidates>("/api/meetings/agenda-candidates", {
    query: { ...q },
    ...sig(signal),
  });
}

export function loadPool(areaId: string | undefined, signal?: AbortSignal) {
  return api<{ items: AgendaItem[] }>("/api/meetings/agenda-pool", {
    query: { areaId },
    ...sig(signal),
  });
}

export function concludeAgendaItem(id: string, version: number, outcome: string) {
  return api<AgendaItem>(`${agendaItem(id)}/conclude`, {
    method: "POST",
    body: { version, outcome },
  });
}

export function dropAgendaItem(id: string, version: number, reason: string) {
  return api<AgendaItem>(`${agendaItem(id)}/drop`, { method: "POST", body: { version, reason } });
}

export function loadRulingContext(id: string, signal?: AbortSignal) {
  return api<RulingContext>(`${agendaItem(id)}/ruling-context`, sig(signal));
}

export type RulingPreviewInput = z.input<typeof rulingPreviewBody>;
export type RulingInput = z.input<typeof rulingBody>;

export function previewRuling(id: string, body: RulingPreviewInput) {
  return api<RulingPreview>(`${agendaItem(id)}/ruling/preview`, { method: "POST", body });
}

export function rule(id: string, body: RulingInput) {
  return api<{ item: AgendaItem; caseId: string; ruleId: string | null }>(
    `${agendaItem(id)}/ruling`,
    { method: "POST", body },
  );
}

export type ActionItemSort = "dueOn" | "-dueOn" | "newest";

export interface ActionItemFilter {
  meetingId?: string | undefined;
  mine?: "true" | undefined;
  state?: ActionItemState | undefined;
  q?: string | undefined;
  sort?: ActionItemSort | undefined;
  limit: number;
  offset: number;
}

export function listActionItems(f: ActionItemFilter, signal?: AbortSignal) {
  return api<{ items: ActionItem[]; total: number }>("/api/meetings/action-items", {
    query: { ...f },
    ...sig(signal),
  });
}

export function actionItemsXlsxUrl(f: Omit<ActionItemFilter, "limit" | "offset">): string {
  return buildUrl("/api/meetings/action-items.xlsx", { ...f });
}

export type ActionItemInput = z.input<typeof createActionItemBody>;

export function createActionItem(meetingId: string, body: ActionItemInput) {
  return api<ActionItem>(`${one(meetingId)}/action-items`, { method: "POST", body });
}

export type ActionItemStep = "complete" | "reopen" | "cancel";

/** complete and reopen take a note, cancel a reason. */
export function actionItemStep(id: string, step: ActionItemStep, version: number, text: string) {
  return api<ActionItem>(`${actionItem(id)}/${step}`, {
    method: "POST",
    body: step === "cancel" ? { version, reason: text } : { version, note: text },
  });
}

export function getSettings(signal?: AbortSignal) {
  return api<MeetingSettings>("/api/meetings/settings", sig(signal));
}

export function saveSettings(body: { version?: number | undefined; bounceThreshold: number }) {
  return api<MeetingSettings>("/api/meetings/settings", { method: "PUT", body });
}
