/**
 * Small helpers for import kinds: spreadsheet cells are text, so numbers,
 * yes/no and lists are read here with the house's bilingual messages, and a
 * shared request schema's failure becomes a row reason that names the column
 * by its Chinese header.
 */
import type { z } from "zod";
import type { ImportColumn } from "./import-kind.js";

const CJK = /[\u4e00-\u9fff]/;

/** The first issue of a failed schema parse, as "表头：message". */
export function schemaReason(error: z.ZodError, columns: readonly ImportColumn[]): string {
  const issue = error.issues[0];
  if (!issue) return "格式不正确 / invalid row";
  const key = String(issue.path[0] ?? "");
  const header = columns.find((c) => c.key === key)?.header ?? key;
  const message = CJK.test(issue.message)
    ? issue.message
    : `格式不正确 / invalid ${key}: ${issue.message}`;
  return header ? `${header}：${message}` : message;
}

/** An empty cell as undefined, anything else trimmed. */
export function optional(cell: string | undefined): string | undefined {
  const v = (cell ?? "").trim();
  return v === "" ? undefined : v;
}

/**
 * A number typed in a cell, allowing a trailing unit ("45.5㎡", "4人", "3层")
 * and full-width digits. undefined for an empty cell, null for text that is
 * not a number.
 */
export function numberCell(cell: string | undefined, units: RegExp): number | null | undefined {
  const v = optional(cell)?.normalize("NFKC").replace(/,/g, "");
  if (v === undefined) return undefined;
  const m = /^([-+]?\d+(?:\.\d+)?)\s*(.*)$/.exec(v);
  if (!m || (m[2] !== "" && !units.test(m[2] as string))) return null;
  return Number(m[1]);
}

const YES = new Set(["是", "y", "yes", "true", "1", "出租", "√"]);
const NO = new Set(["否", "n", "no", "false", "0", "自住", "不出租", "×"]);

/** 是/否 (also Y/N, yes/no, 1/0); undefined for an empty cell, null when unreadable. */
export function yesNoCell(cell: string | undefined): boolean | null | undefined {
  const v = optional(cell)?.toLowerCase();
  if (v === undefined) return undefined;
  if (YES.has(v)) return true;
  if (NO.has(v)) return false;
  return null;
}

/** A list in one cell, separated by 、 , ， ; ； / or spaces; blanks and repeats dropped. */
export function listCell(cell: string | undefined): string[] {
  return [
    ...new Set(
      (cell ?? "")
        .split(/[、,，;；/\s]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

const DATE = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A date typed in a cell: 2026-01-05, 2026/1/5, 2026.1.5 or 2026年1月5日, as
 * YYYY-MM-DD. null for an empty cell, undefined for anything else (not a
 * date, or a day the calendar does not have).
 */
export function dateCell(cell: string | undefined): string | null | undefined {
  const v = optional(cell);
  if (v === undefined) return null;
  const m = DATE.exec(v);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const last = month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1];
  if (last === undefined || day < 1 || day > last) return undefined;
  return `${m[1]}-${month < 10 ? "0" : ""}${month}-${day < 10 ? "0" : ""}${day}`;
}
