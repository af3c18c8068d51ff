import { describe, expect, it } from "vitest";
import type { AreaSummary } from "../../../shared/schemas/areas.js";
import { ancestorCodesOf, buildAreaTree, filterAreaTree } from "./area-tree-model.js";

function area(
  id: string,
  code: string,
  name: string,
  level: AreaSummary["level"],
  parent?: AreaSummary,
): AreaSummary {
  return {
    id,
    code,
    name,
    level,
    parentId: parent?.id ?? null,
    path: `${parent?.path ?? "/"}${code}/`,
  };
}

const district = area("1", "320505", "虎丘区", "district");
const streetB = area("3", "320505002", "狮山街道", "street", district);
const streetA = area("2", "320505001", "横塘街道", "street", district);
const community = area("4", "320505001001", "新塘社区", "community", streetA);
const grid = area("5", "320505001001001", "新塘社区第1网格", "grid", community);
const all = [grid, community, streetB, district, streetA];

describe("buildAreaTree", () => {
  it("nests areas under their parents in code order", () => {
    const roots = buildAreaTree(all);
    expect(roots.map((n) => n.area.name)).toEqual(["虎丘区"]);
    expect(roots[0]?.children.map((n) => n.area.name)).toEqual(["横塘街道", "狮山街道"]);
    expect(roots[0]?.children[0]?.children[0]?.children[0]?.area.code).toBe("320505001001001");
  });

  it("makes an area whose parent is not visible a root", () => {
    const roots = buildAreaTree([community, grid]);
    expect(roots.map((n) => n.area.code)).toEqual(["320505001001"]);
  });
});

describe("filterAreaTree", () => {
  const roots = buildAreaTree(all);

  it("keeps matches and their ancestors, and expands the way down", () => {
    const f = filterAreaTree(roots, "网格");
    expect(f.matchCount).toBe(1);
    expect(f.nodes[0]?.children.map((n) => n.area.name)).toEqual(["横塘街道"]);
    expect(f.expandCodes.sort()).toEqual(["320505", "320505001", "320505001001"]);
  });

  it("matches codes as well as names", () => {
    expect(filterAreaTree(roots, "320505002").matchCount).toBe(1);
  });

  it("returns nothing when nothing matches and everything when the query is blank", () => {
    expect(filterAreaTree(roots, "不存在").nodes).toEqual([]);
    expect(filterAreaTree(roots, "  ").nodes).toHaveLength(1);
  });
});

describe("ancestorCodesOf", () => {
  it("reads the materialised path", () => {
    expect(ancestorCodesOf(grid)).toEqual(["320505", "320505001", "320505001001"]);
    expect(ancestorCodesOf(district)).toEqual([]);
  });
});
