/** Organisations: enterprises and associations (grown by the base-data issue). */
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import * as repo from "./organisations.repository.js";

export function findOrganisationById(deps: { db: Kysely<DB> }, id: string) {
  return repo.findById(deps.db, id);
}
