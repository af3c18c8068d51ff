/** The registry of benchmarks; each capability adds its own here. */
import { benchDashboard } from "./dashboard.js";
import { benchGeo } from "./geo.js";
import type { BenchDefinition } from "./harness.js";
import { benchImport } from "./import.js";
import { benchInbox } from "./inbox.js";
import { benchIntake } from "./intake.js";
import { benchOpen311 } from "./open311.js";
import { benchSse } from "./sse.js";
import { benchStartup } from "./startup.js";

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

export const BENCHMARKS: BenchDefinition[] = [
  {
    name: "dashboard",
    description:
      "coordination centre tiles (KPIs, breakdowns, scorecards, map measures) from rollups vs the same from the case table, p95 (options: --cases N default 5,000,000 on PostgreSQL / 1,000,000 on PGlite, --runs N, --url postgres://… to measure a filled database as it is, --keep to keep the generated PostgreSQL database)",
    run: ({ db, options }) =>
      benchDashboard({
        db,
        url: options.url,
        ...(options.cases ? { cases: Number(options.cases) } : {}),
        ...(options.runs ? { runs: Number(options.runs) } : {}),
        keep: options.keep === "true",
      }),
  },
  {
    name: "geo",
    description:
      "point → grid assignment: index vs naive loop over all polygons (options: --points N --grids N)",
    run: ({ options }) => {
      const points = num(options.points);
      const grids = num(options.grids);
      return benchGeo({
        ...(points === undefined ? {} : { points }),
        ...(grids === undefined ? {} : { grids }),
      });
    },
  },
  {
    name: "import",
    description:
      "residents imported per second through the full import path vs bare INSERTs (options: --rows N)",
    run: ({ db, options }) =>
      benchImport({ db, ...(options.rows ? { rows: Number(options.rows) } : {}) }),
  },
  {
    name: "inbox",
    description:
      "case inbox queries (p95 over every role's inboxes, search and filters) on a seeded PostgreSQL database vs reading one case (options: --url postgres://… --runs N)",
    run: ({ db, options }) =>
      benchInbox({
        db,
        url: options.url,
        ...(options.runs ? { runs: Number(options.runs) } : {}),
      }),
  },
  {
    name: "intake",
    description:
      "POST /api/cases through the full path at 50 connections vs a bare validate + INSERT route (options: --seconds N --connections N)",
    run: ({ db, options }) =>
      benchIntake({
        db,
        ...(options.seconds ? { seconds: Number(options.seconds) } : {}),
        ...(options.connections ? { connections: Number(options.connections) } : {}),
      }),
  },
  {
    name: "open311",
    description:
      "Open311 GETs a city back end polls (services, 1,000 requests as XML and JSON, filters, one request, updates) through the app on a seeded PostgreSQL database vs GET /api/health (options: --url postgres://… --runs N)",
    run: ({ db, options }) =>
      benchOpen311({
        db,
        url: options.url,
        ...(options.runs ? { runs: Number(options.runs) } : {}),
      }),
  },
  {
    name: "sse",
    description:
      "live-event delivery latency (p99) to N concurrent SSE streams of one server, through LISTEN/NOTIFY on PostgreSQL, vs one stream (options: --clients N --events N --interval-ms N)",
    run: ({ db, options }) =>
      benchSse({
        db,
        ...(options.clients ? { clients: Number(options.clients) } : {}),
        ...(options.events ? { events: Number(options.events) } : {}),
        ...(options["interval-ms"] ? { intervalMs: Number(options["interval-ms"]) } : {}),
      }),
  },
  {
    name: "startup",
    description:
      "gongzhi start on an empty DATA_DIR, then a restart, timed to /api/health (options: --scale S --rebuild-web true)",
    run: ({ options }) =>
      benchStartup({
        ...(options.scale ? { scale: options.scale } : {}),
        rebuildWeb: options["rebuild-web"] === "true",
      }),
  },
];
