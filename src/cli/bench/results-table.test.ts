import { describe, expect, it } from "vitest";
import { commandOf, TABLE_END, TABLE_START, withResult } from "./results-table.js";

const doc = "# Benchmarks\n\nIntro text.\n\n## geo — history\n\n| old | table |\n";
const result = (name: string, db: string, value: number, day = "2026-11-29") => ({
  name,
  db,
  startedAt: `${day}T10:00:00.000Z`,
  machine: "2 × EPYC, 24 GiB, Node v20",
  metrics: [
    {
      metric: `${name}_metric`,
      value,
      unit: "req/s",
      baseline: value * 2,
      ratio: 0.5,
      p99_ms: 12.3,
    },
  ],
});

describe("the latest-results table in docs/benchmarks.md", () => {
  it("is added before the first section, with the figures, date, machine and command", () => {
    const out = withResult(
      doc,
      result("intake", "postgresql", 2500),
      "npm run bench -- intake --db postgresql",
    );
    expect(out.indexOf("## Latest results")).toBeLessThan(out.indexOf("## geo"));
    expect(out).toContain(TABLE_START);
    expect(out).toContain(
      "| intake | postgresql | intake_metric | 2,500 req/s | 5,000 | 0.50 | 12.3 ms | 2026-11-29 | 2 × EPYC, 24 GiB, Node v20 | `npm run bench -- intake --db postgresql` |",
    );
    // The people-written history is untouched.
    expect(out).toContain("## geo — history\n\n| old | table |\n");
  });

  it("replaces only the rows of the same benchmark and engine, sorted", () => {
    let out = withResult(doc, result("intake", "postgresql", 2500), "c1");
    out = withResult(out, result("geo", "pglite", 9), "c2");
    out = withResult(out, result("intake", "pglite", 700), "c3");
    out = withResult(out, result("intake", "postgresql", 2700, "2026-11-30"), "c4");
    const rows = out
      .slice(out.indexOf(TABLE_START), out.indexOf(TABLE_END))
      .split("\n")
      .filter((l) => l.startsWith("| ") && !l.startsWith("| benchmark") && !l.startsWith("| ---"));
    expect(rows.map((l) => l.split(" | ").slice(0, 2).join(" | "))).toEqual([
      "| geo | pglite",
      "| intake | pglite",
      "| intake | postgresql",
    ]);
    expect(rows[2]).toContain("2,700 req/s");
    expect(rows[2]).toContain("2026-11-30");
    expect(out.match(/## Latest results/g)).toHaveLength(1);
  });

  it("writes the command without a connection string's secrets", () => {
    expect(
      commandOf("inbox", "postgresql", {
        url: "postgres://u:secret@h/db",
        runs: "20",
        quick: "true",
      }),
    ).toBe("npm run bench -- inbox --db postgresql --url postgres://… --runs 20 --quick");
  });
});
