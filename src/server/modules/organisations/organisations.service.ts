/** Organisations: enterprises and associations (grown by the base-data issue). */
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import * as repo from "./organisations.repository.js";

export function findOrganisationById(deps: { db: Kysely<DB> }, id: string) {
  return repo.findById(deps.db, id);
}

/** Enterprises by unified social credit code (pass the trx as db). */
export function findEnterprisesByUscc(deps: { db: Kysely<DB> }, codes: string[]) {
  return repo.findEnterprisesByUscc(deps.db, codes);
}
