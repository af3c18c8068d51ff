import { describe, expect, it } from "vitest";
import { createRandom } from "../../seed/random.js";
import { HUQIU_320505 } from "./district-reference.js";
import {
  type Boundary,
  boundaryArea,
  boundaryBbox,
  boundaryCentroid,
  boundaryInteriorPoint,
  boundaryProblems,
  createBoundaryTester,
  pointInBoundary,
} from "./geometry.js";

/** Counter-clockwise closed rectangle ring. */
const rect = (x0: number, y0: number, x1: number, y1: number) => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
const polygon = (...rings: number[][][]): Boundary => ({ type: "Polygon", coordinates: rings });
const multi = (...polygons: number[][][][]): Boundary => ({
  type: "MultiPolygon",
  coordinates: polygons,
});

const square = polygon(rect(0, 0, 4, 4));
const withHole = polygon(rect(0, 0, 4, 4), rect(2, 1, 3, 3).reverse());
const twoSquares = multi([rect(0, 0, 1, 1)], [rect(2, 0, 3, 1)]);
/** A "C" opening to the east: its centroid lies in the opening. */
const cShape = polygon([
  [0, 0],
  [3, 0],
  [3, 1],
  [1, 1],
  [1, 2],
  [3, 2],
  [3, 3],
  [0, 3],
  [0, 0],
]);

describe("boundaryBbox", () => {
  it("spans every part", () => {
    expect(boundaryBbox(square)).toEqual([0, 0, 4, 4]);
    expect(boundaryBbox(twoSquares)).toEqual([0, 0, 3, 1]);
  });

  it("covers the demo district", () => {
    const [minX, minY, maxX, maxY] = boundaryBbox(HUQIU_320505.boundary);
    expect(minX).toBeCloseTo(120.147, 2);
    expect(maxX).toBeCloseTo(120.595, 2);
    expect(minY).toBeCloseTo(31.22, 2);
    expect(maxY).toBeCloseTo(31.421, 2);
  });

  it("refuses an empty boundary", () => {
    expect(() => boundaryBbox(multi())).toThrow(RangeError);
  });
});

describe("boundaryArea", () => {
  it("measures a 0.01° square on the equator as about 1.236 km²", () => {
    expect(boundaryArea(polygon(rect(0, 0, 0.01, 0.01)))).toBeCloseTo(1_236_431, -2);
  });

  it("shrinks with the cosine of the latitude", () => {
    const atEquator = boundaryArea(polygon(rect(0, 0, 0.01, 0.01)));
    const at60 = boundaryArea(polygon(rect(0, 60, 0.01, 60.01)));
    expect(at60 / atEquator).toBeCloseTo(0.5, 3);
  });

  it("subtracts holes and adds parts, whatever the winding", () => {
    const full = boundaryArea(square);
    expect(boundaryArea(withHole) / full).toBeCloseTo(14 / 16, 6);
    expect(boundaryArea(polygon(rect(0, 0, 4, 4).reverse())) / full).toBeCloseTo(1, 9);
    expect(boundaryArea(twoSquares) / full).toBeCloseTo(2 / 16, 3);
  });

  it("puts the demo district at a few hundred km²", () => {
    const km2 = boundaryArea(HUQIU_320505.boundary) / 1e6;
    expect(km2).toBeGreaterThan(300);
    expect(km2).toBeLessThan(450);
  });
});

describe("boundaryCentroid", () => {
  it("is the middle of a square, either winding", () => {
    for (const b of [square, polygon(rect(0, 0, 4, 4).reverse())]) {
      const [x, y] = boundaryCentroid(b);
      expect(x).toBeCloseTo(2, 9);
      expect(y).toBeCloseTo(2, 9);
    }
  });

  it("is area-weighted: an L shape and a square with a hole", () => {
    const l = polygon([
      [0, 0],
      [2, 0],
      [2, 1],
      [1, 1],
      [1, 2],
      [0, 2],
      [0, 0],
    ]);
    const [lx, ly] = boundaryCentroid(l);
    expect(lx).toBeCloseTo(2.5 / 3, 9);
    expect(ly).toBeCloseTo(2.5 / 3, 9);
    const [hx, hy] = boundaryCentroid(withHole);
    expect(hx).toBeCloseTo(27 / 14, 9);
    expect(hy).toBeCloseTo(2, 9);
  });

  it("weights the parts of a multipolygon", () => {
    const [x, y] = boundaryCentroid(multi([rect(0, 0, 1, 1)], [rect(2, 0, 4, 1)]));
    expect(x).toBeCloseTo((0.5 * 1 + 3 * 2) / 3, 9);
    expect(y).toBeCloseTo(0.5, 9);
  });
});

