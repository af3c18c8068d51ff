/**
 * Draws the area hierarchy of a demo district: real districts publish no grid
 * or street boundaries, so we make plausible ones from the district outline.
 *
 * - Grids: Voronoi cells of a jittered hexagonal lattice inside the district,
 *   relaxed twice (Lloyd) so cells along the border are not slivers, clipped
 *   to the outline; a cell the outline cuts in pieces gives its small pieces
 *   to the neighbour they touch.
 * - Streets: runs of the grids in Hilbert-curve order, sized by how many
 *   communities each street has, then made contiguous and smoothed by a local
 *   search that trades border length against even sizes.
 * - Communities: each street's grids cut the same way into its communities
 *   (in the order given), so every community has at least one grid and the
 *   street has exactly its real number of communities.
 * - Community and street boundaries are unions of their grids, so the levels
 *   nest exactly and the grids tile the district.
 *
 * Deterministic: the same input and seed give the same output.
 */
import { Delaunay } from "d3-delaunay";
import Flatbush from "flatbush";
import pointInPolygon from "point-in-polygon-hao";
import polygonClipping, { type MultiPolygon, type Pair, type Polygon } from "polygon-clipping";
import type { AreaLevel } from "../../../shared/roles.js";
import { createRandom } from "../../seed/random.js";
import { type Boundary, boundaryPolygons, EARTH_RADIUS_M, type Position } from "./geometry.js";

export interface DrawnArea {
  code: string;
  name: string;
  level: AreaLevel;
  parentCode: string | null;
  boundary: Boundary;
}

export interface DrawDistrictInput {
  district: { code: string; name: string };
  boundary: Boundary;
  streets: readonly { code: string; name: string }[];
  /** Each with the code of its street; drawn in the order given within a street. */
  communities: readonly { code: string; name: string; street: string }[];
  /** About how many grids to draw (the result is usually within a few per cent). */
  gridCount: number;
  seed: number;
}

/** Lloyd relaxation rounds: two already even out the border cells. */
const LLOYD_ROUNDS = 2;
/** Lattice jitter, as a fraction of the spacing. */
const JITTER = 0.3;
/** Polygon parts smaller than this (m²) are numerical debris, not territory. */
const MIN_PART_M2 = 1;
const MAX_GRIDS_PER_COMMUNITY = 999;
/** Weight of even sizes against short borders when refining regions. */
const ALPHA = 3;

/**
 * The district, its streets, communities and grids, in that order (each level
 * in the order of the input, grids by community then sequence).
 */
