/**
 * What every intake reads and what rarely changes: the categories, the
 * active responsibility list, the departments with their coverage and their
 * officers. Held in memory and reloaded when older than `ttlMs`; an edit of
 * the list on this server drops it at once, other servers pick it up within
 * `ttlMs`. Transitions and the routing preview read the database instead.
 */
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import type { RoutingRule } from "./case-routing.js";
import * as repo from "./cases.repository.js";
import { type RoutingSource, toRule } from "./routing-rules.service.js";

type CategoryRow = Awaited<ReturnType<typeof repo.listCategories>>[number];

interface Snapshot {
  categories: Map<string, CategoryRow>;
  rules: Map<string, RoutingRule[]>;
  departments: Map<string, { id: string; name: string; kind: string }>;
  /** coverage areas of each department kind, the most local first */
  coverage: Map<string, { id: string; name: string; path: string }[]>;
  officers: Map<string, string[]>;
}

export class CaseReference {
  private snapshot: Snapshot | null = null;
  private loadedAt = 0;
  private loading: Promise<Snapshot> | null = null;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly ttlMs = 5_000,
  ) {}

  /** Forget what is held (after an edit of the list on this server). */
  invalidate() {
    this.loadedAt = 0;
  }

  async get(): Promise<Snapshot> {
    if (this.snapshot && Date.now() - this.loadedAt < this.ttlMs) return this.snapshot;
    this.loading ??= this.load().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async load(): Promise<Snapshot> {
    const startedAt = Date.now();
    const [categories, rules, departments, coverage, officers] = await Promise.all([
      repo.listCategories(this.db),
      repo.allActiveRules(this.db),
      repo.allDepartments(this.db),
      repo.allCoverage(this.db),
      repo.allDepartmentOfficers(this.db),
    ]);
    const byCategory = new Map<string, RoutingRule[]>();
    for (const r of rules) {
      const list = byCategory.get(r.category_code) ?? [];
      list.push(toRule(r));
      byCategory.set(r.category_code, list);
    }
    const byKind = new Map<string, { id: string; name: string; path: string }[]>();
    for (const c of coverage) {
      const list = byKind.get(c.kind) ?? [];
      list.push({ id: c.department_id, name: c.name, path: c.path });
      byKind.set(c.kind, list);
    }
    // The same order as the SQL lookup: deepest coverage first, then the lowest id.
    for (const list of byKind.values())
      list.sort((a, b) => b.path.length - a.path.length || (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    const officersBy = new Map<string, string[]>();
    for (const o of officers) {
      const list = officersBy.get(o.department_id) ?? [];
      list.push(o.user_id);
      officersBy.set(o.department_id, list);
    }
    this.snapshot = {
      categories: new Map(categories.map((c) => [c.code, c])),
      rules: byCategory,
      departments: new Map(departments.map((d) => [d.id, d])),
      coverage: byKind,
      officers: officersBy,
    };
    this.loadedAt = startedAt;
    return this.snapshot;
  }
}

/** Routing over a snapshot: the same choices as over the database. */
export function snapshotRoutingSource(s: Snapshot, db: Kysely<DB>): RoutingSource {
  return {
    rulesFor: async (codes) => codes.flatMap((c) => s.rules.get(c) ?? []),
    departmentOfKind: async (kind, areaPath) => {
      const hit = (s.coverage.get(kind) ?? []).find((c) => areaPath.startsWith(c.path));
      return hit ? { id: hit.id, name: hit.name } : undefined;
    },
    department: async (id) => {
      const d = s.departments.get(id);
      return d ? { id: d.id, name: d.name } : undefined;
    },
    // Organisations named by rules are few: read them when needed.
    organisation: (id) => repo.findOrganisation(db, id),
  };
}

export type ReferenceSnapshot = Snapshot;
