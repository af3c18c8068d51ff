import { describe, expect, it } from "vitest";
import {
  monthsBetween,
  periodOf,
  periodProblem,
  shiftPeriod,
  WARNING_THRESHOLDS,
} from "../../../shared/schemas/enterprise-risk.js";
import {
  crossesIntoAction,
  declaredLate,
  formatYuan,
  levelOf,
  type PayrollMonth,
  preventiveCaseDescription,
  type RatingInputs,
  ratingOf,
  scoreRating,
  scoreWarning,
  type WarningInputs,
} from "./risk-scoring.js";

const month = (period: string, due: number, paid: number, o: Partial<PayrollMonth> = {}) => ({
  period,
  amountDue: due,
  amountPaid: paid,
  paidOnTime: paid === due,
  headcountPaid: 20,
  declaredOn: `${period}-12`,
  ...o,
});

const quiet: WarningInputs = {
  currentPeriod: "2026-11",
  firstPeriod: "2025-01",
  payroll: [
    month("2026-08", 100_000, 100_000),
    month("2026-09", 100_000, 100_000),
    month("2026-10", 100_000, 100_000),
    month("2026-11", 100_000, 100_000),
  ],
  labourCases: [],
  overdueHazards: { general: 0, major: 0 },
};

const points = (r: ReturnType<typeof scoreWarning>, code: string) =>
  r.signals.find((s) => s.code === code)?.points;

describe("periods", () => {
  it("shifts across years and measures months", () => {
    expect(shiftPeriod("2026-01", -1)).toBe("2025-12");
    expect(shiftPeriod("2025-12", 13)).toBe("2027-01");
    expect(monthsBetween("2025-11", "2026-11")).toBe(12);
    expect(periodOf(new Date("2026-11-30T17:00:00Z"))).toBe("2026-12"); // 01:00 in China
  });

  it("refuses the future and more than 12 months back", () => {
    const now = new Date("2026-11-29T04:00:00Z");
    expect(periodProblem("2026-11", now)).toBeNull();
    expect(periodProblem("2025-11", now)).toBeNull();
    expect(periodProblem("2026-12", now)).toContain("未来");
    expect(periodProblem("2025-10", now)).toContain("12");
    expect(periodProblem("2026-13", now)).toContain("YYYY-MM");
  });

  it("counts a declaration filed more than 10 days after its month as late", () => {
    expect(declaredLate("2026-10", "2026-11-10")).toBe(false);
    expect(declaredLate("2026-10", "2026-11-11")).toBe(true);
  });
});

describe("wage-arrears warning", () => {
  it("gives 0 to an enterprise that pays on time, in full, and declares", () => {
    const r = scoreWarning(quiet);
    expect(r.score).toBe(0);
    expect(r.level).toBe("none");
    expect(r.signals.map((s) => s.code)).toEqual([
      "arrears",
      "late_payment",
      "missing_declaration",
      "labour_cases",
      "overdue_rectification",
    ]);
    expect(r.signals.reduce((s, x) => s + x.weight, 0)).toBe(100);
  });

  it("scores arrears by the unpaid share of the last 3 months, full at 20%", () => {
    const r = scoreWarning({
      ...quiet,
      payroll: [
        month("2026-08", 100_000, 0), // outside the window
        month("2026-09", 100_000, 100_000),
        month("2026-10", 100_000, 85_000),
        month("2026-11", 100_000, 85_000),
      ],
    });
    // 30,000 of 300,000 = 10% → half of 40
    expect(points(r, "arrears")).toBe(20);
    expect(r.signals[0]?.value).toBeCloseTo(0.1);
    expect(r.signals[0]?.detail.months).toEqual(["2026-10", "2026-11"]);
    expect(r.signals[0]?.text).toContain("30,000.00");
    // both short months were not paid on time
    expect(points(r, "late_payment")).toBe(10);
    expect(r.score).toBe(30);
    expect(r.level).toBe("watch");
  });

  it("caps arrears at its weight", () => {
    const r = scoreWarning({
      ...quiet,
      payroll: [month("2026-11", 100_000, 0)],
      firstPeriod: "2026-11",
    });
    expect(points(r, "arrears")).toBe(40);
  });

  it("counts missing declarations of completed months since the first one, and late filings", () => {
    const r = scoreWarning({
      ...quiet,
      firstPeriod: "2026-09",
      payroll: [month("2026-10", 1, 1, { declaredOn: "2026-11-20" })],
    });
    // 2026-08 is before the first period; 2026-09 missing; 2026-10 filed late; 2026-11 still due
    expect(r.signals[2]?.detail).toEqual({ missing: ["2026-09"], lateFiled: ["2026-10"] });
    expect(points(r, "missing_declaration")).toBe(5 + 2);
  });

  it("adds labour cases and overdue rectifications, each capped", () => {
    const r = scoreWarning({
      ...quiet,
      labourCases: [{ code: "A" }, { code: "B" }, { code: "C" }, { code: "D" }],
      overdueHazards: { general: 1, major: 1 },
    });
    expect(points(r, "labour_cases")).toBe(20);
    expect(points(r, "overdue_rectification")).toBe(10);
    expect(r.score).toBe(30);
  });

  it("maps scores to levels at the thresholds", () => {
    expect(levelOf(WARNING_THRESHOLDS.watch - 1)).toBe("none");
    expect(levelOf(WARNING_THRESHOLDS.watch)).toBe("watch");
    expect(levelOf(WARNING_THRESHOLDS.warning)).toBe("warning");
    expect(levelOf(WARNING_THRESHOLDS.alarm)).toBe("alarm");
    expect(levelOf(100)).toBe("alarm");
  });

  it("acts on rises into warning or alarm only", () => {
    expect(crossesIntoAction("none", "warning")).toBe(true);
    expect(crossesIntoAction("watch", "alarm")).toBe(true);
    expect(crossesIntoAction("warning", "alarm")).toBe(true);
    expect(crossesIntoAction("none", "watch")).toBe(false);
    expect(crossesIntoAction("alarm", "warning")).toBe(false);
    expect(crossesIntoAction("warning", "warning")).toBe(false);
  });

  it("lists the signals that add points in the preventive case's description", () => {
    const r = scoreWarning({
      ...quiet,
      payroll: [month("2026-11", 100_000, 50_000)],
      labourCases: [{ code: "SJ20261101000001" }],
    });
    const d = preventiveCaseDescription("某建筑公司", r.score, r.level, r.signals);
    expect(d).toContain("某建筑公司");
    expect(d).toContain("SJ20261101000001");
    expect(d).not.toContain("无逾期未整改隐患");
    expect(formatYuan(1234567.5)).toBe("1,234,567.50");
  });
});

