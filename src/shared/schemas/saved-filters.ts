/**
 * Saved filters: a staff member's named views of a list. The only list so
 * far is the case inbox (`scope: "cases"`), whose saved query is checked by
 * the very schema the inbox endpoint reads its query string with (without
 * paging). Shared by the server (validation, OpenAPI) and the web dialogs.
 */
import { z } from "zod";
import { CASE_STATUSES, caseListQuery, INBOXES } from "./cases.js";

export const SAVED_FILTER_SCOPES = ["cases"] as const;
export type SavedFilterScope = (typeof SAVED_FILTER_SCOPES)[number];

/** How many filters one user may keep. */
export const SAVED_FILTER_LIMIT = 30;

export const savedFilterName = z
  .string()
  .trim()
  .min(1, "请填写筛选名称 / the name is required")
  .max(40, "名称不超过 40 个字 / at most 40 characters");

/** What GET /api/cases takes, less paging; unknown keys are refused, not dropped. */
export const savedCaseQuery = caseListQuery.omit({ limit: true, offset: true }).strict();
export type SavedCaseQueryInput = z.input<typeof savedCaseQuery>;

/** The saved query as the server answers it (as the inbox endpoint parsed it). */
export const savedCaseQueryView = z.object({
  inbox: z.enum(INBOXES),
  status: z.array(z.enum(CASE_STATUSES)).optional(),
  category: z.string().optional(),
  gridCode: z.string().optional(),
  q: z.string().optional(),
  sort: z.enum(["newest", "oldest", "due"]),
});
export type SavedCaseQuery = z.infer<typeof savedCaseQueryView>;

export const savedFilterListQuery = z.object({
  scope: z.enum(SAVED_FILTER_SCOPES, {
    error: "scope 应为 cases / scope must be cases",
  }),
});

export const createSavedFilterBody = z.strictObject({
  scope: z.enum(SAVED_FILTER_SCOPES),
  name: savedFilterName,
  query: savedCaseQuery,
});
export type CreateSavedFilterBody = z.input<typeof createSavedFilterBody>;

export const updateSavedFilterBody = z
  .strictObject({
    name: savedFilterName.optional(),
    query: savedCaseQuery.optional(),
  })
  .refine((b) => b.name !== undefined || b.query !== undefined, {
    message: "请提供新的名称或筛选条件 / give a new name or query",
  });
export type UpdateSavedFilterBody = z.input<typeof updateSavedFilterBody>;

export const savedFilterSchema = z.object({
  id: z.string(),
  scope: z.enum(SAVED_FILTER_SCOPES),
  name: z.string(),
  query: savedCaseQueryView,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SavedFilter = z.infer<typeof savedFilterSchema>;
