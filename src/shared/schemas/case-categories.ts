/**
 * The wire shapes of taxonomy editing: coordinators add, change, retire and
 * restore case categories. The field rules are the taxonomy's own
 * (CATEGORY_SCHEMA); the server also checks the rules that span the entry
 * (a family has no fields, an invalid entry needs a redirect…).
 */
import { z } from "zod";
import { CATEGORY_SCHEMA } from "../case-taxonomy.js";
import { categorySchema } from "./cases.js";

const note = z
  .string()
  .trim()
  .max(200, "说明最多 200 字 / at most 200 characters")
  .optional()
  .describe("why (kept with the version)");
const version = z.number().int().min(1);

const entryShape = z.strictObject(CATEGORY_SCHEMA.shape);

export const createCategoryBody = entryShape.extend({ note });
export type CreateCategoryBody = z.infer<typeof createCategoryBody>;

export const updateCategoryBody = entryShape
  .omit({ code: true, parent: true })
  .extend({ version, note });
export type UpdateCategoryBody = z.infer<typeof updateCategoryBody>;

export const retireCategoryBody = z.strictObject({ version, note });

export const categoryListQuery = z.object({
  includeRetired: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true")
    .describe("also list retired categories"),
});

export const CATEGORY_CHANGES = ["created", "updated", "retired", "restored"] as const;

export const categoryDetailSchema = categorySchema.extend({
  retiredAt: z.string().nullable(),
  updatedAt: z.string(),
  /** may the caller edit the taxonomy */
  editable: z.boolean(),
  history: z.array(
    z.object({
      version: z.number().int(),
      change: z.enum(CATEGORY_CHANGES),
      snapshot: z.record(z.string(), z.unknown()),
      note: z.string().nullable(),
      changedAt: z.string(),
      changedBy: z.string().nullable(),
    }),
  ),
});
export type CategoryDetail = z.infer<typeof categoryDetailSchema>;
