/** Taxonomy editing endpoints (/api/categories) for the 事项分类 page. */
import type { z } from "zod";
import type {
  CategoryDetail,
  createCategoryBody,
  updateCategoryBody,
} from "../../../shared/schemas/case-categories.js";
import { api } from "../../api/client.js";
import { type Category, forgetCategories } from "../cases/cases-api.js";

export type { Category, CategoryDetail };
export type CategoryInput = z.input<typeof createCategoryBody>;
export type CategoryUpdate = z.input<typeof updateCategoryBody>;

const sig = (signal?: AbortSignal) => (signal ? { signal } : {});
const one = (code: string) => `/api/categories/${encodeURIComponent(code)}`;

/** Every category, retired ones too (a district has a few dozen: no paging). */
export function listAllCategories(signal?: AbortSignal) {
  return api<{ items: Category[] }>("/api/categories", {
    query: { includeRetired: "true" },
    ...sig(signal),
  });
}

export function getCategory(code: string, signal?: AbortSignal) {
  return api<CategoryDetail>(one(code), sig(signal));
}

/** Changes drop the report form's cached list, so it offers the new taxonomy. */
async function changed<T>(p: Promise<T>): Promise<T> {
  const r = await p;
  forgetCategories();
  return r;
}

export function createCategory(body: CategoryInput) {
  return changed(api<CategoryDetail>("/api/categories", { method: "POST", body }));
}

export function updateCategory(code: string, body: CategoryUpdate) {
  return changed(api<CategoryDetail>(one(code), { method: "PUT", body }));
}

export function setCategoryRetired(
  code: string,
  retire: boolean,
  body: { version: number; note?: string },
) {
  return changed(
    api<CategoryDetail>(`${one(code)}/${retire ? "retire" : "restore"}`, { method: "POST", body }),
  );
}
