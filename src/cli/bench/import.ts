/**
 * Import benchmark: residents per second through the whole import path
 * (file streamed, rows checked, IDs parsed, numbers encrypted and indexed,
 * duplicates looked up, batches written with registrations and audit rows).
 * Baseline: the same rows, already prepared, written by bare multi-row
 * INSERTs into a scratch copy of the table in the same run.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { loadConfig } from "../../server/config.js";
import { findUserByName, loadActor } from "../../server/modules/auth/auth.service.js";
import { startImport } from "../../server/modules/imports/imports.service.js";
import { csvText } from "../../server/modules/imports/spreadsheet.js";
import { identityColumns } from "../../server/modules/residents/residents.service.js";
import { createRandom } from "../../server/seed/random.js";
import { residentIdCheckChar } from "../../shared/formats/resident-id.js";
import { withBenchDatabase } from "./bench-database.js";
import { localPostgresCpuSeconds } from "./cpu.js";
import type { BenchDb, BenchOutcome } from "./harness.js";

const REGIONS = [
  "340102",
  "341202",
  "410105",
  "411302",
  "320311",
  "321302",
  "510104",
  "520102",
  "420106",
  "360102",
];

export async function benchImport(opts: {
  db: BenchDb;
  rows?: number;
  url?: string;
}): Promise<BenchOutcome> {
  const rows = opts.rows ?? 100_000;
  const random = createRandom(7);
  const config = loadConfig({ LOG_LEVEL: "silent", IMPORT_MAX_BYTES: String(512 * 2 ** 20) });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gongzhi-bench-import-"));
  return withBenchDatabase(
    { db: opts.db, name: "import", poolSize: 4, url: opts.url },
    async (database, crypto) => {
      try {
        // Somewhere for the imported people to live: one building, 2,000 units.
        const grid = await database.db
          .selectFrom("areas")
          .select(["id", "path", "centroid_lng", "centroid_lat"])
          .where("level", "=", "grid")
          .orderBy("code", "desc")
          .executeTakeFirstOrThrow();
        const building = await database.db
          .insertInto("buildings")
          .values({
            grid_id: grid.id,
            area_path: grid.path,
            road: "基准路",
            house_number: "1号",
            address: "基准路1号",
            lng: grid.centroid_lng ?? 120.5,
            lat: grid.centroid_lat ?? 31.3,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        const unitAddresses = Array.from({ length: 2000 }, (_, i) => `基准路1号${i + 1}室`);
        for (let i = 0; i < unitAddresses.length; i += 500) {
          await database.db
            .insertInto("units")
            .values(
              unitAddresses.slice(i, i + 500).map((a, j) => ({
                building_id: building.id,
                area_path: grid.path,
                unit_no: `${i + j + 1}室`,
                address: a,
                is_rental: true,
                declared_capacity: 100,
              })),
            )
            .execute();
        }
        // The file: unique valid ID numbers, phones for most, an address each.
        const lines: string[][] = [
          [
            "姓名",
            "身份证号",
            "手机号",
            "来苏日期",
            "现住地址",
            "迁入日期",
            "用人单位统一社会信用代码",
          ],
        ];
        const ids: string[] = [];
        for (let i = 0; i < rows; i++) {
          // (region, serial, birth day) is unique per row by construction.
          const day = new Date(Date.UTC(1970, 0, 1) + Math.floor(i / 10_000) * 37 * 86_400_000);
          const birth = day.toISOString().slice(0, 10).replaceAll("-", "");
          const first17 = `${REGIONS[i % REGIONS.length]}${birth}${String(Math.floor(i / 10) % 1000).padStart(3, "0")}`;
          const id = `${first17}${residentIdCheckChar(first17)}`;
          ids.push(id);
          lines.push([
            `居民${i}`,
            id,
            random.chance(0.7) ? `13${random.int(100000000, 999999999)}` : "",
            "2024-01-01",
            unitAddresses[i % 2000] as string,
            "2024-01-05",
            "",
          ]);
        }
        const file = path.join(dir, "residents.csv");
        fs.writeFileSync(file, csvText(lines));
        const admin = await findUserByName(database.db, "admin");
        if (!admin) throw new Error("no admin");
        const actor = await loadActor(database.db, admin.id, "admin");
        const pg0 = localPostgresCpuSeconds();
        const t0 = performance.now();
        const cpu0 = process.cpuUsage();
        const { done } = await startImport(
          { db: database.db, config, fieldCrypto: crypto },
          actor,
          { kind: "residents", file, filename: "residents.csv" },
          "bench",
        );
        const r = await done;
        const importSecs = (performance.now() - t0) / 1000;
        const cpu = process.cpuUsage(cpu0);
        const value = r.insertedRows / importSecs;
        const pg1 = localPostgresCpuSeconds();

        // Baseline: the same people, prepared in memory, bare INSERTs into a scratch copy.
        await sql`CREATE TABLE bench_residents (LIKE residents INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING INDEXES)`.execute(
          database.db,
        );
        const prepared = ids.slice(0, r.insertedRows).map((id, i) => ({
          name: `居民${i}`,
          ...identityColumns(crypto, id, null),
          arrival_date: "2024-01-01",
          registered_since: "2024-01-05",
          area_path: grid.path,
        }));
        const t1 = performance.now();
        for (let i = 0; i < prepared.length; i += 2000) {
          await database.db
            .insertInto("bench_residents" as "residents")
            .values(prepared.slice(i, i + 2000))
            .execute();
        }
        const baseSecs = (performance.now() - t1) / 1000;
        const baseline = prepared.length / baseSecs;
        return {
          metrics: [
            {
              metric: "residents_per_s",
              value,
              unit: "residents/s",
              baseline,
              ratio: value / baseline,
            },
          ],
          details: {
            rows,
            inserted: r.insertedRows,
            refused: r.errorRows,
            importSeconds: importSecs,
            // CPU of this process (parsing, checks, encryption, serialisation), not the database's.
            importNodeCpuSeconds: (cpu.user + cpu.system) / 1e6,
            // CPU of every PostgreSQL process on this machine during the import
            // (null when the server is not local or /proc is not readable).
            importPostgresCpuSeconds:
              opts.db === "postgresql" && pg0 !== null && pg1 !== null ? pg1 - pg0 : null,
            baselineSeconds: baseSecs,
            fileMB: fs.statSync(file).size / 2 ** 20,
          },
        };
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
}