export function drawDistrict(input: DrawDistrictInput): DrawnArea[] {
  const { district, streets, communities, seed } = input;
  const gridCount = Math.round(input.gridCount);
  const byStreet = groupCommunities(streets, communities);
  if (!(gridCount >= communities.length)) {
    throw new RangeError(
      `gridCount ${input.gridCount} is below the number of communities (${communities.length})`,
    );
  }

  const outline = cleanOutline(input.boundary);
  const plane = new Plane(outline);
  const points = relax(plane, samplePoints(plane, gridCount, communities.length, seed));
  const grids = clipCells(plane, points, false)
    .map((cell, i) => ({
      cell,
      key: plane.hilbertKey(points[2 * i] as number, points[2 * i + 1] as number),
    }))
    .filter((c): c is { cell: MultiPolygon; key: number } => c.cell !== null)
    .sort((a, b) => a.key - b.key)
    .map((c) => c.cell);
  absorbStrayParts(grids, plane);
  if (grids.length < communities.length) {
    throw new RangeError(`only ${grids.length} grids fit for ${communities.length} communities`);
  }
  const adjacency = gridAdjacency(grids);

  // Streets first, then each street's grids are cut into its communities.
  const streetSizes = streets.map((s) => (byStreet.get(s.code) ?? []).length);
  const streetOf = partitionStreets(grids.length, adjacency, streetSizes);
  const communityOf = new Int32Array(grids.length);
  const communityStreet: number[] = [];
  let first = 0; // global index of the street's first community
  streets.forEach((_, s) => {
    const own: number[] = [];
    for (let g = 0; g < grids.length; g++) if (streetOf[g] === s) own.push(g);
    const runs = proportionalRuns(own.length, new Array(streetSizes[s]).fill(1));
    own.forEach((g, i) => {
      communityOf[g] = first + (runs[i] as number);
    });
    for (let c = 0; c < (streetSizes[s] as number); c++) communityStreet.push(s);
    first += streetSizes[s] as number;
  });
  const sameStreet = (from: number, to: number) => communityStreet[from] === communityStreet[to];
  makeContiguous(communityOf, adjacency, communityStreet.length, {
    minKeep: () => 1,
    canJoin: sameStreet,
  });
  const ones = new Array<number>(communityStreet.length).fill(1);
  refine(communityOf, adjacency, ones, ones, sameStreet);

  const ordered = streets.flatMap((s) => byStreet.get(s.code) ?? []);
  const gridsOf = ordered.map(() => [] as number[]);
  for (let g = 0; g < grids.length; g++) gridsOf[communityOf[g] as number]?.push(g);

  const streetAreas: DrawnArea[] = [];
  const communityAreas: DrawnArea[] = [];
  const gridAreas: DrawnArea[] = [];
  let k = 0; // community index in drawing order
  for (const street of streets) {
    const parts: MultiPolygon[] = [];
    for (const community of byStreet.get(street.code) ?? []) {
      const own = (gridsOf[k++] as number[]).map((g) => grids[g] as MultiPolygon);
      if (own.length === 0) throw new Error(`community ${community.code} drew no grid`);
      if (own.length > MAX_GRIDS_PER_COMMUNITY) {
        throw new RangeError(`more than ${MAX_GRIDS_PER_COMMUNITY} grids in ${community.code}`);
      }
      const short = gridNamePrefix(community.name);
      own.forEach((g, i) => {
        const seq = i + 1;
        gridAreas.push({
          code: `${community.code}${String(seq).padStart(3, "0")}`,
          name: `${short}第${seq}网格`,
          level: "grid",
          parentCode: community.code,
          boundary: toBoundary(g),
        });
      });
      const merged = tidy(polygonClipping.union(own[0] as MultiPolygon, ...own.slice(1)), plane);
      parts.push(merged);
      communityAreas.push({
        code: community.code,
        name: community.name,
        level: "community",
        parentCode: street.code,
        boundary: toBoundary(merged),
      });
    }
    const merged = tidy(polygonClipping.union(parts[0] as MultiPolygon, ...parts.slice(1)), plane);
    streetAreas.push({
      code: street.code,
      name: street.name,
      level: "street",
      parentCode: district.code,
      boundary: toBoundary(merged),
    });
  }
  const districtArea: DrawnArea = {
    code: district.code,
    name: district.name,
    level: "district",
    parentCode: null,
    boundary: structuredClone(input.boundary),
  };
  return [districtArea, ...streetAreas, ...communityAreas, ...gridAreas];
}

/**
 * What a community's grids are named after: the name without its committee
 * suffix. "横塘社区居委会" → "横塘社区"; "新桥村委会" (新桥村's committee) →
 * "新桥村", keeping the 村 that names the village; other names as they are.
 */
export function gridNamePrefix(communityName: string): string {
  return communityName.replace(/居委会$/u, "").replace(/村委会$/u, "村");
}

function groupCommunities(
  streets: DrawDistrictInput["streets"],
  communities: DrawDistrictInput["communities"],
): Map<string, DrawDistrictInput["communities"][number][]> {
  const byStreet = new Map(
    streets.map((s) => [s.code, [] as DrawDistrictInput["communities"][number][]]),
  );
  if (byStreet.size !== streets.length) throw new RangeError("duplicate street code");
  if (new Set(communities.map((c) => c.code)).size !== communities.length) {
    throw new RangeError("duplicate community code");
  }
  for (const c of communities) {
    const list = byStreet.get(c.street);
    if (!list) throw new RangeError(`community ${c.code} names unknown street ${c.street}`);
    list.push(c);
  }
  for (const [code, list] of byStreet) {
    if (list.length === 0) throw new RangeError(`street ${code} has no communities`);
  }
  return byStreet;
}

// ---------------------------------------------------------------------------
// Partitioning: grids → runs → contiguous regions.

function vertexKey(x: number, y: number): string {
  return `${Math.round(x * 1e9)},${Math.round(y * 1e9)}`;
}

/**
 * A cell clipped by a concave stretch of the outline can fall apart; its
 * smaller parts join the neighbouring grid they share most vertices with, so
 * a grid (and so a community) is one piece wherever the outline allows.
 */