const clean: RatingInputs = {
  today: "2026-11-29",
  inspections: { onTime: 12, late: 0, missed: 0 },
  hazards: { onTime: 3, late: 0, overdueOpen: 0, overdueMajor: 0 },
  incidents: [],
  tasks: { onTime: 0, late: 0, overdueOpen: 0 },
};

const factor = (r: ReturnType<typeof scoreRating>, code: string) =>
  r.factors.find((f) => f.code === code);

describe("safety credit rating", () => {
  it("rates a clean record A with nothing left to do", () => {
    const r = scoreRating(clean);
    expect(r).toMatchObject({ rating: "A", score: 100, next: null, cappedBy: null });
    expect(r.factors.flatMap((f) => f.improvements)).toEqual([]);
  });

  it("maps scores to grades at the thresholds", () => {
    expect(ratingOf(90)).toBe("A");
    expect(ratingOf(89)).toBe("B");
    expect(ratingOf(75)).toBe("B");
    expect(ratingOf(74)).toBe("C");
    expect(ratingOf(60)).toBe("C");
    expect(ratingOf(59)).toBe("D");
  });

  it("says how many on-time self-inspections reach the next grade", () => {
    // 6 of 12 on time: 15 of 30 points → 85, B; A needs 5 more points
    const r = scoreRating({ ...clean, inspections: { onTime: 6, late: 4, missed: 2 } });
    expect(r.rating).toBe("B");
    expect(r.next).toEqual({ rating: "A", pointsNeeded: 5 });
    const imp = factor(r, "inspections")?.improvements ?? [];
    const onTime = imp.find((i) => i.code === "inspectionsOnTime");
    // (6+k)/(12+k)·30 ≥ 20 first at k = 6
    expect(onTime?.params).toEqual({ count: 6, reaches: "A" });
    expect(onTime?.gain).toBeGreaterThanOrEqual(5);
    expect(onTime?.text).toContain("按期完成接下来的 6 次自查");
    expect(imp.find((i) => i.code === "inspectionsMissed")?.params.count).toBe(2);
  });

  it("penalises overdue hazards and caps the grade at C while a major one is open", () => {
    const r = scoreRating({
      ...clean,
      hazards: { onTime: 3, late: 0, overdueOpen: 1, overdueMajor: 1 },
    });
    // 3 of 4 on time = 23 (rounded 22.5) − 5 = 17 or 18; points alone would be B
    expect(factor(r, "hazards")?.points).toBe(Math.round(22.5) - 5);
    expect(r.rating).toBe("C");
    expect(r.cappedBy).toContain("重大隐患");
    const fix = factor(r, "hazards")?.improvements[0];
    expect(fix?.code).toBe("hazardsOverdue");
    expect(fix?.params.liftsCap).toBe(1);
    expect(fix?.gain).toBe(5);
  });

  it("lets incidents age out after 12 months, naming the day", () => {
    const r = scoreRating({ ...clean, incidents: ["2026-02-10", "2026-05-01", "2026-08-01"] });
    // 20 − 15 = 5 → 85 (B); one ageing out gives +5 → A
    expect(r.rating).toBe("B");
    const imp = factor(r, "incidents")?.improvements[0];
    expect(imp?.params).toEqual({ count: 1, date: "2027-02-10", reaches: "A" });
  });

  it("counts cooperation on cases, with overdue tasks as a penalty", () => {
    const r = scoreRating({ ...clean, tasks: { onTime: 1, late: 1, overdueOpen: 2 } });
    // 1 of 4 on time = 5, minus 2 × 4 → 0
    expect(factor(r, "cooperation")?.points).toBe(0);
    const done = factor(r, "cooperation")?.improvements.find((i) => i.code === "tasksOverdue");
    // completing both late: 1 of 4 on time = 5 points
    expect(done?.gain).toBe(5);
  });

  it("keeps every factor within its weight and the score within 0–100", () => {
    const worst = scoreRating({
      today: "2026-11-29",
      inspections: { onTime: 0, late: 5, missed: 7 },
      hazards: { onTime: 0, late: 2, overdueOpen: 9, overdueMajor: 3 },
      incidents: ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01"],
      tasks: { onTime: 0, late: 0, overdueOpen: 4 },
    });
    expect(worst.score).toBe(0);
    expect(worst.rating).toBe("D");
    for (const f of worst.factors) expect(f.points).toBeGreaterThanOrEqual(0);
  });
});
