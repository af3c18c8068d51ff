/**
 * E-mail addresses: a plausible `local@domain.tld`, no more. Whether the
 * mailbox exists only the mail server knows; this catches typing mistakes.
 * Full-width characters are folded (＠ → @) and surrounding spaces dropped;
 * the case is kept, and addresses compare regardless of it.
 */
import { type ParseResult, schemaFromParser } from "./parse-result.js";

export interface Email {
  normalized: string;
}

// Local part: no spaces, no "@". Domain: dot-separated labels of letters
// (any script), digits and inner hyphens, ending in a top-level label of 2+ letters.
const LABEL = "[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?";
const EMAIL = new RegExp(`^[^\\s@]{1,64}@(?:${LABEL}\\.)+\\p{L}{2,63}$`, "u");

const SHAPE =
  "邮箱地址格式不正确，应如 name@example.com / not a valid e-mail address, expected something like name@example.com";

/** Validates and normalises an e-mail address. */
export function parseEmail(input: string): ParseResult<Email> {
  const s = input.normalize("NFKC").trim();
  if (s.length === 0) return { ok: false, error: "请输入邮箱地址 / e-mail address is empty" };
  if (s.length > 254)
    return {
      ok: false,
      error: "邮箱地址过长，最多 254 个字符 / e-mail address is longer than 254 characters",
    };
  if (!EMAIL.test(s)) return { ok: false, error: SHAPE };
  return { ok: true, value: { normalized: s } };
}

/** An e-mail address in, the trimmed address out; the parser's message on error. */
export const emailSchema = schemaFromParser(parseEmail, (v) => v.normalized);

/** "z***@example.com": the first character of the mailbox and the domain. Anything
 *  that is not an address is masked whole, so nothing leaks by mistake. */
export function maskEmail(email: string): string {
  const r = parseEmail(email);
  if (!r.ok) return "*".repeat(Math.min(Array.from(email.trim()).length, 12));
  const s = r.value.normalized;
  const at = s.lastIndexOf("@");
  return `${Array.from(s)[0]}***${s.slice(at)}`;
}
