/**
 * SQL for scope filters: a record is visible when its materialised area path
 * starts with one of the caller's area paths (the area hierarchy as a prefix),
 * or when one of the extra conditions holds. Used by repositories only.
 */
import { type Expression, type SqlBool, sql } from "kysely";

/** `column LIKE 'p1%' OR column LIKE 'p2%' …`; false when there are no paths. */
export function pathPrefixAny(column: string, paths: readonly string[]): Expression<SqlBool> {
  if (paths.length === 0) return sql<SqlBool>`false`;
  const ref = sql.ref(column);
  const parts = paths.map(
    (p) => sql<SqlBool>`${ref} LIKE ${`${p.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`,
  );
  return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

/**
 * A LIKE pattern for an address typed the way people say it: the parts in
 * order, anything between them. "鸿禧路12号1幢101室" finds
 * "鸿禧路12号金枫新苑1幢101室" (the estate name left out), and spaces are
 * ignored as in the standard form.
 */
export function addressPattern(text: string): string {
  const escaped = text.replace(/\s+/g, "").replace(/[\\%_]/g, (c) => `\\${c}`);
  // After a house number, a building or a unit, anything may follow.
  return `%${escaped.replace(/(号|幢|栋|座|单元)(?=.)/g, "$1%")}%`;
}

/** Escapes a user's search text for LIKE '%…%'. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
