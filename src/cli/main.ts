/** The `gongzhi` command line: start, serve, migrate, seed, backup, restore, audit, import, keys, jobs, bench. */
import { spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { loadConfig } from "../server/config.js";
import {
  BackupError,
  backupPglite,
  backupPostgres,
  type DatabaseSummary,
  defaultBackupName,
  restorePglite,
  restorePostgres,
} from "../server/db/backup.js";
import { DataDirBusyError } from "../server/db/data-dir-lock.js";
import { migrateToLatest } from "../server/db/migrate.js";
import { findJob, JOBS } from "../server/jobs/registry.js";
import { verifyAuditChain } from "../server/modules/audit/audit.service.js";
import { describeAccounts } from "../server/modules/auth/auth.service.js";
import { IMPORT_KINDS, type ImportKindName } from "../server/modules/imports/imports.service.js";
import { keyStatus, reencrypt } from "../server/modules/keys/keys.service.js";
import { databaseHasData, runSeed, SeedRefusedError } from "../server/seed/seed.js";
import { SCALES, type Scale } from "../server/seed/seed-context.js";
import { type BenchDb, runBench } from "./bench/harness.js";
import { BENCHMARKS } from "./bench/index.js";
import {
  configuredFieldCrypto,
  openConfiguredDatabase,
  pgliteDir,
  withDatabase,
} from "./context.js";
import { importCommand } from "./import.js";
import { PROJECT_ROOT, WEB_DIST } from "./project.js";
import { serve } from "./serve.js";

const program = new Command();
program
  .name("gongzhi")
  .description("Gongzhi (共治): district safety, governed together")
  .showHelpAfterError();

const intArg = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InvalidArgumentError("must be an integer");
  return n;
};

const DEFAULT_SEED = 20260505;

function printAccounts(
  accounts: { username: string; role: string; displayName: string }[],
  password: string,
) {
  console.log("\nDemo accounts (password: %s):", password);
  for (const a of accounts)
    console.log(`  ${a.username.padEnd(18)} ${a.role.padEnd(20)} ${a.displayName}`);
}

const DEMO_USERNAMES = [
  "admin",
  "coordinator",
  "officer",
  "gridworker",
  "enterprise",
  "enterprise-manager",
  "association",
  "resident",
] as const;

program
  .command("start")
  .description(
    "build the web app if needed, migrate, seed the demo district on first run, and serve",
  )
  .addOption(
    new Option("--scale <scale>", "demo size on first run")
      .choices(SCALES)
      .env("GONGZHI_SEED_SCALE")
      .default("medium"),
  )
  .action(async (opts: { scale: Scale }) => {
    const t0 = Date.now();
    const config = loadConfig();
    // The web build runs in its own process while the database is migrated
    // and seeded (2 cores: the first start takes the longer of the two).
    const webBuild = fs.existsSync(path.join(WEB_DIST, "index.html"))
      ? Promise.resolve()
      : buildWebApp();
    // Awaited below; a failure must not go unhandled meanwhile.
    webBuild.catch(() => {});
    const database = await openConfiguredDatabase(config);
    try {
      const applied = await migrateToLatest(database.db);
      if (applied.length) console.log(`Migrations applied: ${applied.join(", ")}`);
      if (!(await databaseHasData(database.db))) {
        console.log(`Seeding the demo district (${opts.scale})…`);
        await runSeed(database.db, {
          scale: opts.scale,
          seed: DEFAULT_SEED,
          force: false,
          demoPassword: config.demoPassword,
          fieldCrypto: configuredFieldCrypto(config),
          log: (m) => console.log(`  ${m}`),
        });
      }
      await webBuild;
    } catch (err) {
      await database.close();
      throw err;
    }
    const accounts = await describeAccounts(database.db, DEMO_USERNAMES);
    await serve(config, database, (url) => {
      const shown = url.replace("0.0.0.0", "127.0.0.1");
      console.log(
        `\nGongzhi (共治) is running at ${shown}  [${database.engine}, ready in ${((Date.now() - t0) / 1000).toFixed(1)} s]`,
      );
      console.log(`API docs: ${shown}/api/docs`);
      if (accounts.length) printAccounts(accounts, config.demoPassword);
    });
  });

