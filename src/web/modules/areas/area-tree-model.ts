/**
 * Pure helpers for the area tree: build district → street → community → grid
 * from the flat list, and filter it by a search string while keeping the
 * ancestors of every match so the hierarchy stays readable.
 */
import type { AreaSummary } from "../../../shared/schemas/areas.js";

export interface AreaNode {
  area: AreaSummary;
  children: AreaNode[];
}

/** Roots are areas whose parent is not in the list (the district, for most users). */
export function buildAreaTree(areas: readonly AreaSummary[]): AreaNode[] {
  const byId = new Map<string, AreaNode>();
  for (const a of areas) byId.set(a.id, { area: a, children: [] });
  const roots: AreaNode[] = [];
  for (const node of byId.values()) {
    const parent = node.area.parentId ? byId.get(node.area.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (nodes: AreaNode[]) => {
    nodes.sort((a, b) => a.area.code.localeCompare(b.area.code));
    for (const n of nodes) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** Codes of an area's ancestors, from its materialised path `/320505/32050500x/…/`. */
export function ancestorCodesOf(area: Pick<AreaSummary, "code" | "path">): string[] {
  return area.path.split("/").filter((c) => c !== "" && c !== area.code);
}

export function matchesQuery(area: AreaSummary, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return area.name.toLowerCase().includes(q) || area.code.includes(q);
}

export interface FilteredTree {
  nodes: AreaNode[];
  /** Codes to expand so every match is visible. */
  expandCodes: string[];
  matchCount: number;
}

/** Keep the matches and the path down to them; a matching area keeps its whole subtree. */
export function filterAreaTree(roots: readonly AreaNode[], query: string): FilteredTree {
  if (!query.trim()) return { nodes: [...roots], expandCodes: [], matchCount: 0 };
  const expand = new Set<string>();
  let matchCount = 0;
  const walk = (node: AreaNode): AreaNode | null => {
    const self = matchesQuery(node.area, query);
    if (self) matchCount++;
    const kept = node.children.map(walk).filter((n): n is AreaNode => n !== null);
    if (kept.length > 0) expand.add(node.area.code);
    if (self) return { area: node.area, children: node.children };
    return kept.length > 0 ? { area: node.area, children: kept } : null;
  };
  const nodes = roots.map(walk).filter((n): n is AreaNode => n !== null);
  return { nodes, expandCodes: [...expand], matchCount };
}
