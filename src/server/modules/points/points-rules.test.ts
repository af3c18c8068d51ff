import { describe, expect, it } from "vitest";
import { highestRung, isSuperficial, rungDates } from "./participation-ladder.js";
import { capAward, DAILY_CAP, MONTHLY_CAP, pointsForMinutes } from "./points-rules.js";

describe("points rules", () => {
  it("pays whole half hours of verified service", () => {
    expect(pointsForMinutes(0)).toBe(0);
    expect(pointsForMinutes(29)).toBe(0);
    expect(pointsForMinutes(30)).toBe(5);
    expect(pointsForMinutes(119)).toBe(15);
    expect(pointsForMinutes(-10)).toBe(0);
    expect(pointsForMinutes(Number.NaN)).toBe(0);
  });

  it("caps an award by what is left of the day and of the month", () => {
    expect(capAward(20, { day: 0, month: 0 })).toEqual({
      amount: 20,
      cappedBy: null,
      uncapped: 20,
    });
    expect(capAward(20, { day: DAILY_CAP - 5, month: 0 })).toEqual({
      amount: 5,
      cappedBy: "day",
      uncapped: 20,
    });
    expect(capAward(20, { day: 0, month: MONTHLY_CAP - 8 })).toEqual({
      amount: 8,
      cappedBy: "month",
      uncapped: 20,
    });
    expect(capAward(20, { day: DAILY_CAP + 10, month: 0 }).amount).toBe(0);
    expect(capAward(0, { day: 0, month: 0 })).toEqual({ amount: 0, cappedBy: null, uncapped: 0 });
  });
});

describe("participation ladder", () => {
  it("names the highest rung reached and when", () => {
    expect(highestRung({})).toBeNull();
    expect(highestRung({ signedUp: "2026-03-01" })).toEqual({
      rung: "informed",
      since: "2026-03-01",
    });
    expect(
      highestRung({ signedUp: "2026-03-01", reported: "2026-04-02", verifiedWork: "2026-05-01" }),
    ).toEqual({ rung: "verifier", since: "2026-05-01" });
    expect(highestRung({ proposalAdopted: "2026-09-09" })).toEqual({
      rung: "co_decider",
      since: "2026-09-09",
    });
  });

  it("dates a rung by its earliest act and makes anyone who acted informed", () => {
    const d = rungDates({
      caseParty: "2026-06-01",
      tipResolved: "2026-05-15",
      reported: "2026-05-01",
    });
    expect(d.co_handler).toBe("2026-05-15");
    expect(d.informed).toBe("2026-05-01");
    expect(d.mediator).toBeNull();
  });

  it("calls a volunteer superficial when they signed up and nothing followed", () => {
    expect(isSuperficial({ signedUp: "2026-01-01" })).toBe(true);
    expect(isSuperficial({ signedUp: "2026-01-01", verifiedWork: "2026-02-01" })).toBe(false);
    expect(isSuperficial({ reported: "2026-02-01" })).toBe(false);
  });
});
