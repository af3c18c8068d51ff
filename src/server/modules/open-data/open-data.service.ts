/**
 * Open data (开放数据): public statistics of the district's cases and a
 * GeoJSON feed of public cases, for anyone, without an account.
 *
 * What may be published follows src/shared/public-case.ts: no text, no
 * address and nothing of the reporter ever; points snapped to ~100 m cells;
 * cases in sensitive categories never on the map, and counted in the
 * statistics only where a small local number cannot point at a person (not
 * by street). Merged duplicates count nowhere.
 *
 * The statistics aggregate millions of cases, so the cases are read at most
 * once per TTL on each server (for the longest period; shorter ones are cut
 * from it), served stale while a refresh runs, and leave as a ready-made
 * body with an ETag.
 */
import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import { chinaDatetime } from "../../../shared/dates.js";
import {
  coarsenPoint,
  PUBLIC_CLOSED_STATUSES,
  PUBLIC_OPEN_STATUSES,
  publicStatus,
} from "../../../shared/public-case.js";
import {
  OPEN_DATA_MONTHS_MAX,
  type OpenDataFeature,
  type OpenDataFeedQuery,
  type OpenDataNote,
  type OpenDataStats,
} from "../../../shared/schemas/open-data.js";
import type { DB } from "../../db/schema.js";
import { validation } from "../../errors.js";
import * as repo from "./open-data.repository.js";
import { RefreshingCache } from "./refreshing-cache.js";

export const DEFAULT_STATS_TTL_MS = 10 * 60_000;
export const DEFAULT_FEED_TTL_MS = 60_000;

export interface OpenDataDeps {
  db: Kysely<DB>;
  /** How long statistics are served before a refresh (default 10 minutes). */
  statsTtlMs?: number;
  /** How long one feed query's answer is served before a refresh (default 1 minute). */
  feedTtlMs?: number;
  /** The clock, for tests. */
  now?: () => number;
  /** Told of a background refresh that failed (the previous answer stays). */
  onRefreshError?: (err: unknown, key: string) => void;
}

/** A response ready to send: the JSON text and its entity tag. */
export interface Published {
  body: string;
  etag: string;
  computedAt: number;
}

const CST_OFFSET_MS = 8 * 3600_000;

/** 2026-01-05T08:15:30+08:00: the instant in China time, whole seconds. */
/** Instants as people read them here: China time with its offset. */
export const chinaIso = chinaDatetime;

/**
 * The months of a period of `months` ending with the current one, in China
 * time: their labels (YYYY-MM) and `bounds`, the instant each month starts
 * followed by the start of the next month after the last.
 */
export function periodOf(months: number, now: Date): { labels: string[]; bounds: Date[] } {
  const local = new Date(now.getTime() + CST_OFFSET_MS);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth();
  const labels: string[] = [];
  const bounds: Date[] = [];
  for (let i = months - 1; i >= -1; i--) {
    const start = Date.UTC(y, m - i, 1);
    bounds.push(new Date(start - CST_OFFSET_MS));
    if (i >= 0) labels.push(new Date(start).toISOString().slice(0, 7));
  }
  return { labels, bounds };
}

/** done ÷ measured to four decimals; null when nothing was measured. */
export function rateOf(done: number, measured: number): number | null {
  return measured === 0 ? null : Math.round((done / measured) * 10_000) / 10_000;
}

class Tally {
  received = 0;
  resolved = 0;
  open = 0;
  resolveTimed = 0;
  resolveOnTime = 0;
  acceptTimed = 0;
  acceptOnTime = 0;

  addReceived(r: repo.StatsRow) {
    this.received += r.cases;
    this.open += r.open;
    this.acceptTimed += r.accept_timed;
    this.acceptOnTime += r.accept_on_time;
  }

  addResolved(r: repo.StatsRow) {
    this.resolved += r.cases;
    this.resolveTimed += r.resolve_timed;
    this.resolveOnTime += r.resolve_on_time;
  }

  get onTimeRate() {
    return rateOf(this.resolveOnTime, this.resolveTimed);
  }
}

function tallyIn<K>(map: Map<K, Tally>, key: K): Tally {
  let t = map.get(key);
  if (!t) {
    t = new Tally();
    map.set(key, t);
  }
  return t;
}

