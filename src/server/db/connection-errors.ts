/**
 * Tells "the database cannot be reached right now" from every other error,
 * so that the API answers 503 with Retry-After (try again, nothing is wrong
 * with your request) instead of 500 (something is broken) while PostgreSQL
 * restarts, fails over or the network to it is cut. The pg pool drops broken
 * connections and opens new ones on the next query, so the app recovers by
 * itself once the database is back.
 */

/** Socket-level failures on the way to the database. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ENETDOWN",
  "EAI_AGAIN",
]);

/**
 * SQLSTATEs of a server that is going away or not there yet: admin_shutdown
 * (a restart terminated our backend), crash_shutdown, cannot_connect_now
 * (starting up or in recovery), too_many_connections; class 08 (connection
 * exception) is matched as a whole.
 */
const SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);

/** What node-postgres and its pool say when the connection is gone (they carry no code). */
const MESSAGES = [
  /^Connection terminated/, // "… unexpectedly", "… due to connection timeout", plain
  /is not queryable$/, // "Client has encountered a connection error and …", "Client was closed and …"
  /^timeout exceeded when trying to connect$/,
  /^Cannot use a pool after calling end on the pool$/,
];

/** Seconds a client should wait before retrying while the database is unavailable. */
export const RETRY_AFTER_SECONDS = 5;

/** True when `err` (or an error it wraps) means the database is unreachable, not that the request was wrong. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  const stack: unknown[] = [err];
  while (stack.length) {
    const e = stack.pop();
    if (e === null || typeof e !== "object" || seen.has(e)) continue;
    seen.add(e);
    const { code, message, cause, errors } = e as {
      code?: unknown;
      message?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (typeof code === "string") {
      if (NETWORK_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))
        return true;
    }
    if (typeof message === "string" && MESSAGES.some((m) => m.test(message))) return true;
    stack.push(cause);
    if (Array.isArray(errors)) stack.push(...errors);
  }
  return false;
}
