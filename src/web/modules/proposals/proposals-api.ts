/** The deliberation endpoints (/api/proposals). */
import type {
  CreateProposalBody,
  FromCasesBody,
  FromCasesDraft,
  ProposalActionBody,
  ProposalContext,
  ProposalDetail,
  ProposalPhoto,
  ProposalSettings,
  ProposalSettingsBody,
  ProposalSummary,
  ProposalTransition,
} from "../../../shared/schemas/proposals.js";
import { api, type Query } from "../../api/client.js";

const sig = (signal?: AbortSignal) => (signal ? { signal } : {});
const one = (id: string) => `/api/proposals/${encodeURIComponent(id)}`;

export type ProposalQuery = Query;

export function listProposals(query: ProposalQuery, signal?: AbortSignal) {
  return api<{ items: ProposalSummary[]; total: number }>("/api/proposals", {
    query,
    ...sig(signal),
  });
}

export function getProposal(id: string, signal?: AbortSignal) {
  return api<ProposalDetail>(one(id), sig(signal));
}

export function loadContext(signal?: AbortSignal) {
  return api<ProposalContext>("/api/proposals/context", sig(signal));
}

export function createProposal(body: CreateProposalBody) {
  return api<ProposalDetail>("/api/proposals", { method: "POST", body });
}

export function support(id: string, comment?: string) {
  return api<ProposalDetail>(`${one(id)}/support`, {
    method: "POST",
    body: comment ? { comment } : {},
  });
}

export function unsupport(id: string) {
  return api<ProposalDetail>(`${one(id)}/support`, { method: "DELETE" });
}

export function act(id: string, action: ProposalTransition, body: ProposalActionBody) {
  return api<ProposalDetail>(`${one(id)}/${action}`, { method: "POST", body });
}

export function loadSettings(signal?: AbortSignal) {
  return api<ProposalSettings>("/api/proposals/settings", sig(signal));
}

export function saveSettings(body: ProposalSettingsBody) {
  return api<ProposalSettings>("/api/proposals/settings", { method: "PUT", body });
}

export function loadFromCasesDraft(caseIds: string[], signal?: AbortSignal) {
  return api<FromCasesDraft>("/api/proposals/from-cases/draft", {
    query: { caseIds: caseIds.join(",") },
    ...sig(signal),
  });
}

export function createFromCases(body: FromCasesBody) {
  return api<ProposalDetail>("/api/proposals/from-cases", { method: "POST", body });
}

/** Adds a photo to one's own proposal (multipart field `file`). */
export function uploadPhoto(id: string, file: File) {
  const form = new FormData();
  form.append("file", file, file.name);
  return api<ProposalPhoto>(`${one(id)}/photos`, { method: "POST", body: form });
}

export function removePhoto(id: string, photoId: string) {
  return api<{ removed: string }>(`${one(id)}/photos/${encodeURIComponent(photoId)}`, {
    method: "DELETE",
  });
}
