import { describe, expect, it } from "vitest";
import { addMonths, ageOn, todayInChina } from "./dates.js";

describe("dates", () => {
  it("today in China crosses midnight eight hours before UTC", () => {
    expect(todayInChina(new Date("2026-01-01T15:59:59Z"))).toBe("2026-01-01");
    expect(todayInChina(new Date("2026-01-01T16:00:00Z"))).toBe("2026-01-02");
  });
  it("adds months, clamping to the month's end", () => {
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2024-08-31", 6)).toBe("2025-02-28");
    expect(addMonths("2026-05-15", 6)).toBe("2026-11-15");
    expect(addMonths("2026-05-15", -6)).toBe("2025-11-15");
  });
  it("computes ages", () => {
    expect(ageOn("1990-06-15", "2026-06-14")).toBe(35);
    expect(ageOn("1990-06-15", "2026-06-15")).toBe(36);
  });
});