function absorbStrayParts(grids: MultiPolygon[], plane: Plane): void {
  const owners = new Map<string, number[]>();
  grids.forEach((mp, g) => {
    for (const polygon of mp) {
      for (const [x, y] of polygon[0] ?? []) {
        const key = vertexKey(x, y);
        const list = owners.get(key);
        if (!list) owners.set(key, [g]);
        else if (!list.includes(g)) list.push(g);
      }
    }
  });
  grids.forEach((mp, g) => {
    if (mp.length < 2) return;
    const byArea = mp
      .map((polygon) => ({ polygon, area: Math.abs(ringArea(polygon[0] as Pair[], plane.kx)) }))
      .sort((a, b) => b.area - a.area);
    const keep: MultiPolygon = [(byArea[0] as (typeof byArea)[number]).polygon];
    for (const { polygon } of byArea.slice(1)) {
      const shared = new Map<number, number>();
      for (const [x, y] of polygon[0] ?? []) {
        for (const other of owners.get(vertexKey(x, y)) ?? []) {
          if (other !== g) shared.set(other, (shared.get(other) ?? 0) + 1);
        }
      }
      let target = -1;
      for (const [other, n] of shared) {
        const best = shared.get(target) ?? 0;
        if (n >= 2 && (n > best || (n === best && other < target))) target = other;
      }
      const before = target < 0 ? undefined : grids[target];
      const merged = before && tidy(polygonClipping.union(before, [polygon]), plane);
      if (before && merged && merged.length <= before.length) grids[target] = merged;
      else keep.push(polygon);
    }
    grids[g] = keep;
  });
}

/** Label per item: consecutive runs with lengths proportional to `weights`. */
function proportionalRuns(count: number, weights: number[]): Int32Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const out = new Int32Array(count);
  let before = 0;
  weights.forEach((w, label) => {
    const from = Math.floor((before * count) / total);
    before += w;
    const to = Math.floor((before * count) / total);
    out.fill(label, from, to);
  });
  return out;
}

/**
 * Which grids share an edge: two grids that share two or more vertices
 * (rounded to ~0.1 mm, since a clipped edge's end is computed once per cell).
 */
function gridAdjacency(grids: MultiPolygon[]): number[][] {
  const byVertex = new Map<string, number[]>();
  grids.forEach((mp, g) => {
    for (const polygon of mp) {
      for (const ring of polygon) {
        for (const [x, y] of ring) {
          const key = vertexKey(x, y);
          const list = byVertex.get(key);
          if (!list) byVertex.set(key, [g]);
          else if (list[list.length - 1] !== g) list.push(g);
        }
      }
    }
  });
  const shared = new Map<number, number>();
  for (const list of byVertex.values()) {
    const unique = [...new Set(list)];
    for (let i = 0; i < unique.length; i++) {
      for (let j = i + 1; j < unique.length; j++) {
        const a = Math.min(unique[i] as number, unique[j] as number);
        const b = Math.max(unique[i] as number, unique[j] as number);
        const pair = a * grids.length + b;
        shared.set(pair, (shared.get(pair) ?? 0) + 1);
      }
    }
  }
  const adjacency = grids.map(() => [] as number[]);
  for (const [pair, n] of shared) {
    if (n < 2) continue;
    const a = Math.floor(pair / grids.length);
    const b = pair % grids.length;
    adjacency[a]?.push(b);
    adjacency[b]?.push(a);
  }
  for (const list of adjacency) list.sort((x, y) => x - y);
  return adjacency;
}

/**
 * Relabels grids until every label's grids are connected where possible: a
 * label's smaller pieces go to the neighbouring label they share most edges
 * with. A piece with no allowed neighbour (an island) stays; a label never
 * shrinks below `minKeep`. Each move removes a piece, so this ends.
 */