function notes(statsTtlMs: number): OpenDataNote[] {
  const minutes = Math.max(1, Math.round(statsTtlMs / 60_000));
  return [
    {
      code: "no_personal_data",
      zh: "本数据不含任何个人信息：没有事件描述、地址，也没有上报人的任何信息。",
      en: "No personal data: no case descriptions, no addresses and nothing about who reported.",
    },
    {
      code: "sensitive_not_by_area",
      zh: "涉及个人隐私的敏感类别（如家庭暴力、涉毒涉赌线索、困难群体求助）计入总数、分类和月度统计，但不计入街道统计，以免小范围的数字指向具体的人。",
      en: "Cases in sensitive categories (domestic violence, drug and gambling tips, vulnerable people) count in the totals, by category and by month, but not by street, so that small local numbers cannot point at a person.",
    },
    {
      code: "merged_excluded",
      zh: "合并到其他事件的重复上报不计入任何数字。",
      en: "Duplicate reports merged into another case are not counted anywhere.",
    },
    {
      code: "definitions",
      zh: "受理数按上报时间计；办结数为期间内办结或结案、且未重新办理的事件；在办数为期间内受理、目前仍在办理的事件。",
      en: "Received counts cases by when they were reported; resolved counts cases resolved or closed in the period and not reopened since; open counts cases received in the period that are still being handled.",
    },
    {
      code: "on_time_rate",
      zh: "按期办结率：期间内办结的事件中，在办结期限（含批准的延期和等待群众答复的暂停）之前办结的比例；按期签收率：期间内受理并已签收的事件中，在签收期限之前签收的比例。没有可计算的事件时为空。",
      en: "On-time rate: of the cases resolved in the period, the share resolved by their resolve deadline (including granted extensions and time waiting for the reporter). Accept on-time rate: of the cases received in the period and accepted, the share accepted by their accept deadline. Empty when there is nothing to measure.",
    },
    {
      code: "china_time",
      zh: "月份按北京时间（UTC+8）划分，统计期从最早月份的第一天起至生成时间止。",
      en: "Months are in China Standard Time (UTC+8); the period runs from the first day of its earliest month to the time of generation.",
    },
    {
      code: "refresh",
      zh: `统计约每 ${minutes} 分钟更新一次。`,
      en: `The figures are refreshed about every ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    },
  ];
}

interface Reference {
  categories: Map<string, repo.CategoryRow>;
  streets: { code: string; name: string }[];
}

/** The statistics from the grouped rows: pure, so it is tested without a database. */
export function buildStats(
  rows: readonly repo.StatsRow[],
  ref: Reference,
  period: { labels: string[]; bounds: Date[] },
  generatedAt: Date,
  statsTtlMs = DEFAULT_STATS_TTL_MS,
): OpenDataStats {
  const n = period.labels.length;
  const inPeriod = (bucket: number) => bucket >= 1 && bucket <= n;
  const total = new Tally();
  const byCategory = new Map<string, Tally>();
  const byMonth = new Map<number, Tally>();
  const byStreet = new Map<string, Tally>();
  for (const r of rows) {
    const sensitive = ref.categories.get(r.category)?.sensitive ?? true;
    const received = inPeriod(r.received_bucket);
    const resolved = inPeriod(r.resolved_bucket);
    const targets = [total, tallyIn(byCategory, r.category)];
    if (!sensitive && r.street) targets.push(tallyIn(byStreet, r.street));
    for (const t of targets) {
      if (received) t.addReceived(r);
      if (resolved) t.addResolved(r);
    }
    if (received) tallyIn(byMonth, r.received_bucket).addReceived(r);
    if (resolved) tallyIn(byMonth, r.resolved_bucket).addResolved(r);
  }

  const categoryItems: OpenDataStats["byCategory"] = [];
  for (const c of ref.categories.values()) {
    const t = byCategory.get(c.code);
    if (!t || (t.received === 0 && t.resolved === 0)) continue;
    const family = c.parent_code ?? c.code;
    categoryItems.push({
      code: c.code,
      name: c.name,
      family,
      familyName: ref.categories.get(family)?.name ?? family,
      received: t.received,
      resolved: t.resolved,
      onTimeRate: t.onTimeRate,
    });
  }

  return {
    generatedAt: generatedAt.toISOString(),
    period: {
      from: chinaIso(period.bounds[0] as Date),
      to: chinaIso(generatedAt),
      months: n,
    },
    totals: {
      received: total.received,
      resolved: total.resolved,
      open: total.open,
      onTimeRate: total.onTimeRate,
      acceptOnTimeRate: rateOf(total.acceptOnTime, total.acceptTimed),
    },
    byCategory: categoryItems,
    byMonth: period.labels.map((month, i) => {
      const t = byMonth.get(i + 1) ?? new Tally();
      return { month, received: t.received, resolved: t.resolved, onTimeRate: t.onTimeRate };
    }),
    byArea: ref.streets.map((s) => {
      const t = byStreet.get(s.code) ?? new Tally();
      return {
        code: s.code,
        name: s.name,
        received: t.received,
        resolved: t.resolved,
        onTimeRate: t.onTimeRate,
      };
    }),
    notes: notes(statsTtlMs),
  };
}

/** A feed row as a GeoJSON feature: the case code, its category, open or closed, a cell centre. */
export function toFeature(
  r: repo.FeedRow,
  categories: Map<string, repo.CategoryRow>,
): OpenDataFeature {
  const p = coarsenPoint(r.lat, r.lng);
  return {
    type: "Feature",
    geometry: { type: "Point", coordinates: [p.lng, p.lat] },
    properties: {
      id: r.code,
      category: r.category_code,
      categoryName: categories.get(r.category_code)?.name ?? r.category_code,
      status: publicStatus(r.status),
      requestedAt: chinaIso(new Date(r.created_at)),
      updatedAt: chinaIso(new Date(r.updated_at)),
      agency: r.agency,
    },
  };
}

function publish(value: unknown, computedAt: number): Published {
  const body = JSON.stringify(value);
  const etag = `"${createHash("sha1").update(body).digest("base64url")}"`;
  return { body, etag, computedAt };
}

/** Open data with its caches; one per app. */
export class OpenData {
  /** The grouped rows of the longest period: every shorter one is a part of it. */
  private readonly rows: RefreshingCache<{ rows: repo.StatsRow[]; ref: Reference; at: Date }>;
  /** The published statistics per number of months, for the rows computed at `at`. */
  private readonly published = new Map<number, { at: number; value: Published }>();
  private readonly feeds: RefreshingCache<Published>;
  private readonly reference: RefreshingCache<Reference>;
  private readonly now: () => number;
  private readonly statsTtlMs: number;

  constructor(private readonly deps: OpenDataDeps) {
    this.now = deps.now ?? Date.now;
    this.statsTtlMs = deps.statsTtlMs ?? DEFAULT_STATS_TTL_MS;
    const common = {
      now: this.now,
      ...(deps.onRefreshError ? { onRefreshError: deps.onRefreshError } : {}),
    };
    this.rows = new RefreshingCache({ ...common, ttlMs: this.statsTtlMs, maxEntries: 1 });
    this.feeds = new RefreshingCache({
      ...common,
      ttlMs: deps.feedTtlMs ?? DEFAULT_FEED_TTL_MS,
      maxEntries: 200,
    });
    this.reference = new RefreshingCache({ ...common, ttlMs: this.statsTtlMs, maxEntries: 1 });
  }

  private async ref(): Promise<Reference> {
    return (
      await this.reference.get("ref", async () => {
        const [categories, streets] = await Promise.all([
          repo.categories(this.deps.db),
          repo.streets(this.deps.db),
        ]);
        return { categories: new Map(categories.map((c) => [c.code, c])), streets };
      })
    ).value;
  }

  /**
   * The statistics of the last `months` months. One grouped pass over the
   * longest period (cached, refreshed behind) serves every shorter one: a
   * period of fewer months is the last of its month buckets. So however the
   * public varies `months`, the cases are read at most once per TTL.
   */
  async statistics(months: number): Promise<Published> {
    const entry = await this.rows.get("rows", async () => {
      const at = new Date(this.now());
      // One after the other: the rows are read in a transaction, which on PGlite
      // (one connection) any other statement would only wait for.
      const ref = await this.ref();
      const rows = await repo.statsRows(this.deps.db, periodOf(OPEN_DATA_MONTHS_MAX, at).bounds);
      return { rows, ref, at };
    });
    const held = this.published.get(months);
    if (held && held.at === entry.computedAt) return held.value;
    const { rows, ref, at } = entry.value;
    const full = periodOf(OPEN_DATA_MONTHS_MAX, at);
    const skip = OPEN_DATA_MONTHS_MAX - months;
    const period = { labels: full.labels.slice(skip), bounds: full.bounds.slice(skip) };
    const shifted = skip
      ? rows.map((r) => ({
          ...r,
          received_bucket: r.received_bucket - skip,
          resolved_bucket: r.resolved_bucket - skip,
        }))
      : rows;
    const value = publish(buildStats(shifted, ref, period, at, this.statsTtlMs), at.getTime());
    this.published.set(months, { at: entry.computedAt, value });
    return value;
  }

  /**
   * The public cases of the feed: a category names a leaf or a whole family
   * (an unknown one is refused); sensitive categories are never included,
   * asked for or not.
   */
  async feed(q: OpenDataFeedQuery): Promise<Published> {
    const ref = await this.ref();
    const codes = [...ref.categories.values()]
      .filter((c) => c.parent_code !== null && !c.sensitive)
      .filter(
        (c) => q.category === undefined || c.code === q.category || c.parent_code === q.category,
      )
      .map((c) => c.code);
    if (q.category !== undefined && !ref.categories.has(q.category))
      throw validation(`未知的事件类别 / unknown category: ${q.category}`, [
        { path: "querystring.category", message: "未知的事件类别 / unknown category" },
      ]);
    const key = JSON.stringify([q.days, q.category ?? null, q.status ?? null, q.limit]);
    const entry = await this.feeds.get(key, async () => {
      const now = this.now();
      const rows = await repo.feedRows(this.deps.db, {
        since: new Date(now - q.days * 86_400_000),
        categoryCodes: codes,
        statuses:
          q.status === "open"
            ? PUBLIC_OPEN_STATUSES
            : q.status === "closed"
              ? PUBLIC_CLOSED_STATUSES
              : undefined,
        limit: q.limit,
      });
      return publish(
        {
          type: "FeatureCollection",
          features: rows.map((r) => toFeature(r, ref.categories)),
        },
        now,
      );
    });
    return entry.value;
  }
}
