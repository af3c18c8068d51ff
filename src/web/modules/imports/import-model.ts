/**
 * Pure helpers of the import page: the checks a file must pass before it is
 * uploaded (the server checks again), and the shares of the progress bar.
 */

export type FileProblem =
  | { code: "empty" }
  | { code: "tooBig"; sizeMb: string; maxMb: string }
  | { code: "legacyXls" }
  | { code: "wrongType"; ext: string };

const MB = 2 ** 20;

/** "12.3" for 12.3 MiB; whole numbers without a decimal. */
export function formatMb(bytes: number): string {
  const mb = bytes / MB;
  return Number.isInteger(mb) ? String(mb) : mb.toFixed(1);
}

export function extensionOf(name: string): string {
  const at = name.lastIndexOf(".");
  return at < 0 ? "" : name.slice(at + 1).toLowerCase();
}

/** What is wrong with a file the user chose, or null when it may be uploaded. */
export function checkImportFile(
  file: { name: string; size: number },
  maxBytes: number | undefined,
): FileProblem | null {
  const ext = extensionOf(file.name);
  if (ext === "xls") return { code: "legacyXls" };
  if (ext !== "csv" && ext !== "xlsx") return { code: "wrongType", ext };
  if (file.size === 0) return { code: "empty" };
  if (maxBytes !== undefined && file.size > maxBytes) {
    return { code: "tooBig", sizeMb: formatMb(file.size), maxMb: formatMb(maxBytes) };
  }
  return null;
}

export interface ImportCounts {
  totalRows: number;
  insertedRows: number;
  unchangedRows: number;
  errorRows: number;
}

/**
 * Roughly how many data rows a CSV holds: its line breaks, less the header
 * (a cell with a line break in it makes this an over-estimate, which the
 * bar corrects when the import ends). Lets the bar show how far along it is.
 */
export function estimateCsvRows(bytes: Uint8Array): number {
  let lines = 0;
  for (const b of bytes) if (b === 0x0a) lines++;
  const last = bytes[bytes.length - 1];
  if (bytes.length > 0 && last !== 0x0a) lines++;
  return Math.max(0, lines - 1);
}

/**
 * The progress bar's segments, in percent: rows added, left unchanged and
 * refused, and rows still to come. The whole bar is the expected row count
 * while an import runs (when known), and the rows processed once it ends.
 */
export function barSegments(c: ImportCounts, running: boolean, estimate: number | null) {
  const settled = c.insertedRows + c.unchangedRows + c.errorRows;
  const whole = Math.max(running && estimate ? estimate : 0, c.totalRows, settled);
  if (whole === 0) return { inserted: 0, unchanged: 0, refused: 0, pending: running ? 100 : 0 };
  const pct = (n: number) => Math.round((n / whole) * 1000) / 10;
  const inserted = pct(c.insertedRows);
  const unchanged = pct(c.unchangedRows);
  const refused = pct(c.errorRows);
  return {
    inserted,
    unchanged,
    refused,
    pending: Math.max(0, Math.round((100 - inserted - unchanged - refused) * 10) / 10),
  };
}

/** How long an import took (or has been running), as whole seconds. */
export function elapsedSeconds(createdAt: string, finishedAt: string | null, now = Date.now()) {
  const end = finishedAt ? Date.parse(finishedAt) : now;
  return Math.max(0, Math.round((end - Date.parse(createdAt)) / 1000));
}
