/**
 * Plain-number helpers over area boundaries (GeoJSON Polygon / MultiPolygon in
 * WGS84 lng/lat): bounding box, centroid, containment, area. No database, no
 * projection library: a district is small enough for an equirectangular
 * approximation around its own latitude.
 */
import pointInPolygon from "point-in-polygon-hao";

/** A GeoJSON position: [lng, lat] (extra ordinates are ignored). */
export type Position = number[];
/** A GeoJSON Polygon or MultiPolygon geometry in WGS84 lng/lat. */
export type Boundary =
  | { type: "Polygon"; coordinates: Position[][] }
  | { type: "MultiPolygon"; coordinates: Position[][][] };
/** [minLng, minLat, maxLng, maxLat] */
export type Bbox = [number, number, number, number];

/** Mean Earth radius (IUGG), metres. */
export const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** The boundary as a list of polygons (outer ring first, then holes). */
export function boundaryPolygons(b: Boundary): Position[][][] {
  return b.type === "Polygon" ? [b.coordinates] : b.coordinates;
}

export function boundaryBbox(b: Boundary): Bbox {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const polygon of boundaryPolygons(b)) {
    // Holes lie inside the outer ring, so the outer ring alone bounds the polygon.
    for (const p of polygon[0] ?? []) {
      const x = p[0] as number;
      const y = p[1] as number;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  if (minX > maxX) throw new RangeError("boundary has no positions");
  return [minX, minY, maxX, maxY];
}

/** Twice the signed shoelace area of a ring in degree units, x scaled by `kx`. */
function ringDoubleArea(ring: Position[], kx: number): number {
  let sum = 0;
  for (let i = 0, n = ring.length - 1; i < n; i++) {
    const a = ring[i] as Position;
    const c = ring[i + 1] as Position;
    sum += (a[0] as number) * kx * (c[1] as number) - (c[0] as number) * kx * (a[1] as number);
  }
  return sum;
}

/** cos(latitude) at the middle of the boundary: the x scale of the local projection. */
function xScale(b: Boundary): number {
  const [, minY, , maxY] = boundaryBbox(b);
  return Math.cos(((minY + maxY) / 2) * RAD);
}

/** Area of one polygon (outer ring minus holes) in projected degree² units. */
function polygonArea(polygon: Position[][], kx: number): number {
  let area = 0;
  polygon.forEach((ring, i) => {
    const a = Math.abs(ringDoubleArea(ring, kx)) / 2;
    area += i === 0 ? a : -a;
  });
  return area;
}

/**
 * Area in square metres, equirectangular around the boundary's middle
 * latitude: well under 1% off for a district-sized area.
 */
export function boundaryArea(b: Boundary): number {
  const kx = xScale(b);
  let area = 0;
  for (const polygon of boundaryPolygons(b)) area += polygonArea(polygon, kx);
  const m = EARTH_RADIUS_M * RAD;
  return area * m * m;
}

/**
 * Area-weighted centroid [lng, lat] (holes subtract). For a concave or
 * multi-part boundary it may lie outside; use boundaryInteriorPoint for a
 * label position that must be inside.
 */
export function boundaryCentroid(b: Boundary): [number, number] {
  const kx = xScale(b);
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (const polygon of boundaryPolygons(b)) {
    polygon.forEach((ring, r) => {
      // Orient outer rings positive and holes negative, whatever the input winding.
      const signed = ringDoubleArea(ring, kx);
      const sign = (signed >= 0 ? 1 : -1) * (r === 0 ? 1 : -1);
      for (let i = 0, n = ring.length - 1; i < n; i++) {
        const p = ring[i] as Position;
        const q = ring[i + 1] as Position;
        const x0 = (p[0] as number) * kx;
        const y0 = p[1] as number;
        const x1 = (q[0] as number) * kx;
        const y1 = q[1] as number;
        const cross = (x0 * y1 - x1 * y0) * sign;
        a += cross;
        cx += (x0 + x1) * cross;
        cy += (y0 + y1) * cross;
      }
    });
  }
  if (a === 0) {
    // Degenerate (zero-area) boundary: fall back to the bbox centre.
    const [minX, minY, maxX, maxY] = boundaryBbox(b);
    return [(minX + maxX) / 2, (minY + maxY) / 2];
  }
  return [cx / (3 * a) / kx, cy / (3 * a)];
}

/**
 * A point guaranteed to be inside (for labels and map markers): the centroid
 * when it is inside, otherwise the middle of the widest inside stretch of the
 * horizontal line through the centroid (or, failing that, through the middle
 * of the largest part).
 */
export function boundaryInteriorPoint(b: Boundary): [number, number] {
  const c = boundaryCentroid(b);
  if (pointInBoundary(b, c[0], c[1])) return c;
  const kx = xScale(b);
  const polygons = boundaryPolygons(b);
  const largest = polygons.reduce((best, p) =>
    polygonArea(p, kx) > polygonArea(best, kx) ? p : best,
  );
  const [, minY, , maxY] = boundaryBbox({ type: "Polygon", coordinates: largest });
  for (const y of [c[1], (minY + maxY) / 2, minY + (maxY - minY) * 0.37]) {
    const hit = widestStretch(polygons, y);
    if (hit !== undefined) return [hit, y];
  }
  return c;
}

/** Middle x of the widest inside interval of the line at latitude y, if any. */
function widestStretch(polygons: Position[][][], y: number): number | undefined {
  const xs: number[] = [];
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (let i = 0, n = ring.length - 1; i < n; i++) {
        const p = ring[i] as Position;
        const q = ring[i + 1] as Position;
        const y0 = p[1] as number;
        const y1 = q[1] as number;
        // Half-open rule so a vertex exactly on the line counts once.
        if (y0 <= y !== y1 <= y) {
          const x0 = p[0] as number;
          const x1 = q[0] as number;
          xs.push(x0 + ((y - y0) / (y1 - y0)) * (x1 - x0));
        }
      }
    }
  }
  xs.sort((m, n) => m - n);
  let best: number | undefined;
  let width = 0;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    const w = (xs[i + 1] as number) - (xs[i] as number);
    if (w > width) {
      width = w;
      best = ((xs[i] as number) + (xs[i + 1] as number)) / 2;
    }
  }
  return best;
}

