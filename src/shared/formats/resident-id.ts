/**
 * Resident ID numbers (公民身份号码, GB 11643-1999): 6-digit region code,
 * 8-digit birth date, 3-digit sequence (odd for men) and an ISO 7064
 * MOD 11-2 check character. Error messages never repeat the number's digits,
 * so they are safe to log.
 */
import { todayInChina } from "../dates.js";
import { type ParseResult, schemaFromParser } from "./parse-result.js";
import { isProvinceCode } from "./regions.js";

export interface ResidentId {
  /** 18 characters, check character upper-case. */
  normalized: string;
  regionCode: string;
  provinceCode: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: "male" | "female";
}

export interface ResidentIdOptions {
  /** The present moment, for the "not in the future" rule; defaults to now.
   *  "Today" is taken in China Standard Time (UTC+8). */
  now?: Date;
}

// 2^(17-i) mod 11 for positions 1..17.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = "10X98765432";

/** The check character (0–9 or X) for the first 17 digits. Throws a RangeError
 *  unless given exactly 17 digits. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) {
    throw new RangeError("residentIdCheckChar needs exactly 17 digits");
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] as number);
  return CHECK_CHARS[sum % 11] as string;
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

// The common case (18 ASCII characters, digits and a final X) needs no
// Unicode normalisation.
const PLAIN_ID = /^\d{17}[\dXx]$/;

/** Validates and normalises a resident ID number. Surrounding whitespace is
 *  ignored; a lower-case x check character and full-width characters are
 *  accepted. */
export function parseResidentId(
  input: string,
  options: ResidentIdOptions = {},
): ParseResult<ResidentId> {
  // Code points, not UTF-16 units, so positions match what the user sees.
  // NFKC folds full-width digits and Ｘ, as Chinese input methods often type them.
  const plain = PLAIN_ID.test(input);
  const chars = plain ? [] : Array.from(input.normalize("NFKC").trim());
  if (!plain && chars.length !== 18) {
    return {
      ok: false,
      error: `身份证号码应为 18 位，实际为 ${chars.length} 位 / resident ID must be 18 characters, got ${chars.length}`,
    };
  }
  const bad = plain ? -1 : chars.findIndex((c, i) => !(i < 17 ? /^\d$/ : /^[\dXx]$/).test(c));
  if (bad >= 0 && bad < 17) {
    return {
      ok: false,
      error: `第 ${bad + 1} 位字符无效，应为数字 / bad character at position ${bad + 1}, expected a digit`,
    };
  }
  if (bad === 17) {
    return {
      ok: false,
      error: "第 18 位字符无效，应为数字或 X / bad character at position 18, expected a digit or X",
    };
  }
  const s = (plain ? input : chars.join("")).toUpperCase();
  const provinceCode = s.slice(0, 2);
  if (!isProvinceCode(provinceCode)) {
    return {
      ok: false,
      error: `前两位省级代码 ${provinceCode} 不存在 / unknown province code ${provinceCode} (positions 1–2)`,
    };
  }
  const year = Number(s.slice(6, 10));
  const month = Number(s.slice(10, 12));
  const day = Number(s.slice(12, 14));
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (
    month < 1 ||
    month > 12 ||
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return {
      ok: false,
      error:
        "第 7–14 位出生日期不是有效日期 / invalid birth date at positions 7–14 (not a real date)",
    };
  }
  if (year < 1900) {
    return {
      ok: false,
      error: "出生日期不能早于 1900 年 / invalid birth date: before 1900",
    };
  }
  const birthDate = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  if (birthDate > todayInChina(options.now ?? new Date())) {
    return {
      ok: false,
      error: "出生日期不能晚于今天 / invalid birth date: in the future",
    };
  }
  const expected = residentIdCheckChar(s.slice(0, 17));
  if (s.charAt(17) !== expected) {
    return { ok: false, error: `校验位应为 ${expected} / check digit should be ${expected}` };
  }
  return {
    ok: true,
    value: {
      normalized: s,
      regionCode: s.slice(0, 6),
      provinceCode,
      birthDate,
      sex: Number(s.charAt(16)) % 2 === 1 ? "male" : "female",
    },
  };
}

/** A resident ID in, its normalised form out; the parser's message on error. */
export const residentIdSchema = schemaFromParser(
  (input) => parseResidentId(input),
  (v) => v.normalized,
);

/** "320505********1234": the region and the last four stay visible. Anything
 *  that is not 18 characters is masked whole, so nothing leaks by mistake. */
export function maskResidentId(id: string): string {
  const chars = Array.from(id.normalize("NFKC").trim());
  if (chars.length !== 18) return "*".repeat(chars.length);
  return `${chars.slice(0, 6).join("")}${"*".repeat(8)}${chars.slice(14).join("").toUpperCase()}`;
}
