/** `gongzhi import KIND FILE`: the same import as the web, with a progress bar. */
import fs from "node:fs";
import path from "node:path";
import cliProgress from "cli-progress";
import type { Config } from "../server/config.js";
import type { Database } from "../server/db/database.js";
import { findUserByName, loadActor } from "../server/modules/auth/auth.service.js";
import {
  errorFile,
  type ImportKindName,
  startImport,
} from "../server/modules/imports/imports.service.js";
import { configuredFieldCrypto } from "./context.js";

/** Lines in a text file, for the bar's total (XLSX: unknown). */
async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const chunk of fs.createReadStream(file)) {
    for (const b of chunk as Buffer) if (b === 10) n++;
  }
  return n;
}

export async function importCommand(
  database: Database,
  config: Config,
  kind: ImportKindName,
  file: string,
  opts: { as: string; errors?: string | undefined },
) {
  const user = await findUserByName(database.db, opts.as);
  if (!user) throw new Error(`No account "${opts.as}" to import as (use --as USERNAME).`);
  const actor = await loadActor(database.db, user.id, user.username);
  const deps = { db: database.db, config, fieldCrypto: configuredFieldCrypto(config) };
  const isCsv = !file.toLowerCase().endsWith(".xlsx");
  const total = isCsv ? Math.max(0, (await countLines(file)) - 1) : 0;
  const bar = new cliProgress.SingleBar(
    {
      format: isCsv
        ? "importing {bar} {percentage}% | {value}/{total} rows | added {inserted} | unchanged {unchanged} | refused {errors}"
        : "importing {value} rows | added {inserted} | unchanged {unchanged} | refused {errors}",
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { inserted: 0, unchanged: 0, errors: 0 });
  const started = Date.now();
  const { done } = await startImport(
    deps,
    actor,
    { kind, file, filename: path.basename(file) },
    "cli",
    (p) => bar.update(p.total, { inserted: p.inserted, unchanged: p.unchanged, errors: p.errors }),
  );
  try {
    const r = await done;
    bar.update(r.totalRows, {
      inserted: r.insertedRows,
      unchanged: r.unchangedRows,
      errors: r.errorRows,
    });
    bar.stop();
    const secs = (Date.now() - started) / 1000;
    console.log(
      `${r.message} (${secs.toFixed(1)} s, ${Math.round(r.totalRows / Math.max(secs, 0.001))} rows/s)`,
    );
    if (r.errorRows > 0) {
      const out = opts.errors ?? `${file.replace(/\.(csv|xlsx)$/i, "")}-errors.csv`;
      fs.writeFileSync(out, await errorFile(deps, actor, r.id));
      console.log(`Refused rows with reasons: ${out}`);
    }
    return r;
  } finally {
    bar.stop();
  }
}
