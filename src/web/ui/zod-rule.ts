/**
 * Turns a shared zod schema into an antd Form rule, so forms validate live
 * with the same rules the server enforces.
 */
import type { FormRule } from "antd";
import type { z } from "zod";
import { localizeMessage } from "../i18n/index.js";

/** `empty` stands in for a field the user has not touched yet ("" for text, [] for lists). */
export function zodRule(schema: z.ZodType, empty: unknown = ""): FormRule {
  return {
    validator: async (_rule, value: unknown) => {
      const result = schema.safeParse(value ?? empty);
      if (!result.success) {
        throw new Error(localizeMessage(result.error.issues[0]?.message ?? ""));
      }
    },
  };
}
