import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import { usccCheckChar } from "../../../shared/formats/uscc.js";

const uscc = (body: string) => body + usccCheckChar(body);

let t: TestApp;
let gw: Session;
let gridCode = "";
beforeAll(async () => {
  t = await createTestApp();
  gw = await login(t.app, "gridworker");
  gridCode = (await gw.request({ method: "GET", url: "/api/auth/me" })).json().grants[0].scope.code;
});
afterAll(() => t.close());

describe("organisations", () => {
  const code = uscc("91320505MA1XWY12A");
  it("registers an enterprise with a valid USCC in the grid worker's grid", async () => {
    const res = await gw.request({
      method: "POST",
      url: "/api/organisations",
      payload: {
        kind: "enterprise",
        name: "苏州测试精密制造有限公司",
        uscc: code.toLowerCase(),
        gridCode,
        industry: "精密制造",
        size: "medium",
        safetyOfficer: "钱七",
        safetyOfficerPhone: "13912345678",
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      uscc: code,
      safetyOfficerPhone: "139****5678",
      employees: 0,
    });
    const dup = await gw.request({
      method: "POST",
      url: "/api/organisations",
      payload: { kind: "enterprise", name: "重复", uscc: code, gridCode },
    });
    expect(dup.statusCode).toBe(409);
  });

  it("refuses a USCC whose check character is wrong, saying which it should be", async () => {
    const bad = code.slice(0, 17) + (code.endsWith("0") ? "1" : "0");
    const res = await gw.request({
      method: "POST",
      url: "/api/organisations",
      payload: { kind: "enterprise", name: "错码公司", uscc: bad, gridCode },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain("校验位应为");
    const none = await gw.request({
      method: "POST",
      url: "/api/organisations",
      payload: { kind: "enterprise", name: "无码公司", gridCode },
    });
    expect(none.statusCode).toBe(400);
  });

  it("lists by scope: the enterprise officer sees only their own", async () => {
    const list = await gw.request({
      method: "GET",
      url: `/api/organisations?q=${encodeURIComponent("测试精密")}`,
    });
    expect(list.json().total).toBe(1);
    const enterprise = await login(t.app, "enterprise");
    const own = await enterprise.request({ method: "GET", url: "/api/organisations" });
    expect(own.json().total).toBe(1);
    expect(own.json().items[0].id).toBe(
      (await enterprise.request({ method: "GET", url: "/api/auth/me" })).json().grants[0].scope.id,
    );
    const other = list.json().items[0].id;
    expect(
      (await enterprise.request({ method: "GET", url: `/api/organisations/${other}` })).statusCode,
    ).toBe(404);
  });
});

describe("organisation export", () => {
  it("exports what the list shows as XLSX", async () => {
    const res = await gw.request({
      method: "GET",
      url: `/api/organisations/export.xlsx?q=${encodeURIComponent("测试精密")}`,
    });
    expect(res.statusCode).toBe(200);
    const ExcelJS = (await import("exceljs")).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws?.rowCount).toBe(2);
    expect(ws?.getRow(2).getCell(1).value).toBe("苏州测试精密制造有限公司");
    expect(ws?.getRow(2).getCell(8).value).toBe("139****5678");
  });
});
