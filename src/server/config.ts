/**
 * Runtime configuration, read once from the environment. Every knob the
 * operator can turn is listed here and in the README.
 */
import path from "node:path";
import { z } from "zod";
import { parseEmail } from "../shared/formats/email.js";
import { DEFAULT_CALENDAR, parseCalendar, type WorkCalendar } from "../shared/working-time.js";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

/** An optional setting; set but empty counts as not set. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

const httpUrl = z
  .string()
  .url()
  .refine((v) => /^https?:\/\//i.test(v), "an http(s) URL, e.g. http://127.0.0.1:9000")
  .transform((v) => v.replace(/\/+$/, ""));

/** "name@example.org" or "Name <name@example.org>". */
const mailbox = z.string().refine((v) => {
  const m = /<([^<>]+)>\s*$/.exec(v);
  return parseEmail((m?.[1] ?? v).trim()).ok;
}, "an address like noreply@example.org or 共治平台 <noreply@example.org>");

/** Settings that are required when another one picks a back end. */
const REQUIRED_WHEN = [
  {
    when: (e: { FILE_STORE: string }) => e.FILE_STORE === "s3",
    because: "FILE_STORE=s3",
    names: ["S3_ENDPOINT", "S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"],
  },
  {
    when: (e: { SMTP_URL?: string | undefined }) => e.SMTP_URL !== undefined,
    because: "SMTP_URL is set",
    names: ["SMTP_FROM"],
  },
] as const;

const envSchema = z
  .object({
    HOST: z.string().default("127.0.0.1"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    DATA_DIR: z.string().default("./data"),
    DATABASE_URL: z.string().url().optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(20),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default("info"),
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
    /** The address people reach the app at (https://…, no trailing slash): absolute links such as Open311's media_url. */
    PUBLIC_URL: optional(httpUrl.transform((v) => v.replace(/\/+$/, ""))),
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
    /** Where attachment bytes live: DATA_DIR/files, or an S3-compatible bucket. */
    FILE_STORE: z.enum(["local", "s3"]).default("local"),
    S3_ENDPOINT: optional(httpUrl),
    S3_BUCKET: optional(
      z
        .string()
        .regex(
          /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
          "3–63 lowercase letters, digits, dots and hyphens",
        ),
    ),
    S3_REGION: z.string().min(1).default("us-east-1"),
    /** {endpoint}/{bucket}/{key} (MinIO, Ceph); false: {bucket}.{endpoint host}/{key} (Aliyun OSS). */
    S3_PATH_STYLE: bool.default(true),
    S3_ACCESS_KEY_ID: optional(z.string()),
    S3_SECRET_ACCESS_KEY: optional(z.string()),
    /** A folder inside the bucket for our keys, e.g. "gongzhi" (optional). */
    S3_PREFIX: optional(
      z
        .string()
        .transform((v) => v.replace(/^\/+|\/+$/g, ""))
        .refine(
          (v) => v.split("/").every((s) => s !== "" && s !== "." && s !== ".."),
          "folder names separated by /, without empty, . or .. parts",
        ),
    ),
    /** Notifications by e-mail: smtp://user:pass@host:587 or smtps://…:465. */
    SMTP_URL: optional(
      z
        .string()
        .url()
        .refine((v) => /^smtps?:\/\//i.test(v), "an smtp:// or smtps:// URL"),
    ),
    SMTP_FROM: optional(mailbox),
  })
  .superRefine((e, ctx) => {
    for (const rule of REQUIRED_WHEN) {
      if (!rule.when(e)) continue;
      for (const name of rule.names)
        if (e[name] === undefined)
          ctx.addIssue({ code: "custom", path: [name], message: `required when ${rule.because}` });
    }
  });

export const DEFAULT_DEMO_PASSWORD = "Gongzhi@2026";

/** Where attachment bytes live (FILE_STORE and the S3_* settings). */
export type FileStoreConfig =
  | { kind: "local" }
  | {
      kind: "s3";
      endpoint: string;
      bucket: string;
      region: string;
      accessKeyId: string;
      secretAccessKey: string;
      /** "" or a folder without slashes at either end */
      prefix: string;
      /** bucket in the path, not in the host name */
      pathStyle: boolean;
    };

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
  publicUrl: string | undefined;
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
  fileStore: FileStoreConfig;
  /** Notifications by e-mail; without it they are only logged. */
  smtp: { url: string; from: string } | undefined;
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
    publicUrl: e.PUBLIC_URL,
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
    fileStore:
      e.FILE_STORE === "s3"
        ? {
            kind: "s3",
            // Present: the schema requires them with FILE_STORE=s3.
            endpoint: e.S3_ENDPOINT as string,
            bucket: e.S3_BUCKET as string,
            region: e.S3_REGION,
            accessKeyId: e.S3_ACCESS_KEY_ID as string,
            secretAccessKey: e.S3_SECRET_ACCESS_KEY as string,
            prefix: e.S3_PREFIX ?? "",
            pathStyle: e.S3_PATH_STYLE,
          }
        : { kind: "local" },
    smtp: e.SMTP_URL ? { url: e.SMTP_URL, from: e.SMTP_FROM as string } : undefined,
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
