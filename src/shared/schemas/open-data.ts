/**
 * The wire shapes of open data (开放数据): the public statistics and the
 * GeoJSON feed of public cases. Shared by the server (validation, OpenAPI)
 * and the public page. Nothing here names or describes a person: counts,
 * rates, category and area names, case codes and coarsened points only.
 */
import { z } from "zod";

const whole = (what: string, min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: `${what}应为整数 / ${what} must be a whole number` })
    .int(`${what}应为整数 / ${what} must be a whole number`)
    .min(min, `${what}应在 ${min}–${max} 之间 / ${what} must be ${min}–${max}`)
    .max(max, `${what}应在 ${min}–${max} 之间 / ${what} must be ${min}–${max}`)
    .default(fallback);

export const OPEN_DATA_MONTHS_MAX = 24;
export const OPEN_DATA_DAYS_MAX = 365;
export const OPEN_DATA_FEED_MAX = 5000;

export const openDataStatsQuery = z.object({
  months: whole("months", 1, OPEN_DATA_MONTHS_MAX, 12),
});
export type OpenDataStatsQuery = z.infer<typeof openDataStatsQuery>;

/** Share of cases done by their deadline (0–1, four decimals); null when none were measured. */
const rate = z.number().min(0).max(1).nullable();

export const openDataNoteSchema = z.object({
  /** stable id of the rule the note states */
  code: z.string(),
  zh: z.string(),
  en: z.string(),
});
export type OpenDataNote = z.infer<typeof openDataNoteSchema>;

export const openDataStatsSchema = z.object({
  generatedAt: z.string(),
  /** From the first day of the earliest month (China time) to generatedAt. */
  period: z.object({ from: z.string(), to: z.string(), months: z.number().int() }),
  totals: z.object({
    /** cases reported in the period */
    received: z.number().int(),
    /** cases resolved or closed in the period (办结) */
    resolved: z.number().int(),
    /** of the cases received in the period, those still being handled */
    open: z.number().int(),
    onTimeRate: rate,
    acceptOnTimeRate: rate,
  }),
  byCategory: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      family: z.string(),
      familyName: z.string(),
      received: z.number().int(),
      resolved: z.number().int(),
      onTimeRate: rate,
    }),
  ),
  byMonth: z.array(
    z.object({
      /** YYYY-MM in China time (UTC+8) */
      month: z.string(),
      received: z.number().int(),
      resolved: z.number().int(),
      onTimeRate: rate,
    }),
  ),
  /** Streets (街道); cases in sensitive categories are not counted here. */
  byArea: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      received: z.number().int(),
      resolved: z.number().int(),
      onTimeRate: rate,
    }),
  ),
  notes: z.array(openDataNoteSchema),
});
export type OpenDataStats = z.infer<typeof openDataStatsSchema>;

export const openDataFeedQuery = z.object({
  days: whole("days", 1, OPEN_DATA_DAYS_MAX, 30),
  /** a category code (theft_fraud.theft) or a family code (theft_fraud) */
  category: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_.]{0,59}$/, "category 应为类别代码 / category must be a category code")
    .optional(),
  status: z
    .enum(["open", "closed"], {
      error: "status 应为 open 或 closed / status must be open or closed",
    })
    .optional(),
  limit: whole("limit", 1, OPEN_DATA_FEED_MAX, 1000),
});
export type OpenDataFeedQuery = z.infer<typeof openDataFeedQuery>;

export const openDataFeatureSchema = z.object({
  type: z.literal("Feature"),
  /** [lng, lat] of the centre of the ~100 m cell the case lies in */
  geometry: z.object({ type: z.literal("Point"), coordinates: z.tuple([z.number(), z.number()]) }),
  properties: z.object({
    /** the case code (SJ…) */
    id: z.string(),
    category: z.string(),
    categoryName: z.string(),
    /** closed: resolved, closed or withdrawn (as Open311 says it) */
    status: z.enum(["open", "closed"]),
    requestedAt: z.string(),
    updatedAt: z.string(),
    /** the lead department, or null while none holds the case */
    agency: z.string().nullable(),
  }),
});
export type OpenDataFeature = z.infer<typeof openDataFeatureSchema>;

export const openDataFeedSchema = z.object({
  type: z.literal("FeatureCollection"),
  features: z.array(openDataFeatureSchema),
});
export type OpenDataFeed = z.infer<typeof openDataFeedSchema>;
