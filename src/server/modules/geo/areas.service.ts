/**
 * The area hierarchy: browsing, boundaries and their edits, and point → grid
 * assignment through an in-memory spatial index that is rebuilt whenever the
 * grid geometry changes (here or, noticed by polling, on another server).
 */
import type { Kysely, Transaction } from "kysely";
import type { AreaLevel } from "../../../shared/roles.js";
import type { AreaDetail, AreaSummary, BoundaryGeometry } from "../../../shared/schemas/areas.js";
import type { DB } from "../../db/schema.js";
import { conflict, notFound, validation } from "../../errors.js";
import { type Actor, canEditArea } from "../access/access.policy.js";
import { recordAudit } from "../audit/audit.service.js";
import * as repo from "./areas.repository.js";
import { type Boundary, boundaryBbox, boundaryCentroid } from "./geometry.js";
import { GridIndex } from "./grid-index.js";

export interface GeoDeps {
  db: Kysely<DB>;
  locator: AreaLocator;
  /**
   * Called inside the transaction that redraws a grid, with the locator
   * already seeing the new boundary and the extent (old and new) where
   * buildings may have changed grid: the housing module moves them. Wired by
   * the app, so geography does not depend on housing.
   */
  onGridRedrawn?: (
    trx: Transaction<DB>,
    change: {
      actor: Actor;
      requestId: string;
      gridId: string;
      box: [number, number, number, number];
    },
  ) => Promise<unknown>;
}

type SummaryRow = {
  id: string;
  code: string;
  name: string;
  level: AreaLevel;
  parent_id: string | null;
  path: string;
};

export function presentSummary(a: SummaryRow): AreaSummary {
  return {
    id: a.id,
    code: a.code,
    name: a.name,
    level: a.level,
    parentId: a.parent_id,
    path: a.path,
  };
}

/** Codes of the ancestors, from the materialised path "/d/s/c/g/". */
export function ancestorCodes(path: string): string[] {
  return path.split("/").filter(Boolean).slice(0, -1);
}

export async function listAreas(
  deps: GeoDeps,
  q: {
    level?: AreaLevel | undefined;
    parentCode?: string | undefined;
    q?: string | undefined;
    sort: "code" | "name" | "-code" | "-name";
    limit: number;
    offset: number;
  },
) {
  let parentId: string | undefined;
  if (q.parentCode) {
    const parent = await repo.findByCode(deps.db, q.parentCode);
    if (!parent) return { items: [], total: 0 };
    parentId = parent.id;
  }
  const r = await repo.list(deps.db, { ...q, parentId });
  return { items: r.items.map(presentSummary), total: r.total };
}

/** The raw area row by code, for other modules that need its id or path. */
export function findAreaByCode(deps: { db: Kysely<DB> }, code: string) {
  return repo.findByCode(deps.db, code);
}

/** Areas (summary columns) by code, for other modules' imports (pass the trx as db). */
export function findAreasByCodes(deps: { db: Kysely<DB> }, codes: string[]) {
  return repo.findByCodes(deps.db, codes);
}

export function findDistrict(deps: { db: Kysely<DB> }) {
  return repo.findDistrict(deps.db);
}

/**
 * The district's outline as a GeoJSON feature: public (a reporter without an
 * account places their pin inside it), nothing inside it.
 */
export async function districtOutline(deps: { db: Kysely<DB> }) {
  const d = await repo.districtOutline(deps.db);
  if (!d?.boundary) throw notFound("区域", "area");
  return {
    type: "Feature" as const,
    properties: { code: d.code, name: d.name },
    geometry: d.boundary as BoundaryGeometry,
  };
}

export async function getArea(deps: GeoDeps, actor: Actor, code: string): Promise<AreaDetail> {
  const a = await repo.findByCode(deps.db, code);
  if (!a) throw notFound("区域", "area");
  const ancestors = await repo.findByCodes(deps.db, ancestorCodes(a.path));
  ancestors.sort((x, y) => x.path.length - y.path.length);
  const hasBox =
    a.min_lng !== null && a.min_lat !== null && a.max_lng !== null && a.max_lat !== null;
  return {
    ...presentSummary(a),
    boundary: (a.boundary as BoundaryGeometry | null) ?? null,
    bbox: hasBox
      ? [a.min_lng as number, a.min_lat as number, a.max_lng as number, a.max_lat as number]
      : null,
    centroid:
      a.centroid_lng !== null && a.centroid_lat !== null ? [a.centroid_lng, a.centroid_lat] : null,
    ancestors: ancestors.map(presentSummary),
    childCount: await repo.childCount(deps.db, a.id),
    version: a.version,
    updatedAt: a.updated_at.toISOString(),
    allowedActions: canEditArea(actor, a.path) ? ["edit_boundary"] : [],
  };
}

/**
 * The area itself (`false`), its direct children (`true`) or every area of a
 * level under it (the grids of a district, for a map shaded by grid).
 */
export async function areaGeoJson(deps: GeoDeps, code: string, which: boolean | AreaLevel) {
  const a = await repo.findByCode(deps.db, code);
  if (!a) throw notFound("区域", "area");
  const rows =
    which === true
      ? await repo.childrenWithBoundary(deps.db, a.id)
      : which === false
        ? [a]
        : await repo.descendantsWithBoundary(deps.db, a.path, which);
  return {
    type: "FeatureCollection" as const,
    features: rows
      .filter((r) => r.boundary !== null)
      .map((r) => ({
        type: "Feature" as const,
        id: r.code,
        properties: { id: r.id, code: r.code, name: r.name, level: r.level },
        geometry: r.boundary as BoundaryGeometry,
      })),
  };
}

