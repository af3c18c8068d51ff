import { describe, expect, it } from "vitest";
import { createRandom, weightedPicker } from "./random.js";

const take = (n: number, f: () => number) => Array.from({ length: n }, f);

describe("createRandom", () => {
  it("gives the same sequence for the same seed", () => {
    const a = createRandom(7);
    const b = createRandom(7);
    expect(take(1000, a.next)).toEqual(take(1000, b.next));
  });

  it("pins the sequence, so seeded demo data stays the same across releases", () => {
    const r = createRandom(42);
    expect([r.next(), r.next(), r.next()]).toEqual([
      0.5767213918734342, 0.5318840781692415, 0.212930012261495,
    ]);
    expect(createRandom(0).int(1, 1_000_000)).toBe(137733);
    expect(createRandom(2 ** 40 + 7).int(1, 1_000_000)).toBe(725517);
  });

  it("gives different sequences for different seeds, high bits included", () => {
    const first = (seed: number) => take(8, createRandom(seed).next);
    expect(first(1)).not.toEqual(first(2));
    expect(first(0)).not.toEqual(first(1));
    expect(first(1)).not.toEqual(first(2 ** 32 + 1));
    expect(first(-1)).not.toEqual(first(1));
  });

  it("rejects a seed that is not a finite number", () => {
    expect(() => createRandom(Number.NaN)).toThrow(RangeError);
    expect(() => createRandom(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it("next() stays in [0, 1) and looks uniform", () => {
    const r = createRandom(1);
    const buckets = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = r.next();
      if (!(x >= 0 && x < 1)) outside++;
      else buckets[Math.floor(x * 10)] = (buckets[Math.floor(x * 10)] as number) + 1;
    }
    expect(outside).toBe(0);
    for (const n of buckets) expect(Math.abs(n - 10_000)).toBeLessThan(500);
  });

  it("int() covers both ends and nothing outside", () => {
    const r = createRandom(2);
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) seen.add(r.int(-3, 3));
    // Exactly these seven values: nothing fractional, nothing out of range.
    expect([...seen].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    expect(r.int(5, 5)).toBe(5);
    expect(() => r.int(3, 2)).toThrow(RangeError);
    expect(() => r.int(0.5, 2)).toThrow(RangeError);
  });

  it("float() stays in [min, max)", () => {
    const r = createRandom(3);
    const xs = take(10_000, () => r.float(120.1, 120.6));
    expect(xs.filter((x) => !(x >= 120.1 && x < 120.6))).toEqual([]);
    expect(Math.min(...xs)).toBeLessThan(120.11);
    expect(Math.max(...xs)).toBeGreaterThan(120.59);
    expect(() => r.float(2, 1)).toThrow(RangeError);
  });

  it("pick() returns members and reaches all of them", () => {
    const r = createRandom(4);
    const items = ["a", "b", "c"] as const;
    const seen = new Set(take(200, () => items.indexOf(r.pick(items))));
    expect([...seen].sort()).toEqual([0, 1, 2]);
    expect(() => r.pick([])).toThrow(RangeError);
  });

  it("weighted() follows the weights and never picks a zero weight", () => {
    const r = createRandom(5);
    const counts = { a: 0, b: 0, never: 0 };
    for (let i = 0; i < 40_000; i++) {
      counts[
        r.weighted<keyof typeof counts>([
          ["a", 1],
          ["never", 0],
          ["b", 3],
        ])
      ]++;
    }
    expect(counts.never).toBe(0);
    expect(counts.b / counts.a).toBeGreaterThan(2.8);
    expect(counts.b / counts.a).toBeLessThan(3.2);
    expect(() => r.weighted([])).toThrow(RangeError);
    expect(() => r.weighted([["x", 0]])).toThrow(RangeError);
    expect(() => r.weighted([["x", -1]])).toThrow(RangeError);
  });

  it("normal() has the asked mean and standard deviation", () => {
    const r = createRandom(6);
    const xs = take(50_000, () => r.normal(10, 2));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(mean).toBeCloseTo(10, 1);
    expect(sd).toBeCloseTo(2, 1);
    expect(xs.every(Number.isFinite)).toBe(true);
  });

  it("shuffle() returns a permutation and leaves the input alone", () => {
    const r = createRandom(8);
    const input = Array.from({ length: 50 }, (_, i) => i);
    const copy = input.slice();
    const out = r.shuffle(input);
    expect(input).toEqual(copy);
    expect(out).not.toEqual(input);
    expect(out.slice().sort((a, b) => a - b)).toEqual(input);
    expect(r.shuffle([])).toEqual([]);
  });

  it("chance() honours its probability", () => {
    const r = createRandom(9);
    expect(take(1000, () => (r.chance(0) ? 1 : 0)).some((x) => x === 1)).toBe(false);
    expect(take(1000, () => (r.chance(1) ? 1 : 0)).every((x) => x === 1)).toBe(true);
    const hits = take(20_000, () => (r.chance(0.3) ? 1 : 0)).reduce((a, b) => a + b, 0);
    expect(hits / 20_000).toBeCloseTo(0.3, 1);
  });

  it("weightedPicker() draws in proportion to the weights, never a zero weight", () => {
    const r = createRandom(10);
    const pick = weightedPicker(["a", "never", "b", "c"], (x) =>
      x === "a" ? 1 : x === "b" ? 3 : x === "c" ? 6 : 0,
    );
    const counts: Record<string, number> = {};
    for (let i = 0; i < 30_000; i++) {
      const x = pick(r) as string;
      counts[x] = (counts[x] ?? 0) + 1;
    }
    expect(counts.never).toBeUndefined();
    expect((counts.a ?? 0) / 30_000).toBeCloseTo(0.1, 1);
    expect((counts.b ?? 0) / 30_000).toBeCloseTo(0.3, 1);
    expect((counts.c ?? 0) / 30_000).toBeCloseTo(0.6, 1);
    expect(weightedPicker([1, 2], () => 0)(r)).toBeUndefined();
    expect(() => weightedPicker([1], () => -1)).toThrow(RangeError);
  });
});