describe("boundaryInteriorPoint", () => {
  it("is the centroid when that is inside", () => {
    const [x, y] = boundaryInteriorPoint(square);
    expect(x).toBeCloseTo(2, 9);
    expect(y).toBeCloseTo(2, 9);
  });

  it("is inside when the centroid is not", () => {
    for (const b of [cShape, twoSquares, HUQIU_320505.boundary]) {
      const [x, y] = boundaryInteriorPoint(b);
      expect(pointInBoundary(b, x, y)).toBe(true);
    }
    const [cx, cy] = boundaryCentroid(cShape);
    expect(pointInBoundary(cShape, cx, cy)).toBe(false);
  });
});

describe("pointInBoundary", () => {
  it("tells inside from outside, holes included", () => {
    expect(pointInBoundary(square, 1, 1)).toBe(true);
    expect(pointInBoundary(square, 5, 1)).toBe(false);
    expect(pointInBoundary(withHole, 2.5, 2)).toBe(false);
    expect(pointInBoundary(withHole, 1, 2)).toBe(true);
  });

  it("checks every part of a multipolygon", () => {
    expect(pointInBoundary(twoSquares, 2.5, 0.5)).toBe(true);
    expect(pointInBoundary(twoSquares, 1.5, 0.5)).toBe(false);
  });

  it("counts a point on an edge or corner as inside", () => {
    expect(pointInBoundary(square, 4, 2)).toBe(true);
    expect(pointInBoundary(square, 0, 0)).toBe(true);
  });
});

describe("createBoundaryTester", () => {
  it("agrees with pointInBoundary across the district's bbox", () => {
    const b = HUQIU_320505.boundary;
    const inside = createBoundaryTester(b);
    const [minX, minY, maxX, maxY] = boundaryBbox(b);
    const random = createRandom(11);
    let hits = 0;
    for (let i = 0; i < 20_000; i++) {
      const x = random.float(minX - 0.01, maxX + 0.01);
      const y = random.float(minY - 0.01, maxY + 0.01);
      const expected = pointInBoundary(b, x, y);
      if (inside(x, y) !== expected) throw new Error(`disagree at ${x},${y}`);
      if (expected) hits++;
    }
    // Both answers occur, or the comparison proves little.
    expect(hits).toBeGreaterThan(2_000);
    expect(hits).toBeLessThan(18_000);
  });

  it("handles holes, parts and a coarse raster", () => {
    for (const cells of [1, 16, 10_000]) {
      const inHole = createBoundaryTester(withHole, cells);
      expect(inHole(2.5, 2)).toBe(false);
      expect(inHole(1, 2)).toBe(true);
      const inParts = createBoundaryTester(twoSquares, cells);
      expect(inParts(1.5, 0.5)).toBe(false);
      expect(inParts(2.5, 0.5)).toBe(true);
      expect(inParts(Number.NaN, 0.5)).toBe(false);
    }
  });
});

describe("boundaryProblems", () => {
  it("finds none in good boundaries", () => {
    for (const b of [square, withHole, twoSquares, cShape, HUQIU_320505.boundary]) {
      expect(boundaryProblems(b)).toEqual([]);
    }
  });

  it("finds open rings, short rings, bad numbers and empty geometries", () => {
    expect(boundaryProblems(polygon(rect(0, 0, 1, 1).slice(0, 4)))).toEqual([
      "polygon 0 ring 0 is not closed",
    ]);
    expect(
      boundaryProblems(
        polygon([
          [0, 0],
          [1, 1],
          [0, 0],
        ]),
      ),
    ).toEqual(["polygon 0 ring 0 has 3 positions (< 4)"]);
    expect(
      boundaryProblems(
        polygon([
          [0, 0],
          [1, Number.NaN],
          [1, 1],
          [0, 0],
        ]),
      ),
    ).toEqual(["polygon 0 ring 0 has a non-finite position"]);
    expect(boundaryProblems(multi())).toEqual(["no polygons"]);
    expect(boundaryProblems(polygon())).toEqual(["polygon 0 has no rings"]);
    expect(boundaryProblems({ type: "Point", coordinates: [] } as unknown as Boundary)).toEqual([
      "unknown type Point",
    ]);
  });
});
