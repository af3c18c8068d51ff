/**
 * The rules the case screens follow, kept pure so they are tested without a
 * browser: the taxonomy as families and leaves, a category's extra fields
 * (checked with the same shared validator the server uses, turned into the
 * request body, shown as text), which channels and inbox tabs a user has,
 * what a 409 from an action means, and whom a comment's @mentions name.
 */
import {
  type CaseCategoryDef,
  type CaseFieldValue,
  validateCaseFields,
} from "../../../shared/case-taxonomy.js";
import type { MeResponse } from "../../../shared/schemas/auth.js";
import type { CaseChannel, MentionableUser } from "../../../shared/schemas/cases.js";
import { ApiError } from "../../api/client.js";
import type { Category, CategoryField, Inbox } from "./cases-api.js";

export interface CategoryFamily {
  family: Category;
  leaves: Category[];
}

/** Families in the server's order, each with the leaves a reporter picks from. */
export function categoryTree(all: readonly Category[]): CategoryFamily[] {
  return all
    .filter((c) => c.parent === null)
    .map((family) => ({ family, leaves: all.filter((c) => c.parent === family.code) }));
}

/** The family code of a leaf code ("theft_fraud.theft" → "theft_fraud"). */
export function familyOf(code: string): string {
  const dot = code.indexOf(".");
  return dot < 0 ? code : code.slice(0, dot);
}

/**
 * What is wrong with one extra field's value (a bilingual message), or null.
 * The shared validator checks a whole form; given a form of just this field
 * it answers for the field alone.
 */
export function checkCaseField(field: CategoryField, value: unknown): string | null {
  const single = { fields: [field] } as unknown as CaseCategoryDef;
  const result = validateCaseFields(single, { [field.code]: value });
  return result.ok ? null : (result.errors[0]?.message ?? null);
}

/** The filled-in extra fields as the API takes them; empty answers are left out. */
export function caseFieldsBody(
  defs: readonly CategoryField[],
  values: Record<string, unknown> | undefined,
): Record<string, CaseFieldValue> {
  const out: Record<string, CaseFieldValue> = {};
  for (const f of defs) {
    const v = values?.[f.code];
    if (v === undefined || v === null) continue;
    if (typeof v === "string") {
      if (v.trim() !== "") out[f.code] = v.trim();
    } else if (typeof v === "number" || typeof v === "boolean") out[f.code] = v;
  }
  return out;
}

/** An extra field's value as people read it: the option's label, 是/否, the number. */
export function caseFieldText(
  field: CategoryField | undefined,
  value: CaseFieldValue,
  words: { yes: string; no: string },
): string {
  if (typeof value === "boolean") return value ? words.yes : words.no;
  if (field?.type === "select")
    return field.options?.find((o) => o.value === value)?.label ?? String(value);
  return String(value);
}

const roleSet = (me: MeResponse | null) => new Set(me?.grants.map((g) => g.role) ?? []);

/**
 * The channels a signed-in user may report through, and the one the server
 * would pick (mirrors channelFor in the cases service; the server decides).
 * One channel (a resident's `web`) means there is nothing to choose.
 */
export function reportChannels(me: MeResponse | null): {
  options: CaseChannel[];
  preferred: CaseChannel;
} {
  const roles = roleSet(me);
  const officeStaff =
    roles.has("coordinator") || roles.has("admin") || roles.has("department_officer");
  const options: CaseChannel[] = [];
  if (roles.has("grid_worker") || officeStaff) options.push("patrol", "hotline");
  const enterprise = roles.has("enterprise_officer") || roles.has("enterprise_manager");
  if (enterprise) options.push("enterprise");
  options.push("web");
  const preferred: CaseChannel = roles.has("grid_worker")
    ? "patrol"
    : enterprise
      ? "enterprise"
      : officeStaff
        ? "hotline"
        : "web";
  return { options, preferred };
}

/** The inbox tabs a staff member sees, in order; the first is the default. */
export function inboxTabs(me: MeResponse | null): Inbox[] {
  const roles = roleSet(me);
  const hasArea = me?.grants.some((g) => g.scopeKind === "area" && g.scope !== null) ?? false;
  const tabs: Inbox[] = ["mine"];
  if (roles.has("department_officer")) tabs.push("department");
  if (hasArea) tabs.push("area");
  if (roles.has("coordinator") || roles.has("admin")) tabs.push("queue");
  tabs.push("due_soon", "overdue", "supervised", "reported_by_me", "all");
  return tabs;
}

/**
 * What a refused action means: `stale` (someone else changed the case
 * first), `state` (the case has moved on and no longer allows it),
 * `forbidden`, or null for anything else (validation, network …).
 */
export function stepRefusal(err: unknown): "stale" | "state" | "forbidden" | null {
  if (!(err instanceof ApiError)) return null;
  if (err.status === 403) return "forbidden";
  if (err.status !== 409) return null;
  const d = err.details as { currentVersion?: unknown; allowed?: unknown } | undefined;
  if (d && Array.isArray(d.allowed)) return "state";
  return "stale";
}

/**
 * The server names some field problems with a bare word ("required") and
 * puts the sentence in the error's message: give each issue a readable
 * message before it is placed on the form.
 */
export function readableIssues(err: unknown): unknown {
  if (!(err instanceof ApiError) || !Array.isArray(err.details)) return err;
  const details = err.details.map((d: unknown) => {
    const issue = d as { message?: unknown };
    return typeof issue?.message === "string" && !issue.message.includes(" / ")
      ? { ...(d as object), message: err.message }
      : d;
  });
  return new ApiError(err.status, err.id, err.message, err.requestId, details);
}

/**
 * A random UUID (v4) for the Idempotency-Key header. crypto.randomUUID needs
 * a secure context; an install reached over plain HTTP still has
 * getRandomValues.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The people a comment mentions: each whose "@显示名" is still in the text,
 * chosen from the list (`picked`) or typed out in full. Two people of the
 * same name count only when chosen, as the text cannot tell them apart.
 */
export function mentionedUsers(
  text: string,
  users: readonly MentionableUser[],
  picked: ReadonlySet<string>,
): MentionableUser[] {
  const count = new Map<string, number>();
  for (const u of users) count.set(u.displayName, (count.get(u.displayName) ?? 0) + 1);
  return users.filter(
    (u) =>
      text.includes(`@${u.displayName}`) && (picked.has(u.id) || count.get(u.displayName) === 1),
  );
}