/** `vite build` of the web app into WEB_DIST, in a child process. */
function buildWebApp(): Promise<void> {
  console.log("Building the web app (first start only)…");
  const pkg = createRequire(import.meta.url).resolve("vite/package.json");
  const bin = (JSON.parse(fs.readFileSync(pkg, "utf8")) as { bin: { vite: string } }).bin.vite;
  const vite = path.join(path.dirname(pkg), bin);
  const child = spawn(
    process.execPath,
    [
      vite,
      "build",
      "--config",
      path.join(PROJECT_ROOT, "vite.config.ts"),
      "--outDir",
      WEB_DIST,
      "--emptyOutDir",
      "--logLevel",
      "warn",
    ],
    { cwd: PROJECT_ROOT, stdio: ["ignore", "inherit", "inherit"] },
  );
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`building the web app failed (vite exited with ${code}); see above`)),
    );
  });
}

program
  .command("serve")
  .description("serve the API and web app (no migration, no seed)")
  .option("--port <port>", "port to listen on (default PORT or 3000)", intArg)
  .option("--host <host>", "host to listen on (default HOST or 127.0.0.1)")
  .action(async (opts: { port?: number; host?: string }) => {
    const config = loadConfig();
    if (opts.port !== undefined) config.port = opts.port;
    if (opts.host) config.host = opts.host;
    const database = await openConfiguredDatabase(config);
    await serve(config, database, (url) =>
      console.log(`Gongzhi listening at ${url} [${database.engine}]`),
    );
  });

program
  .command("migrate")
  .description("apply pending database migrations")
  .action(() =>
    withDatabase(async ({ db, engine }) => {
      const applied = await migrateToLatest(db);
      console.log(
        applied.length ? `Applied on ${engine}: ${applied.join(", ")}` : `Up to date (${engine}).`,
      );
    }),
  );

program
  .command("seed")
  .description("seed the demo district (refuses a non-empty database without --force)")
  .addOption(new Option("--scale <scale>", "size of the demo").choices(SCALES).default("medium"))
  .option("--seed <n>", "random seed (same seed, same district)", intArg, DEFAULT_SEED)
  .option("--force", "wipe a non-empty database first", false)
  .action((opts: { scale: Scale; seed: number; force: boolean }) =>
    withDatabase(async ({ db }, config) => {
      await migrateToLatest(db);
      try {
        const { accounts } = await runSeed(db, {
          ...opts,
          demoPassword: config.demoPassword,
          fieldCrypto: configuredFieldCrypto(config),
          log: (m) => console.log(`  ${m}`),
        });
        printAccounts(accounts, config.demoPassword);
      } catch (err) {
        if (err instanceof SeedRefusedError) {
          console.error(err.message);
          process.exitCode = 2;
          return;
        }
        throw err;
      }
    }),
  );

const printSummary = (what: string, s: DatabaseSummary) =>
  console.log(
    `${what}: ${s.migrations} migrations, ${s.tables} tables, ${s.cases} cases, ${s.residents} residents, ${s.users} accounts`,
  );

program
  .command("backup")
  .description(
    "copy the whole database into one file (pg_dump on PostgreSQL, PGlite's dump of DATA_DIR/pglite); keys and uploaded files are not in it",
  )
  .option("--out <file>", "where to write it (default: DATA_DIR/backups/gongzhi-<engine>-<time>)")
  .action(async (opts: { out?: string }) => {
    const config = loadConfig();
    const engine = config.databaseUrl ? "postgresql" : "pglite";
    const out = path.resolve(
      opts.out ?? path.join(config.dataDir, "backups", defaultBackupName(engine)),
    );
    fs.mkdirSync(path.dirname(out), { recursive: true });
    try {
      const summary = config.databaseUrl
        ? await backupPostgres(config.databaseUrl, out)
        : await backupPglite(pgliteDir(config), out);
      printSummary(`Backed up (${engine}) to ${out}`, summary);
      console.log(
        "Keep the field-encryption keys (secret-keys.json or GONGZHI_DATA_KEYS / GONGZHI_INDEX_KEY) and the uploaded files apart from this file: the backup holds neither.",
      );
    } catch (err) {
      if (!(err instanceof BackupError || err instanceof DataDirBusyError)) throw err;
      console.error(err.message);
      process.exitCode = 2;
    }
  });

