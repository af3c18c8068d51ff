import { describe, expect, it } from "vitest";
import type { Boundary } from "../geo/geometry.js";
import {
  checkFence,
  checkInWindow,
  distanceToBoundaryM,
  serviceMinutes,
  windowProblem,
  windowsOverlap,
} from "./shift-rules.js";

// A 0.01° square near Suzhou (about 950 m east–west, 1,110 m north–south).
const square: Boundary = {
  type: "Polygon",
  coordinates: [
    [
      [120.6, 31.3],
      [120.61, 31.3],
      [120.61, 31.31],
      [120.6, 31.31],
      [120.6, 31.3],
    ],
  ],
};
const at = (s: string) => new Date(s);

describe("the check-in fence", () => {
  it("is 0 m inside the area and on its edge", () => {
    expect(distanceToBoundaryM(square, 120.605, 31.305)).toBe(0);
    expect(distanceToBoundaryM(square, 120.61, 31.305)).toBe(0);
  });

  it("measures the distance to the nearest edge outside it", () => {
    // 0.001° of longitude at 31.3°N is about 95 m; 0.002° of latitude about 222 m.
    expect(distanceToBoundaryM(square, 120.611, 31.305)).toBeGreaterThan(93);
    expect(distanceToBoundaryM(square, 120.611, 31.305)).toBeLessThan(97);
    expect(distanceToBoundaryM(square, 120.605, 31.312)).toBeGreaterThan(220);
    expect(distanceToBoundaryM(square, 120.605, 31.312)).toBeLessThan(224);
    // Past a corner: the distance to the corner itself.
    const d = distanceToBoundaryM(square, 120.611, 31.311);
    expect(d).toBeGreaterThan(Math.hypot(95, 111) - 3);
    expect(d).toBeLessThan(Math.hypot(95, 111) + 3);
  });

  it("lets in a position within the tolerance and refuses one beyond it, saying how far", () => {
    expect(checkFence(square, { lng: 120.611, lat: 31.305 }, 100)).toMatchObject({ ok: true });
    const far = checkFence(square, { lng: 120.605, lat: 31.312 }, 100);
    expect(far.ok).toBe(false);
    expect(far.distanceM).toBeGreaterThanOrEqual(221);
    expect(far.distanceM).toBeLessThanOrEqual(223);
    expect(checkFence(square, { lng: 120.611, lat: 31.305 }, 0).ok).toBe(false);
  });

  it("works on multipolygons and around holes", () => {
    const withHole: Boundary = {
      type: "MultiPolygon",
      coordinates: [
        [
          (square as { coordinates: number[][][] }).coordinates[0] as number[][],
          [
            [120.604, 31.304],
            [120.606, 31.304],
            [120.606, 31.306],
            [120.604, 31.306],
            [120.604, 31.304],
          ],
        ],
      ],
    };
    // In the hole: outside the area, about 95 m from the hole's edge.
    const d = distanceToBoundaryM(withHole, 120.605, 31.305);
    expect(d).toBeGreaterThan(90);
    expect(d).toBeLessThan(100);
  });
});

describe("a planned window", () => {
  const now = at("2026-11-20T02:00:00Z");
  it("refuses a start in the past, an end before the start and more than 12 h", () => {
    expect(windowProblem(at("2026-11-20T01:59:00Z"), at("2026-11-20T04:00:00Z"), now)).toBe("past");
    expect(windowProblem(at("2026-11-20T03:00:00Z"), at("2026-11-20T03:00:00Z"), now)).toBe(
      "order",
    );
    expect(windowProblem(at("2026-11-20T03:00:00Z"), at("2026-11-20T15:01:00Z"), now)).toBe(
      "too_long",
    );
    expect(windowProblem(at("2026-11-20T03:00:00Z"), at("2026-11-20T15:00:00Z"), now)).toBeNull();
  });
});

describe("check-in time", () => {
  const starts = at("2026-11-20T11:00:00Z");
  const ends = at("2026-11-20T13:00:00Z");
  it("opens 30 minutes before the start and says how long until then", () => {
    expect(checkInWindow(at("2026-11-20T10:29:00Z"), starts, ends)).toMatchObject({
      ok: false,
      reason: "too_early",
      opensInMinutes: 1,
    });
    expect(checkInWindow(at("2026-11-20T08:00:00Z"), starts, ends)).toMatchObject({
      opensInMinutes: 150,
    });
    expect(checkInWindow(at("2026-11-20T10:30:00Z"), starts, ends)).toEqual({ ok: true });
    expect(checkInWindow(at("2026-11-20T12:59:00Z"), starts, ends)).toEqual({ ok: true });
  });

  it("closes at the end", () => {
    expect(checkInWindow(ends, starts, ends)).toEqual({ ok: false, reason: "ended" });
  });
});

describe("service minutes", () => {
  const starts = at("2026-11-20T11:00:00Z");
  const ends = at("2026-11-20T13:00:00Z");
  it("count from check-in to check-out inside the window only", () => {
    expect(
      serviceMinutes(at("2026-11-20T10:40:00Z"), at("2026-11-20T13:30:00Z"), starts, ends),
    ).toBe(120);
    expect(
      serviceMinutes(at("2026-11-20T11:10:00Z"), at("2026-11-20T12:05:30Z"), starts, ends),
    ).toBe(55);
    expect(
      serviceMinutes(at("2026-11-20T10:40:00Z"), at("2026-11-20T10:50:00Z"), starts, ends),
    ).toBe(0);
    expect(
      serviceMinutes(at("2026-11-20T13:10:00Z"), at("2026-11-20T13:20:00Z"), starts, ends),
    ).toBe(0);
  });
});

describe("overlapping windows", () => {
  const a = { startsAt: at("2026-11-20T11:00:00Z"), endsAt: at("2026-11-20T13:00:00Z") };
  it("overlap when they share any time, not when one ends as the other starts", () => {
    expect(
      windowsOverlap(a, {
        startsAt: at("2026-11-20T12:00:00Z"),
        endsAt: at("2026-11-20T14:00:00Z"),
      }),
    ).toBe(true);
    expect(
      windowsOverlap(a, {
        startsAt: at("2026-11-20T13:00:00Z"),
        endsAt: at("2026-11-20T14:00:00Z"),
      }),
    ).toBe(false);
    expect(
      windowsOverlap(a, {
        startsAt: at("2026-11-20T11:30:00Z"),
        endsAt: at("2026-11-20T12:00:00Z"),
      }),
    ).toBe(true);
  });
});
