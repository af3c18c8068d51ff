import { describe, expect, it } from "vitest";
import { coarsenPoint, publicAddress, redactPersonalText } from "./public-case.js";

describe("coarsenPoint", () => {
  it("moves every point of a cell to the cell's centre", () => {
    const a = coarsenPoint(31.30012, 120.58581);
    const b = coarsenPoint(31.30099, 120.58502);
    expect(a).toEqual({ lat: 31.3005, lng: 120.5855 });
    expect(b).toEqual(a);
    expect(coarsenPoint(31.3011, 120.5855)).not.toEqual(a);
  });

  it("never moves a point further than half a cell's diagonal", () => {
    for (let i = 0; i < 200; i++) {
      const lat = 31.2 + Math.random() * 0.2;
      const lng = 120.5 + Math.random() * 0.2;
      const c = coarsenPoint(lat, lng);
      expect(Math.abs(c.lat - lat)).toBeLessThanOrEqual(0.0005 + 1e-9);
      expect(Math.abs(c.lng - lng)).toBeLessThanOrEqual(0.0005 + 1e-9);
    }
  });
});

describe("publicAddress", () => {
  it("keeps the road and number, not the building or room", () => {
    expect(publicAddress("苏州工业园区星湖街328号3栋1201室")).toBe("苏州工业园区星湖街328号");
    expect(publicAddress("金鸡湖大道88号")).toBe("金鸡湖大道88号");
    expect(publicAddress("东环路1500弄12号402")).toBe("东环路1500弄");
  });

  it("keeps a road or estate name when there is no number", () => {
    expect(publicAddress("娄葑新村东门口")).toBe("娄葑新村");
    expect(publicAddress("斜塘老街靠近桥")).toBe("斜塘老街");
  });

  it("gives nothing for an address it cannot split, or none at all", () => {
    expect(publicAddress("我家楼下")).toBeNull();
    expect(publicAddress("  ")).toBeNull();
    expect(publicAddress(null)).toBeNull();
  });
});

describe("redactPersonalText", () => {
  it("takes out phone, identity-card, e-mail and plate numbers", () => {
    const text =
      "房东张某电话13912345678，座机0512-66881234，身份证320505199001011234，邮箱a.b@example.com，电动车苏E12345被偷";
    const out = redactPersonalText(text);
    expect(out).not.toMatch(/13912345678|66881234|320505199001011234|example\.com|苏E12345/);
    expect(out).toContain("[电话已隐去]");
    expect(out).toContain("[证件号已隐去]");
    expect(out).toContain("[邮箱已隐去]");
    expect(out).toContain("[车牌已隐去]");
    expect(out).toContain("房东张某");
  });

  it("leaves ordinary numbers alone", () => {
    const text = "3栋楼道堆了20多辆电动车，拖欠工资12000元，共5个月";
    expect(redactPersonalText(text)).toBe(text);
  });

  it("catches spaced and prefixed mobile numbers", () => {
    expect(redactPersonalText("联系+86 139 1234 5678")).toBe("联系[电话已隐去]");
    expect(redactPersonalText("电话139-1234-5678。")).toBe("电话[电话已隐去]。");
  });
});
