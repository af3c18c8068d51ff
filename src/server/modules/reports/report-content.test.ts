/** Periods, overview lines and highlights of district reports: pure rules, no database. */
import { describe, expect, it } from "vitest";
import {
  isoWeekOf,
  lastCompletePeriod,
  periodLabel,
  periodOf,
  periodRange,
  previousPeriod,
} from "../../../shared/report-periods.js";
import type { KpiFigures } from "../../../shared/schemas/coordination.js";
import { createReportBody, reportQuerySchema } from "../../../shared/schemas/reports.js";
import {
  highlightsOf,
  kpiLines,
  largestFamilyRise,
  MIN_RESOLVED_FOR_RANKING,
  worstOnTimeDepartment,
} from "./report-content.js";

describe("report periods (China-local Monday–Sunday weeks, calendar months)", () => {
  it("names ISO weeks, across the turn of the year too", () => {
    expect(isoWeekOf("2026-11-23")).toBe("2026-W48"); // a Monday
    expect(isoWeekOf("2026-11-29")).toBe("2026-W48"); // the Sunday after
    expect(isoWeekOf("2026-11-30")).toBe("2026-W49");
    // 2026 begins on a Thursday: it has 53 weeks, and 1 January 2027 is still in its last.
    expect(isoWeekOf("2026-12-31")).toBe("2026-W53");
    expect(isoWeekOf("2027-01-01")).toBe("2026-W53");
    expect(isoWeekOf("2027-01-04")).toBe("2027-W01");
    // 2024-12-30 (a Monday) opens week 1 of 2025.
    expect(isoWeekOf("2024-12-30")).toBe("2025-W01");
  });

  it("gives each period its first and last day, and refuses names that are none", () => {
    expect(periodRange("weekly", "2026-W48")).toEqual({ from: "2026-11-23", to: "2026-11-29" });
    expect(periodRange("weekly", "2026-W53")).toEqual({ from: "2026-12-28", to: "2027-01-03" });
    expect(periodRange("weekly", "2025-W53")).toBeNull(); // 2025 has 52 weeks
    expect(periodRange("weekly", "2026-W00")).toBeNull();
    expect(periodRange("weekly", "2026-11")).toBeNull();
    expect(periodRange("monthly", "2026-02")).toEqual({ from: "2026-02-01", to: "2026-02-28" });
    expect(periodRange("monthly", "2028-02")).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(periodRange("monthly", "2026-13")).toBeNull();
    expect(periodRange("monthly", "2026-W48")).toBeNull();
  });

  it("steps back a period and finds the last one that ended", () => {
    expect(previousPeriod("weekly", "2027-W01")).toBe("2026-W53");
    expect(previousPeriod("monthly", "2026-01")).toBe("2025-12");
    // On Monday 30 November the week of the 23rd has ended; on Sunday the 29th it has not.
    expect(lastCompletePeriod("weekly", "2026-11-30")).toBe("2026-W48");
    expect(lastCompletePeriod("weekly", "2026-11-29")).toBe("2026-W47");
    expect(lastCompletePeriod("monthly", "2026-12-01")).toBe("2026-11");
    expect(lastCompletePeriod("monthly", "2026-11-30")).toBe("2026-10");
    expect(periodOf("monthly", "2026-11-30")).toBe("2026-11");
  });

  it("labels periods the way the district says them", () => {
    expect(periodLabel("weekly", "2026-W48")).toBe("2026年第48周（11月23日—11月29日）");
    expect(periodLabel("monthly", "2026-03")).toBe("2026年3月");
  });

  it("checks the period against the kind in the shared schemas", () => {
    expect(reportQuerySchema.safeParse({ kind: "weekly", period: "2026-W48" }).success).toBe(true);
    const wrong = reportQuerySchema.safeParse({ kind: "monthly", period: "2026-W48" });
    expect(wrong.success).toBe(false);
    expect(JSON.stringify(wrong.error?.issues)).toContain("YYYY-MM");
    expect(createReportBody.safeParse({ kind: "weekly", extra: 1 }).success).toBe(false);
    expect(reportQuerySchema.parse({}).kind).toBe("weekly");
  });
});

