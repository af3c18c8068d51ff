/**
 * Backup and restore round trips on the suite's engine: the restored
 * database equals the original table by table (row counts and a hash of
 * every row); a restore that is refused or fails changes nothing.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Kysely, sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase } from "../../../test/test-database.js";
import { databaseUrl, TEST_DATABASE_URL, TEST_ENGINE } from "../../../test/test-database-config.js";
import {
  BackupError,
  backupEngineOf,
  backupPglite,
  backupPostgres,
  defaultBackupName,
  restorePglite,
  restorePostgres,
} from "./backup.js";
import { DataDirBusyError, lockFileOf } from "./data-dir-lock.js";
import { openDatabase } from "./database.js";
import type { DB } from "./schema.js";

/** Every public table's row count and a hash of its rows (in a stable order). */
async function fingerprint(db: Kysely<DB>): Promise<Record<string, string>> {
  const tables = await sql<{ t: string }>`
    SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`.execute(db);
  const out: Record<string, string> = {};
  for (const { t } of tables.rows) {
    const r = await sql<{ n: number; h: string }>`
      SELECT count(*)::int AS n, md5(COALESCE(string_agg(x::text, '|' ORDER BY x::text), '')) AS h
      FROM ${sql.table(t)} x`.execute(db);
    out[t] = `${r.rows[0]?.n}:${r.rows[0]?.h}`;
  }
  return out;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gongzhi-backup-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

it("names a backup by engine and China-local time, and tells the formats apart", () => {
  const at = new Date("2026-11-29T16:30:05Z");
  expect(defaultBackupName("postgresql", at)).toBe("gongzhi-postgresql-20261130-003005.dump");
  expect(defaultBackupName("pglite", at)).toBe("gongzhi-pglite-20261130-003005.tar.gz");
  const f = path.join(tmp, "not-a-backup.txt");
  fs.writeFileSync(f, "hello");
  expect(backupEngineOf(f)).toBeNull();
  fs.writeFileSync(f, "PGDMP\u0001\u000e");
  expect(backupEngineOf(f)).toBe("postgresql");
  fs.writeFileSync(f, Buffer.from([0x1f, 0x8b, 8, 0]));
  expect(backupEngineOf(f)).toBe("pglite");
});

describe.runIf(TEST_ENGINE === "pglite")("PGlite: gongzhi backup / restore", () => {
  const source = path.join(tmp, "source", "pglite");
  const target = path.join(tmp, "target", "pglite");
  const file = path.join(tmp, "district.tar.gz");
  let original: Record<string, string>;

  const fingerprintOf = async (dir: string) => {
    const d = await openDatabase({ pgliteDir: dir });
    try {
      return await fingerprint(d.db);
    } finally {
      await d.close();
    }
  };

  beforeAll(async () => {
    // The seeded demo district, as a database directory of its own.
    const templates = inject("templates");
    const d = await openDatabase({
      pgliteDir: source,
      pgliteLoadDataDir: new Blob([fs.readFileSync(templates.seeded)]),
    });
    original = await fingerprint(d.db);
    await d.close();
  });

  it("restores into an empty directory exactly what was backed up", async () => {
    const made = await backupPglite(source, file);
    expect(made.cases).toBeGreaterThan(0);
    expect(backupEngineOf(file)).toBe("pglite");
    // No partial file is left beside it.
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith(".partial"))).toEqual([]);

    const restored = await restorePglite(file, target, { force: false });
    expect(restored).toMatchObject({ cases: made.cases, residents: made.residents, kept: null });
    expect(await fingerprintOf(target)).toEqual(original);
    expect(Object.keys(original).length).toBeGreaterThan(50);
  });

  it("refuses to replace a database without --force, and keeps the replaced one with it", async () => {
    // The target now holds data that differs from the backup.
    const d = await openDatabase({ pgliteDir: target });
    await sql`DELETE FROM saved_filters`.execute(d.db);
    await sql`UPDATE users SET display_name = display_name || '（改）' WHERE username = 'admin'`.execute(
      d.db,
    );
    const changed = await fingerprint(d.db);
    await d.close();

    await expect(restorePglite(file, target, { force: false })).rejects.toThrow(
      /already holds a database.*--force/,
    );
    expect(await fingerprintOf(target)).toEqual(changed);

    const r = await restorePglite(file, target, { force: true });
    expect(r.kept).toMatch(/pglite\.before-restore-\d+$/);
    expect(await fingerprintOf(target)).toEqual(original);
    expect(await fingerprintOf(r.kept as string)).toEqual(changed);
  });

  it("leaves the target as it was when the file is damaged or is not for this engine", async () => {
    const before = await fingerprintOf(target);
    const damaged = path.join(tmp, "damaged.tar.gz");
    fs.writeFileSync(damaged, Buffer.concat([Buffer.from([0x1f, 0x8b]), randomBytes(4096)]));
    await expect(restorePglite(damaged, target, { force: true })).rejects.toThrow(
      /damaged.*was not changed/,
    );
    const pgDump = path.join(tmp, "pg.dump");
    fs.writeFileSync(pgDump, "PGDMP and then some");
    await expect(restorePglite(pgDump, target, { force: true })).rejects.toThrow(
      /PostgreSQL backup.*DATABASE_URL/,
    );
    expect(await fingerprintOf(target)).toEqual(before);
    // Nothing half-restored is left beside it.
    expect(fs.readdirSync(path.dirname(target)).filter((f) => f.includes(".restoring-"))).toEqual(
      [],
    );
  });

  it("refuses while another process holds the database, and takes over from a dead one", async () => {
    const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"]);
    try {
      fs.writeFileSync(lockFileOf(source), `${child.pid}\n`);
      const err = await backupPglite(source, path.join(tmp, "busy.tar.gz")).catch((e) => e);
      expect(err).toBeInstanceOf(DataDirBusyError);
      expect(String(err.message)).toContain(`pid ${child.pid}`);
      expect(fs.existsSync(path.join(tmp, "busy.tar.gz"))).toBe(false);
    } finally {
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
    }
    // The holder is gone (killed): the lock it left is taken over.
    await backupPglite(source, path.join(tmp, "after.tar.gz"));
    expect(fs.existsSync(lockFileOf(source))).toBe(false);
  });

  it("says clearly when there is no database to back up", async () => {
    await expect(backupPglite(path.join(tmp, "nothing"), file)).rejects.toThrow(BackupError);
  });
});

