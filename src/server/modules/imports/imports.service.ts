/**
 * Spreadsheet imports: checks the file (size, real type, headers), streams
 * its rows through the kind's checks, writes valid rows in batches — each
 * batch with its audit row in one transaction — and keeps the refused rows
 * (row number, cells, reason) for a downloadable error file. Kinds are
 * idempotent, so a failed or repeated import is fixed by importing again.
 */
import fs from "node:fs";
import type { Kysely } from "kysely";
import type { Config } from "../../config.js";
import type { FieldCrypto } from "../../crypto/field-crypto.js";
import type { DB } from "../../db/schema.js";
import { notFound, validation } from "../../errors.js";
import { type Actor, overseesAllImports } from "../access/access.policy.js";
import { recordAudit } from "../audit/audit.service.js";
import { AreaLocator } from "../geo/areas.service.js";
import { unitsImportKind } from "../housing/units-import.js";
import { organisationsImportKind } from "../organisations/organisations-import.js";
import { residentsImportKind } from "../residents/residents-import.js";
import type { ImportKind } from "./import-kind.js";
import * as repo from "./imports.repository.js";
import { csvText, readRows, sniffSpreadsheet, xlsxBuffer } from "./spreadsheet.js";

export interface ImportsDeps {
  db: Kysely<DB>;
  config: Config;
  fieldCrypto: FieldCrypto;
  /** Places new buildings in their grid; the app's shared one (a fresh one is
   *  built from the database when absent, e.g. in the command line). */
  locator?: AreaLocator;
}

export const IMPORT_KINDS = ["residents", "units", "organisations"] as const;
export type ImportKindName = (typeof IMPORT_KINDS)[number];

const BATCH_SIZE = 2000;
/** An import adding at least this many rows refreshes planner statistics. */
const ANALYZE_AFTER_ROWS = 10_000;
/** Batches written at once (the pool has more connections; two cores here). */
const WRITERS = 2;
const MAX_ERRORS_KEPT = 10_000;
/** A running import writes a heartbeat this often… */
const HEARTBEAT_MS = 30_000;
/** …and one silent for this long is taken as interrupted. */
export const IMPORT_STALE_AFTER_MS = 5 * 60_000;

// biome-ignore lint/suspicious/noExplicitAny: kinds differ in their row type
function kindOf(deps: ImportsDeps, name: ImportKindName): ImportKind<any, any> {
  switch (name) {
    case "residents":
      return residentsImportKind(deps.fieldCrypto);
    case "units":
      return unitsImportKind({
        locator: deps.locator ?? new AreaLocator(deps.db),
        fieldCrypto: deps.fieldCrypto,
      });
    case "organisations":
      return organisationsImportKind(deps.fieldCrypto);
  }
}

export interface ImportError {
  row: number;
  reason: string;
  cells: string[];
}

export interface ImportProgress {
  total: number;
  inserted: number;
  unchanged: number;
  errors: number;
}

/** Maps header cells to column keys; throws a clear error for wrong headers. */
function mapHeaders(kind: ImportKind<unknown>, header: string[]): (string | null)[] {
  const norm = (s: string) =>
    s
      .replace(/\s+/g, "")
      .replace(/[（(].*[)）]$/, "")
      .toLowerCase();
  const mapped = header.map((h) => {
    const col = kind.columns.find(
      (c) => norm(c.header) === norm(h) || c.key.toLowerCase() === norm(h),
    );
    return col?.key ?? null;
  });
  const missing = kind.columns
    .filter((c) => c.required && !mapped.includes(c.key))
    .map((c) => c.header);
  if (missing.length) {
    throw validation(
      `表头不正确：缺少「${missing.join("」「")}」列。文件表头为「${header.slice(0, 12).join("」「")}」。请下载模板对照。 / Wrong headers: missing ${missing.join(", ")}; download the template`,
      { missing, found: header },
    );
  }
  return mapped;
}

/**
 * Checks the file and its headers (throwing a clear error, with nothing
 * recorded, when they are wrong), records the import, and returns it with
 * `done`: the rest of the work, which resolves to the finished record.
 */
