/** Uploading a spreadsheet to POST /api/imports in tests, and waiting for it to finish. */
import type { LightMyRequestResponse } from "fastify";
import type { Session } from "./test-app.js";

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export async function uploadImport(
  s: Session,
  kind: string,
  filename: string,
  content: Buffer | string,
  type = filename.endsWith(".xlsx") ? XLSX_TYPE : "text/csv",
): Promise<LightMyRequestResponse> {
  const boundary = "----gongzhi-test-boundary";
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`;
  const payload = Buffer.concat([
    Buffer.from(head),
    Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return s.request({
    method: "POST",
    url: `/api/imports?kind=${kind}`,
    payload,
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  });
}

export interface FinishedImport {
  id: string;
  status: string;
  totalRows: number;
  insertedRows: number;
  unchangedRows: number;
  errorRows: number;
  message: string | null;
}

export async function waitForImport(s: Session, id: string): Promise<FinishedImport> {
  for (let i = 0; i < 400; i++) {
    const r = (await s.request({ method: "GET", url: `/api/imports/${id}` })).json();
    if (r.status !== "running") return r;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error("import did not finish");
}

/** The error file as rows: row number → reason (the last two columns). */
export async function importErrors(s: Session, id: string): Promise<Map<number, string>> {
  const res = await s.request({ method: "GET", url: `/api/imports/${id}/errors.csv` });
  const lines = res.body
    .replace(/^\uFEFF/, "")
    .split("\r\n")
    .filter(Boolean)
    .slice(1);
  const out = new Map<number, string>();
  for (const line of lines) {
    const cells = parseCsvLine(line);
    out.set(Number(cells[cells.length - 2]), cells[cells.length - 1] ?? "");
  }
  return out;
}

/** One CSV line (RFC 4180 quoting; the error files have no line breaks inside cells). */
function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      cells.push(cell);
      cell = "";
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}