function makeContiguous(
  labels: Int32Array,
  adjacency: number[][],
  labelCount: number,
  rules: { minKeep: (label: number) => number; canJoin: (from: number, to: number) => boolean },
): void {
  const stuck = new Set<string>();
  for (;;) {
    const pieces = piecesByLabel(labels, adjacency, labelCount);
    const sizes = pieces.map((ps) => ps.reduce((n, p) => n + p.length, 0));
    let moved = false;
    for (let label = 0; label < labelCount && !moved; label++) {
      for (const piece of (pieces[label] as number[][]).slice(1)) {
        const id = `${label}:${piece[0]}`;
        if (stuck.has(id)) continue;
        if ((sizes[label] as number) - piece.length < rules.minKeep(label)) {
          stuck.add(id);
          continue;
        }
        const contact = new Map<number, number>();
        for (const g of piece) {
          for (const n of adjacency[g] as number[]) {
            const other = labels[n] as number;
            if (other !== label && rules.canJoin(label, other)) {
              contact.set(other, (contact.get(other) ?? 0) + 1);
            }
          }
        }
        let target = -1;
        for (const [other, n] of contact) {
          const best = contact.get(target) ?? 0;
          if (n > best || (n === best && other < target)) target = other;
        }
        if (target < 0) {
          stuck.add(id);
          continue;
        }
        for (const g of piece) labels[g] = target;
        moved = true;
        break;
      }
    }
    if (!moved) return;
  }
}

/**
 * Grid → street: Hilbert runs sized by community counts, made contiguous and
 * balanced. Letting a street shed stray pieces freely and regrow by balancing
 * gives the most compact streets; when that leaves a street with fewer grids
 * than communities (only with very few grids), strays are kept instead.
 */
function partitionStreets(count: number, adjacency: number[][], communities: number[]): Int32Array {
  let fallback: Int32Array | null = null;
  for (const strict of [false, true]) {
    const labels = proportionalRuns(count, communities);
    const minKeep = (s: number) => (strict ? (communities[s] as number) : 1);
    makeContiguous(labels, adjacency, communities.length, { minKeep, canJoin: () => true });
    refine(labels, adjacency, communities, communities, () => true);
    const sizes = new Array<number>(communities.length).fill(0);
    for (const s of labels) sizes[s] = (sizes[s] as number) + 1;
    if (sizes.every((n, s) => n >= (communities[s] as number))) return labels;
    fallback = labels;
  }
  return fallback as Int32Array;
}

/**
 * Local search over border grids: hand a grid to a neighbouring label when
 * that lowers  cut + ALPHA·Σ(size − target)²/target, where cut counts
 * adjacent grids with different labels. The first term smooths borders and
 * removes tendrils, the second keeps sizes near their targets (proportional
 * to `weights`). A label is never split nor shrunk below its floor. Every move lowers the
 * sum, so this ends.
 */
function refine(
  labels: Int32Array,
  adjacency: number[][],
  weights: number[],
  floors: number[],
  canJoin: (from: number, to: number) => boolean,
): void {
  const sizes = new Array<number>(weights.length).fill(0);
  for (const label of labels) sizes[label] = (sizes[label] as number) + 1;
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const targets = weights.map((w) => (w * labels.length) / totalWeight);
  const strain = (label: number, delta: number) => {
    const t = targets[label] as number;
    const d = (sizes[label] as number) - t;
    return ((d + delta) ** 2 - d ** 2) / t;
  };
  const touching = new Map<number, number>();
  for (let moved = true, rounds = 0; moved && rounds < 1000; rounds++) {
    moved = false;
    for (let g = 0; g < labels.length; g++) {
      const from = labels[g] as number;
      if ((sizes[from] as number) <= (floors[from] as number)) continue;
      touching.clear();
      for (const n of adjacency[g] as number[]) {
        const l = labels[n] as number;
        touching.set(l, (touching.get(l) ?? 0) + 1);
      }
      const own = touching.get(from) ?? 0;
      let to = -1;
      let best = -1e-9;
      for (const [other, n] of touching) {
        if (other === from || !canJoin(from, other)) continue;
        const delta = own - n + ALPHA * (strain(from, -1) + strain(other, 1));
        if (delta < best) {
          best = delta;
          to = other;
        }
      }
      if (to < 0 || !staysConnected(labels, adjacency, g, sizes[from] as number)) continue;
      labels[g] = to;
      sizes[from] = (sizes[from] as number) - 1;
      sizes[to] = (sizes[to] as number) + 1;
      moved = true;
    }
  }
}

