/**
 * Pure helpers for the account forms: what a grant row sends (only the scope
 * its role needs), and which form field a server issue belongs on
 * (`body.username`, `body.grants.0`, `body.grants.0.areaCode`, `body`).
 */
import { ROLE_SCOPE, type Role } from "../../../shared/roles.js";
import type { GrantInput } from "../../../shared/schemas/users.js";

/** A grant row as the form holds it: the role and whichever scope field is showing. */
export interface GrantFormValue {
  role?: Role | undefined;
  areaCode?: string | undefined;
  departmentId?: string | undefined;
  organisationId?: string | undefined;
}

export type ScopeField = "areaCode" | "departmentId" | "organisationId";

/** The form field that holds the scope a role needs; null for resident (no scope). */
export function scopeFieldOf(role: Role | undefined): ScopeField | null {
  if (!role) return null;
  switch (ROLE_SCOPE[role]) {
    case "area":
      return "areaCode";
    case "department":
      return "departmentId";
    case "organisation":
      return "organisationId";
    default:
      return null;
  }
}

/** The request body for one grant row: the role and only the scope field it needs. */
export function grantBody(v: GrantFormValue): GrantInput {
  if (!v.role) throw new Error("grant without a role");
  const field = scopeFieldOf(v.role);
  const value = field ? v[field]?.trim() : undefined;
  return field && value ? { role: v.role, [field]: value } : { role: v.role };
}

type NamePath = (string | number)[];

/**
 * Where an issue about one grant goes: the role select when it is about the
 * role, else the scope picker the role shows (a resident has none: the role).
 */
function grantIssueField(rest: string[], grant: GrantFormValue | undefined): NamePath {
  if (rest[0] === "role") return ["role"];
  return [scopeFieldOf(grant?.role) ?? "role"];
}

const CREATE_FIELDS = new Set(["username", "displayName", "password", "email"]);

/**
 * The create form's field for a server issue path, or null when it belongs to
 * no one field (then the form shows the error as a whole).
 */
export function createFormField(
  path: string,
  grants: readonly (GrantFormValue | undefined)[],
): NamePath | null {
  const parts = path.split(".");
  if (parts[0] === "body") parts.shift();
  const [head, index, ...rest] = parts;
  if (head && CREATE_FIELDS.has(head)) return [head];
  if (head === "grants" && index !== undefined && /^\d+$/.test(index)) {
    const i = Number(index);
    if (i >= grants.length) return null;
    return ["grants", i, ...grantIssueField(rest, grants[i])];
  }
  return null;
}

/** The add-grant form's field for a server issue path (`body` means the grant as a whole). */
export function grantFormField(path: string, grant: GrantFormValue): NamePath | null {
  const parts = path.split(".");
  if (parts[0] !== "body") return null;
  return grantIssueField(parts.slice(1), grant);
}
