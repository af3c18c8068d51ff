import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FinishedImport,
  importErrors,
  uploadImport,
  waitForImport,
} from "../../../../test/import-upload.js";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import { usccCheckChar } from "../../../shared/formats/uscc.js";
import { csvText, xlsxBuffer } from "../imports/spreadsheet.js";

const HEADER = [
  "类型",
  "名称",
  "统一社会信用代码",
  "网格编码",
  "地址",
  "行业",
  "规模",
  "法定代表人",
  "安全员",
  "安全员手机号",
  "协会类型",
  "籍贯省份",
  "方言",
  "从业领域",
];

const uscc = (first17: string) => first17 + usccCheckChar(first17);

let t: TestApp;
let gw: Session;
let ownGrid = "";
let otherGrid = "";
let community = "";
let registered = "";

function row(cells: Partial<Record<(typeof HEADER)[number], string>>): string[] {
  return HEADER.map((h) => cells[h] ?? "");
}

const organisations = async () =>
  (
    await t.database.db
      .selectFrom("organisations")
      .select(sql<number>`count(*)::int`.as("n"))
      .executeTakeFirstOrThrow()
  ).n;

beforeAll(async () => {
  t = await createTestApp();
  gw = await login(t.app, "gridworker");
  ownGrid = (await gw.request({ method: "GET", url: "/api/auth/me" })).json().grants[0].scope.code;
  const areas = t.database.db.selectFrom("areas").select("code").orderBy("code");
  otherGrid = (
    await areas.where("level", "=", "grid").where("code", "<>", ownGrid).executeTakeFirstOrThrow()
  ).code;
  community = (await areas.where("level", "=", "community").executeTakeFirstOrThrow()).code;
  registered = (
    await t.database.db
      .selectFrom("organisations")
      .select("uscc")
      .where("kind", "=", "enterprise")
      .where("uscc", "is not", null)
      .executeTakeFirstOrThrow()
  ).uscc as string;
});
afterAll(() => t.close());

