/** What every module's seed receives: one transaction, a seeded PRNG, the scale. */
import type { Transaction } from "kysely";
import type { DB } from "../db/schema.js";
import type { createRandom } from "./random.js";

export const SCALES = ["small", "medium", "large"] as const;
export type Scale = (typeof SCALES)[number];

export interface SeedContext {
  trx: Transaction<DB>;
  random: ReturnType<typeof createRandom>;
  scale: Scale;
  demoPassword: string;
  log: (message: string) => void;
}
