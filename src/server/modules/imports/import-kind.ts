/** What a module provides to make its records importable from spreadsheets. */
import type { Transaction } from "kysely";
import type { DB } from "../../db/schema.js";
import type { Actor } from "../access/access.policy.js";

export interface ImportColumn {
  key: string;
  /** The Chinese header in templates and files. */
  header: string;
  required: boolean;
  example: string;
  note: string;
}

export type ParsedRow<T> =
  | { ok: true; value: T /** rows with the same key in one file are duplicates */; key?: string }
  | { ok: false; reason: string };

export interface RowOutcome {
  row: number;
  reason: string;
}

export interface ImportKind<T, P = { row: number; value: T }[]> {
  kind: "residents" | "units" | "organisations";
  title: string;
  /** The tables an import of this kind writes (their statistics are refreshed
   *  after a large import). */
  tables: readonly (keyof DB)[];
  columns: ImportColumn[];
  parse(cells: Record<string, string>): ParsedRow<T>;
  /**
   * Optional CPU-only work on a batch (hashing, encryption) with no database
   * access. It runs while the previous batch is being written, so the two
   * overlap; without it `writeBatch` receives the batch itself.
   */
  prepare?(batch: { row: number; value: T }[]): P;
  /** Writes one batch inside `trx`; rows it refuses come back with a reason. */
  writeBatch(
    trx: Transaction<DB>,
    actor: Actor,
    batch: P,
  ): Promise<{ inserted: number; unchanged: number; refused: RowOutcome[] }>;
}

/**
 * Remembers lookups by key for one import (units by address, enterprises by
 * USCC), including misses, so a value repeated on many rows is fetched once.
 */
export class LookupCache<V> {
  private readonly known = new Map<string, V | null>();
  constructor(
    private readonly fetch: (
      db: Transaction<DB>,
      keys: string[],
    ) => Promise<(readonly [string, V])[]>,
  ) {}

  async get(db: Transaction<DB>, keys: string[]): Promise<Map<string, V>> {
    const missing = [...new Set(keys)].filter((k) => !this.known.has(k));
    if (missing.length) {
      const found = new Map(await this.fetch(db, missing));
      for (const k of missing) this.known.set(k, found.get(k) ?? null);
    }
    const out = new Map<string, V>();
    for (const k of keys) {
      const v = this.known.get(k);
      if (v) out.set(k, v);
    }
    return out;
  }
}
