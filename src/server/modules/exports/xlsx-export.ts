/**
 * List views as XLSX: pages through the same service call the list endpoint
 * uses (same filters, same scope, masked values) and streams the workbook, so
 * a large export never sits in memory.
 */
import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import type { FastifyReply } from "fastify";

export interface ExportColumn<T> {
  header: string;
  width?: number;
  value(row: T): string | number | null;
}

/** Upper bound on rows in one export; beyond it the user narrows the filters. */
export const EXPORT_MAX_ROWS = 200_000;
const PAGE = 1000;

export async function sendXlsx<T>(
  reply: FastifyReply,
  filename: string,
  sheetName: string,
  columns: ExportColumn<T>[],
  page: (
    limit: number,
    offset: number,
  ) => Promise<{ items: T[]; total: number; totalCapped?: boolean }>,
  /** Runs before the first byte is sent (an audit row, say): a failure
   *  there fails the request instead of leaving an unrecorded download. */
  beforeSend?: (rows: number) => Promise<void>,
): Promise<number> {
  const first = await page(PAGE, 0);
  const total = Math.min(first.total, EXPORT_MAX_ROWS);
  await beforeSend?.(total);
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  const ws = wb.addWorksheet(sheetName);
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width ?? 18 }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  reply
    .header("content-disposition", `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`)
    .type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  const write = async () => {
    let items = first.items;
    let offset = 0;
    while (items.length > 0 && offset < total) {
      for (const item of items.slice(0, total - offset))
        ws.addRow(columns.map((c) => c.value(item) ?? "")).commit();
      offset += items.length;
      if (offset >= total || items.length < PAGE) break;
      items = (await page(PAGE, offset)).items;
    }
    if (first.total > total || first.totalCapped) {
      // Say where the file stops rather than end silently.
      const all = first.totalCapped ? `超过 ${first.total}` : `${first.total}`;
      const allEn = first.totalCapped ? `more than ${first.total}` : `${first.total}`;
      ws.addRow([
        `仅导出前 ${total} 行（共 ${all} 行），请缩小筛选范围后分批导出 / only the first ${total} of ${allEn} rows; narrow the filters`,
      ]).commit();
    }
    ws.commit();
    await wb.commit();
  };
  write().catch((err: unknown) => out.destroy(err as Error));
  await reply.send(out);
  return total;
}

/** One sheet of a small workbook built in memory (a report, not a list). */
export interface XlsxSheet {
  name: string;
  columns: { header: string; width: number }[];
  rows: (string | number | null)[][];
}

/** A sheet from typed rows and the same column definitions `sendXlsx` takes. */
export function xlsxSheet<T>(name: string, columns: ExportColumn<T>[], rows: T[]): XlsxSheet {
  return {
    name,
    columns: columns.map((c) => ({ header: c.header, width: c.width ?? 18 })),
    rows: rows.map((r) => columns.map((c) => c.value(r))),
  };
}

/**
 * A workbook of several sheets as bytes, for what is stored or sent whole
 * (a district report's snapshot): bold headers, the given widths.
 */
export async function xlsxWorkbook(sheets: XlsxSheet[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    ws.columns = s.columns.map((c) => ({ header: c.header, width: c.width }));
    ws.getRow(1).font = { bold: true };
    for (const row of s.rows) ws.addRow(row.map((v) => v ?? ""));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
