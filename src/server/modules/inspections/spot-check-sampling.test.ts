import { describe, expect, it } from "vitest";
import { createRandom } from "../../seed/random.js";
import {
  type RiskFactors,
  riskWeight,
  SPOT_CHECK_WEIGHTS,
  weightedSample,
} from "./spot-check-sampling.js";

const none: RiskFactors = {
  openHazards: 0,
  overdueHazards: 0,
  majorOpenHazards: 0,
  missedInspections: 0,
  rating: null,
  warningLevel: null,
};

describe("risk weight", () => {
  it("starts at the base and grows with each factor", () => {
    expect(riskWeight(none)).toBe(SPOT_CHECK_WEIGHTS.base);
    expect(riskWeight({ ...none, openHazards: 2 })).toBe(2);
    expect(riskWeight({ ...none, overdueHazards: 1, openHazards: 1 })).toBe(3);
    expect(riskWeight({ ...none, rating: "D", warningLevel: "alarm" })).toBe(7);
    expect(riskWeight({ ...none, rating: "A", warningLevel: "none" })).toBe(1);
  });

  it("caps counted factors so one enterprise cannot swamp the draw", () => {
    expect(riskWeight({ ...none, openHazards: 500 })).toBe(
      riskWeight({ ...none, openHazards: 10 }),
    );
  });
});

describe("weighted sampling without replacement", () => {
  const items = Array.from({ length: 20 }, (_, i) => ({ id: i, w: i < 5 ? 10 : 1 }));

  it("draws k distinct items, all of them when k is larger", () => {
    const r = createRandom(7);
    const s = weightedSample(
      items,
      (x) => x.w,
      8,
      () => r.next(),
    );
    expect(s).toHaveLength(8);
    expect(new Set(s.map((x) => x.id)).size).toBe(8);
    expect(
      weightedSample(
        items,
        (x) => x.w,
        50,
        () => r.next(),
      ),
    ).toHaveLength(20);
    expect(
      weightedSample(
        items,
        (x) => x.w,
        0,
        () => r.next(),
      ),
    ).toEqual([]);
  });

  it("never draws an item of weight zero", () => {
    const r = createRandom(3);
    const s = weightedSample(
      [
        { id: "a", w: 0 },
        { id: "b", w: 1 },
      ],
      (x) => x.w,
      2,
      () => r.next(),
    );
    expect(s.map((x) => x.id)).toEqual(["b"]);
  });

  it("draws an item first with probability proportional to its weight", () => {
    const r = createRandom(11);
    const first = new Map<number, number>();
    const runs = 20_000;
    for (let i = 0; i < runs; i++) {
      const [x] = weightedSample(
        items,
        (y) => y.w,
        1,
        () => r.next(),
      );
      first.set(x?.id ?? -1, (first.get(x?.id ?? -1) ?? 0) + 1);
    }
    // Total weight 65: a heavy item 10/65 ≈ 0.154, a light one 1/65 ≈ 0.0154.
    const heavy = [0, 1, 2, 3, 4].reduce((s, i) => s + (first.get(i) ?? 0), 0) / runs;
    expect(heavy).toBeGreaterThan(0.74);
    expect(heavy).toBeLessThan(0.8);
    expect((first.get(19) ?? 0) / runs).toBeGreaterThan(0.01);
    expect((first.get(19) ?? 0) / runs).toBeLessThan(0.021);
  });

  it("favours heavy items in a sample but still reaches light ones", () => {
    const r = createRandom(5);
    let heavy = 0;
    let light = 0;
    for (let i = 0; i < 2_000; i++) {
      for (const x of weightedSample(
        items,
        (y) => y.w,
        5,
        () => r.next(),
      )) {
        if (x.w === 10) heavy++;
        else light++;
      }
    }
    // Uniform sampling would give a quarter heavy; the weighting gives most of them.
    expect(heavy / (heavy + light)).toBeGreaterThan(0.6);
    expect(light).toBeGreaterThan(0);
  });

  it("is the same draw for the same random numbers", () => {
    const a = createRandom(9);
    const b = createRandom(9);
    expect(
      weightedSample(
        items,
        (x) => x.w,
        6,
        () => a.next(),
      ),
    ).toEqual(
      weightedSample(
        items,
        (x) => x.w,
        6,
        () => b.next(),
      ),
    );
  });
});
