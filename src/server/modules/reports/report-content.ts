/**
 * What a district report says, from the coordination centre's figures: the
 * overview lines with their change against the period before, and the
 * highlights — the few sentences a reader takes away (the biggest rise by
 * case family, the department slowest to resolve on time, …). Pure
 * functions over the figures, tested without a database.
 */

import { PERIOD_WORDS, type ReportKind } from "../../../shared/report-periods.js";
import type { KpiFigures } from "../../../shared/schemas/coordination.js";
import type { ReportContent, ReportKpi } from "../../../shared/schemas/reports.js";

/** A department needs this many resolved cases before its on-time rate is called the worst. */
export const MIN_RESOLVED_FOR_RANKING = 3;

const KPI_LINES: { key: keyof KpiFigures; label: string; unit: ReportKpi["unit"] }[] = [
  { key: "received", label: "受理量", unit: "count" },
  { key: "dispatched", label: "派发", unit: "count" },
  { key: "resolved", label: "办结", unit: "count" },
  { key: "closed", label: "结案", unit: "count" },
  { key: "acceptOnTimeRate", label: "按时签收率", unit: "rate" },
  { key: "resolveOnTimeRate", label: "按时办结率", unit: "rate" },
  { key: "avgHandlingHours", label: "平均办理时长(小时)", unit: "hours" },
  { key: "satisfaction", label: "满意度(1-5)", unit: "score" },
  { key: "satisfiedRate", label: "满意率", unit: "rate" },
  { key: "reopenRate", label: "重开率", unit: "rate" },
  { key: "repeatRate", label: "同地重复发生率", unit: "rate" },
  { key: "returned", label: "退回", unit: "count" },
  { key: "supervised", label: "督办", unit: "count" },
  { key: "escalated", label: "升级", unit: "count" },
];

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** The overview lines: each figure now, before, and the change. */
export function kpiLines(current: KpiFigures, previous: KpiFigures): ReportKpi[] {
  return KPI_LINES.map(({ key, label, unit }) => {
    const value = current[key] as number | null;
    const before = previous[key] as number | null;
    const change = value !== null && before !== null ? round(value - before, 4) : null;
    const changeRate =
      unit === "count" && value !== null && before !== null && before > 0
        ? round((value - before) / before, 4)
        : null;
    return { key, label, unit, value, previous: before, change, changeRate };
  });
}

/** 85.3% */
export const pct = (v: number | null) => (v === null ? "—" : `${(v * 100).toFixed(1)}%`);
/** +12.5% / −3.0% */
const signedPct = (v: number) => `${v >= 0 ? "+" : "−"}${Math.abs(v * 100).toFixed(1)}%`;
/** 上升 2.1 个百分点 */
const pointsWord = (d: number) =>
  Math.abs(d) < 0.0005
    ? "持平"
    : `${d > 0 ? "上升" : "下降"} ${Math.abs(d * 100).toFixed(1)} 个百分点`;

export interface FamilyRow {
  key: string;
  label: string;
  received: number;
  previous: number;
}

/**
 * The family whose cases rose most against the comparison window. On a
 * `daily` basis (a week, or a month still running, against whole months)
 * the windows differ in length, so daily averages are compared.
 */
export function largestFamilyRise(
  items: FamilyRow[],
  basis: "months" | "daily",
  days: { current: number; previous: number },
): { row: FamilyRow; rise: number; rate: number | null } | null {
  let best: { row: FamilyRow; rise: number; rate: number | null } | null = null;
  for (const row of items) {
    const now = basis === "daily" ? row.received / days.current : row.received;
    const before = basis === "daily" ? row.previous / days.previous : row.previous;
    const rise = now - before;
    if (rise <= 0) continue;
    const rate = before > 0 ? rise / before : null;
    if (!best || rise > best.rise || (rise === best.rise && row.key < best.row.key))
      best = { row, rise, rate };
  }
  return best;
}

type HighlightInput = Pick<
  ReportContent,
  "kind" | "kpis" | "now" | "supervision" | "areas" | "families" | "scorecards" | "collaboration"
> & {
  /** days in the families' current and comparison windows */
  familyDays: { current: number; previous: number };
  worstOnTime: { name: string; rate: number; resolved: number } | null;
};

