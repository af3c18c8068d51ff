/**
 * Mainland China mobile numbers: 11 digits, "1" then 3–9. Spaces, hyphens and
 * a +86 / 86 country prefix are accepted and stripped.
 */
import { type ParseResult, schemaFromParser } from "./parse-result.js";

export interface Mobile {
  /** 11 digits. */
  normalized: string;
}

/** Validates and normalises a mobile number. */
export function parseMobile(input: string): ParseResult<Mobile> {
  let s = input.normalize("NFKC").replace(/[\s-]/g, "");
  if (s.startsWith("+86")) s = s.slice(3);
  else if (s.startsWith("86") && s.length === 13) s = s.slice(2);
  const bad = Array.from(s).findIndex((c) => !/^\d$/.test(c));
  if (bad >= 0) {
    return {
      ok: false,
      error:
        "手机号只能包含数字、空格和横线 / mobile number may contain only digits, spaces and hyphens",
    };
  }
  if (s.length !== 11) {
    return {
      ok: false,
      error: `手机号应为 11 位数字，实际为 ${s.length} 位 / mobile number must be 11 digits, got ${s.length}`,
    };
  }
  if (s.charAt(0) !== "1") {
    return { ok: false, error: "手机号应以 1 开头 / mobile number must start with 1" };
  }
  if (s.charAt(1) < "3") {
    return { ok: false, error: "手机号第 2 位应为 3–9 / second digit must be 3–9" };
  }
  return { ok: true, value: { normalized: s } };
}

/** A mobile number in, 11 digits out; the parser's message on error. */
export const mobileSchema = schemaFromParser(parseMobile, (v) => v.normalized);

/** "138****5678". Anything that does not normalise to 11 digits is masked
 *  whole, so nothing leaks by mistake. */
export function maskMobile(mobile: string): string {
  const r = parseMobile(mobile);
  if (!r.ok) return "*".repeat(Array.from(mobile.trim()).length);
  const s = r.value.normalized;
  return `${s.slice(0, 3)}****${s.slice(7)}`;
}
