import { describe, expect, it } from "vitest";
import {
  addWorkingDays,
  addWorkingHours,
  addWorkingMs,
  DEFAULT_CALENDAR,
  isWorkingDay,
  parseCalendar,
  type WorkCalendar,
  workingMsBetween,
} from "./working-time.js";

const HOUR = 3600_000;
const cal = DEFAULT_CALENDAR;

/** "2026-03-02T09:00" read as CST. */
function cst(local: string): Date {
  return new Date(`${local}:00+08:00`);
}
/** An instant as CST "YYYY-MM-DDTHH:MM:SS". */
function fmt(d: Date): string {
  return new Date(d.getTime() + 8 * HOUR).toISOString().slice(0, 19);
}
const hours = (local: string, h: number, c: WorkCalendar = cal) =>
  fmt(addWorkingHours(cst(local), h, c));
const workdaysLater = (local: string, n: number, c: WorkCalendar = cal) =>
  fmt(addWorkingDays(cst(local), n, c));

/** Mon–Fri 09:00–12:00 and 13:30–17:30, no holidays. */
const plainWeek: WorkCalendar = { ...DEFAULT_CALENDAR, holidays: [], workdays: [] };

// 2026-03-02 is a Monday; a working day has 3 h + 4 h = 7 h.

describe("DEFAULT_CALENDAR", () => {
  it("lists 2026 make-up working days that are all weekend days", () => {
    for (const day of cal.workdays) {
      const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sun, 6 = Sat
      expect([0, 6], day).toContain(weekday);
      expect(isWorkingDay(day, cal)).toBe(true);
    }
  });
  it("knows working days, weekends, holidays and make-up days", () => {
    expect(isWorkingDay("2026-03-02", cal)).toBe(true); // Monday
    expect(isWorkingDay("2026-03-07", cal)).toBe(false); // Saturday
    expect(isWorkingDay("2026-03-08", cal)).toBe(false); // Sunday
    expect(isWorkingDay("2026-01-01", cal)).toBe(false); // 元旦, Thursday
    expect(isWorkingDay("2026-01-04", cal)).toBe(true); // Sunday, make-up
    expect(isWorkingDay("2026-02-23", cal)).toBe(false); // 春节, Monday
    expect(isWorkingDay("2026-02-24", cal)).toBe(true); // Tuesday after 春节
    expect(isWorkingDay("2026-10-07", cal)).toBe(false); // 国庆, Wednesday
    expect(isWorkingDay("2026-10-10", cal)).toBe(true); // Saturday, make-up
    expect(() => isWorkingDay("2026-02-30", cal)).toThrow(/YYYY-MM-DD/);
  });
  it("has 248 working days in 2026", () => {
    // 2026 starts on a Thursday: 52 weeks + 1 day → 261 weekdays.
    // Holidays on weekdays: Jan 1–2 (2), Feb 16–20 + 23 (6), Apr 6 (1),
    // May 1, 4, 5 (3), Jun 19 (1), Sep 25 (1), Oct 1, 2, 5, 6, 7 (5) = 19.
    // Make-up days: 6. 261 − 19 + 6 = 248.
    const year = workingMsBetween(cst("2026-01-01T00:00"), cst("2027-01-01T00:00"), cal);
    expect(year).toBe(248 * 7 * HOUR);
    // Received on 2025-12-31: day 248 is Thursday 2026-12-31.
    expect(workdaysLater("2025-12-31T12:00", 248)).toBe("2026-12-31T17:30:00");
  });
});

