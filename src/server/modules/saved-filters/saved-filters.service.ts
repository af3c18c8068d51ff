/**
 * Saved filters: staff name the inbox's current tab, filters and search and
 * bring them back with a click. Each user sees and changes only their own
 * (anyone else's answers 404, like a missing one); at most
 * SAVED_FILTER_LIMIT each; names unique per user and list, regardless of
 * case. They are personal view settings that name no one, so unlike base
 * data they are not written to the audit trail.
 */
import type { Kysely } from "kysely";
import {
  SAVED_FILTER_LIMIT,
  type SavedCaseQuery,
  type SavedFilter,
  type SavedFilterScope,
  type savedCaseQuery,
} from "../../../shared/schemas/saved-filters.js";
import type { DB } from "../../db/schema.js";
import { AppError, conflict, forbidden, notFound } from "../../errors.js";
import type { Actor } from "../access/access.policy.js";
import { mayKeepFilters } from "./saved-filters.policy.js";
import * as repo from "./saved-filters.repository.js";

export interface SavedFiltersDeps {
  db: Kysely<DB>;
}

/** The query as the inbox endpoint parsed it (status always a list). */
type ParsedQuery = ReturnType<typeof savedCaseQuery.parse>;

function ownerOf(actor: Actor): string {
  if (!mayKeepFilters(actor) || actor.userId === null)
    throw forbidden("只有工作人员可以保存筛选 / only staff keep saved filters");
  return actor.userId;
}

function present(r: repo.SavedFilterRow): SavedFilter {
  return {
    id: r.id,
    scope: r.scope,
    name: r.name,
    query: r.query as SavedCaseQuery,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

const nameTaken = (name: string) =>
  conflict(`已有名为「${name}」的筛选，请换一个名称 / you already have a filter named "${name}"`, [
    { path: "body.name", message: "已有同名的筛选 / you already use this name" },
  ]);

/** The unique index caught what the check could not (should not happen under the owner lock). */
function uniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === "23505";
}

export async function listSavedFilters(
  deps: SavedFiltersDeps,
  actor: Actor,
  scope: SavedFilterScope,
) {
  const rows = await repo.list(deps.db, ownerOf(actor), scope);
  return { items: rows.map(present), total: rows.length };
}

export async function createSavedFilter(
  deps: SavedFiltersDeps,
  actor: Actor,
  body: { scope: SavedFilterScope; name: string; query: ParsedQuery },
): Promise<SavedFilter> {
  const userId = ownerOf(actor);
  try {
    return await deps.db.transaction().execute(async (trx) => {
      await repo.lockOwner(trx, userId);
      if ((await repo.countOf(trx, userId)) >= SAVED_FILTER_LIMIT)
        throw new AppError(
          "validation",
          422,
          `最多保存 ${SAVED_FILTER_LIMIT} 个筛选，请先删除不再使用的 / at most ${SAVED_FILTER_LIMIT} saved filters; delete one first`,
          { limit: SAVED_FILTER_LIMIT },
        );
      if (await repo.findByName(trx, userId, body.scope, body.name)) throw nameTaken(body.name);
      return present(
        await repo.insert(trx, {
          user_id: userId,
          scope: body.scope,
          name: body.name,
          query: body.query,
        }),
      );
    });
  } catch (err) {
    if (uniqueViolation(err)) throw nameTaken(body.name);
    throw err;
  }
}

export async function updateSavedFilter(
  deps: SavedFiltersDeps,
  actor: Actor,
  id: string,
  patch: { name?: string | undefined; query?: ParsedQuery | undefined },
): Promise<SavedFilter> {
  const userId = ownerOf(actor);
  try {
    return await deps.db.transaction().execute(async (trx) => {
      await repo.lockOwner(trx, userId);
      const row = await repo.find(trx, userId, id);
      if (!row) throw notFound("筛选", "saved filter");
      if (
        patch.name !== undefined &&
        (await repo.findByName(trx, userId, row.scope, patch.name, id))
      )
        throw nameTaken(patch.name);
      const updated = await repo.update(trx, userId, id, {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.query !== undefined ? { query: patch.query } : {}),
      });
      if (!updated) throw notFound("筛选", "saved filter");
      return present(updated);
    });
  } catch (err) {
    if (uniqueViolation(err)) throw nameTaken(patch.name ?? "");
    throw err;
  }
}

export async function deleteSavedFilter(deps: SavedFiltersDeps, actor: Actor, id: string) {
  if (!(await repo.remove(deps.db, ownerOf(actor), id))) throw notFound("筛选", "saved filter");
}