export async function startImport(
  deps: ImportsDeps,
  actor: Actor,
  input: { kind: ImportKindName; file: string; filename: string },
  requestId: string,
  onProgress?: (p: ImportProgress) => void,
) {
  const kind = kindOf(deps, input.kind);
  const size = (await fs.promises.stat(input.file)).size;
  const maxMb = Math.round(deps.config.importMaxBytes / 2 ** 20);
  if (size > deps.config.importMaxBytes) {
    throw validation(
      `文件过大（${(size / 2 ** 20).toFixed(1)} MB），上限 ${maxMb} MB，请拆分后分批导入 / File too large; split it`,
    );
  }
  if (size === 0) throw validation("文件为空 / The file is empty");
  const sheet = await sniffSpreadsheet(input.file);
  if (!sheet)
    throw validation("文件不是 CSV 或 XLSX 表格 / The file is not a CSV or XLSX spreadsheet");

  const rows = readRows(input.file, sheet);
  let first: IteratorResult<string[]>;
  try {
    first = await rows.next();
  } catch {
    throw validation(
      "无法读取表格，文件可能已损坏 / The spreadsheet cannot be read; it may be damaged",
    );
  }
  if (first.done) throw validation("文件没有表头 / The file has no header row");
  const header = first.value;
  const keys = mapHeaders(kind, header);

  const record = await repo.create(deps.db, {
    kind: input.kind,
    filename: input.filename.slice(0, 200),
    created_by: actor.userId,
  });
  const p: ImportProgress = { total: 0, inserted: 0, unchanged: 0, errors: 0 };
  const errors: ImportError[] = [];
  const seen = new Map<string, number>();
  let cellsByRow = new Map<number, string[]>();
  let batch: { row: number; value: unknown }[] = [];
  const refuse = (row: number, reason: string, cells: string[]) => {
    p.errors++;
    if (errors.length < MAX_ERRORS_KEPT) errors.push({ row, reason, cells });
  };
  const write = async (
    current: { row: number; value: unknown }[],
    prepared: unknown,
    cells: Map<number, string[]>,
  ) => {
    const out = await deps.db.transaction().execute(async (trx) => {
      const r = await kind.writeBatch(trx, actor, prepared);
      if (r.inserted > 0) {
        await recordAudit(
          trx,
          { actor, requestId },
          {
            action: `import.${input.kind}`,
            subjectType: "import",
            subjectId: record.id,
            details: {
              rows: [current[0]?.row, current[current.length - 1]?.row],
              inserted: r.inserted,
            },
          },
        );
      }
      return r;
    });
    p.inserted += out.inserted;
    p.unchanged += out.unchanged;
    for (const f of out.refused) refuse(f.row, f.reason, cells.get(f.row) ?? []);
    await repo.progress(deps.db, record.id, {
      total_rows: p.total,
      inserted_rows: p.inserted,
      unchanged_rows: p.unchanged,
      error_rows: p.errors,
    });
    onProgress?.({ ...p });
  };
  // Batches are written while the next ones are read, checked and prepared,
  // up to WRITERS at a time on separate connections, so the file, the CPU work
  // and the database overlap (PGlite, with one connection, runs them in turn).
  // Batches hold disjoint rows; their audit rows still chain in commit order.
  // A failed write stops the import at the next batch.
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | null = null;
  const flush = async () => {
    if (batch.length === 0) return;
    const current = batch;
    const cells = cellsByRow;
    batch = [];
    cellsByRow = new Map();
    const prepared = kind.prepare ? kind.prepare(current) : current;
    while (inFlight.size >= WRITERS) await Promise.race(inFlight);
    if (failure) throw failure.error;
    const w: Promise<void> = write(current, prepared, cells).then(
      () => {
        inFlight.delete(w);
      },
      (error: unknown) => {
        inFlight.delete(w);
        failure ??= { error };
      },
    );
    inFlight.add(w);
  };
  const settle = async () => {
    await Promise.all(inFlight);
    if (failure) throw failure.error;
  };

  const process = async () => {
    let rowNumber = 1;
    const heartbeat = setInterval(() => {
      repo.beat(deps.db, record.id).catch(() => {
        // A missed beat only matters after several in a row; the sweep waits
        // IMPORT_STALE_AFTER_MS.
      });
    }, HEARTBEAT_MS);
    heartbeat.unref();
    try {
      for await (const cells of rows) {
        rowNumber++;
        p.total++;
        const byKey: Record<string, string> = {};
        keys.forEach((k, i) => {
          if (k) byKey[k] = cells[i] ?? "";
        });
        const parsed = kind.parse(byKey);
        if (!parsed.ok) {
          refuse(rowNumber, parsed.reason, cells);
          continue;
        }
        if (parsed.key !== undefined) {
          const firstRow = seen.get(parsed.key);
          if (firstRow !== undefined) {
            refuse(rowNumber, `与第 ${firstRow} 行重复 / duplicate of row ${firstRow}`, cells);
            continue;
          }
          seen.set(parsed.key, rowNumber);
        }
        cellsByRow.set(rowNumber, cells);
        batch.push({ row: rowNumber, value: parsed.value });
        if (batch.length >= BATCH_SIZE) await flush();
      }
      await flush();
      await settle();
    } catch (err) {
      await Promise.all(inFlight);
      const message = `第 ${rowNumber} 行附近处理失败，之前的批次已写入；修正后重新导入同一文件即可（已写入的行计为未变）。 / Failed near row ${rowNumber}; earlier batches are saved — import the same file again after fixing`;
      await repo.finish(deps.db, record.id, {
        counts: countsOf(p),
        status: "failed",
        message,
        errors: sealErrors(deps, header, errors),
      });
      throw err;
    } finally {
      clearInterval(heartbeat);
    }
    if (p.inserted >= ANALYZE_AFTER_ROWS) await repo.refreshStatistics(deps.db, kind.tables);
    const truncated =
      p.errors > errors.length
        ? `；错误文件只列出前 ${errors.length} 行，请修正后重新导入以查看其余 / the error file lists the first ${errors.length} refused rows`
        : "";
    const message = `共 ${p.total} 行：新增 ${p.inserted}，未变 ${p.unchanged}，错误 ${p.errors} / ${p.total} rows: ${p.inserted} added, ${p.unchanged} unchanged, ${p.errors} refused${truncated}`;
    await repo.finish(deps.db, record.id, {
      counts: countsOf(p),
      status: "done",
      message,
      errors: sealErrors(deps, header, errors),
    });
    return getImport(deps, actor, record.id);
  };
  const created = await repo.find(deps.db, record.id);
  return {
    record: presentImport(created ?? { ...record, created_by_name: null }),
    done: process(),
  };
}

