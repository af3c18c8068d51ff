/**
 * The case endpoints the browser uses: categories, intake (signed in or
 * anonymous, with an Idempotency-Key), the inbox list and map, the case page, the
 * anonymous tracking view, and the actions — by session, or by the tracking
 * secret for an anonymous reporter — with whom a comment may mention.
 */
import type { z } from "zod";
import type {
  CASE_STATUSES,
  CaseAction,
  CaseDetail,
  CaseMap,
  CaseSummary,
  CreateCaseBody,
  categorySchema,
  INBOXES,
  MentionableUser,
  TransitionBody,
} from "../../../shared/schemas/cases.js";
import { api } from "../../api/client.js";

export type Category = z.infer<typeof categorySchema>;
export type CategoryField = Category["fields"][number];
export type CaseStatus = (typeof CASE_STATUSES)[number];
export type Inbox = (typeof INBOXES)[number];
export type CaseSort = "newest" | "oldest" | "due";
/** Every action but intake: what `POST /api/cases/:id/<action>` takes. */
export type CaseStep = Exclude<CaseAction, "report">;

const sig = (signal?: AbortSignal) => (signal ? { signal } : {});
const one = (id: string) => `/api/cases/${encodeURIComponent(id)}`;

let categories: Promise<Category[]> | null = null;

/** The taxonomy, fetched once per page load (public: anonymous reporters use it too). */
export function loadCategories(): Promise<Category[]> {
  categories ??= api<{ items: Category[] }>("/api/categories", { expectUnauthenticated: true })
    .then((r) => r.items)
    .catch((err: unknown) => {
      categories = null; // let the next caller try again
      throw err;
    });
  return categories;
}

/** After a taxonomy edit: the next loadCategories fetches the list again. */
export function forgetCategories() {
  categories = null;
}

/**
 * Report a case. `idempotencyKey` is made once per filled-in form, so a
 * double click or a retry after a lost answer gives back the first case.
 */
export function createCase(body: CreateCaseBody, idempotencyKey: string) {
  return api<CaseDetail>("/api/cases", {
    method: "POST",
    body,
    headers: { "idempotency-key": idempotencyKey },
    expectUnauthenticated: true,
  });
}

export interface CaseListFilter {
  inbox: Inbox;
  status?: CaseStatus | undefined;
  category?: string | undefined;
  q?: string | undefined;
  sort: CaseSort;
  limit: number;
  offset: number;
}

export function listCases(f: CaseListFilter, signal?: AbortSignal) {
  return api<{ items: CaseSummary[]; total: number; totalCapped?: boolean }>("/api/cases", {
    query: { ...f },
    ...sig(signal),
  });
}

/** The inbox's filters on the map: no sorting or paging. */
export type CaseMapFilter = Omit<CaseListFilter, "sort" | "limit" | "offset">;

/** bbox is [west, south, east, north]. */
export function mapCases(
  f: CaseMapFilter & { bbox: [number, number, number, number]; zoom: number },
  signal?: AbortSignal,
) {
  const { bbox, ...rest } = f;
  return api<CaseMap>("/api/cases/map", {
    query: { ...rest, bbox: bbox.map((v) => v.toFixed(6)).join(",") },
    ...sig(signal),
  });
}

export function getCase(id: string, signal?: AbortSignal) {
  return api<CaseDetail>(one(id), sig(signal));
}

/** Whom the caller may @mention in a comment on the case (staff who work it). */
export function listMentionable(id: string, signal?: AbortSignal) {
  return api<{ items: MentionableUser[] }>(`${one(id)}/mentionable`, sig(signal));
}

/** The anonymous reporter's view; a wrong code or secret answers 404. */
export function trackCase(code: string, secret: string, signal?: AbortSignal) {
  return api<CaseDetail>("/api/cases/track", {
    query: { code, secret },
    expectUnauthenticated: true,
    ...sig(signal),
  });
}

/** Take an action; with `secret` as the anonymous reporter (no session needed). */
export function caseStep(id: string, action: CaseStep, body: TransitionBody, secret?: string) {
  return api<CaseDetail>(`${one(id)}/${action}`, {
    method: "POST",
    body,
    ...(secret ? { headers: { "x-tracking-secret": secret }, expectUnauthenticated: true } : {}),
  });
}

export interface AppNotification {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  caseId: string | null;
  caseCode: string | null;
  /** the in-app page to open */
  link: string | null;
  readAt: string | null;
  createdAt: string;
}

export function listNotifications(
  q: { unread?: "true" | "false"; limit: number; offset: number },
  signal?: AbortSignal,
) {
  return api<{ items: AppNotification[]; total: number; unread: number }>("/api/notifications", {
    query: { ...q },
    ...sig(signal),
  });
}

export function markNotificationsRead(which: { ids: string[] } | { all: true }) {
  return api<{ updated: number }>("/api/notifications/read", { method: "POST", body: which });
}
