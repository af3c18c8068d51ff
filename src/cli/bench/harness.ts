/**
 * `gongzhi bench NAME`: runs one benchmark, prints its table, writes
 * bench-results/NAME-DB.json = {name, db, startedAt, metrics: [...]} and
 * refreshes its rows in the latest-results table of docs/benchmarks.md.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PROJECT_ROOT } from "../project.js";
import { commandOf, refreshResultsTable } from "./results-table.js";

export interface BenchMetric {
  metric: string;
  value: number;
  unit: string;
  baseline: number;
  ratio: number;
  p99_ms?: number;
}

export interface BenchOutcome {
  metrics: BenchMetric[];
  /** top-level fields of the result file (the dashboard's `cases`, say) */
  top?: Record<string, number>;
  details?: Record<string, unknown>;
}

export type BenchDb = "pglite" | "postgresql";

export interface BenchDefinition {
  name: string;
  description: string;
  run(opts: { db: BenchDb; options: Record<string, string> }): Promise<BenchOutcome>;
}

export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
};

/** The URL of an already seeded PostgreSQL database that a read benchmark measures. */
export function seededDatabaseUrl(name: string, db: BenchDb, url: string | undefined): string {
  if (db !== "postgresql")
    throw new Error(`the ${name} benchmark reads a seeded PostgreSQL database: --db postgresql`);
  const given = url ?? process.env.DATABASE_URL;
  if (!given)
    throw new Error(
      "give the seeded database: --url postgres://… (seed it with DATABASE_URL=… gongzhi seed --scale large)",
    );
  return given;
}

const fmt = (n: number) =>
  Math.abs(n) >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(n >= 10 ? 1 : 2);

export async function runBench(def: BenchDefinition, db: BenchDb, options: Record<string, string>) {
  const startedAt = new Date().toISOString();
  const outcome = await def.run({ db, options });
  const result = {
    name: def.name,
    db,
    startedAt,
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    ...(outcome.top ?? {}),
    metrics: outcome.metrics,
    ...(outcome.details ? { details: outcome.details } : {}),
  };
  const dir = path.join(PROJECT_ROOT, "bench-results");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${def.name}-${db}.json`);
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\n${def.name} on ${db} (${startedAt})`);
  console.table(
    outcome.metrics.map((m) => ({
      metric: m.metric,
      value: fmt(m.value),
      unit: m.unit,
      baseline: fmt(m.baseline),
      ratio: fmt(m.ratio),
      ...(m.p99_ms === undefined ? {} : { p99_ms: fmt(m.p99_ms) }),
    })),
  );
  if (outcome.details) console.log(outcome.details);
  console.log(`written to ${path.relative(process.cwd(), file)}`);
  const docs = path.join(PROJECT_ROOT, "docs", "benchmarks.md");
  if (refreshResultsTable(docs, result, commandOf(def.name, db, options)))
    console.log(`latest results in ${path.relative(process.cwd(), docs)} refreshed`);
  return result;
}
