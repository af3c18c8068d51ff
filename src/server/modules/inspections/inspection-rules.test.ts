import { describe, expect, it } from "vitest";
import {
  addDays,
  frequencyOfPeriod,
  hazardDeadline,
  isLate,
  isOverdue,
  localDay,
  periodEnd,
  periodOf,
  periodStart,
  shiftPeriod,
  startOfLocalDay,
  templateApplies,
} from "./inspection-rules.js";

describe("inspection periods", () => {
  it("names the month or quarter a day falls in", () => {
    expect(periodOf("2026-11-29", "monthly")).toBe("2026-11");
    expect(periodOf("2026-11-29", "quarterly")).toBe("2026-Q4");
    expect(periodOf("2026-01-01", "quarterly")).toBe("2026-Q1");
    expect(periodOf("2026-03-31", "quarterly")).toBe("2026-Q1");
    expect(periodOf("2026-04-01", "quarterly")).toBe("2026-Q2");
  });

  it("is due on the last day of the period, leap years included", () => {
    expect(periodEnd("2026-11")).toBe("2026-11-30");
    expect(periodEnd("2026-12")).toBe("2026-12-31");
    expect(periodEnd("2028-02")).toBe("2028-02-29");
    expect(periodEnd("2026-02")).toBe("2026-02-28");
    expect(periodEnd("2026-Q4")).toBe("2026-12-31");
    expect(periodEnd("2026-Q1")).toBe("2026-03-31");
    expect(periodEnd("2026-Q3")).toBe("2026-09-30");
    expect(periodStart("2026-Q3")).toBe("2026-07-01");
    expect(periodStart("2026-07")).toBe("2026-07-01");
  });

  it("steps back and forth across years", () => {
    expect(shiftPeriod("2026-01", 1)).toBe("2025-12");
    expect(shiftPeriod("2026-11", 11)).toBe("2025-12");
    expect(shiftPeriod("2026-12", -1)).toBe("2027-01");
    expect(shiftPeriod("2026-Q1", 1)).toBe("2025-Q4");
    expect(shiftPeriod("2026-Q4", 3)).toBe("2026-Q1");
    expect(shiftPeriod("2026-Q4", -1)).toBe("2027-Q1");
    expect(frequencyOfPeriod("2026-Q2")).toBe("quarterly");
    expect(frequencyOfPeriod("2026-02")).toBe("monthly");
  });

  it("refuses what is not a period", () => {
    expect(() => periodEnd("2026-13")).toThrow(RangeError);
    expect(() => periodEnd("2026-Q5")).toThrow(RangeError);
  });
});

describe("days in China time", () => {
  it("counts the day from UTC+8", () => {
    expect(localDay(new Date("2026-11-30T15:59:59Z"))).toBe("2026-11-30");
    expect(localDay(new Date("2026-11-30T16:00:00Z"))).toBe("2026-12-01");
    expect(startOfLocalDay("2026-12-01").toISOString()).toBe("2026-11-30T16:00:00.000Z");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
  });

  it("is late only after the due day has ended there", () => {
    expect(isLate(new Date("2026-11-30T15:59:00Z"), "2026-11-30")).toBe(false);
    expect(isLate(new Date("2026-11-30T16:01:00Z"), "2026-11-30")).toBe(true);
  });

  it("is overdue when still due after its day", () => {
    expect(isOverdue("due", "2026-11-30", "2026-12-01")).toBe(true);
    expect(isOverdue("due", "2026-11-30", "2026-11-30")).toBe(false);
    expect(isOverdue("submitted", "2026-11-30", "2026-12-05")).toBe(false);
  });
});

describe("rectification deadlines and applicability", () => {
  it("gives 30 days to a general hazard and 60 to a major one", () => {
    expect(hazardDeadline("2026-11-29", "general")).toBe("2026-12-29");
    expect(hazardDeadline("2026-11-29", "major")).toBe("2027-01-28");
  });

  it("applies a template with no industries to every enterprise", () => {
    expect(templateApplies([], null)).toBe(true);
    expect(templateApplies([], "餐饮")).toBe(true);
    expect(templateApplies(["餐饮"], "餐饮")).toBe(true);
    expect(templateApplies(["餐饮"], "物流仓储")).toBe(false);
    expect(templateApplies(["餐饮"], null)).toBe(false);
  });
});