/** Whether g's label stays one piece without g (`size` = the label's grid count). */
function staysConnected(
  labels: Int32Array,
  adjacency: number[][],
  g: number,
  size: number,
): boolean {
  const label = labels[g] as number;
  const start = (adjacency[g] as number[]).find((n) => labels[n] === label);
  if (start === undefined) return false;
  const seen = new Set<number>([g, start]);
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    for (const n of adjacency[queue[i] as number] as number[]) {
      if (!seen.has(n) && labels[n] === label) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return queue.length === size - 1;
}

/** Connected pieces of each label, largest first (ties: lowest grid first). */
function piecesByLabel(
  labels: Int32Array,
  adjacency: number[][],
  labelCount: number,
): number[][][] {
  const pieces: number[][][] = Array.from({ length: labelCount }, () => []);
  const seen = new Uint8Array(labels.length);
  for (let start = 0; start < labels.length; start++) {
    if (seen[start]) continue;
    const label = labels[start] as number;
    const piece = [start];
    seen[start] = 1;
    for (let i = 0; i < piece.length; i++) {
      for (const n of adjacency[piece[i] as number] as number[]) {
        if (!seen[n] && labels[n] === label) {
          seen[n] = 1;
          piece.push(n);
        }
      }
    }
    pieces[label]?.push(piece);
  }
  for (const ps of pieces)
    ps.sort((a, b) => b.length - a.length || (a[0] as number) - (b[0] as number));
  return pieces;
}

// ---------------------------------------------------------------------------
// Geometry in a local plane: x = lng·cos(φ0), y = lat, so lattice spacing and
// Voronoi bisectors are isotropic on the ground. Cells are built in the plane
// and mapped back to lng/lat before clipping, so the clipped grids keep the
// outline's own coordinates.

/** The outline as polygon-clipping input: consecutive duplicates gone, normalised. */
function cleanOutline(b: Boundary): MultiPolygon {
  const polygons: Polygon[] = [];
  for (const polygon of boundaryPolygons(b)) {
    const rings: Pair[][] = [];
    for (const ring of polygon) {
      const clean: Pair[] = [];
      for (const p of ring) {
        const prev = clean[clean.length - 1];
        const x = p[0] as number;
        const y = p[1] as number;
        if (!prev || prev[0] !== x || prev[1] !== y) clean.push([x, y]);
      }
      if (clean.length >= 4) rings.push(clean);
    }
    if (rings.length > 0) polygons.push(rings);
  }
  if (polygons.length === 0) throw new RangeError("district boundary has no usable ring");
  // A self-union fixes winding and resolves self-touching rings.
  return polygonClipping.union(polygons);
}

class Plane {
  readonly kx: number;
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  /** Square metres per plane unit². */
  readonly m2: number;
  readonly area: number;
  private readonly edges: Flatbush;

  constructor(readonly outline: MultiPolygon) {
    let minLng = Infinity;
    let minLat = Infinity;
    let maxLng = -Infinity;
    let maxLat = -Infinity;
    let edgeCount = 0;
    for (const polygon of outline) {
      for (const ring of polygon) {
        edgeCount += ring.length - 1;
        for (const [x, y] of ring) {
          minLng = Math.min(minLng, x);
          maxLng = Math.max(maxLng, x);
          minLat = Math.min(minLat, y);
          maxLat = Math.max(maxLat, y);
        }
      }
    }
    this.kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
    this.minX = minLng * this.kx;
    this.maxX = maxLng * this.kx;
    this.minY = minLat;
    this.maxY = maxLat;
    const m = (EARTH_RADIUS_M * Math.PI) / 180;
    this.m2 = m * m;
    this.area = multiArea(outline, this.kx);
    // The outline's edges, so a cell that touches none of them skips clipping.
    this.edges = new Flatbush(edgeCount);
    for (const polygon of outline) {
      for (const ring of polygon) {
        for (let i = 0; i + 1 < ring.length; i++) {
          const [x0, y0] = ring[i] as Pair;
          const [x1, y1] = ring[i + 1] as Pair;
          this.edges.add(Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1));
        }
      }
    }
    this.edges.finish();
  }

  /** Strictly inside the outline (plane coordinates). */
  inside(x: number, y: number): boolean {
    const p = [x / this.kx, y];
    for (const polygon of this.outline) {
      if (pointInPolygon(p, polygon) === true) return true;
    }
    return false;
  }

  /** Whether the lng/lat box touches an outline edge. */
  touchesEdge(minLng: number, minLat: number, maxLng: number, maxLat: number): boolean {
    return this.edges.collides(minLng, minLat, maxLng, maxLat);
  }

  /** Position along a Hilbert curve over the outline's bounding square. */
  hilbertKey(x: number, y: number): number {
    const side = Math.max(this.maxX - this.minX, this.maxY - this.minY) || 1;
    const n = 1 << 16;
    const hx = Math.min(n - 1, Math.floor(((x - this.minX) / side) * n));
    const hy = Math.min(n - 1, Math.floor(((y - this.minY) / side) * n));
    return hilbert(hx, hy, n);
  }
}

