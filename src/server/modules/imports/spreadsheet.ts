/**
 * Streaming spreadsheet input and output: rows of CSV (UTF-8, with or
 * without BOM; GBK is not supported) or XLSX read one at a time, so a large
 * file never sits in memory as a whole; templates and error files written
 * with Chinese headers.
 */
import fs from "node:fs";
import { parse } from "csv-parse";
import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";

export type SheetKind = "csv" | "xlsx";

/** The file's real type, from its first bytes (not its name). */
export async function sniffSpreadsheet(file: string): Promise<SheetKind | null> {
  const fd = await fs.promises.open(file, "r");
  try {
    const buf = Buffer.alloc(512);
    const { bytesRead } = await fd.read(buf, 0, 512, 0);
    const head = buf.subarray(0, bytesRead);
    if (head.length >= 4 && head.readUInt32BE(0) === 0x504b0304) return "xlsx";
    // Text: no NUL bytes and valid UTF-8 in the first block.
    if (head.includes(0)) return null;
    try {
      // A block shorter than the file may end inside a character: stream mode
      // holds that tail back instead of calling it invalid. A whole (small)
      // file must decode to its last byte.
      new TextDecoder("utf-8", { fatal: true }).decode(head, { stream: bytesRead === buf.length });
    } catch {
      return null;
    }
    return "csv";
  } finally {
    await fd.close();
  }
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === "object" && "text" in v && typeof v.text === "string") return v.text;
  if (typeof v === "object" && "result" in v) return cellText(v.result as ExcelJS.CellValue);
  if (typeof v === "object" && "richText" in v) return v.richText.map((r) => r.text).join("");
  return String(v);
}

/** Yields each row as an array of trimmed strings; the first row is the header. */
export async function* readRows(file: string, kind: SheetKind): AsyncGenerator<string[]> {
  if (kind === "csv") {
    const parser = fs
      .createReadStream(file)
      .pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }));
    for await (const record of parser) yield (record as string[]).map((c) => c.trim());
    return;
  }
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    worksheets: "emit",
    sharedStrings: "cache",
    hyperlinks: "ignore",
    styles: "ignore",
  });
  for await (const sheet of reader) {
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      const values = row.values as ExcelJS.CellValue[];
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]).trim());
      if (cells.some((c) => c !== "")) yield cells;
    }
    return; // only the first sheet
  }
}

/** A CSV file with a BOM (so Excel opens the Chinese headers correctly). */
export function csvText(rows: string[][]): string {
  return `\uFEFF${stringify(rows, { record_delimiter: "windows" })}`;
}

export async function xlsxBuffer(
  sheetName: string,
  rows: string[][],
  notes?: string[],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName);
  for (const r of rows) ws.addRow(r);
  ws.getRow(1).font = { bold: true };
  ws.columns.forEach((c) => {
    c.width = 22;
    c.numFmt = "@";
  });
  if (notes?.length) {
    const help = wb.addWorksheet("说明");
    for (const n of notes) help.addRow([n]);
    help.getColumn(1).width = 100;
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
