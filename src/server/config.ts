/**
 * Runtime configuration, read once from the environment. Every knob the
 * operator can turn is listed here and in the README.
 */
import path from "node:path";
import { z } from "zod";
import { DEFAULT_CALENDAR, parseCalendar, type WorkCalendar } from "../shared/working-time.js";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const envSchema = z.object({
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().default("./data"),
  DATABASE_URL: z.string().url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  COOKIE_SECURE: bool.default(false),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(120),
  SESSION_ABSOLUTE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .default(24 * 7),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).default(15),
  LOGIN_IP_MAX_FAILURES: z.coerce.number().int().min(1).default(50),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  OVERCROWDING_MIN_M2_PER_PERSON: z.coerce.number().positive().default(5),
  PERMIT_ELIGIBLE_MONTHS: z.coerce.number().int().min(1).max(120).default(6),
  IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(20 * 1024 * 1024),
  MAP_TILE_URL: z.string().optional(),
  MAP_TILE_ATTRIBUTION: z.string().optional(),
  GONGZHI_DEMO_PASSWORD: z.string().min(8).optional(),
  /** Working-time calendar for case deadlines, as JSON (see src/shared/working-time.ts). */
  WORK_CALENDAR: z.string().optional(),
  CASE_REOPEN_DAYS: z.coerce.number().int().min(0).max(365).default(7),
  CASE_DUE_SOON_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(24),
  /** Working hours overdue at which a case escalates to its community, street, district. */
  CASE_ESCALATION_HOURS: z
    .string()
    .default("0,8,24")
    .transform((v) => v.split(",").map((x) => Number(x.trim())))
    .refine(
      (a) =>
        a.length === 3 &&
        a.every((n, i) => Number.isFinite(n) && n >= 0 && (i === 0 || n > (a[i - 1] as number))),
      "three increasing numbers of working hours, e.g. 0,8,24",
    ),
  /** Days a resolved case waits for the reporter's rating before it closes by itself. */
  /** How long a resolved session is reused before it is read again (0: never). */
  SESSION_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
  /** Likely duplicates: the same family within this many metres… */
  CASE_DUPLICATE_METRES: z.coerce.number().int().min(1).max(5000).default(200),
  /** …and this many hours of each other. */
  CASE_DUPLICATE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(72),
  /** Largest photo or file attached to a case. */
  ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  CASE_FEEDBACK_DAYS: z.coerce.number().int().min(1).max(90).default(7),
});

export const DEFAULT_DEMO_PASSWORD = "Gongzhi@2026";

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  logLevel: string;
  cookieSecure: boolean;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  loginIpMaxFailures: number;
  bodyLimitBytes: number;
  overcrowdingMinM2PerPerson: number;
  permitEligibleMonths: number;
  importMaxBytes: number;
  mapTileUrl: string | undefined;
  mapTileAttribution: string | undefined;
  demoPassword: string;
  workCalendar: WorkCalendar;
  caseReopenDays: number;
  caseDueSoonHours: number;
  caseEscalationHours: number[];
  caseFeedbackDays: number;
  sessionCacheMs: number;
  attachmentMaxBytes: number;
  caseDuplicateMetres: number;
  caseDuplicateHours: number;
  version: string;
}

export const APP_VERSION = "0.1.0";

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration in the environment:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  return {
    host: e.HOST,
    port: e.PORT,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    logLevel: e.LOG_LEVEL,
    cookieSecure: e.COOKIE_SECURE,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: e.SESSION_ABSOLUTE_HOURS,
    loginMaxFailures: e.LOGIN_MAX_FAILURES,
    loginLockMinutes: e.LOGIN_LOCK_MINUTES,
    loginIpMaxFailures: e.LOGIN_IP_MAX_FAILURES,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    overcrowdingMinM2PerPerson: e.OVERCROWDING_MIN_M2_PER_PERSON,
    permitEligibleMonths: e.PERMIT_ELIGIBLE_MONTHS,
    importMaxBytes: e.IMPORT_MAX_BYTES,
    mapTileUrl: e.MAP_TILE_URL,
    mapTileAttribution: e.MAP_TILE_ATTRIBUTION,
    demoPassword: e.GONGZHI_DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD,
    workCalendar: e.WORK_CALENDAR ? workCalendarFrom(e.WORK_CALENDAR) : DEFAULT_CALENDAR,
    caseReopenDays: e.CASE_REOPEN_DAYS,
    caseDueSoonHours: e.CASE_DUE_SOON_HOURS,
    caseEscalationHours: e.CASE_ESCALATION_HOURS,
    caseFeedbackDays: e.CASE_FEEDBACK_DAYS,
    sessionCacheMs: e.SESSION_CACHE_MS,
    attachmentMaxBytes: e.ATTACHMENT_MAX_BYTES,
    caseDuplicateMetres: e.CASE_DUPLICATE_METRES,
    caseDuplicateHours: e.CASE_DUPLICATE_HOURS,
    version: APP_VERSION,
  };
}

function workCalendarFrom(json: string): WorkCalendar {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error("Invalid configuration in the environment:\n  WORK_CALENDAR: not valid JSON");
  }
  try {
    return parseCalendar(raw);
  } catch (e) {
    throw new Error(
      `Invalid configuration in the environment:\n  WORK_CALENDAR: ${(e as Error).message}`,
    );
  }
}