export async function updateAreaBoundary(
  deps: GeoDeps,
  actor: Actor,
  code: string,
  input: { boundary: BoundaryGeometry; version?: number | undefined },
  requestId: string,
) {
  const bbox = boundaryBbox(input.boundary as Boundary);
  const centroid = boundaryCentroid(input.boundary as Boundary);
  if (!(bbox[2] > bbox[0] && bbox[3] > bbox[1])) {
    throw validation("边界面积为零 / The boundary has no area", [
      { path: "body.boundary", message: "degenerate" },
    ]);
  }
  let level: AreaLevel | null = null;
  await deps.db
    .transaction()
    .execute(async (trx) => {
      const a = await repo.findByCode(trx, code);
      if (!a || !canEditArea(actor, a.path)) throw notFound("区域", "area");
      level = a.level;
      const expected = input.version ?? a.version;
      const r = await repo.updateBoundary(trx, a.id, expected, {
        boundary: input.boundary,
        bbox,
        centroid,
      });
      if (!r) {
        throw conflict(
          "区域已被他人修改，请刷新后重试 / The area was changed by someone else; reload and retry",
          {
            currentVersion: a.version,
          },
        );
      }
      await recordAudit(
        trx,
        { actor, requestId },
        {
          action: "area.boundary_updated",
          subjectType: "area",
          subjectId: a.id,
          details: { code: a.code, fromVersion: a.version, toVersion: r.version, bbox },
        },
      );
      if (a.level === "grid" && deps.onGridRedrawn) {
        await deps.locator.reloadWithin(trx);
        const old = [a.min_lng, a.min_lat, a.max_lng, a.max_lat];
        const box: [number, number, number, number] = old.every((v) => v !== null)
          ? [
              Math.min(bbox[0], old[0] as number),
              Math.min(bbox[1], old[1] as number),
              Math.max(bbox[2], old[2] as number),
              Math.max(bbox[3], old[3] as number),
            ]
          : [bbox[0], bbox[1], bbox[2], bbox[3]];
        await deps.onGridRedrawn(trx, { actor, requestId, gridId: a.id, box });
      }
      return a;
    })
    .finally(async () => {
      // Committed or rolled back, the index follows what the database holds.
      if (level === "grid") await deps.locator.rebuild();
    });
  return getArea(deps, actor, code);
}

export async function locatePoint(deps: GeoDeps, lng: number, lat: number) {
  const grid = await deps.locator.locate(lng, lat);
  if (!grid) return { grid: null, ancestors: [] };
  const rows = await repo.findByCodes(deps.db, [...ancestorCodes(grid.path), grid.code]);
  rows.sort((x, y) => x.path.length - y.path.length);
  const self = rows.pop();
  return { grid: self ? presentSummary(self) : null, ancestors: rows.map(presentSummary) };
}

interface GridEntry {
  id: string;
  code: string;
  name: string;
  path: string;
  boundary: Boundary;
}

/**
 * Point → grid lookups. Holds a GridIndex built from the grid boundaries and
 * rebuilds it when the geometry version in the database changes.
 */
export class AreaLocator {
  private index: GridIndex<GridEntry> | null = null;
  private version = "";
  private checkedAt = 0;
  private building: Promise<void> | null = null;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly recheckMs = 10_000,
  ) {}

  async rebuild(): Promise<void> {
    this.building ??= (async () => {
      try {
        await this.load(this.db, await repo.gridGeometryVersion(this.db));
      } finally {
        this.building = null;
      }
    })();
    return this.building;
  }

  private async load(db: Kysely<DB>, version: string): Promise<void> {
    const rows = await repo.gridBoundaries(db);
    this.index = new GridIndex(
      rows.map((r) => ({
        id: r.id,
        code: r.code,
        name: r.name,
        path: r.path,
        boundary: r.boundary as Boundary,
      })),
    );
    this.version = version;
    this.checkedAt = Date.now();
  }

  private async fresh(): Promise<GridIndex<GridEntry>> {
    if (!this.index) await this.rebuild();
    else if (Date.now() - this.checkedAt > this.recheckMs) {
      this.checkedAt = Date.now();
      if ((await repo.gridGeometryVersion(this.db)) !== this.version) await this.rebuild();
    }
    return this.index as GridIndex<GridEntry>;
  }

  /** Loads the grids as `trx` sees them (a boundary changed inside it). */
  async reloadWithin(trx: Kysely<DB>): Promise<void> {
    await this.load(trx, await repo.gridGeometryVersion(trx));
  }

  async locate(lng: number, lat: number): Promise<GridEntry | undefined> {
    return (await this.fresh()).locate(lng, lat);
  }

  /**
   * `locate` for code inside an open transaction: the freshness check and any
   * rebuild read through `trx`, since on PGlite (one connection) a query
   * outside the transaction would wait for it forever.
   */
  async locateWithin(trx: Kysely<DB>, lng: number, lat: number): Promise<GridEntry | undefined> {
    if (!this.index || Date.now() - this.checkedAt > this.recheckMs) {
      this.checkedAt = Date.now();
      const version = await repo.gridGeometryVersion(trx);
      if (!this.index || version !== this.version) await this.load(trx, version);
    }
    return (this.index as GridIndex<GridEntry>).locate(lng, lat);
  }
}
