import { describe, expect, it } from "vitest";
import { addressPattern, containsPattern } from "./scope-sql.js";

/** LIKE semantics (with \\ as the escape), to check patterns without a database. */
function like(value: string, pattern: string): boolean {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "\\") re += (pattern[++i] as string).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    else if (c === "%") re += ".*";
    else if (c === "_") re += ".";
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`, "s").test(value);
}

describe("address search patterns", () => {
  const full = "鸿禧路12号金枫新苑1幢101室";
  it("finds an address typed without its estate name, or with spaces", () => {
    for (const q of ["鸿禧路12号1幢101室", "鸿禧路 12号 1幢", "金枫新苑1幢", "12号金枫", full]) {
      expect(like(full, addressPattern(q)), q).toBe(true);
    }
  });
  it("keeps the parts in order and matches nothing else", () => {
    for (const q of ["1幢鸿禧路", "鸿禧路13号", "鸿禧路12号2幢"]) {
      expect(like(full, addressPattern(q)), q).toBe(false);
    }
  });
  it("escapes LIKE's own characters", () => {
    expect(addressPattern("50%_路")).toBe("%50\\%\\_路%");
    expect(containsPattern("a%b")).toBe("%a\\%b%");
  });
});