describe("addWorkingHours", () => {
  it("starts counting at the next period when outside working time", () => {
    expect(hours("2026-03-02T08:00", 1)).toBe("2026-03-02T10:00:00"); // before 09:00
    expect(hours("2026-03-02T12:30", 1)).toBe("2026-03-02T14:30:00"); // at lunch
    expect(hours("2026-03-02T18:00", 1)).toBe("2026-03-03T10:00:00"); // after 17:30
    expect(hours("2026-03-02T17:30", 1)).toBe("2026-03-03T10:00:00"); // exactly at close
  });
  it("counts inside and across periods", () => {
    expect(hours("2026-03-02T10:00", 1)).toBe("2026-03-02T11:00:00");
    // 11:00 → 12:00 is 1 h, then 1 h from 13:30.
    expect(hours("2026-03-02T11:00", 2)).toBe("2026-03-02T14:30:00");
    // Ends exactly at a period end: that end, not the next period's start.
    expect(hours("2026-03-02T09:00", 3)).toBe("2026-03-02T12:00:00");
    expect(hours("2026-03-02T09:00", 7)).toBe("2026-03-02T17:30:00");
    expect(hours("2026-03-02T09:00", 7.5)).toBe("2026-03-03T09:30:00");
  });
  it("goes from Friday evening to Monday", () => {
    // Fri 17:00 → 17:30 is 0.5 h, 1.5 h more on Monday from 09:00.
    expect(hours("2026-03-06T17:00", 2)).toBe("2026-03-09T10:30:00");
    expect(hours("2026-03-06T20:00", 1)).toBe("2026-03-09T10:00:00");
    expect(hours("2026-03-07T11:00", 1)).toBe("2026-03-09T10:00:00"); // Saturday
  });
  it("skips holidays", () => {
    // 清明: Sat Apr 4 – Mon Apr 6 off. Fri 17:00 + 1 h → 0.5 h Fri, 0.5 h Tue.
    expect(hours("2026-04-03T17:00", 1)).toBe("2026-04-07T09:30:00");
    expect(hours("2026-04-06T10:00", 1)).toBe("2026-04-07T10:00:00"); // on the holiday
  });
  it("works on make-up weekend days", () => {
    // Sat 2026-02-14 is a working day: Fri 17:00 + 1 h → Sat 09:30.
    expect(hours("2026-02-13T17:00", 1)).toBe("2026-02-14T09:30:00");
    expect(hours("2026-02-14T10:00", 2.5)).toBe("2026-02-14T14:00:00"); // 10→12, 13:30→14
    // Sun 2026-09-20 is a working day.
    expect(hours("2026-09-19T10:00", 1)).toBe("2026-09-20T10:00:00");
  });
  it("crosses the 2026 Spring Festival", () => {
    // Sat Feb 14 17:00 → 17:30 uses 0.5 h; Feb 15–23 are off; Tue Feb 24 uses
    // 7 h; the last 0.5 h ends Wed Feb 25 09:30.
    expect(hours("2026-02-14T17:00", 8)).toBe("2026-02-25T09:30:00");
  });
  it("accepts fractional hours", () => {
    expect(hours("2026-03-02T09:00", 1.5)).toBe("2026-03-02T10:30:00");
    expect(hours("2026-03-02T09:00", 2.75)).toBe("2026-03-02T11:45:00");
    expect(hours("2026-03-02T09:00", 3.25)).toBe("2026-03-02T13:45:00");
    expect(hours("2026-03-02T09:00", 0.1)).toBe("2026-03-02T09:06:00");
    expect(hours("2026-03-02T09:00", 1 / 3600)).toBe("2026-03-02T09:00:01");
  });
  it("returns the start for zero and rejects bad amounts", () => {
    expect(hours("2026-03-07T20:00", 0)).toBe("2026-03-07T20:00:00");
    expect(() => addWorkingHours(cst("2026-03-02T09:00"), -1, cal)).toThrow(RangeError);
    expect(() => addWorkingHours(cst("2026-03-02T09:00"), Number.NaN, cal)).toThrow(RangeError);
    expect(() => addWorkingHours(new Date(Number.NaN), 1, cal)).toThrow(/invalid Date/);
  });
});

