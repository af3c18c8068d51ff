/**
 * `gongzhi backup` and `gongzhi restore` (issue 9): a copy of the whole
 * database in one file, for either engine.
 *
 * - PostgreSQL: pg_dump's custom format (`.dump`), restored by pg_restore in
 *   one transaction, so a restore that fails part-way changes nothing.
 * - PGlite: PGlite's own dump of its data directory (a gzipped tar,
 *   `.tar.gz`), restored into a fresh directory beside the target that only
 *   replaces it once the restored database has opened and answered; the
 *   directory it replaces is kept (renamed), never deleted.
 *
 * A backup is written to a temporary name and renamed when complete: a
 * backup that fails leaves no partial file that looks like a good one.
 * What a backup does not hold: the field-encryption keys (secret-keys.json
 * or GONGZHI_DATA_KEYS / GONGZHI_INDEX_KEY, kept apart on purpose) and
 * uploaded files (DATA_DIR/files or the S3 bucket). docs/architecture.md says
 * how to keep those.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import pg from "pg";
import { claimDataDir } from "./data-dir-lock.js";
import { openDatabase } from "./database.js";

export type BackupEngine = "pglite" | "postgresql";

/** A backup or restore that must not go ahead; the message says why and what to do. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupError";
  }
}

/** What a restored database holds, printed after a backup or restore. */
export interface DatabaseSummary {
  migrations: number;
  tables: number;
  cases: number;
  residents: number;
  users: number;
}

/** The engine a backup file is for, from its first bytes; null when it is neither. */
export function backupEngineOf(file: string): BackupEngine | null {
  const fd = fs.openSync(file, "r");
  try {
    const head = Buffer.alloc(5);
    const n = fs.readSync(fd, head, 0, 5, 0);
    if (n >= 5 && head.toString("latin1") === "PGDMP") return "postgresql";
    if (n >= 2 && head[0] === 0x1f && head[1] === 0x8b) return "pglite";
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

/** The file name a backup gets by default: engine and China-local time. */
export function defaultBackupName(engine: BackupEngine, now = new Date()): string {
  const t = new Date(now.getTime() + 8 * 3_600_000)
    .toISOString()
    .slice(0, 19)
    .replace(/[-:]/g, "")
    .replace("T", "-");
  return `gongzhi-${engine}-${t}.${engine === "postgresql" ? "dump" : "tar.gz"}`;
}

const tempBeside = (file: string) =>
  path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(3).toString("hex")}.partial`,
  );

/** Counts that show what a database holds (and that it opens and answers). */
async function summaryOf(
  query: (text: string) => Promise<Record<string, unknown>[]>,
): Promise<DatabaseSummary> {
  const tables = await query(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
  );
  const names = new Set(tables.map((t) => String(t.tablename)));
  const count = async (table: string) =>
    names.has(table)
      ? Number((await query(`SELECT count(*)::int AS n FROM ${table}`))[0]?.n ?? 0)
      : 0;
  return {
    migrations: await count("kysely_migration"),
    tables: names.size,
    cases: await count("cases"),
    residents: await count("residents"),
    users: await count("users"),
  };
}

// ---------------------------------------------------------------- PGlite

/** Dumps the embedded database in `dir` to `out`; refuses while another process holds it. */
export async function backupPglite(dir: string, out: string): Promise<DatabaseSummary> {
  if (!fs.existsSync(path.join(dir, "PG_VERSION")))
    throw new BackupError(
      `There is no embedded database in ${dir} to back up. Check DATA_DIR (the database is DATA_DIR/pglite).`,
    );
  const release = claimDataDir(dir);
  try {
    const database = await openDatabase({ pgliteDir: dir });
    try {
      const pglite = database.pglite;
      if (!pglite) throw new Error("not an embedded database");
      const summary = await summaryOf(async (q) => (await pglite.query(q)).rows as never);
      const dump = await pglite.dumpDataDir("gzip");
      await writeAtomically(out, Buffer.from(await dump.arrayBuffer()));
      return summary;
    } finally {
      await database.close();
    }
  } finally {
    release();
  }
}

/**
 * Restores a PGlite backup into `dir`. A directory that already holds a
 * database is replaced only with `force`, and is then kept beside it as
 * `<dir>.before-restore-<time>`; the returned `kept` names it.
 */
export async function restorePglite(
  file: string,
  dir: string,
  opts: { force: boolean },
): Promise<DatabaseSummary & { kept: string | null }> {
  const engine = backupEngineOf(file);
  if (engine !== "pglite")
    throw new BackupError(
      engine === "postgresql"
        ? `${file} is a PostgreSQL backup (pg_dump). Restore it with DATABASE_URL set to the PostgreSQL database.`
        : `${file} is not a Gongzhi backup (neither a PGlite dump nor a pg_dump file).`,
    );
  const target = path.resolve(dir);
  const exists = fs.existsSync(path.join(target, "PG_VERSION"));
  if (exists && !opts.force)
    throw new BackupError(
      `${target} already holds a database. Use --force to replace it (it is kept beside it, renamed, not deleted).`,
    );
  // Read through once first: PGlite's loader fails on a damaged archive
  // outside any promise it returns, so damage is caught here instead.
  await pipeline(
    fs.createReadStream(file),
    zlib.createGunzip(),
    new Writable({ write: (_chunk, _enc, done) => done() }),
  ).catch((err: Error) => {
    throw new BackupError(`${file} is damaged (${err.message}); ${target} was not changed.`);
  });
  const release = claimDataDir(target);
  const fresh = `${target}.restoring-${randomBytes(3).toString("hex")}`;
  try {
    let summary: DatabaseSummary;
    try {
      const database = await openDatabase({
        pgliteDir: fresh,
        pgliteLoadDataDir: new Blob([fs.readFileSync(file)]),
      });
      try {
        const pglite = database.pglite;
        if (!pglite) throw new Error("not an embedded database");
        summary = await summaryOf(async (q) => (await pglite.query(q)).rows as never);
      } finally {
        await database.close();
      }
    } catch (err) {
      fs.rmSync(fresh, { recursive: true, force: true });
      if (err instanceof BackupError) throw err;
      throw new BackupError(
        `${file} could not be restored (${(err as Error).message}); ${target} was not changed.`,
      );
    }
    let kept: string | null = null;
    if (fs.existsSync(target)) {
      kept = `${target}.before-restore-${Date.now()}`;
      fs.renameSync(target, kept);
    }
    fs.renameSync(fresh, target);
    return { ...summary, kept };
  } finally {
    release();
  }
}

// ------------------------------------------------------------ PostgreSQL

function runTool(tool: "pg_dump" | "pg_restore", args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", (err: NodeJS.ErrnoException) =>
      reject(
        err.code === "ENOENT"
          ? new BackupError(
              `${tool} was not found. Install the PostgreSQL client tools of the server's major version (Debian: apt-get install postgresql-client).`,
            )
          : err,
      ),
    );
    child.on("close", (code) =>
      code === 0
        ? resolve()
        : reject(new BackupError(`${tool} failed (exit ${code}): ${stderr.trim().slice(-2000)}`)),
    );
  });
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const pgSummary = (url: string) =>
  withClient(url, (c) => summaryOf(async (q) => (await c.query(q)).rows));

