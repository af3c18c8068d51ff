/**
 * The case inbox's state (tab, status, category, search, sort: what the URL
 * holds) as a saved filter's query and back, kept pure so it is tested
 * without a browser.
 */
import type { SavedCaseQuery, SavedCaseQueryInput } from "../../../shared/schemas/saved-filters.js";
import type { CaseSort, CaseStatus, Inbox } from "./cases-api.js";

export interface InboxState {
  inbox: Inbox;
  q: string;
  status: CaseStatus | undefined;
  category: string;
  sort: CaseSort;
}

/** What POST /api/saved-filters takes for the inbox as it is now (empty filters left out). */
export function queryOfInbox(s: InboxState): SavedCaseQueryInput {
  return {
    inbox: s.inbox,
    ...(s.q.trim() ? { q: s.q.trim() } : {}),
    ...(s.status ? { status: s.status } : {}),
    ...(s.category ? { category: s.category } : {}),
    sort: s.sort,
  };
}

/** The inbox state a saved query stands for (the inbox shows one status at a time). */
export function inboxOfQuery(q: SavedCaseQuery): InboxState {
  return {
    inbox: q.inbox,
    q: q.q ?? "",
    status: q.status?.[0],
    category: q.category ?? "",
    sort: q.sort,
  };
}

/**
 * The URL of the inbox showing a saved query: its tab, filters, search and
 * sort, back on page 1; what the inbox does not own (the map view) is kept.
 */
export function applyToParams(
  current: URLSearchParams,
  q: SavedCaseQuery,
  defaultSort: CaseSort,
): URLSearchParams {
  const s = inboxOfQuery(q);
  const next = new URLSearchParams(current);
  for (const k of ["inbox", "q", "status", "category", "sort", "page"]) next.delete(k);
  next.set("inbox", s.inbox);
  if (s.q) next.set("q", s.q);
  if (s.status) next.set("status", s.status);
  if (s.category) next.set("category", s.category);
  if (s.sort !== defaultSort) next.set("sort", s.sort);
  return next;
}

/** Does the inbox show exactly this saved query now? */
export function sameInbox(a: InboxState, q: SavedCaseQuery): boolean {
  if ((q.status?.length ?? 0) > 1 || q.gridCode !== undefined) return false;
  const b = inboxOfQuery(q);
  return (
    a.inbox === b.inbox &&
    a.q.trim() === b.q &&
    a.status === b.status &&
    a.category === b.category &&
    a.sort === b.sort
  );
}