const AREA_WORDS: Record<string, string> = {
  street: "街道",
  community: "社区",
  grid: "网格",
};

/** The report's highlights in Chinese sentences, most important first. */
export function highlightsOf(c: HighlightInput): string[] {
  const words = PERIOD_WORDS[c.kind as ReportKind];
  const line = (key: string) => c.kpis.find((k) => k.key === key);
  const received = line("received");
  const resolved = line("resolved");
  const onTime = line("resolveOnTimeRate");
  const out: string[] = [];

  if (!received || (received.value ?? 0) === 0) {
    out.push(
      `${words.current}没有受理事件${(received?.previous ?? 0) > 0 ? `（${words.previous} ${received?.previous} 件）` : ""}。`,
    );
  } else {
    const n = received.value as number;
    const before = received.previous ?? 0;
    const trend =
      before === 0
        ? `${words.previous}没有受理`
        : n === before
          ? `与${words.previous}持平`
          : `较${words.previous}${n > before ? "增加" : "减少"} ${Math.abs(n - before)} 件（${signedPct((n - before) / before)}）`;
    let s = `${words.current}共受理事件 ${n} 件，${trend}；办结 ${resolved?.value ?? 0} 件`;
    if (onTime?.value !== null && onTime?.value !== undefined) {
      s += `，按时办结率 ${pct(onTime.value)}`;
      if (onTime.change !== null) s += `（${pointsWord(onTime.change)}）`;
    }
    out.push(`${s}。`);
  }

  const rise = largestFamilyRise(c.families.items, c.families.basis, c.familyDays);
  if (rise) {
    const basis = c.families.basis === "daily" ? "按日均计，" : "";
    const more =
      c.families.basis === "daily"
        ? `日均多 ${rise.rise.toFixed(1)} 件`
        : `多 ${Math.round(rise.rise)} 件`;
    out.push(
      `从事项大类看，${rise.row.label}类事件增幅最大：${basis}较对比期${more}${rise.rate !== null ? `（${signedPct(rise.rate)}）` : ""}，共 ${rise.row.received} 件。`,
    );
  }

  if (c.worstOnTime)
    out.push(
      `按时办结率最低的部门是${c.worstOnTime.name}（${pct(c.worstOnTime.rate)}，办结 ${c.worstOnTime.resolved} 件），建议重点督促。`,
    );
  const best = c.scorecards.top[0];
  if (best) out.push(`部门考核得分最高的是${best.name}（${best.score.toFixed(1)} 分）。`);

  const busiest = [...c.areas.items].sort(
    (a, b) => b.received - a.received || a.code.localeCompare(b.code),
  )[0];
  if (busiest && busiest.received > 0)
    out.push(
      `受理量最多的${AREA_WORDS[c.areas.level] ?? "区域"}是${busiest.name}（${busiest.received} 件）。`,
    );

  const sv = c.supervision;
  if (sv.overdue + sv.supervised + sv.escalated > 0)
    out.push(
      `目前仍有 ${sv.overdue} 件事件超期未办结；${words.current}督办 ${sv.supervised} 件、升级 ${sv.escalated} 件。`,
    );

  const co = c.collaboration;
  if (co.multiSubjectRate !== null)
    out.push(
      `结案事件中 ${pct(co.multiSubjectRate)} 由两个及以上主体共同办理${co.bounced > 0 ? `；在部门间反复退回的事件 ${co.bounced} 件` : ""}。`,
    );
  return out;
}

/** The department slowest to resolve on time (with enough resolved cases to judge). */
export function worstOnTimeDepartment(
  items: { name: string; resolved: number; resolveOnTimeRate: number | null }[],
): { name: string; rate: number; resolved: number } | null {
  let worst: { name: string; rate: number; resolved: number } | null = null;
  for (const d of items) {
    if (d.resolveOnTimeRate === null || d.resolved < MIN_RESOLVED_FOR_RANKING) continue;
    if (
      !worst ||
      d.resolveOnTimeRate < worst.rate ||
      (d.resolveOnTimeRate === worst.rate && d.resolved > worst.resolved)
    )
      worst = { name: d.name, rate: d.resolveOnTimeRate, resolved: d.resolved };
  }
  return worst;
}