const figures = (f: Partial<KpiFigures>): KpiFigures => ({
  received: 0,
  dispatched: 0,
  accepted: 0,
  resolved: 0,
  closed: 0,
  reopened: 0,
  returned: 0,
  reassigned: 0,
  supervised: 0,
  escalated: 0,
  withdrawn: 0,
  acceptOnTimeRate: null,
  resolveOnTimeRate: null,
  avgHandlingHours: null,
  satisfaction: null,
  satisfiedRate: null,
  reopenRate: null,
  rated: 0,
  multiSubjectRate: null,
  multiKindRate: null,
  bounced: 0,
  avgAcceptHours: null,
  repeated: 0,
  repeatRate: null,
  ...f,
});

describe("overview lines", () => {
  it("compares each figure with the period before: counts in %, rates in points, none without data", () => {
    const lines = kpiLines(
      figures({ received: 120, resolveOnTimeRate: 0.85, satisfaction: 4.2 }),
      figures({ received: 100, resolveOnTimeRate: 0.9, satisfaction: null }),
    );
    const by = Object.fromEntries(lines.map((l) => [l.key, l]));
    expect(by.received).toMatchObject({ value: 120, previous: 100, change: 20, changeRate: 0.2 });
    expect(by.resolveOnTimeRate?.change).toBeCloseTo(-0.05, 6);
    expect(by.resolveOnTimeRate?.changeRate).toBeNull();
    expect(by.satisfaction).toMatchObject({ value: 4.2, previous: null, change: null });
    // Nothing before: no rate of change to speak of.
    expect(kpiLines(figures({ received: 5 }), figures({}))[0]?.changeRate).toBeNull();
  });
});

