/**
 * A routing rule's field conditions (权责清单: "人数 ≥ 30 goes to …") against
 * the category's report form: which fields a rule may test (a leaf's own, or
 * for a family every field of its leaves), which operators make sense for a
 * field (comparisons for numbers, equality otherwise), and whether a value
 * can ever match what reporters enter. Shared by the server, which refuses a
 * condition that could never hold, and the rule form, which offers only
 * sensible ones.
 */

/** The part of a category's field definition the conditions need. */
export interface ConditionField {
  code: string;
  label: string;
  type: string;
  options?: { value: string; label: string }[] | undefined;
}

export const CONDITION_OPS = ["eq", "gte", "lte"] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

export interface FieldCondition {
  code: string;
  op: ConditionOp;
  value: string | number | boolean;
}

const NUMERIC = new Set(["integer", "number"]);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Operators that can hold for a field: ≥ and ≤ compare numbers only. */
export function opsFor(field: ConditionField): ConditionOp[] {
  return NUMERIC.has(field.type) ? ["eq", "gte", "lte"] : ["eq"];
}

/** The fields a rule for `code` may test: a leaf's own; a family's leaves' (each code once). */
export function conditionFields<
  C extends { code: string; parent: string | null; fields: readonly ConditionField[] },
>(categories: readonly C[], code: string): ConditionField[] {
  const own = categories.find((c) => c.code === code);
  if (!own) return [];
  if (own.parent !== null) return [...own.fields];
  const seen = new Map<string, ConditionField>();
  for (const c of categories)
    if (c.parent === code) for (const f of c.fields) if (!seen.has(f.code)) seen.set(f.code, f);
  return [...seen.values()];
}

/** What is wrong with a condition on this field (a bilingual message), or null. */
export function fieldConditionProblem(field: ConditionField, c: FieldCondition): string | null {
  const { label, code } = field;
  if (!opsFor(field).includes(c.op))
    return `「${label}」只能用“等于”比较 / ${code} can only be compared with eq`;
  switch (field.type) {
    case "integer":
    case "number":
      if (typeof c.value !== "number" || !Number.isFinite(c.value))
        return `「${label}」的条件值须为数字 / the value for ${code} must be a number`;
      if (field.type === "integer" && !Number.isInteger(c.value))
        return `「${label}」的条件值须为整数 / the value for ${code} must be an integer`;
      return null;
    case "boolean":
      return typeof c.value === "boolean"
        ? null
        : `「${label}」的条件值须为“是”或“否” / the value for ${code} must be true or false`;
    case "select": {
      const values = (field.options ?? []).map((o) => o.value);
      return typeof c.value === "string" && values.includes(c.value)
        ? null
        : `「${label}」的条件值须为其选项之一 / the value for ${code} must be one of: ${values.join(", ")}`;
    }
    case "date":
      return typeof c.value === "string" && DATE.test(c.value)
        ? null
        : `「${label}」的条件值须为日期（YYYY-MM-DD）/ the value for ${code} must be a date`;
    default:
      return typeof c.value === "string" && c.value.trim() !== ""
        ? null
        : `「${label}」的条件值须为文字 / the value for ${code} must be text`;
  }
}

/**
 * Checks a condition against the fields a rule may test: null when some
 * definition of the field accepts it (a family's leaves may define a code
 * alike), else why not.
 */
export function conditionProblem(
  fields: readonly ConditionField[],
  c: FieldCondition,
): string | null {
  const defs = fields.filter((f) => f.code === c.code);
  if (defs.length === 0) return `类别没有字段 ${c.code} / the category has no field ${c.code}`;
  const problems = defs.map((f) => fieldConditionProblem(f, c));
  return problems.includes(null) ? null : (problems[0] ?? null);
}