/**
 * Fails the imports whose server stopped while they ran (their heartbeat is
 * older than IMPORT_STALE_AFTER_MS), so nobody waits for them for ever.
 * Batches written before the stop stay; importing the file again adds the
 * rest and counts the saved rows as unchanged.
 */
export async function failInterruptedImports(deps: Pick<ImportsDeps, "db">, now = new Date()) {
  return repo.failStale(
    deps.db,
    new Date(now.getTime() - IMPORT_STALE_AFTER_MS),
    "导入中断（服务器重启或停止）；已写入的批次已保存，重新导入同一文件即可补全（已写入的行计为未变）。 / Interrupted (the server stopped); saved batches are kept — import the same file again to finish",
  );
}

function countsOf(p: ImportProgress) {
  return {
    total_rows: p.total,
    inserted_rows: p.inserted,
    unchanged_rows: p.unchanged,
    error_rows: p.errors,
  };
}

// Refused rows hold what people typed (ID and phone numbers among it): they
// are kept encrypted, like every personal number.
function sealErrors(deps: ImportsDeps, header: string[], rows: ImportError[]) {
  return { sealed: deps.fieldCrypto.encrypt(JSON.stringify({ header, rows }), "imports.errors") };
}

function openErrors(deps: ImportsDeps, stored: unknown): { header: string[]; rows: ImportError[] } {
  const sealed = (stored as { sealed?: string } | null)?.sealed;
  if (!sealed) return { header: [], rows: [] };
  return JSON.parse(deps.fieldCrypto.decrypt(sealed, "imports.errors"));
}

export function presentImport(r: NonNullable<Awaited<ReturnType<typeof repo.find>>>) {
  return {
    id: r.id,
    kind: r.kind,
    filename: r.filename,
    status: r.status,
    totalRows: r.total_rows,
    insertedRows: r.inserted_rows,
    unchangedRows: r.unchanged_rows,
    errorRows: r.error_rows,
    message: r.message,
    createdBy: r.created_by ? { id: r.created_by, name: r.created_by_name ?? "" } : null,
    createdAt: r.created_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
  };
}

function visibleTo(actor: Actor, r: { created_by: string | null }) {
  return r.created_by === actor.userId || overseesAllImports(actor);
}

export async function getImport(deps: ImportsDeps, actor: Actor, id: string) {
  const r = await repo.find(deps.db, id);
  if (!r || !visibleTo(actor, r)) throw notFound("导入记录", "import");
  return presentImport(r);
}

export async function listImports(
  deps: ImportsDeps,
  actor: Actor,
  f: { limit: number; offset: number },
) {
  const all = overseesAllImports(actor);
  const { items, total } = await repo.list(deps.db, {
    ...f,
    createdBy: all ? undefined : (actor.userId ?? "0"),
  });
  return { items: items.map((r) => presentImport({ ...r, errors: [] })), total };
}

/** The refused rows as a CSV: the original cells, then the row number and reason. */
export async function errorFile(deps: ImportsDeps, actor: Actor, id: string) {
  const r = await repo.find(deps.db, id);
  if (!r || !visibleTo(actor, r)) throw notFound("导入记录", "import");
  const stored = openErrors(deps, r.errors);
  const width = stored.header.length;
  const rows = stored.rows.map((e) => [
    ...Array.from({ length: width }, (_, i) => e.cells[i] ?? ""),
    String(e.row),
    e.reason,
  ]);
  return csvText([[...stored.header, "行号", "错误原因"], ...rows]);
}

export async function template(deps: ImportsDeps, name: ImportKindName, format: "csv" | "xlsx") {
  const kind = kindOf(deps, name);
  const rows = [kind.columns.map((c) => c.header), kind.columns.map((c) => c.example)];
  if (format === "csv") return csvText(rows);
  return xlsxBuffer(kind.title, rows, [
    `${kind.title}导入模板：第一行为表头，请勿修改；从第二行起每行一条记录（示例行请删除）。`,
    ...kind.columns.map((c) => `${c.header}：${c.note}`),
  ]);
}
