/**
 * Geo benchmark: how fast GridIndex puts points into grids, against the naive
 * scan over every grid polygon measured in the same run. Draws the demo
 * district (虎丘区) with ~500 grids, samples points uniformly inside it, warms
 * up, then times the index over all points and the naive scan over a sample.
 */
import { HUQIU_320505 } from "../../server/modules/geo/district-reference.js";
import { boundaryBbox, createBoundaryTester } from "../../server/modules/geo/geometry.js";
import { drawDistrict } from "../../server/modules/geo/grid-drawing.js";
import { GridIndex, locateNaive } from "../../server/modules/geo/grid-index.js";
import { createRandom } from "../../server/seed/random.js";
import type { BenchOutcome } from "./harness.js";

export interface BenchGeoOptions {
  /** Points located by the index (default 1,000,000). */
  points?: number;
  /** Grids to draw (default 500). */
  grids?: number;
  seed?: number;
  /** Points located by the naive scan (default 20,000; its rate is what counts). */
  naiveSample?: number;
}

export async function benchGeo(opts: BenchGeoOptions = {}): Promise<BenchOutcome> {
  const pointCount = opts.points ?? 1_000_000;
  const gridCount = opts.grids ?? 500;
  const seed = opts.seed ?? 42;
  const sampleCount = Math.min(opts.naiveSample ?? 20_000, pointCount);
  const ref = HUQIU_320505;

  let t = performance.now();
  const areas = drawDistrict({ ...ref, gridCount, seed });
  const drawMs = performance.now() - t;
  const entries = areas
    .filter((a) => a.level === "grid")
    .map((a) => ({ id: a.code, code: a.code, boundary: a.boundary }));

  t = performance.now();
  const index = new GridIndex(entries);
  const buildMs = performance.now() - t;

  // Uniform inside the district: uniform in its bbox, keeping points inside.
  t = performance.now();
  const random = createRandom(seed + 1);
  const [minX, minY, maxX, maxY] = boundaryBbox(ref.boundary);
  const inside = createBoundaryTester(ref.boundary);
  const xs = new Float64Array(pointCount);
  const ys = new Float64Array(pointCount);
  for (let n = 0; n < pointCount; ) {
    const x = random.float(minX, maxX);
    const y = random.float(minY, maxY);
    if (!inside(x, y)) continue;
    xs[n] = x;
    ys[n] = y;
    n++;
  }
  const sampleMs = performance.now() - t;

  // Warm-up so the JIT has optimised locate() before it is timed.
  const warm = Math.min(pointCount, 100_000);
  for (let i = 0; i < warm; i++) index.locate(xs[i] as number, ys[i] as number);

  await yieldToEventLoop();
  t = performance.now();
  let found = 0;
  for (let i = 0; i < pointCount; i++) {
    if (index.locate(xs[i] as number, ys[i] as number) !== undefined) found++;
  }
  const indexMs = performance.now() - t;

  await yieldToEventLoop();
  let disagreements = 0;
  let naiveFound = 0;
  const naiveWarm = Math.min(sampleCount, 1_000);
  for (let i = 0; i < naiveWarm; i++) locateNaive(entries, xs[i] as number, ys[i] as number);
  t = performance.now();
  const naiveHits = new Array<string | undefined>(sampleCount);
  for (let i = 0; i < sampleCount; i++) {
    naiveHits[i] = locateNaive(entries, xs[i] as number, ys[i] as number)?.code;
  }
  const naiveMs = performance.now() - t;
  for (let i = 0; i < sampleCount; i++) {
    const code = naiveHits[i];
    if (code !== undefined) naiveFound++;
    if (index.locate(xs[i] as number, ys[i] as number)?.code !== code) disagreements++;
  }

  const value = pointCount / (indexMs / 1000);
  const baseline = sampleCount / (naiveMs / 1000);
  return {
    metrics: [
      {
        metric: "points_per_s",
        value: Math.round(value),
        unit: "points/s",
        baseline: Math.round(baseline),
        ratio: Number((value / baseline).toFixed(2)),
      },
    ],
    details: {
      district: ref.district.code,
      seed,
      gridsRequested: gridCount,
      grids: entries.length,
      polygons: entries.reduce(
        (n, e) => n + (e.boundary.type === "Polygon" ? 1 : e.boundary.coordinates.length),
        0,
      ),
      points: pointCount,
      located: found,
      indexMs: round(indexMs),
      naiveSample: sampleCount,
      naiveLocated: naiveFound,
      naiveMs: round(naiveMs),
      disagreements,
      drawMs: round(drawMs),
      indexBuildMs: round(buildMs),
      pointSamplingMs: round(sampleMs),
    },
  };
}

const round = (ms: number) => Math.round(ms * 10) / 10;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
