/** SQL for proposal photos (migration 0029). No rules here. */
import type { Kysely, Transaction } from "kysely";
import type { DB } from "../../db/schema.js";

type Db = Kysely<DB> | Transaction<DB>;

const COLUMNS = [
  "id",
  "proposal_id",
  "filename",
  "mime",
  "size",
  "storage_key",
  "public_key",
  "created_at",
] as const;

export function photosOf(db: Db, proposalId: string) {
  return db
    .selectFrom("proposal_photos")
    .select(COLUMNS)
    .where("proposal_id", "=", proposalId)
    .orderBy("id")
    .execute();
}

export type PhotoRow = Awaited<ReturnType<typeof photosOf>>[number];

export function findPhoto(db: Db, proposalId: string, id: string) {
  return db
    .selectFrom("proposal_photos")
    .select(COLUMNS)
    .where("proposal_id", "=", proposalId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function photoCount(db: Db, proposalId: string) {
  const r = await db
    .selectFrom("proposal_photos")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("proposal_id", "=", proposalId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export function insertPhoto(
  trx: Transaction<DB>,
  row: Omit<DB["proposal_photos"], "id" | "created_at">,
) {
  return trx.insertInto("proposal_photos").values(row).returning(COLUMNS).executeTakeFirstOrThrow();
}

export function deletePhoto(trx: Transaction<DB>, proposalId: string, id: string) {
  return trx
    .deleteFrom("proposal_photos")
    .where("proposal_id", "=", proposalId)
    .where("id", "=", id)
    .returning(COLUMNS)
    .executeTakeFirst();
}
