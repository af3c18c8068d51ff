/**
 * The real reference data of the demo district(s), shipped in the source
 * tree with their source line: official division codes and names, and the
 * district outline. There are no official street, community or grid
 * boundaries; grid-drawing.ts draws those.
 */
import type { Boundary } from "./geometry.js";
import huqiu from "./reference/huqiu-320505.json" with { type: "json" };

export interface DistrictReference {
  /** Where the data comes from, with versions and licences. */
  source: string;
  district: { code: string; name: string };
  streets: { code: string; name: string }[];
  communities: { code: string; name: string; street: string }[];
  boundary: Boundary;
}

/** 虎丘区 / Suzhou High-tech Zone (320505): 9 streets/towns, 94 communities. */
export const HUQIU_320505: DistrictReference = huqiu as DistrictReference;