describe.runIf(TEST_ENGINE === "postgresql")("PostgreSQL: gongzhi backup / restore", () => {
  const file = path.join(tmp, "district.dump");
  const restoredName = `gz_restore_${randomBytes(4).toString("hex")}`;
  const restoredUrl = databaseUrl(restoredName);
  let source: Awaited<ReturnType<typeof createTestDatabase>>;
  let sourceUrl: string;
  let original: Record<string, string>;

  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  const fingerprintOf = async (url: string) => {
    const d = await openDatabase({ databaseUrl: url, poolSize: 1 });
    try {
      return await fingerprint(d.db);
    } finally {
      await d.close();
    }
  };

  beforeAll(async () => {
    source = await createTestDatabase("seeded");
    sourceUrl = String(source.clientConfig?.connectionString);
    original = await fingerprint(source.db);
    await admin(`CREATE DATABASE ${restoredName}`);
  });
  afterAll(async () => {
    await source.close();
    await admin(`DROP DATABASE IF EXISTS ${restoredName} WITH (FORCE)`);
  });

  it("restores into an empty database exactly what pg_dump took", async () => {
    const made = await backupPostgres(sourceUrl, file);
    expect(made.cases).toBeGreaterThan(0);
    expect(backupEngineOf(file)).toBe("postgresql");
    const restored = await restorePostgres(file, restoredUrl, { force: false });
    expect(restored).toMatchObject({ cases: made.cases, residents: made.residents });
    expect(await fingerprintOf(restoredUrl)).toEqual(original);
  });

  it("refuses a database with data without --force, and replaces it with --force", async () => {
    const d = await openDatabase({ databaseUrl: restoredUrl, poolSize: 1 });
    await sql`DELETE FROM saved_filters`.execute(d.db);
    await sql`UPDATE users SET display_name = display_name || '（改）' WHERE username = 'admin'`.execute(
      d.db,
    );
    const changed = await fingerprint(d.db);
    await d.close();
    await expect(restorePostgres(file, restoredUrl, { force: false })).rejects.toThrow(
      /already holds \d+ tables.*--force/,
    );
    expect(await fingerprintOf(restoredUrl)).toEqual(changed);
    await restorePostgres(file, restoredUrl, { force: true });
    expect(await fingerprintOf(restoredUrl)).toEqual(original);
  });

  it("changes nothing when the restore fails part-way or the file is for the other engine", async () => {
    // A real dump cut off half-way: pg_restore fails inside its transaction.
    const cut = path.join(tmp, "cut.dump");
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const d = await openDatabase({ databaseUrl: restoredUrl, poolSize: 1 });
    await sql`DELETE FROM saved_filters`.execute(d.db);
    const before = await fingerprint(d.db);
    await d.close();
    await expect(restorePostgres(cut, restoredUrl, { force: true })).rejects.toThrow(
      /pg_restore failed/,
    );
    const pgliteFile = path.join(tmp, "embedded.tar.gz");
    fs.writeFileSync(pgliteFile, Buffer.from([0x1f, 0x8b, 8, 0, 0]));
    await expect(restorePostgres(pgliteFile, restoredUrl, { force: true })).rejects.toThrow(
      /embedded database \(PGlite\)/,
    );
    expect(await fingerprintOf(restoredUrl)).toEqual(before);
  });
});
