/** What every module's seed receives: one transaction, a seeded PRNG, the scale. */
import type { Transaction } from "kysely";
import type { FieldCrypto } from "../crypto/field-crypto.js";
import type { DB } from "../db/schema.js";
import type { createRandom } from "./random.js";

export const SCALES = ["small", "medium", "large"] as const;
export type Scale = (typeof SCALES)[number];

/**
 * The day the demo district stands on: every generated date (arrivals, moves,
 * registrations, births) is on or before it, so a seed gives the same rows on
 * any day it is run.
 */
export const SEED_REFERENCE_DAY = "2026-11-01";

export interface SeedContext {
  trx: Transaction<DB>;
  random: ReturnType<typeof createRandom>;
  scale: Scale;
  demoPassword: string;
  /** Encrypts personal numbers (ID, phone) exactly as the running app will read them. */
  fieldCrypto: FieldCrypto;
  log: (message: string) => void;
}
