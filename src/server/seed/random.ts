/**
 * Deterministic pseudo-random numbers for demo data, drawn grids and
 * benchmarks: the same seed gives the same sequence on every machine and
 * Node version. sfc32 (Chris Doty-Humphrey's Small Fast Counting generator,
 * 128-bit state) seeded through splitmix32. Not for anything secret.
 */

import { createHash } from "node:crypto";

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** Uniform in [min, max). */
  float(min: number, max: number): number;
  /** One element, uniformly. Throws on an empty array. */
  pick<T>(items: readonly T[]): T;
  /** One value, with probability proportional to its weight (weights ≥ 0, sum > 0). */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** Normally distributed (Box–Muller). */
  normal(mean: number, sd: number): number;
  /** A shuffled copy (Fisher–Yates); the input is left as it was. */
  shuffle<T>(items: readonly T[]): T[];
  /** true with probability p. */
  chance(p: number): boolean;
}

const TWO_POW_32 = 2 ** 32;

/** splitmix32 step: spreads a poor seed (0, 1, 2 …) over the whole state. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A generator for `seed`, any finite number: integers up to 2^53 use all
 * their bits; a fractional part is ignored.
 */
export function createRandom(seed: number): Random {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const whole = Math.trunc(seed);
  const lo = whole >>> 0;
  const hi = Math.floor(whole / TWO_POW_32) >>> 0;
  const mix = { s: lo ^ Math.imul(hi, 0x27d4eb2d) };
  let a = splitmix32(mix);
  let b = splitmix32(mix);
  let c = splitmix32(mix) ^ hi;
  let d = 1; // sfc32's counter; 1 keeps the state away from all-zero
  const nextUint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // The first outputs of a freshly seeded sfc32 are poorly mixed.
  for (let i = 0; i < 12; i++) nextUint32();

  const next = (): number => nextUint32() / TWO_POW_32;

  return {
    next,
    int(min, max) {
      if (!Number.isInteger(min) || !Number.isInteger(max) || min > max) {
        throw new RangeError(`int(min, max) needs integers with min ≤ max, got ${min}, ${max}`);
      }
      return min + Math.floor(next() * (max - min + 1));
    },
    float(min, max) {
      if (!(min <= max))
        throw new RangeError(`float(min, max) needs min ≤ max, got ${min}, ${max}`);
      return min + next() * (max - min);
    },
    pick(items) {
      if (items.length === 0) throw new RangeError("pick() from an empty array");
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    weighted(items) {
      let total = 0;
      for (const [, w] of items) {
        if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`bad weight ${w}`);
        total += w;
      }
      if (!(total > 0)) throw new RangeError("weighted() needs a positive total weight");
      let r = next() * total;
      let last: (typeof items)[number] | undefined;
      for (const item of items) {
        if (item[1] === 0) continue;
        last = item;
        r -= item[1];
        if (r < 0) return item[0];
      }
      // Floating-point leftovers: the last item with weight wins.
      return (last as (typeof items)[number])[0];
    },
    normal(mean, sd) {
      const u = 1 - next(); // (0, 1]: log(0) never happens
      const v = next();
      return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    shuffle(items) {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const t = out[i] as (typeof out)[number];
        out[i] = out[j] as (typeof out)[number];
        out[j] = t;
      }
      return out;
    },
    chance(p) {
      return next() < p;
    },
  };
}

/**
 * A picker for many draws from one fixed list of weights: running sums and a
 * binary search, O(log n) a draw where `weighted` is O(n). Undefined when
 * every weight is 0.
 */
export function weightedPicker<T>(
  items: readonly T[],
  weight: (item: T) => number,
): (random: Random) => T | undefined {
  const sums = new Float64Array(items.length);
  let total = 0;
  items.forEach((item, i) => {
    const w = weight(item);
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`bad weight ${w}`);
    total += w;
    sums[i] = total;
  });
  return (random) => {
    if (!(total > 0)) return undefined;
    const r = random.next() * total;
    let lo = 0;
    let hi = items.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sums[mid] as number) > r) hi = mid;
      else lo = mid + 1;
    }
    return items[lo];
  };
}

/**
 * A generator of its own for one part of a seed (`label`): what one part
 * draws, and how many draws it takes, never shifts another part's numbers.
 * The demo district's dated parts branch on the clock (a patrol already over
 * or still to come), so a shared stream would give the people and housing
 * that later parts touch a different shape depending on the time of day.
 */
export function createStream(seed: number, label: string): Random {
  const digest = createHash("sha256")
    .update(`${Math.trunc(seed)}:${label}`)
    .digest();
  // 48 bits: an exact integer that createRandom spreads over its whole state.
  return createRandom(digest.readUIntBE(0, 6));
}
