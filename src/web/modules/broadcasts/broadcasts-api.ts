/** The broadcasts' endpoints (/api/broadcasts…) as the pages call them. */
import type {
  AudienceCounts,
  BroadcastAudienceInput,
  BroadcastCategory,
  BroadcastDetail,
  BroadcastStatus,
  BroadcastSummary,
  BroadcastView,
  CreateBroadcastInput,
  MyBroadcasts,
  ReceivedBroadcast,
} from "../../../shared/schemas/broadcasts.js";
import { api } from "../../api/client.js";

const one = (id: string) => `/api/broadcasts/${encodeURIComponent(id)}`;

export function listBroadcasts(
  q: {
    q?: string | undefined;
    status?: BroadcastStatus | undefined;
    category?: BroadcastCategory | undefined;
    limit: number;
    offset: number;
  },
  signal?: AbortSignal,
) {
  return api<{ items: BroadcastSummary[]; total: number }>("/api/broadcasts", { query: q, signal });
}

export function previewAudience(
  audience: BroadcastAudienceInput,
  sms: boolean,
  signal?: AbortSignal,
) {
  return api<AudienceCounts>("/api/broadcasts/preview", {
    method: "POST",
    body: { audience, sms },
    signal,
  });
}

export function createBroadcast(body: CreateBroadcastInput) {
  return api<BroadcastDetail>("/api/broadcasts", { method: "POST", body });
}

export function updateBroadcast(
  id: string,
  body: Partial<CreateBroadcastInput> & { version: number },
) {
  return api<BroadcastDetail>(one(id), { method: "PATCH", body });
}

export function deleteBroadcast(id: string) {
  return api<void>(one(id), { method: "DELETE" });
}

export function sendBroadcast(id: string, version: number) {
  return api<BroadcastDetail>(`${one(id)}/send`, { method: "POST", body: { version } });
}

export function getBroadcast(id: string, signal?: AbortSignal) {
  return api<BroadcastView>(one(id), { signal });
}

export function readBroadcast(id: string) {
  return api<ReceivedBroadcast>(`${one(id)}/read`, { method: "POST" });
}

export function myBroadcasts(
  q: { unread?: "true" | undefined; limit: number; offset: number },
  signal?: AbortSignal,
) {
  return api<MyBroadcasts>("/api/broadcasts/mine", { query: q, signal });
}
