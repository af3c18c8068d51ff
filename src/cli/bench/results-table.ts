/**
 * The table of latest results at the top of docs/benchmarks.md, kept by the
 * bench suite itself: after each run, the rows of that benchmark and engine
 * are replaced by the new figures with the date, the machine and the command
 * that produced them. The rest of the document (the history, the analysis)
 * is written by people and left alone. Rows live between two HTML comments.
 */
import fs from "node:fs";

export const TABLE_START = "<!-- bench:latest:start -->";
export const TABLE_END = "<!-- bench:latest:end -->";
const HEADER = [
  "| benchmark | db | metric | value | baseline | ratio | p99 | date | machine | command |",
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
];

export interface ResultForTable {
  name: string;
  db: string;
  startedAt: string;
  machine: string;
  metrics: {
    metric: string;
    value: number;
    unit: string;
    baseline: number;
    ratio: number;
    p99_ms?: number;
  }[];
}

const num = (n: number) =>
  !Number.isFinite(n)
    ? "—"
    : Math.abs(n) >= 100
      ? Math.round(n).toLocaleString("en-US")
      : n.toFixed(Math.abs(n) >= 10 ? 1 : 2);
/** A table cell: no pipes or line breaks inside. */
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\s+/g, " ").trim();

/** The command that reproduces a run: the name, the engine and the options given. */
export function commandOf(name: string, db: string, options: Record<string, string>): string {
  const opts = Object.entries(options)
    // A connection string may carry a password: say that one was given, not which.
    .map(([k, v]) => (k === "url" ? "--url postgres://…" : v === "true" ? `--${k}` : `--${k} ${v}`))
    .join(" ");
  return `npm run bench -- ${name} --db ${db}${opts ? ` ${opts}` : ""}`;
}

function rowsOf(r: ResultForTable, command: string): string[] {
  return r.metrics.map(
    (m) =>
      `| ${cell(r.name)} | ${cell(r.db)} | ${cell(m.metric)} | ${num(m.value)} ${cell(m.unit)} | ${num(m.baseline)} | ${num(m.ratio)} | ${
        m.p99_ms === undefined ? "—" : `${num(m.p99_ms)} ms`
      } | ${r.startedAt.slice(0, 10)} | ${cell(r.machine)} | \`${cell(command)}\` |`,
  );
}

/**
 * The document with this result's rows in the table (replacing the rows of
 * the same benchmark and engine), the rows sorted by benchmark and engine.
 * Without the markers, the table is added after the document's first
 * paragraph block (its title and introduction).
 */
export function withResult(doc: string, r: ResultForTable, command: string): string {
  let text = doc;
  if (!text.includes(TABLE_START) || !text.includes(TABLE_END)) {
    const lines = text.split("\n");
    // After the title and the introduction: the first "## " heading.
    const at = lines.findIndex((l, i) => i > 0 && l.startsWith("## "));
    const block = [
      "## Latest results",
      "",
      "Kept by `npm run bench` itself: each run replaces its benchmark's rows.",
      "",
      TABLE_START,
      ...HEADER,
      TABLE_END,
      "",
    ];
    lines.splice(at < 0 ? lines.length : at, 0, ...block);
    text = lines.join("\n");
  }
  const start = text.indexOf(TABLE_START);
  const end = text.indexOf(TABLE_END);
  const inside = text
    .slice(start + TABLE_START.length, end)
    .split("\n")
    .filter((l) => l.startsWith("| ") && !HEADER.includes(l));
  const keyOf = (l: string) => l.split(" | ").slice(0, 2).join(" | ");
  const mine = `| ${cell(r.name)} | ${cell(r.db)}`;
  const kept = inside.filter((l) => keyOf(l) !== mine);
  const rows = [...kept, ...rowsOf(r, command)].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
  return `${text.slice(0, start + TABLE_START.length)}\n${[...HEADER, ...rows].join("\n")}\n${text.slice(end)}`;
}

/** Rewrites the table in `file` with this result; a missing file is left missing. */
export function refreshResultsTable(file: string, r: ResultForTable, command: string): boolean {
  if (!fs.existsSync(file)) return false;
  const before = fs.readFileSync(file, "utf8");
  const after = withResult(before, r, command);
  if (after !== before) fs.writeFileSync(file, after);
  return true;
}