describe("addWorkingDays", () => {
  it("does not count the day of receipt and ends at 17:30", () => {
    expect(workdaysLater("2026-03-02T10:00", 1)).toBe("2026-03-03T17:30:00");
    // Even before opening time the day of receipt does not count.
    expect(workdaysLater("2026-03-02T08:00", 1)).toBe("2026-03-03T17:30:00");
    expect(workdaysLater("2026-03-02T23:59", 1)).toBe("2026-03-03T17:30:00");
    // Tue 3, Wed 4, Thu 5, Fri 6, Mon 9 … Fri 13, Mon 16 = 10th.
    expect(workdaysLater("2026-03-02T10:00", 10)).toBe("2026-03-16T17:30:00");
  });
  it("skips weekends", () => {
    expect(workdaysLater("2026-03-06T16:00", 1)).toBe("2026-03-09T17:30:00"); // Fri → Mon
    expect(workdaysLater("2026-03-06T16:00", 5)).toBe("2026-03-13T17:30:00");
    expect(workdaysLater("2026-03-07T10:00", 1)).toBe("2026-03-09T17:30:00"); // Sat → Mon
  });
  it("uses make-up days and skips holidays", () => {
    // Fri Feb 13: day 1 = Sat Feb 14 (make-up), Feb 15–23 off, day 2 = Tue Feb 24.
    expect(workdaysLater("2026-02-13T10:00", 1)).toBe("2026-02-14T17:30:00");
    expect(workdaysLater("2026-02-13T10:00", 3)).toBe("2026-02-25T17:30:00");
    // Wed Sep 30: Oct 1–7 off; Thu Oct 8 (1), Fri Oct 9 (2), Sat Oct 10 make-up (3).
    expect(workdaysLater("2026-09-30T10:00", 3)).toBe("2026-10-10T17:30:00");
  });
  it("treats 0 days as the same working day", () => {
    expect(workdaysLater("2026-03-02T10:00", 0)).toBe("2026-03-02T17:30:00");
    expect(workdaysLater("2026-03-02T17:30", 0)).toBe("2026-03-03T17:30:00");
    expect(workdaysLater("2026-03-07T10:00", 0)).toBe("2026-03-09T17:30:00");
  });
  it("handles a year of working days quickly", () => {
    // Plain weeks from Mon 2026-03-02: 365 = 73 × 5, so day 365 is the Monday
    // 73 weeks (511 days) later: 2027-03-02 (+365) then +146 → 2027-07-26.
    expect(workdaysLater("2026-03-02T10:00", 365, plainWeek)).toBe("2027-07-26T17:30:00");
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) addWorkingDays(cst("2026-03-02T10:00"), 365, cal);
    for (let i = 0; i < 100; i++) {
      workingMsBetween(cst("2026-01-01T00:00"), cst("2027-01-01T00:00"), cal);
    }
    // Well under 1 ms each in practice; the bound only catches minute loops.
    expect(performance.now() - t0).toBeLessThan(1000);
  });
  it("rejects bad day counts", () => {
    expect(() => addWorkingDays(cst("2026-03-02T10:00"), 1.5, cal)).toThrow(RangeError);
    expect(() => addWorkingDays(cst("2026-03-02T10:00"), -1, cal)).toThrow(RangeError);
  });
});

describe("workingMsBetween", () => {
  it("measures working time only", () => {
    const between = (a: string, b: string) => workingMsBetween(cst(a), cst(b), cal);
    expect(between("2026-03-02T08:00", "2026-03-02T20:00")).toBe(7 * HOUR);
    expect(between("2026-03-02T11:00", "2026-03-02T14:00")).toBe(1.5 * HOUR);
    expect(between("2026-03-02T12:10", "2026-03-02T13:20")).toBe(0); // lunch
    // Fri 17:00 → Mon 10:00: 0.5 h + 1 h.
    expect(between("2026-03-06T17:00", "2026-03-09T10:00")).toBe(1.5 * HOUR);
    // Spring Festival: Sat Feb 14 (7 h, make-up) + Tue Feb 24 (7 h).
    expect(between("2026-02-14T00:00", "2026-02-25T00:00")).toBe(14 * HOUR);
    expect(between("2026-03-02T10:00", "2026-03-02T10:00")).toBe(0);
    expect(between("2026-03-02T11:00", "2026-03-02T10:00")).toBe(0);
  });
  it("refuses spans beyond 20 years", () => {
    expect(() => workingMsBetween(cst("2026-01-01T00:00"), cst("2056-01-01T00:00"), cal)).toThrow(
      /20 years/,
    );
  });
});

describe("workingMsBetween and addWorkingMs are inverse", () => {
  // mulberry32: a small seeded PRNG, so a failure reproduces.
  function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const random = prng(20260214);
  const base = cst("2025-12-20T00:00").getTime();
  const boundaries = ["00:00", "09:00", "12:00", "13:30", "17:30", "23:59"];
  /** Random instants around 2026, often exactly on a period boundary. */
  function randomInstant(): Date {
    const day = Math.floor(random() * 400);
    if (random() < 0.3) {
      const hhmm = boundaries[Math.floor(random() * boundaries.length)] as string;
      const [h, m] = hhmm.split(":").map(Number) as [number, number];
      return new Date(base + day * 86_400_000 + (h * 60 + m) * 60_000);
    }
    return new Date(base + day * 86_400_000 + Math.floor(random() * 86_400_000));
  }

  it("holds for 2000 random starts and durations", () => {
    for (let i = 0; i < 2000; i++) {
      const s = randomInstant();
      // Up to ~40 working days, sometimes a whole number of hours.
      const m =
        random() < 0.3
          ? Math.floor(random() * 300) * HOUR
          : Math.floor(random() * 280 * HOUR) + (random() < 0.1 ? 0 : 1);
      const end = addWorkingMs(s, m, cal);
      expect(end.getTime()).toBeGreaterThanOrEqual(s.getTime());
      expect(workingMsBetween(s, end, cal), `start ${fmt(s)} + ${m} ms`).toBe(m);

      const e = new Date(s.getTime() + Math.floor(random() * 60 * 86_400_000));
      const w = workingMsBetween(s, e, cal);
      const back = addWorkingMs(s, w, cal);
      expect(back.getTime(), `${fmt(s)} → ${fmt(e)}`).toBeLessThanOrEqual(e.getTime());
      // …and it is the earliest such instant: nothing is lost in between.
      expect(workingMsBetween(s, back, cal)).toBe(w);
      // Additivity over a split point.
      const x = new Date(s.getTime() + Math.floor(random() * (e.getTime() - s.getTime() + 1)));
      expect(workingMsBetween(s, x, cal) + workingMsBetween(x, e, cal)).toBe(w);
    }
  });
});

