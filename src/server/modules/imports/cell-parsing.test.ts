import { describe, expect, it } from "vitest";
import { dateCell } from "./cell-parsing.js";

describe("date cells", () => {
  it("accepts the spellings spreadsheets use and normalises them", () => {
    expect(dateCell("2026-01-05")).toBe("2026-01-05");
    expect(dateCell("2026/1/5")).toBe("2026-01-05");
    expect(dateCell("2026.12.31")).toBe("2026-12-31");
    expect(dateCell("2026年3月8日")).toBe("2026-03-08");
    expect(dateCell("2024-02-29")).toBe("2024-02-29");
    expect(dateCell("2000-02-29")).toBe("2000-02-29");
    expect(dateCell("")).toBeNull();
  });

  it("refuses days that do not exist and other shapes", () => {
    for (const bad of [
      "2026-02-29",
      "1900-02-29",
      "2026-04-31",
      "2026-13-01",
      "2026-00-10",
      "2026-01-00",
      "2026-1-32",
      "26-01-05",
      "2026-01-05T00:00",
      "五月",
    ]) {
      expect(dateCell(bad), bad).toBeUndefined();
    }
  });

  it("agrees with the calendar on every day of a leap and a common year", () => {
    for (const year of [2023, 2024]) {
      for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
        const iso = new Date(t).toISOString().slice(0, 10);
        const [y, m, d] = iso.split("-").map(Number);
        expect(dateCell(`${y}/${m}/${d}`)).toBe(iso);
      }
    }
  });
});