describe("highlights", () => {
  const family = (key: string, received: number, previous: number) => ({
    key,
    label: key,
    received,
    previous,
  });

  it("finds the family that rose most: whole months absolutely, a week by daily averages", () => {
    const items = [family("治安", 40, 30), family("消防", 12, 2), family("纠纷", 5, 9)];
    expect(largestFamilyRise(items, "months", { current: 30, previous: 31 })?.row.key).toBe("治安");
    // 40 in 29 days against 30 in 31 days is +0.41 a day; 12 against 2 is +0.35.
    const daily = largestFamilyRise(items, "daily", { current: 29, previous: 31 });
    expect(daily?.row.key).toBe("治安");
    // A family that fell is never the largest rise, however big it is.
    expect(
      largestFamilyRise([family("消防", 12, 2), family("治安", 3, 30)], "daily", {
        current: 8,
        previous: 31,
      })?.row.key,
    ).toBe("消防");
    expect(
      largestFamilyRise([family("纠纷", 5, 9)], "months", { current: 30, previous: 30 }),
    ).toBeNull();
  });

  it("names the slowest department only with enough resolved cases to judge", () => {
    const worst = worstOnTimeDepartment([
      { name: "甲派出所", resolved: MIN_RESOLVED_FOR_RANKING - 1, resolveOnTimeRate: 0.1 },
      { name: "乙执法中队", resolved: 10, resolveOnTimeRate: 0.6 },
      { name: "丙市场监管分局", resolved: 8, resolveOnTimeRate: 0.75 },
      { name: "丁司法所", resolved: 4, resolveOnTimeRate: null },
    ]);
    expect(worst).toEqual({ name: "乙执法中队", rate: 0.6, resolved: 10 });
    expect(worstOnTimeDepartment([])).toBeNull();
  });

  it("words the period's story in Chinese sentences", () => {
    const kpis = kpiLines(
      figures({ received: 120, resolved: 90, resolveOnTimeRate: 0.8, multiSubjectRate: 0.25 }),
      figures({ received: 100, resolveOnTimeRate: 0.85 }),
    );
    const text = highlightsOf({
      kind: "weekly",
      kpis,
      now: { open: 30, overdue: 4 },
      supervision: { overdue: 4, supervised: 2, escalated: 1, returned: 3, reopened: 0 },
      areas: {
        level: "street",
        items: [
          {
            areaId: "1",
            code: "a",
            name: "狮山街道",
            received: 70,
            resolveOnTimeRate: 0.8,
            open: 10,
            overdue: 2,
          },
          {
            areaId: "2",
            code: "b",
            name: "枫桥街道",
            received: 50,
            resolveOnTimeRate: 0.8,
            open: 20,
            overdue: 2,
          },
        ],
      },
      families: {
        from: "2026-11-01",
        to: "2026-11-29",
        basis: "daily",
        previousFrom: "2026-10-01",
        previousTo: "2026-10-31",
        items: [
          { ...family("消防安全", 30, 10), resolved: 20, resolveOnTimeRate: 0.9 },
          { ...family("矛盾纠纷", 10, 20), resolved: 5, resolveOnTimeRate: 0.5 },
        ],
      },
      scorecards: {
        from: "2026-11-01",
        to: "2026-11-29",
        total: 2,
        top: [
          {
            rank: 1,
            departmentId: "9",
            name: "狮山派出所",
            score: 91.24,
            dispatched: 40,
            resolved: 35,
            acceptOnTimeRate: 1,
            resolveOnTimeRate: 0.95,
            satisfiedRate: 0.9,
            returned: 0,
            open: 3,
            overdue: 0,
          },
        ],
        bottom: [],
      },
      collaboration: {
        from: "2026-11-01",
        to: "2026-11-29",
        multiSubjectRate: 0.25,
        multiKindRate: 0.1,
        bounced: 2,
        avgAcceptHours: 1.5,
        tasksAssigned: 5,
        tasksDone: 4,
        pairs: [],
      },
      familyDays: { current: 29, previous: 31 },
      worstOnTime: { name: "枫桥执法中队", rate: 0.55, resolved: 9 },
    });
    expect(text[0]).toBe(
      "本周共受理事件 120 件，较上周增加 20 件（+20.0%）；办结 90 件，按时办结率 80.0%（下降 5.0 个百分点）。",
    );
    expect(text[1]).toContain("消防安全类事件增幅最大：按日均计");
    expect(text).toContain(
      "按时办结率最低的部门是枫桥执法中队（55.0%，办结 9 件），建议重点督促。",
    );
    expect(text).toContain("部门考核得分最高的是狮山派出所（91.2 分）。");
    expect(text).toContain("受理量最多的街道是狮山街道（70 件）。");
    expect(text).toContain("目前仍有 4 件事件超期未办结；本周督办 2 件、升级 1 件。");
    expect(text.at(-1)).toBe(
      "结案事件中 25.0% 由两个及以上主体共同办理；在部门间反复退回的事件 2 件。",
    );
  });

  it("says so when nothing was received", () => {
    const text = highlightsOf({
      kind: "monthly",
      kpis: kpiLines(figures({}), figures({ received: 3 })),
      now: { open: 0, overdue: 0 },
      supervision: { overdue: 0, supervised: 0, escalated: 0, returned: 0, reopened: 0 },
      areas: { level: "community", items: [] },
      families: {
        from: "2026-11-01",
        to: "2026-11-30",
        basis: "months",
        previousFrom: "2026-10-01",
        previousTo: "2026-10-31",
        items: [],
      },
      scorecards: { from: "", to: "", total: 0, top: [], bottom: [] },
      collaboration: {
        from: "",
        to: "",
        multiSubjectRate: null,
        multiKindRate: null,
        bounced: 0,
        avgAcceptHours: null,
        tasksAssigned: 0,
        tasksDone: 0,
        pairs: [],
      },
      familyDays: { current: 30, previous: 31 },
      worstOnTime: null,
    });
    expect(text).toEqual(["本月没有受理事件（上月 3 件）。"]);
  });
});