/** Distance along the Hilbert curve of (x, y) on an n×n grid (n a power of two). */
function hilbert(x0: number, y0: number, n: number): number {
  let x = x0;
  let y = y0;
  let d = 0;
  for (let s = n >>> 1; s > 0; s >>>= 1) {
    const rx = (x & s) > 0 ? 1 : 0;
    const ry = (y & s) > 0 ? 1 : 0;
    d += s * s * ((3 * rx) ^ ry);
    if (ry === 0) {
      if (rx === 1) {
        x = s - 1 - x;
        y = s - 1 - y;
      }
      const t = x;
      x = y;
      y = t;
    }
  }
  return d;
}

/**
 * Seed points (flat x, y in the plane) on a jittered hexagonal lattice inside
 * the outline. The spacing is tuned until the count is close to `target`.
 */
function samplePoints(plane: Plane, target: number, atLeast: number, seed: number): Float64Array {
  // A hexagonal lattice with spacing s holds one point per s²·√3/2.
  let spacing = Math.sqrt((plane.area / target) * (2 / Math.sqrt(3)));
  let best: Float64Array | null = null;
  for (let attempt = 0; attempt < 12; attempt++) {
    const pts = lattice(plane, spacing, seed);
    const n = pts.length / 2;
    const better =
      best === null ||
      (n >= atLeast && best.length / 2 < atLeast) ||
      (n >= atLeast && Math.abs(n - target) < Math.abs(best.length / 2 - target));
    if (better) best = pts;
    if (n >= atLeast && Math.abs(n - target) <= Math.max(1, target * 0.01)) break;
    spacing *= Math.sqrt(Math.max(n, 1) / target);
  }
  return best as Float64Array;
}

function lattice(plane: Plane, spacing: number, seed: number): Float64Array {
  const random = createRandom(seed);
  const rowHeight = (spacing * Math.sqrt(3)) / 2;
  const ox = random.float(0, spacing);
  const oy = random.float(0, rowHeight);
  const out: number[] = [];
  const rows = Math.ceil((plane.maxY - plane.minY) / rowHeight) + 1;
  const cols = Math.ceil((plane.maxX - plane.minX) / spacing) + 1;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // Draw the jitter for every lattice point, inside or not, so the stream
      // does not depend on the outline.
      const jx = random.float(-JITTER, JITTER) * spacing;
      const jy = random.float(-JITTER, JITTER) * rowHeight;
      const x = plane.minX - ox + (c + (r % 2) * 0.5) * spacing + jx;
      const y = plane.minY - oy + r * rowHeight + jy;
      if (plane.inside(x, y)) out.push(x, y);
    }
  }
  return Float64Array.from(out);
}

/** Lloyd relaxation: move every point to the centroid of its clipped cell. */
function relax(plane: Plane, start: Float64Array): Float64Array {
  let points = start;
  for (let round = 0; round < LLOYD_ROUNDS; round++) {
    const cells = clipCells(plane, points, true);
    const moved = new Float64Array(points.length);
    cells.forEach((cell, i) => {
      let x = points[2 * i] as number;
      let y = points[2 * i + 1] as number;
      if (cell) {
        const c = multiCentroid(cell);
        // A concave cell's centroid can fall outside; keep the point then.
        if (c && plane.inside(c[0] * plane.kx, c[1])) {
          x = c[0] * plane.kx;
          y = c[1];
        }
      }
      moved[2 * i] = x;
      moved[2 * i + 1] = y;
    });
    points = moved;
  }
  return points;
}

/**
 * The Voronoi cell of every point, in lng/lat, clipped to the outline; null
 * for a cell with nothing left. Slivers are dropped unless `rough` (relaxation
 * only needs centroids).
 */
