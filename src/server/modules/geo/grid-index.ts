/**
 * Point → grid lookup in memory. A packed R-tree (Flatbush) over each
 * polygon's bounding box finds the candidates; point-in-polygon-hao decides.
 *
 * Walking the tree costs more than the exact test on ~7-vertex grid cells, so
 * the tree's answers are precomputed for a uniform raster of buckets over the
 * extent (about four buckets per polygon, ~2 candidates each): a lookup is
 * one bucket, a couple of box tests and usually one polygon test, with no
 * allocation. Buckets with many candidates (dense spots) are left to the tree.
 */
import Flatbush from "flatbush";
import pointInPolygon from "point-in-polygon-hao";
import { type Boundary, boundaryPolygons, boundaryProblems, type Position } from "./geometry.js";

export interface GridIndexEntry {
  id: string;
  code: string;
  boundary: Boundary;
}

const BUCKETS_PER_POLYGON = 4;
/** A bucket with more candidates than this is answered by the tree. */
const MAX_BUCKET_CANDIDATES = 16;

export class GridIndex<E extends GridIndexEntry = GridIndexEntry> {
  readonly size: number;
  private readonly entries: readonly E[];
  /** Per indexed polygon (a MultiPolygon gives several): its entry, rings, box. */
  private readonly owner: Int32Array;
  private readonly rings: Position[][][];
  private readonly boxes: Float64Array;
  private readonly tree: Flatbush | null = null;
  private readonly minX: number = Infinity;
  private readonly minY: number = Infinity;
  private readonly maxX: number = -Infinity;
  private readonly maxY: number = -Infinity;
  private readonly cols: number = 0;
  private readonly rows: number = 0;
  private readonly bucketW: number = 1;
  private readonly bucketH: number = 1;
  /** Bucket b's candidates are items[start[b] .. start[b + 1]), unless dense[b]: ask the tree. */
  private readonly start: Int32Array = new Int32Array(1);
  private readonly items: Int32Array = new Int32Array(0);
  private readonly dense: Uint8Array = new Uint8Array(0);
  /** Reused query state, so the tree path allocates no point or closure either. */
  private readonly point: [number, number] = [0, 0];
  private hit = -1;
  private readonly contains: (item: number) => boolean;

  /** Throws a RangeError naming the first entry whose boundary is not valid. */
  constructor(entries: readonly E[]) {
    this.entries = entries.slice();
    this.size = entries.length;
    const owner: number[] = [];
    const rings: Position[][][] = [];
    entries.forEach((e, i) => {
      const problems = boundaryProblems(e.boundary);
      if (problems.length > 0) {
        throw new RangeError(`grid ${e.code}: invalid boundary (${problems.join("; ")})`);
      }
      for (const polygon of boundaryPolygons(e.boundary)) {
        owner.push(i);
        rings.push(polygon);
      }
    });
    this.owner = Int32Array.from(owner);
    this.rings = rings;
    this.boxes = new Float64Array(rings.length * 4);
    const point = this.point;
    this.contains = (item) => {
      // point-in-polygon-hao answers 0 on an edge: the first candidate takes it.
      if (pointInPolygon(point, rings[item] as Position[][]) === false) return false;
      this.hit = item;
      return true;
    };
    if (rings.length === 0) return;

    const tree = new Flatbush(rings.length);
    rings.forEach((polygon, i) => {
      let minX = Infinity;
      let minY = Infinity;
      let maxX = -Infinity;
      let maxY = -Infinity;
      for (const p of polygon[0] as Position[]) {
        const x = p[0] as number;
        const y = p[1] as number;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
      tree.add(minX, minY, maxX, maxY);
      this.boxes.set([minX, minY, maxX, maxY], i * 4);
    });
    tree.finish();
    this.tree = tree;
    this.minX = tree.minX;
    this.minY = tree.minY;
    this.maxX = tree.maxX;
    this.maxY = tree.maxY;

    // Near-square buckets, about BUCKETS_PER_POLYGON per polygon.
    const w = this.maxX - this.minX;
    const h = this.maxY - this.minY;
    const side = Math.sqrt((w * h) / (rings.length * BUCKETS_PER_POLYGON)) || Math.max(w, h) || 1;
    this.cols = Math.min(4096, Math.max(1, Math.ceil(w / side)));
    this.rows = Math.min(4096, Math.max(1, Math.ceil(h / side)));
    this.bucketW = w / this.cols || 1;
    this.bucketH = h / this.rows || 1;
    // Buckets overlap their neighbours a little, so rounding in locate()'s
    // bucket arithmetic can never miss a polygon that touches the point.
    const padX = this.bucketW * 1e-6;
    const padY = this.bucketH * 1e-6;
    const start = new Int32Array(this.cols * this.rows + 1);
    const dense = new Uint8Array(this.cols * this.rows);
    const items: number[] = [];
    for (let row = 0; row < this.rows; row++) {
      for (let col = 0; col < this.cols; col++) {
        const x0 = this.minX + col * this.bucketW;
        const y0 = this.minY + row * this.bucketH;
        const found = tree.search(
          x0 - padX,
          y0 - padY,
          x0 + this.bucketW + padX,
          y0 + this.bucketH + padY,
        );
        const b = row * this.cols + col;
        if (found.length > MAX_BUCKET_CANDIDATES) {
          dense[b] = 1;
        } else {
          found.sort((m, n) => m - n);
          for (const item of found) items.push(item);
        }
        start[b + 1] = items.length;
      }
    }
    this.start = start;
    this.dense = dense;
    this.items = Int32Array.from(items);
  }

  /**
   * The entry whose boundary contains (lng, lat), or undefined. A point on a
   * border shared by two grids goes to one of them (whichever is found first).
   */
  locate(lng: number, lat: number): E | undefined {
    // Also false for NaN, and for any point when the index is empty.
    if (!(lng >= this.minX && lng <= this.maxX && lat >= this.minY && lat <= this.maxY)) {
      return undefined;
    }
    let col = Math.floor((lng - this.minX) / this.bucketW);
    let row = Math.floor((lat - this.minY) / this.bucketH);
    if (col >= this.cols) col = this.cols - 1;
    if (row >= this.rows) row = this.rows - 1;
    const b = row * this.cols + col;
    this.point[0] = lng;
    this.point[1] = lat;
    if (this.dense[b] === 1) {
      this.hit = -1;
      if (!(this.tree as Flatbush).collides(lng, lat, lng, lat, this.contains)) return undefined;
      return this.entries[this.owner[this.hit] as number];
    }
    const boxes = this.boxes;
    for (let m = this.start[b] as number, end = this.start[b + 1] as number; m < end; m++) {
      const item = this.items[m] as number;
      const o = item * 4;
      if (
        lng < (boxes[o] as number) ||
        lat < (boxes[o + 1] as number) ||
        lng > (boxes[o + 2] as number) ||
        lat > (boxes[o + 3] as number)
      ) {
        continue;
      }
      if (pointInPolygon(this.point, this.rings[item] as Position[][]) !== false) {
        return this.entries[this.owner[item] as number];
      }
    }
    return undefined;
  }
}

/**
 * The first entry whose boundary contains (lng, lat), testing every polygon
 * in turn: the obvious way, kept as the benchmark baseline and test oracle.
 */
export function locateNaive<E extends GridIndexEntry>(
  entries: readonly E[],
  lng: number,
  lat: number,
): E | undefined {
  const p = [lng, lat];
  for (const e of entries) {
    for (const polygon of boundaryPolygons(e.boundary)) {
      if (pointInPolygon(p, polygon) !== false) return e;
    }
  }
  return undefined;
}
