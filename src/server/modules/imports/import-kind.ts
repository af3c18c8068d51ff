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

export interface ImportKind<T> {
  kind: "residents" | "units" | "organisations";
  title: string;
  columns: ImportColumn[];
  parse(cells: Record<string, string>): ParsedRow<T>;
  /** Writes one batch inside `trx`; rows it refuses come back with a reason. */
  writeBatch(
    trx: Transaction<DB>,
    actor: Actor,
    batch: { row: number; value: T }[],
  ): Promise<{ inserted: number; unchanged: number; refused: RowOutcome[] }>;
}
