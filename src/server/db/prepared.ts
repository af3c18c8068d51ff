/**
 * Prepared statements for hot paths. A statement marked with \`prepared()\` is
 * sent by the PostgreSQL pool (database.ts) as a named prepared statement.
 */
import { createHash } from "node:crypto";
import { type RawBuilder, sql } from "kysely";

const PREPARED_MARK = "/* gongzhi:prepared ";

/**
 * Marks a hot statement to be prepared once per connection on PostgreSQL:
 * `sql\`${prepared("intake")} WITH …\``. The server then parses, analyses
 * and plans it once per connection instead of on every call (a third of the
 * server's CPU for the intake statement). Statements whose text differs get
 * their own prepared statement (the name carries a hash of the text). On
 * PGlite the mark is only a comment.
 */
export function prepared(label: string): RawBuilder<unknown> {
  if (!/^[a-z_]+$/.test(label)) throw new Error(`bad prepared-statement label ${label}`);
  return sql.raw(`${PREPARED_MARK}${label} */ `);
}

const preparedNames = new Map<string, string>();

/** The prepared-statement name for a marked text, or undefined. */
export function preparedName(text: string): string | undefined {
  if (!text.startsWith(PREPARED_MARK)) return undefined;
  let name = preparedNames.get(text);
  if (name === undefined) {
    const label = text.slice(PREPARED_MARK.length, text.indexOf(" */"));
    name = `${label}_${createHash("sha1").update(text).digest("hex").slice(0, 16)}`;
    // The distinct texts are few (a statement's column lists vary a little);
    // the bound only guards against a caller that builds texts from data.
    if (preparedNames.size >= 1000) preparedNames.clear();
    preparedNames.set(text, name);
  }
  return name;
}
