/**
 * The 事项分类 page's pure parts: the taxonomy as a tree (families with their
 * categories) filtered by a search and by whether retired entries show, and
 * the form's values turned into the API's body.
 */
import type { CategoryField } from "../../../shared/case-taxonomy.js";
import type { Category, CategoryInput } from "./categories-api.js";

export interface CategoryRow extends Category {
  children?: CategoryRow[];
}

const matches = (c: Category, q: string) =>
  q === "" || c.name.toLowerCase().includes(q) || c.code.toLowerCase().includes(q);

/**
 * Families in their order, each with its categories. A family shows when it
 * or one of its categories matches; a matching family shows all its (shown)
 * categories. Retired entries show only when asked for.
 */
export function categoryTree(
  items: readonly Category[],
  opts: { q: string; showRetired: boolean },
): CategoryRow[] {
  const q = opts.q.trim().toLowerCase();
  const visible = items.filter((c) => opts.showRetired || !c.retired);
  return visible
    .filter((c) => c.parent === null)
    .flatMap((family) => {
      const all = visible.filter((c) => c.parent === family.code);
      const children = matches(family, q) ? all : all.filter((c) => matches(c, q));
      if (!matches(family, q) && children.length === 0) return [];
      return [{ ...family, ...(children.length > 0 ? { children } : {}) }];
    });
}

/** One field as the form holds it (every optional part may be blank). */
export interface FieldFormValue {
  code?: string;
  label?: string;
  type?: CategoryField["type"];
  required?: boolean;
  options?: { value?: string; label?: string }[];
  min?: number | null;
  max?: number | null;
  maxLength?: number | null;
  help?: string;
}

export interface CategoryFormValues {
  code?: string;
  name?: string;
  parent?: string | null;
  severity?: Category["severity"];
  invalid?: boolean;
  redirect?: string;
  sensitive?: boolean;
  verify?: boolean;
  acceptHours?: number | null;
  resolveDays?: number | null;
  fields?: FieldFormValue[];
  description?: string;
  serviceNotice?: string;
  note?: string;
}

const text = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);
const num = (v: number | null | undefined) => (typeof v === "number" ? v : undefined);

/** A field as the API takes it: only the parts its type uses. */
export function fieldBody(f: FieldFormValue): CategoryField {
  const type = f.type ?? "text";
  const numeric = type === "integer" || type === "number";
  const min = numeric ? num(f.min) : undefined;
  const max = numeric ? num(f.max) : undefined;
  const maxLength = type === "text" ? num(f.maxLength) : undefined;
  const help = text(f.help);
  return {
    code: f.code?.trim() ?? "",
    label: f.label?.trim() ?? "",
    type,
    required: f.required ?? false,
    ...(type === "select"
      ? {
          options: (f.options ?? []).map((o) => ({
            value: o.value?.trim() ?? "",
            label: o.label?.trim() ?? "",
          })),
        }
      : {}),
    ...(min !== undefined ? { min } : {}),
    ...(max !== undefined ? { max } : {}),
    ...(maxLength !== undefined ? { maxLength } : {}),
    ...(help !== undefined ? { help } : {}),
  };
}

/** The form's values as the create body (the update body omits code and parent). */
export function categoryBody(v: CategoryFormValues): CategoryInput {
  const invalid = v.invalid ?? false;
  const note = text(v.note);
  return {
    code: v.code?.trim() ?? "",
    name: v.name?.trim() ?? "",
    parent: v.parent ?? null,
    severity: v.severity ?? "normal",
    invalid,
    redirect: invalid ? (text(v.redirect) ?? null) : null,
    sensitive: v.sensitive ?? false,
    verify: v.verify ?? false,
    acceptHours: num(v.acceptHours) ?? 0,
    resolveDays: num(v.resolveDays) ?? 0,
    fields: invalid || v.parent === null ? [] : (v.fields ?? []).map(fieldBody),
    description: v.description?.trim() ?? "",
    serviceNotice: text(v.serviceNotice) ?? null,
    ...(note !== undefined ? { note } : {}),
  };
}

/** The form's values for an existing entry. */
export function formValuesOf(c: Category): CategoryFormValues {
  return {
    code: c.code,
    name: c.name,
    parent: c.parent,
    severity: c.severity,
    invalid: c.invalid,
    redirect: c.redirect ?? "",
    sensitive: c.sensitive,
    verify: c.verify,
    acceptHours: c.acceptHours,
    resolveDays: c.resolveDays,
    fields: c.fields.map((f) => ({
      code: f.code,
      label: f.label,
      type: f.type as CategoryField["type"],
      required: f.required,
      ...(f.options ? { options: f.options } : {}),
      min: f.min ?? null,
      max: f.max ?? null,
      maxLength: f.maxLength ?? null,
      help: f.help ?? "",
    })),
    description: c.description ?? "",
    serviceNotice: c.serviceNotice ?? "",
  };
}

/** Where a server error path ("body.fields.0.options") goes in the form. */
export function formPathOf(path: string): (string | number)[] | null {
  const parts = path
    .replace(/^body\.?/, "")
    .split(".")
    .filter(Boolean);
  if (parts.length === 0) return null;
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}