/** pg_dump of the database at `url` to `out` (custom format). */
export async function backupPostgres(url: string, out: string): Promise<DatabaseSummary> {
  const summary = await pgSummary(url);
  const temp = tempBeside(out);
  try {
    await runTool("pg_dump", [
      "--format=custom",
      "--no-owner",
      "--no-privileges",
      `--file=${temp}`,
      `--dbname=${url}`,
    ]);
    fs.renameSync(temp, out);
  } finally {
    fs.rmSync(temp, { force: true });
  }
  return summary;
}

/**
 * pg_restore of `file` into the database at `url`, in one transaction. A
 * database that already holds tables is only overwritten with `force`
 * (its objects are dropped and recreated from the backup).
 */
export async function restorePostgres(
  file: string,
  url: string,
  opts: { force: boolean },
): Promise<DatabaseSummary> {
  const engine = backupEngineOf(file);
  if (engine !== "postgresql")
    throw new BackupError(
      engine === "pglite"
        ? `${file} is a backup of the embedded database (PGlite). Restore it without DATABASE_URL, into DATA_DIR.`
        : `${file} is not a Gongzhi backup (neither a pg_dump file nor a PGlite dump).`,
    );
  const tables = await withClient(url, async (c) => {
    const r = await c.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
    return Number(r.rows[0]?.n ?? 0);
  });
  if (tables > 0 && !opts.force)
    throw new BackupError(
      `The database already holds ${tables} tables. Use --force to replace its contents with the backup (in one transaction: if the restore fails, nothing changes).`,
    );
  await runTool("pg_restore", [
    "--single-transaction",
    "--exit-on-error",
    "--no-owner",
    "--no-privileges",
    ...(tables > 0 ? ["--clean", "--if-exists"] : []),
    `--dbname=${url}`,
    file,
  ]);
  return pgSummary(url);
}

async function writeAtomically(out: string, bytes: Buffer): Promise<void> {
  const temp = tempBeside(out);
  try {
    await fs.promises.writeFile(temp, bytes);
    await fs.promises.rename(temp, out);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}
