/**
 * The result shape shared by the national-format parsers, and the bridge from
 * a parser to a zod schema, so forms and request bodies report exactly the
 * parser's bilingual message.
 */
import { z } from "zod";

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** A string schema whose output is `pick(parsed value)` and whose only issue,
 *  on bad input, is the parser's own message. */
export function schemaFromParser<T>(
  parse: (input: string) => ParseResult<T>,
  pick: (value: T) => string,
) {
  return z.string().transform((input, ctx) => {
    const r = parse(input);
    if (!r.ok) {
      ctx.addIssue({ code: "custom", message: r.error });
      return z.NEVER;
    }
    return pick(r.value);
  });
}
