import { beforeAll, describe, expect, it } from "vitest";
import { createRandom } from "../../seed/random.js";
import { HUQIU_320505 } from "./district-reference.js";
import { type Boundary, boundaryBbox, createBoundaryTester, pointInBoundary } from "./geometry.js";
import { drawDistrict } from "./grid-drawing.js";
import { GridIndex, type GridIndexEntry, locateNaive } from "./grid-index.js";

const rect = (x0: number, y0: number, x1: number, y1: number) => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
const entry = (code: string, boundary: Boundary): GridIndexEntry => ({
  id: `id-${code}`,
  code,
  boundary,
});

describe("GridIndex on hand-made grids", () => {
  const left = entry("L", { type: "Polygon", coordinates: [rect(0, 0, 1, 1)] });
  const right = entry("R", { type: "Polygon", coordinates: [rect(1, 0, 2, 1)] });
  // A ring with a hole, and a grid made of two parts, one of them in the hole.
  const ring = entry("O", {
    type: "Polygon",
    coordinates: [rect(3, 0, 6, 3), rect(4, 1, 5, 2).reverse()],
  });
  const split = entry("S", {
    type: "MultiPolygon",
    coordinates: [[rect(4.25, 1.25, 4.75, 1.75)], [rect(7, 0, 8, 1)]],
  });
  const index = new GridIndex([left, right, ring, split]);

  it("finds the grid containing a point", () => {
    expect(index.size).toBe(4);
    expect(index.locate(0.5, 0.5)).toBe(left);
    expect(index.locate(1.5, 0.5)).toBe(right);
    expect(index.locate(3.5, 2.5)).toBe(ring);
  });

  it("respects holes and finds every part of a multipolygon", () => {
    expect(index.locate(4.5, 1.5)).toBe(split);
    expect(index.locate(4.9, 1.9)).toBeUndefined();
    expect(index.locate(7.5, 0.5)).toBe(split);
  });

  it("puts a point on a shared border into exactly one of the two grids", () => {
    for (const y of [0, 0.25, 0.5, 1]) {
      const found = index.locate(1, y);
      expect([left, right]).toContain(found);
    }
  });

  it("answers undefined outside every grid, and for nonsense", () => {
    expect(index.locate(2.5, 0.5)).toBeUndefined();
    expect(index.locate(-1, 0.5)).toBeUndefined();
    expect(index.locate(100, 100)).toBeUndefined();
    expect(index.locate(Number.NaN, 0.5)).toBeUndefined();
    expect(index.locate(0.5, Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it("keeps the caller's entry objects, extra fields included", () => {
    const rich = { ...left, path: "320505.320505001" };
    expect(new GridIndex([rich]).locate(0.5, 0.5)?.path).toBe("320505.320505001");
  });

  it("works empty", () => {
    const empty = new GridIndex([]);
    expect(empty.size).toBe(0);
    expect(empty.locate(0, 0)).toBeUndefined();
  });

  it("refuses an invalid boundary, naming the grid", () => {
    const open = entry("BAD", { type: "Polygon", coordinates: [rect(0, 0, 1, 1).slice(0, 4)] });
    expect(() => new GridIndex([left, open])).toThrow(/BAD/);
  });

  it("agrees with the naive scan where many boxes overlap (the tree path)", () => {
    // 48 thin triangles fanned around (0, 0): every box holds the centre, so
    // the buckets there have too many candidates and fall back to the tree.
    const fan: GridIndexEntry[] = [];
    const n = 48;
    for (let k = 0; k < n; k++) {
      const a0 = (2 * Math.PI * k) / n;
      const a1 = (2 * Math.PI * (k + 1)) / n;
      fan.push(
        entry(`F${k}`, {
          type: "Polygon",
          coordinates: [
            [
              [0, 0],
              [Math.cos(a0), Math.sin(a0)],
              [Math.cos(a1), Math.sin(a1)],
              [0, 0],
            ],
          ],
        }),
      );
    }
    fan.push(entry("FAR", { type: "Polygon", coordinates: [rect(10, 10, 11, 11)] }));
    const fanIndex = new GridIndex(fan);
    const random = createRandom(3);
    let found = 0;
    const wrong: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      // Half the points near the fan, where the tree answers.
      const x = i % 2 ? random.float(-1.2, 1.2) : random.float(-1.2, 11.2);
      const y = i % 2 ? random.float(-1.2, 1.2) : random.float(-1.2, 11.2);
      const got = fanIndex.locate(x, y);
      if (got !== locateNaive(fan, x, y)) wrong.push(`${x},${y}`);
      if (got) found++;
    }
    expect(wrong).toEqual([]);
    expect(found).toBeGreaterThan(5_000);
    // The centre touches every triangle; it must still go to one.
    expect(fanIndex.locate(0, 0)).toBeDefined();
  });
});

describe("GridIndex on the drawn demo district", () => {
  const ref = HUQIU_320505;
  let entries: GridIndexEntry[];
  let index: GridIndex;

  beforeAll(() => {
    entries = drawDistrict({ ...ref, gridCount: 500, seed: 5 })
      .filter((a) => a.level === "grid")
      .map((a) => entry(a.code, a.boundary));
    index = new GridIndex(entries);
  });

  it("agrees with the naive scan on 10,000 points inside the district", () => {
    const inside = createBoundaryTester(ref.boundary);
    const [minX, minY, maxX, maxY] = boundaryBbox(ref.boundary);
    const random = createRandom(21);
    const wrong: string[] = [];
    for (let n = 0; n < 10_000; ) {
      const x = random.float(minX, maxX);
      const y = random.float(minY, maxY);
      if (!inside(x, y)) continue;
      n++;
      const got = index.locate(x, y)?.code;
      if (got === undefined || got !== locateNaive(entries, x, y)?.code) wrong.push(`${x},${y}`);
    }
    expect(wrong).toEqual([]);
  });

  it("answers undefined outside the district", () => {
    const [minX, minY, maxX, maxY] = boundaryBbox(ref.boundary);
    const random = createRandom(22);
    let checked = 0;
    while (checked < 2_000) {
      const x = random.float(minX - 0.05, maxX + 0.05);
      const y = random.float(minY - 0.05, maxY + 0.05);
      if (pointInBoundary(ref.boundary, x, y)) continue;
      checked++;
      expect(index.locate(x, y)).toBeUndefined();
    }
    expect(index.locate(0, 0)).toBeUndefined();
    expect(index.locate(116.4, 39.9)).toBeUndefined();
  });
});