program
  .command("restore")
  .description(
    "restore a backup into the configured database (refuses one that holds data without --force)",
  )
  .argument("<file>", "a file written by gongzhi backup")
  .option("--force", "replace a database that already holds data", false)
  .action(async (file: string, opts: { force: boolean }) => {
    const config = loadConfig();
    try {
      if (!fs.existsSync(file)) throw new BackupError(`${file} does not exist.`);
      if (config.databaseUrl) {
        printSummary("Restored", await restorePostgres(file, config.databaseUrl, opts));
      } else {
        const r = await restorePglite(file, pgliteDir(config), opts);
        printSummary(`Restored into ${pgliteDir(config)}`, r);
        if (r.kept) console.log(`The database it replaced is kept in ${r.kept}.`);
      }
    } catch (err) {
      if (!(err instanceof BackupError || err instanceof DataDirBusyError)) throw err;
      console.error(err.message);
      process.exitCode = 2;
    }
  });

const audit = program.command("audit").description("the tamper-evident audit trail");
audit
  .command("verify")
  .description("walk the hash chain and name the first broken link")
  .action(() =>
    withDatabase(async ({ db }) => {
      const r = await verifyAuditChain(db);
      if (r.ok) console.log(`Audit chain intact: ${r.rows} rows verified.`);
      else {
        console.error(
          `Audit chain BROKEN at row ${r.brokenAt}: ${r.reason} (${r.rows} rows read).`,
        );
        process.exitCode = 1;
      }
    }),
  );

program
  .command("import")
  .description(
    "import a CSV or XLSX file (same checks as the web; refused rows go to an error file)",
  )
  .argument("<kind>", `what the file holds: ${IMPORT_KINDS.join(", ")}`)
  .argument("<file>", "the CSV or XLSX file")
  .option("--as <username>", "the account the import is recorded under", "admin")
  .option("--errors <file>", "where to write refused rows (default FILE-errors.csv)")
  .action((kind: string, file: string, opts: { as: string; errors?: string }) =>
    withDatabase(async (database, config) => {
      if (!(IMPORT_KINDS as readonly string[]).includes(kind)) {
        console.error(`Unknown kind "${kind}". Known: ${IMPORT_KINDS.join(", ")}`);
        process.exitCode = 2;
        return;
      }
      if (!fs.existsSync(file)) {
        console.error(`No such file: ${file}`);
        process.exitCode = 2;
        return;
      }
      await importCommand(database, config, kind as ImportKindName, file, opts);
    }),
  );

const keys = program
  .command("keys")
  .description("field-encryption keys: which key encrypts what, and re-encryption after rotation");
keys
  .command("status")
  .description("count the encrypted values under each data key, per column")
  .action(() =>
    withDatabase(async ({ db }, config) => {
      const fieldCrypto = configuredFieldCrypto(config);
      console.log(`Active data key: ${fieldCrypto.activeKeyId}`);
      for (const c of await keyStatus({ db, fieldCrypto })) {
        const parts = c.byKey.map((k) => `${k.keyId}: ${k.count}`);
        console.log(`${c.column.padEnd(48)} ${parts.length ? parts.join(", ") : "(none)"}`);
      }
    }),
  );