function clipCells(plane: Plane, points: Float64Array, rough: boolean): (MultiPolygon | null)[] {
  const margin = Math.max(plane.maxX - plane.minX, plane.maxY - plane.minY) * 0.01;
  const voronoi = new Delaunay(points).voronoi([
    plane.minX - margin,
    plane.minY - margin,
    plane.maxX + margin,
    plane.maxY + margin,
  ]);
  const out: (MultiPolygon | null)[] = [];
  for (let i = 0; i < points.length / 2; i++) {
    const poly = voronoi.cellPolygon(i);
    if (!poly) {
      out.push(null);
      continue;
    }
    const ring: Pair[] = [];
    let minLng = Infinity;
    let minLat = Infinity;
    let maxLng = -Infinity;
    let maxLat = -Infinity;
    for (const [px, py] of poly) {
      const x = (px as number) / plane.kx;
      const y = py as number;
      const prev = ring[ring.length - 1];
      if (prev && prev[0] === x && prev[1] === y) continue;
      ring.push([x, y]);
      if (x < minLng) minLng = x;
      if (x > maxLng) maxLng = x;
      if (y < minLat) minLat = y;
      if (y > maxLat) maxLat = y;
    }
    if (ring.length < 4) {
      out.push(null);
      continue;
    }
    // Close exactly (d3 does, but duplicates removal may have eaten the closing point).
    const first = ring[0] as Pair;
    const last = ring[ring.length - 1] as Pair;
    if (first[0] !== last[0] || first[1] !== last[1]) ring.push([first[0], first[1]]);
    let cell: MultiPolygon;
    if (!plane.touchesEdge(minLng, minLat, maxLng, maxLat)) {
      // Wholly inside or wholly outside; the seed point is inside, so inside.
      cell = [[orient(ring, true)]];
    } else {
      cell = polygonClipping.intersection(plane.outline, [ring]);
    }
    if (!rough) cell = tidy(cell, plane);
    out.push(cell.length > 0 ? cell : null);
  }
  return out;
}

/** Drops parts and holes below MIN_PART_M2 (debris from floating point). */
function tidy(mp: MultiPolygon, plane: Plane): MultiPolygon {
  const min = MIN_PART_M2 / plane.m2;
  const out: MultiPolygon = [];
  for (const polygon of mp) {
    const [outer, ...holes] = polygon;
    if (!outer || outer.length < 4 || Math.abs(ringArea(outer, plane.kx)) < min) continue;
    out.push([
      outer,
      ...holes.filter((h) => h.length >= 4 && Math.abs(ringArea(h, plane.kx)) >= min),
    ]);
  }
  return out;
}

function toBoundary(mp: MultiPolygon): Boundary {
  if (mp.length === 1) return { type: "Polygon", coordinates: mp[0] as Position[][] };
  return { type: "MultiPolygon", coordinates: mp as Position[][][] };
}

/** Signed area of a lng/lat ring in plane units (positive = counter-clockwise). */
function ringArea(ring: Pair[], kx: number): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x0, y0] = ring[i] as Pair;
    const [x1, y1] = ring[i + 1] as Pair;
    sum += x0 * y1 - x1 * y0;
  }
  return (sum * kx) / 2;
}

/** The ring wound counter-clockwise (outer) or clockwise (hole), as GeoJSON asks. */
function orient(ring: Pair[], outer: boolean): Pair[] {
  return ringArea(ring, 1) > 0 === outer ? ring : ring.slice().reverse();
}

function multiArea(mp: MultiPolygon, kx: number): number {
  let area = 0;
  for (const polygon of mp) {
    polygon.forEach((ring, i) => {
      area += (i === 0 ? 1 : -1) * Math.abs(ringArea(ring, kx));
    });
  }
  return area;
}

/** Area-weighted centroid in lng/lat; null for zero area. */
function multiCentroid(mp: MultiPolygon): [number, number] | null {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (const polygon of mp) {
    polygon.forEach((ring, r) => {
      const sign = (ringArea(ring, 1) >= 0 ? 1 : -1) * (r === 0 ? 1 : -1);
      for (let i = 0; i + 1 < ring.length; i++) {
        const [x0, y0] = ring[i] as Pair;
        const [x1, y1] = ring[i + 1] as Pair;
        const cross = (x0 * y1 - x1 * y0) * sign;
        a += cross;
        cx += (x0 + x1) * cross;
        cy += (y0 + y1) * cross;
      }
    });
  }
  // The plane only scales x, so the lng/lat centroid is the plane centroid mapped back.
  return a === 0 ? null : [cx / (3 * a), cy / (3 * a)];
}