/** Whether (lng, lat) is inside the boundary; a point on an edge counts as inside. */
export function pointInBoundary(b: Boundary, lng: number, lat: number): boolean {
  const p = [lng, lat];
  for (const polygon of boundaryPolygons(b)) {
    if (pointInPolygon(p, polygon) !== false) return true;
  }
  return false;
}

/**
 * A fast pointInBoundary for one boundary and many points (sampling random
 * points inside a district, say): a raster of about `cells` cells over the
 * bbox knows which cells no edge crosses, and answers those at once; only
 * points in cells an edge crosses get the exact test.
 */
export function createBoundaryTester(
  b: Boundary,
  cells = 16_384,
): (lng: number, lat: number) => boolean {
  const [minX, minY, maxX, maxY] = boundaryBbox(b);
  const w = maxX - minX;
  const h = maxY - minY;
  const side = Math.sqrt((w * h) / cells) || Math.max(w, h) || 1;
  const cols = Math.max(1, Math.min(4096, Math.ceil(w / side)));
  const rows = Math.max(1, Math.min(4096, Math.ceil(h / side)));
  const cw = w / cols || 1;
  const ch = h / rows || 1;
  const EDGE = 2;
  const state = new Uint8Array(cols * rows); // 0 outside, 1 inside, EDGE: an edge crosses it
  const clampCol = (c: number) => Math.max(0, Math.min(cols - 1, Math.floor(c)));
  const clampRow = (r: number) => Math.max(0, Math.min(rows - 1, Math.floor(r)));
  const pad = 1e-6; // in cells: rounding never leaves a crossed cell unmarked
  for (const polygon of boundaryPolygons(b)) {
    for (const ring of polygon) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const p = ring[i] as Position;
        const q = ring[i + 1] as Position;
        const x0 = ((p[0] as number) - minX) / cw;
        const y0 = ((p[1] as number) - minY) / ch;
        const x1 = ((q[0] as number) - minX) / cw;
        const y1 = ((q[1] as number) - minY) / ch;
        // Mark the boxes of short pieces, so a long diagonal edge marks a
        // thin band of cells rather than its whole bounding box.
        const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
        for (let k = 0; k < steps; k++) {
          const ax = x0 + ((x1 - x0) * k) / steps;
          const ay = y0 + ((y1 - y0) * k) / steps;
          const bx = x0 + ((x1 - x0) * (k + 1)) / steps;
          const by = y0 + ((y1 - y0) * (k + 1)) / steps;
          const c1 = clampCol(Math.max(ax, bx) + pad);
          const r1 = clampRow(Math.max(ay, by) + pad);
          for (let r = clampRow(Math.min(ay, by) - pad); r <= r1; r++) {
            for (let c = clampCol(Math.min(ax, bx) - pad); c <= c1; c++) state[r * cols + c] = EDGE;
          }
        }
      }
    }
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      if (state[i] === EDGE) continue;
      state[i] = pointInBoundary(b, minX + (c + 0.5) * cw, minY + (r + 0.5) * ch) ? 1 : 0;
    }
  }
  return (lng, lat) => {
    if (!(lng >= minX && lng <= maxX && lat >= minY && lat <= maxY)) return false;
    const s = state[clampRow((lat - minY) / ch) * cols + clampCol((lng - minX) / cw)];
    return s === EDGE ? pointInBoundary(b, lng, lat) : s === 1;
  };
}

/**
 * Why the boundary is not valid GeoJSON for our purposes (empty when it is):
 * every ring closed, with at least 4 finite positions, every polygon with an
 * outer ring.
 */
export function boundaryProblems(b: Boundary): string[] {
  const problems: string[] = [];
  // Data from outside (the database, a request) may not match the type.
  const type: unknown = (b as { type?: unknown }).type;
  if (type !== "Polygon" && type !== "MultiPolygon") return [`unknown type ${String(type)}`];
  const polygons = boundaryPolygons(b);
  if (polygons.length === 0) problems.push("no polygons");
  polygons.forEach((polygon, pi) => {
    if (polygon.length === 0) problems.push(`polygon ${pi} has no rings`);
    polygon.forEach((ring, ri) => {
      const at = `polygon ${pi} ring ${ri}`;
      if (ring.length < 4) problems.push(`${at} has ${ring.length} positions (< 4)`);
      if (ring.some((p) => p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1]))) {
        problems.push(`${at} has a non-finite position`);
      }
      const first = ring[0];
      const last = ring[ring.length - 1];
      if (!first || !last || first[0] !== last[0] || first[1] !== last[1]) {
        problems.push(`${at} is not closed`);
      }
    });
  });
  return problems;
}