keys
  .command("reencrypt")
  .description(
    "rewrite every value still under an older data key with the active (first) key of GONGZHI_DATA_KEYS",
  )
  .option(
    "--batch <n>",
    "values per transaction",
    (v) => {
      const n = intArg(v);
      if (n < 1 || n > 100_000) throw new InvalidArgumentError("must be between 1 and 100000");
      return n;
    },
    1000,
  )
  .action((opts: { batch: number }) =>
    withDatabase(async ({ db }, config) => {
      const fieldCrypto = configuredFieldCrypto(config);
      const r = await reencrypt(
        { db, fieldCrypto },
        {
          batchSize: opts.batch,
          onProgress: (column, n) => process.stderr.write(`\r${column}: ${n} rewritten`),
        },
      );
      process.stderr.write("\n");
      console.log(`Active data key: ${r.activeKeyId}`);
      for (const c of r.columns) {
        console.log(`${c.column.padEnd(48)} ${c.rewritten} rewritten, ${c.failed} failed`);
      }
      for (const f of r.failures) console.error(`  ${f.column} id ${f.id}: ${f.reason}`);
      if (r.failures.length) {
        console.error(
          "Some values could not be decrypted with any configured key; they were left as they are.",
        );
        process.exitCode = 1;
      } else {
        console.log(
          "Done. Older keys can be removed from GONGZHI_DATA_KEYS once `keys status` shows none in use.",
        );
      }
    }),
  );

const jobs = program.command("jobs").description("scheduled jobs, run by hand");
jobs
  .command("run")
  .description(`run one job now: ${JOBS.map((j) => `${j.name} (${j.description})`).join(", ")}`)
  .argument("<name>", "job name")
  .option("--now <iso-time>", "the clock the job sees (default: now)")
  .action((name: string, opts: { now?: string }) =>
    withDatabase(async ({ db }, config) => {
      const now = opts.now ? new Date(opts.now) : new Date();
      if (Number.isNaN(now.getTime()))
        throw new InvalidArgumentError(`--now: not a date: ${opts.now}`);
      const job = findJob(name);
      if (!job) {
        console.error(`Unknown job "${name}". Known: ${JOBS.map((j) => j.name).join(", ")}`);
        process.exitCode = 2;
        return;
      }
      const fieldCrypto = configuredFieldCrypto(config);
      console.log(`${job.name}: ${await job.run({ db, config, fieldCrypto }, now)}`);
    }),
  );

program
  .command("bench")
  .description(
    `run a benchmark: ${BENCHMARKS.map((b) => b.name).join(", ")} (all when no name is given)`,
  )
  .argument("[name]", "benchmark name")
  .addOption(
    new Option("--db <db>", "database engine").choices(["pglite", "postgresql"]).default("pglite"),
  )
  .allowUnknownOption(true)
  .allowExcessArguments(true)
  .action(async (name: string | undefined, opts: { db: BenchDb }, cmd: Command) => {
    const options: Record<string, string> = {};
    const rest = cmd.args.slice(name ? 1 : 0);
    for (let i = 0; i < rest.length; i++) {
      const k = rest[i];
      if (k?.startsWith("--")) {
        const v = rest[i + 1];
        if (v !== undefined && !v.startsWith("--")) {
          options[k.slice(2)] = v;
          i++;
        } else options[k.slice(2)] = "true";
      }
    }
    const list = name ? BENCHMARKS.filter((b) => b.name === name) : BENCHMARKS;
    if (list.length === 0) {
      console.error(
        `Unknown benchmark "${name}". Known: ${BENCHMARKS.map((b) => b.name).join(", ")}`,
      );
      process.exitCode = 2;
      return;
    }
    // The whole suite goes on past a benchmark that cannot run here (one
    // that reads a seeded PostgreSQL database, say) and says so at the end.
    const failed: string[] = [];
    for (const b of list) {
      try {
        await runBench(b, opts.db, options);
      } catch (err) {
        if (name) throw err;
        const why = err instanceof Error ? err.message : String(err);
        console.error(`\n✘ ${b.name} on ${opts.db}: ${why}`);
        failed.push(`${b.name}: ${why}`);
      }
    }
    if (failed.length) {
      console.error(
        `\n${failed.length} of ${list.length} benchmarks did not run:\n  ${failed.join("\n  ")}`,
      );
      process.exitCode = 1;
    }
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  if (process.env.GONGZHI_DEBUG && err instanceof Error) console.error(err.stack);
  process.exit(1);
});
