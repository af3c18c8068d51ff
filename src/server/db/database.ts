/**
 * The one place that chooses the database engine: PostgreSQL through `pg`
 * when DATABASE_URL is set, otherwise embedded PGlite (file-backed under
 * DATA_DIR, or in memory for tests). Everything else receives a Kysely<DB>.
 */
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { Kysely, PGliteDialect, PostgresDialect } from "kysely";
import pg from "pg";
import { checkDataDir, dataDirFailure } from "./data-dir-check.js";
import { preparedName } from "./prepared.js";
import type { DB } from "./schema.js";

export type Engine = "pglite" | "postgresql";

export interface Database {
  db: Kysely<DB>;
  engine: Engine;
  /** The PGlite instance when engine = pglite (for dumps in tests). */
  pglite?: PGlite;
  /** engine = postgresql: the pool's connection settings, for a dedicated
   *  client outside the pool (the live events' LISTEN connection). */
  clientConfig?: pg.ClientConfig;
  close(): Promise<void>;
}

// bigint (int8) and numeric come back as strings from both engines; ids stay
// strings end to end. count(*) is cast to int in queries that need numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => v);
// Dates (no time) stay "YYYY-MM-DD" strings: no time zone can shift them.
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v);

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  poolSize?: number;
  /** Directory for the PGlite files; undefined = in memory. */
  pgliteDir?: string | undefined;
  /** A PGlite data-dir dump to start from (tests clone a migrated template). */
  pgliteLoadDataDir?: Blob | File;
  /** Free space pgliteDir must have to open (default MIN_FREE_BYTES; tests lower it). */
  pgliteMinFreeBytes?: number;
}

type QueryFn = (...args: unknown[]) => unknown;

/** Sends marked statements of this client as named prepared statements. */
function prepareMarkedStatements(client: pg.PoolClient) {
  const query = client.query.bind(client) as QueryFn;
  (client as unknown as { query: QueryFn }).query = (...args: unknown[]) => {
    const [text, values] = args;
    const name = typeof text === "string" ? preparedName(text) : undefined;
    if (name === undefined) return query(...args);
    return query({ name, text, values }, ...args.slice(2));
  };
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const clientConfig: pg.ClientConfig = {
      connectionString: opts.databaseUrl,
      // Short queries only: JIT compiling a plan costs more (hundreds of ms on
      // the inbox at 5,000,000 cases) than it saves, and so does starting
      // parallel workers (40–50 ms here, for a page of twenty). The few long
      // reads (open data statistics) ask for workers themselves. Options in
      // the URL win.
      ...(opts.databaseUrl.includes("options=")
        ? {}
        : { options: "-c jit=off -c max_parallel_workers_per_gather=0" }),
    };
    const pool = new pg.Pool({ ...clientConfig, max: opts.poolSize ?? 20 });
    // An idle client that loses its server must not crash the process.
    pool.on("error", () => {});
    pool.on("connect", (client) => {
      // Nor may a checked-out one: the pool listens for errors only on idle
      // clients, and a client whose server goes away (a restart, a cut
      // network) also emits "error" — unheard, that ends the process. The
      // query in flight fails by itself (answered 503), and the pool drops
      // the broken client when it is released.
      client.on("error", () => {});
      prepareMarkedStatements(client);
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: "postgresql", clientConfig, close: () => db.destroy() };
  }
  let dataDir: string | undefined;
  let fresh = false;
  if (opts.pgliteDir) {
    dataDir = path.resolve(opts.pgliteDir);
    checkDataDir(dataDir, opts.pgliteMinFreeBytes);
    fresh = fs.readdirSync(dataDir).length === 0;
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      ...(opts.pgliteLoadDataDir ? { loadDataDir: opts.pgliteLoadDataDir } : {}),
      parsers: { 20: (v: string) => v, 1082: (v: string) => v },
      // The same extensions the migrations create on PostgreSQL.
      extensions: { pg_trgm },
    });
  } catch (err) {
    if (!dataDir) throw err;
    // A database that failed half-way through its creation is no database:
    // leave the directory empty again, so that the next start begins anew.
    if (fresh)
      for (const entry of fs.readdirSync(dataDir))
        fs.rmSync(path.join(dataDir, entry), { recursive: true, force: true });
    if (err instanceof Error) throw dataDirFailure(dataDir, err) ?? err;
    // PGlite's file system throws plain objects (ErrnoError {errno}).
    throw (
      dataDirFailure(dataDir, err) ??
      new Error(`The embedded database in ${dataDir} could not be opened: ${JSON.stringify(err)}`)
    );
  }
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    engine: "pglite",
    pglite,
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}