describe("importing organisations", () => {
  const enterprise = uscc("91320505MA1XWY12A");
  const other = uscc("91320505MA7PQR34B");
  const wrongCheck = () => {
    const first17 = "91320505MA2KLM56C";
    const right = usccCheckChar(first17);
    return { code: first17 + (right === "0" ? "1" : "0"), right };
  };
  const rows = () => [
    HEADER,
    // 2: an enterprise
    row({
      类型: "企业",
      名称: "苏州导入测试精密机械有限公司",
      统一社会信用代码: enterprise,
      网格编码: ownGrid,
      地址: "狮山路88号",
      行业: "精密制造",
      规模: "小型",
      法定代表人: "王建国",
      安全员: "李强",
      安全员手机号: "13912345678",
    }),
    // 3: a hometown association with its lists
    row({
      类型: "协会",
      名称: "虎丘区导入测试同乡会",
      网格编码: ownGrid,
      协会类型: "同乡会",
      籍贯省份: "安徽省、河南省",
      方言: "江淮官话,中原官话",
      从业领域: "餐饮；建筑施工",
    }),
    // 4: a wrong check character
    row({ 类型: "企业", 名称: "错码公司", 统一社会信用代码: wrongCheck().code, 网格编码: ownGrid }),
    // 5: an enterprise without its code
    row({ 类型: "企业", 名称: "无码公司", 网格编码: ownGrid }),
    // 6: row 2 again (lower case)
    row({
      类型: "企业",
      名称: "重复公司",
      统一社会信用代码: enterprise.toLowerCase(),
      网格编码: ownGrid,
    }),
    // 7: another grid
    row({ 类型: "企业", 名称: "外网格公司", 统一社会信用代码: other, 网格编码: otherGrid }),
    // 8: a grid code that does not exist
    row({
      类型: "企业",
      名称: "无网格公司",
      统一社会信用代码: uscc("91320505MA3ABC78D"),
      网格编码: "320505999999999",
    }),
    // 9: a community's code, not a grid's
    row({
      类型: "企业",
      名称: "社区公司",
      统一社会信用代码: uscc("91320505MA4DEF90E"),
      网格编码: community,
    }),
    // 10: an unknown association kind
    row({ 类型: "协会", 名称: "兴趣小组", 网格编码: ownGrid, 协会类型: "兴趣小组" }),
    // 11: a bad phone number
    row({
      类型: "企业",
      名称: "错号公司",
      统一社会信用代码: uscc("91320505MA5GHJ12K"),
      网格编码: ownGrid,
      安全员手机号: "12345",
    }),
    // 12: an association without its kind
    row({ 类型: "协会", 名称: "无类型协会", 网格编码: ownGrid }),
    // 13: an enterprise registered already
    row({ 类型: "企业", 名称: "已登记企业", 统一社会信用代码: registered, 网格编码: ownGrid }),
  ];

  let first: FinishedImport;
  it("imports the valid rows and refuses the rest with row number and reason", async () => {
    const res = await uploadImport(gw, "organisations", "单位.csv", csvText(rows()));
    expect(res.statusCode, res.body).toBe(202);
    first = await waitForImport(gw, res.json().id);
    const errors = await importErrors(gw, first.id);
    expect(first, JSON.stringify([...errors])).toMatchObject({
      status: "done",
      totalRows: 12,
      insertedRows: 2,
      unchangedRows: 1,
      errorRows: 9,
    });
    expect([...errors.keys()].sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(errors.get(4)).toContain(`统一社会信用代码：校验位应为 ${wrongCheck().right}`);
    expect(errors.get(5)).toContain("企业须填写统一社会信用代码");
    expect(errors.get(6)).toContain("与第 2 行重复");
    expect(errors.get(7)).toContain("不在您的管辖范围内");
    expect(errors.get(8)).toContain("网格编码不存在");
    expect(errors.get(9)).toContain("网格编码：请选择所在网格");
    expect(errors.get(10)).toContain("协会类型请填");
    expect(errors.get(11)).toContain("安全员手机号：");
    expect(errors.get(12)).toContain("协会类型：请选择协会类型");

    const found = (
      await gw.request({
        method: "GET",
        url: `/api/organisations?q=${encodeURIComponent("导入测试")}`,
      })
    ).json();
    expect(found.total).toBe(2);
    const byKind = Object.fromEntries(
      found.items.map((o: { kind: string }) => [o.kind, o]),
    ) as Record<string, unknown>;
    expect(byKind.enterprise).toMatchObject({
      uscc: enterprise,
      industry: "精密制造",
      size: "small",
      legalRepresentative: "王建国",
      safetyOfficerPhone: "139****5678",
    });
    expect(byKind.association).toMatchObject({
      associationKind: "hometown",
      provinces: ["安徽省", "河南省"],
      dialects: ["江淮官话", "中原官话"],
      sectors: ["餐饮", "建筑施工"],
      uscc: null,
    });
    const stored = await t.database.db
      .selectFrom("organisations")
      .select(["safety_officer_phone_enc", "area_path"])
      .where("uscc", "=", enterprise)
      .executeTakeFirstOrThrow();
    expect(stored.safety_officer_phone_enc).not.toContain("13912345678");
    expect(stored.area_path).toMatch(new RegExp(`/${ownGrid}/$`));
  });

  it("changes nothing when the same file is imported again", async () => {
    const before = await organisations();
    const res = await uploadImport(gw, "organisations", "单位.csv", csvText(rows()));
    expect(await waitForImport(gw, res.json().id)).toMatchObject({
      insertedRows: 0,
      unchangedRows: 3,
      errorRows: 9,
    });
    expect(await organisations()).toBe(before);
  });

  it("reads XLSX as well, with English values accepted", async () => {
    const xlsx = await xlsxBuffer("实有单位", [
      HEADER,
      row({
        类型: "association",
        名称: "虎丘区导入测试新市民之家",
        网格编码: ownGrid,
        协会类型: "new_citizen",
      }),
      row({
        类型: "企业",
        名称: "苏州导入测试物流有限公司",
        统一社会信用代码: uscc("91320505MA6NPQ34R"),
        网格编码: ownGrid,
        规模: "中型",
      }),
    ]);
    const res = await uploadImport(gw, "organisations", "单位.xlsx", xlsx);
    expect(res.statusCode, res.body).toBe(202);
    expect(await waitForImport(gw, res.json().id)).toMatchObject({
      status: "done",
      insertedRows: 2,
      errorRows: 0,
    });
  });

  it("refuses a file with the wrong headers", async () => {
    const res = await uploadImport(
      gw,
      "organisations",
      "x.csv",
      csvText([
        ["单位名称", "信用代码"],
        ["某公司", enterprise],
      ]),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain("缺少「类型」「名称」「网格编码」");
  });

  it("offers CSV and XLSX templates with Chinese headers", async () => {
    const csv = await gw.request({
      method: "GET",
      url: "/api/imports/templates/organisations.csv",
    });
    expect(csv.statusCode).toBe(200);
    const [header, example] = csv.body.split("\r\n");
    expect(header).toBe(`\uFEFF${HEADER.join(",")}`);
    // The example row itself passes the checks (its code's check character is right).
    const code = example?.split(",")[2] ?? "";
    expect(code).toBe(uscc(code.slice(0, 17)));
    const xlsx = await gw.request({
      method: "GET",
      url: "/api/imports/templates/organisations.xlsx",
    });
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe("PK");
  });
});
