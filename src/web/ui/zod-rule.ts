/**
 * Turns a shared zod schema into an antd Form rule, so forms validate live
 * with the same rules the server enforces.
 */
import type { FormRule } from "antd";
import type { z } from "zod";
import { localizeMessage } from "../i18n/index.js";

function check(schema: z.ZodType, value: unknown): void {
  const result = schema.safeParse(value);
  if (!result.success) throw new Error(localizeMessage(result.error.issues[0]?.message ?? ""));
}

/** `empty` stands in for a field the user has not touched yet ("" for text, [] for lists). */
export function zodRule(schema: z.ZodType, empty: unknown = ""): FormRule {
  return { validator: async (_rule, value: unknown) => check(schema, value ?? empty) };
}

/** For an optional text field: empty passes, anything else must satisfy `schema`. */
export function optionalZodRule(schema: z.ZodType): FormRule {
  return {
    validator: async (_rule, value: unknown) => {
      if (typeof value === "string" && value.trim() !== "") check(schema, value);
    },
  };
}
