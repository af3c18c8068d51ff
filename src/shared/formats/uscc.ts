/**
 * Unified social credit codes (统一社会信用代码, GB 32100-2015): registration
 * authority (1 char), organisation type (1), registering office's division
 * code (6 digits), subject identifier (9) and a MOD 31 check character, all
 * from a 31-character set without I, O, S, V and Z.
 */
import { type ParseResult, schemaFromParser } from "./parse-result.js";

export interface Uscc {
  /** 18 characters, upper-case. */
  normalized: string;
  /** 1st character, e.g. "9" market regulation (工商), "5" civil affairs (民政). */
  registrationAuthority: string;
  /** 2nd character, meaning depends on the authority, e.g. "91…" an enterprise. */
  organisationType: string;
  /** Characters 3–8: the registering office's division code (GB/T 2260). */
  regionCode: string;
  /** Characters 9–17: the subject identifier (the old organisation code). */
  subjectCode: string;
}

export const USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const FIRST17 = /^[0-9A-HJ-NP-RTUW-Y]{17}$/;

/** The check character for the first 17 characters (upper-case, from the
 *  code's charset). Throws a RangeError otherwise. */
export function usccCheckChar(first17: string): string {
  if (!FIRST17.test(first17)) {
    throw new RangeError("usccCheckChar needs 17 characters from 0-9 A-H J-N P-R T-U W-Y");
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    sum += USCC_CHARSET.indexOf(first17.charAt(i)) * (WEIGHTS[i] as number);
  }
  return USCC_CHARSET.charAt((31 - (sum % 31)) % 31);
}

/** Validates and normalises a credit code. Surrounding whitespace is ignored,
 *  lower case and full-width characters are accepted. */
export function parseUscc(input: string): ParseResult<Uscc> {
  const chars = Array.from(input.normalize("NFKC").trim().toUpperCase());
  if (chars.length !== 18) {
    return {
      ok: false,
      error: `统一社会信用代码应为 18 位，实际为 ${chars.length} 位 / credit code must be 18 characters, got ${chars.length}`,
    };
  }
  const bad = chars.findIndex((c) => !USCC_CHARSET.includes(c));
  if (bad >= 0) {
    return {
      ok: false,
      error: `第 ${bad + 1} 位字符无效（不可用 I、O、S、V、Z）/ bad character at position ${bad + 1} (I, O, S, V and Z are not used)`,
    };
  }
  const s = chars.join("");
  const digitInRegion = s.slice(2, 8).search(/\D/);
  if (digitInRegion >= 0) {
    return {
      ok: false,
      error: `第 ${digitInRegion + 3} 位字符无效，行政区划码应为数字 / bad character at position ${digitInRegion + 3}, the region code (positions 3–8) is digits`,
    };
  }
  const expected = usccCheckChar(s.slice(0, 17));
  if (s.charAt(17) !== expected) {
    return { ok: false, error: `校验位应为 ${expected} / check digit should be ${expected}` };
  }
  return {
    ok: true,
    value: {
      normalized: s,
      registrationAuthority: s.charAt(0),
      organisationType: s.charAt(1),
      regionCode: s.slice(2, 8),
      subjectCode: s.slice(8, 17),
    },
  };
}

/** A credit code in, its normalised form out; the parser's message on error. */
export const usccSchema = schemaFromParser(parseUscc, (v) => v.normalized);