describe("calendars without working time", () => {
  it("throws instead of looping", () => {
    const noHours: WorkCalendar = { ...plainWeek, workingHours: [] };
    expect(() => addWorkingHours(cst("2026-03-02T09:00"), 1, noHours)).toThrow(/no working hours/);
    expect(() =>
      workingMsBetween(cst("2026-03-02T09:00"), cst("2026-03-03T09:00"), noHours),
    ).toThrow(/no working hours/);
    const noDays: WorkCalendar = { ...plainWeek, weekend: [1, 2, 3, 4, 5, 6, 7] };
    expect(() => addWorkingHours(cst("2026-03-02T09:00"), 1, noDays)).toThrow(/20 years/);
    expect(() => addWorkingDays(cst("2026-03-02T09:00"), 1, noDays)).toThrow(/20 years/);
    // Only one make-up day in an otherwise empty calendar still works.
    const oneDay: WorkCalendar = { ...noDays, workdays: ["2030-06-01"] };
    expect(workdaysLater("2026-03-02T09:00", 1, oneDay)).toBe("2030-06-01T17:30:00");
  });
});

describe("parseCalendar", () => {
  const fails = (input: unknown) => {
    try {
      parseCalendar(input);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error("parseCalendar accepted invalid input");
  };

  it("fills omitted fields from the default calendar", () => {
    expect(parseCalendar({})).toEqual(DEFAULT_CALENDAR);
    const c = parseCalendar({ holidays: ["2027-01-01"], weekend: [7] });
    expect(c.holidays).toEqual(["2027-01-01"]);
    expect(c.weekend).toEqual([7]);
    expect(c.workingHours).toEqual(DEFAULT_CALENDAR.workingHours);
    expect(isWorkingDay("2026-03-07", c)).toBe(true); // Saturday now works
    expect(isWorkingDay("2027-01-01", c)).toBe(false);
  });
  it("accepts a full custom calendar", () => {
    const input = {
      workingHours: [{ start: "08:30", end: "24:00" }],
      weekend: [],
      holidays: ["2026-12-25"],
      workdays: [],
    };
    expect(parseCalendar(input)).toEqual(input);
  });
  it("explains what is wrong", () => {
    expect(fails(null)).toMatch(/^Invalid work calendar:/);
    expect(fails([])).toMatch(/^Invalid work calendar:/);
    expect(fails({ workingHours: [{ start: "9:00", end: "12:00" }] })).toMatch(
      /workingHours\.0\.start: .*HH:MM/,
    );
    expect(fails({ workingHours: [{ start: "12:00", end: "09:00" }] })).toMatch(
      /period 1: start 12:00 must be before end 09:00/,
    );
    expect(
      fails({
        workingHours: [
          { start: "09:00", end: "12:00" },
          { start: "11:00", end: "17:00" },
        ],
      }),
    ).toMatch(/period 2: .*not overlap/);
    expect(fails({ workingHours: [] })).toMatch(/workingHours: .*at least one working period/);
    expect(fails({ weekend: [6, 8] })).toMatch(/weekend\.1: /);
    expect(fails({ weekend: [6, 6] })).toMatch(/weekend: weekdays must not repeat/);
    expect(fails({ holidays: ["2026-02-30"] })).toMatch(/holidays\.0: .*real date/);
    expect(fails({ workdays: ["2026/02/14"] })).toMatch(/workdays\.0: .*YYYY-MM-DD/);
    expect(fails({ holidays: ["2026-02-14"], workdays: ["2026-02-14"] })).toMatch(
      /workdays\.0: 2026-02-14 is listed both as a holiday and as a make-up working day/,
    );
    expect(fails({ holiday: ["2026-02-14"] })).toMatch(/holiday/);
  });
});
