import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FinishedImport,
  importErrors,
  uploadImport,
  waitForImport,
} from "../../../../test/import-upload.js";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import { residentIdCheckChar } from "../../../shared/formats/resident-id.js";
import { usccCheckChar } from "../../../shared/formats/uscc.js";
import { findUserByName, loadActor } from "../auth/auth.service.js";
import type { Boundary } from "../geo/geometry.js";
import { boundaryInteriorPoint } from "../geo/geometry.js";
import { startImport } from "../imports/imports.service.js";
import { csvText, xlsxBuffer } from "../imports/spreadsheet.js";

const HEADER = [
  "道路",
  "门牌号",
  "小区",
  "幢号",
  "室号",
  "楼层",
  "经度",
  "纬度",
  "建筑面积（㎡）",
  "是否出租",
  "核定居住人数",
  "房东身份证号",
  "房东统一社会信用代码",
];

const idNumber = (first17: string) => first17 + residentIdCheckChar(first17);

let t: TestApp;
let gw: Session;
let coordinator: Session;
/** A point inside the grid worker's grid, and one inside another grid. */
let own: [string, string];
let other: [string, string];
let ownGridPath = "";
let existingBuilding = "";
let landlordId = "";
let landlordUscc = "";

/** A row by column name; unnamed columns stay empty. */
function row(cells: Partial<Record<(typeof HEADER)[number], string>>): string[] {
  return HEADER.map((h) => cells[h] ?? "");
}

const count = async (table: "units" | "buildings") =>
  (
    await t.database.db
      .selectFrom(table)
      .select(sql<number>`count(*)::int`.as("n"))
      .executeTakeFirstOrThrow()
  ).n;

beforeAll(async () => {
  t = await createTestApp();
  gw = await login(t.app, "gridworker");
  coordinator = await login(t.app, "coordinator");
  const me = (await gw.request({ method: "GET", url: "/api/auth/me" })).json();
  const grids = await t.database.db
    .selectFrom("areas")
    .select(["code", "path", "boundary"])
    .where("level", "=", "grid")
    .where("boundary", "is not", null)
    .orderBy("code")
    .execute();
  const mine = grids.find((g) => g.code === me.grants[0].scope.code);
  const another = grids.find((g) => g.code !== me.grants[0].scope.code);
  if (!mine || !another) throw new Error("the seed has no grids");
  ownGridPath = mine.path;
  const point = (b: unknown) =>
    boundaryInteriorPoint(b as Boundary).map((v) => v.toFixed(7)) as [string, string];
  own = point(mine.boundary);
  other = point(another.boundary);

  const b = await gw.request({
    method: "POST",
    url: "/api/buildings",
    payload: {
      road: "竹园路",
      houseNumber: "9",
      buildingNo: "2",
      lng: Number(own[0]),
      lat: Number(own[1]),
    },
  });
  expect(b.statusCode, b.body).toBe(201);
  existingBuilding = b.json().address;

  landlordId = idNumber("34010219800101123");
  const r = await gw.request({
    method: "POST",
    url: "/api/residents",
    payload: { name: "房东王", idNumber: landlordId },
  });
  expect(r.statusCode, r.body).toBe(201);
  const enterprise = await t.database.db
    .selectFrom("organisations")
    .select("uscc")
    .where("kind", "=", "enterprise")
    .where("uscc", "is not", null)
    .executeTakeFirstOrThrow();
  landlordUscc = enterprise.uscc as string;
});
afterAll(() => t.close());

describe("importing units", () => {
  const badUscc = () => {
    const first17 = "91320505MA1XWY12A";
    const right = usccCheckChar(first17);
    return { code: first17 + (right === "0" ? "1" : "0"), right };
  };
  const rows = () => [
    HEADER,
    // 2: a new building placed by its coordinates, a resident landlord
    row({
      道路: "长江路",
      门牌号: "100",
      幢号: "1",
      室号: "101",
      楼层: "1",
      经度: own[0],
      纬度: own[1],
      "建筑面积（㎡）": "45.5㎡",
      是否出租: "是",
      核定居住人数: "3",
      房东身份证号: landlordId,
    }),
    // 3: the same new building, no coordinates needed again
    row({ 道路: "长江路", 门牌号: "100号", 幢号: "1幢", 室号: "102", 是否出租: "否" }),
    // 4: a registered building, no coordinates; an organisation landlord
    row({
      道路: "竹园路",
      门牌号: "9",
      幢号: "2",
      室号: "501",
      是否出租: "是",
      房东统一社会信用代码: landlordUscc.toLowerCase(),
    }),
    // 5: outside the district
    row({ 道路: "长安街", 门牌号: "1", 室号: "1", 经度: "116.3975", 纬度: "39.9087" }),
    // 6: a landlord nobody registered
    row({
      道路: "竹园路",
      门牌号: "9",
      幢号: "2",
      室号: "502",
      房东身份证号: idNumber("41010519900101456"),
    }),
    // 7: row 2 again, written differently
    row({ 道路: "长江路", 门牌号: "100", 幢号: "1", 室号: "101室" }),
    // 8: a new building without coordinates
    row({ 道路: "无坐标路", 门牌号: "3", 室号: "201" }),
    // 9: a landlord USCC with a wrong check character
    row({
      道路: "竹园路",
      门牌号: "9",
      幢号: "2",
      室号: "503",
      房东统一社会信用代码: badUscc().code,
    }),
    // 10: a new building in another grid
    row({ 道路: "太湖路", 门牌号: "7", 室号: "301", 经度: other[0], 纬度: other[1] }),
    // 11: unreadable yes/no
    row({ 道路: "竹园路", 门牌号: "9", 幢号: "2", 室号: "504", 是否出租: "也许" }),
    // 12: swapped coordinates
    row({ 道路: "颠倒路", 门牌号: "1", 室号: "1", 经度: own[1], 纬度: own[0] }),
  ];

  let first: FinishedImport;
  it("imports the valid rows and refuses the rest with row number and reason", async () => {
    const buildingsBefore = await count("buildings");
    const res = await uploadImport(gw, "units", "房屋.csv", csvText(rows()));
    expect(res.statusCode, res.body).toBe(202);
    first = await waitForImport(gw, res.json().id);
    expect(first).toMatchObject({
      status: "done",
      totalRows: 11,
      insertedRows: 3,
      unchangedRows: 0,
      errorRows: 8,
    });
    const errors = await importErrors(gw, first.id);
    expect([...errors.keys()].sort((a, b) => a - b)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    expect(errors.get(5)).toContain("不在本辖区任何网格内");
    expect(errors.get(6)).toContain("房东未登记为实有人口");
    expect(errors.get(7)).toContain("与第 2 行重复");
    expect(errors.get(8)).toContain("新楼栋须填写经纬度");
    expect(errors.get(9)).toContain(`校验位应为 ${badUscc().right}`);
    expect(errors.get(10)).toContain("不在您的管辖范围内");
    expect(errors.get(11)).toContain("是否出租");
    expect(errors.get(12)).toContain("填反");

    // One new building, in the grid its coordinates fall in.
    expect(await count("buildings")).toBe(buildingsBefore + 1);
    const building = await t.database.db
      .selectFrom("buildings")
      .select(["area_path", "lng", "lat"])
      .where("address", "=", "长江路100号1幢")
      .executeTakeFirstOrThrow();
    expect(building.area_path).toBe(ownGridPath);
    expect(building.lng).toBeCloseTo(Number(own[0]), 6);

    const units = (
      await gw.request({ method: "GET", url: `/api/units?q=${encodeURIComponent("长江路100号")}` })
    ).json();
    expect(units.total).toBe(2);
    expect(units.items[0]).toMatchObject({
      address: "长江路100号1幢101室",
      floor: 1,
      floorAreaM2: 45.5,
      isRental: true,
      declaredCapacity: 3,
      landlord: { kind: "resident", name: "房东王" },
      gridPath: ownGridPath,
    });
    expect(units.items[1]).toMatchObject({ address: "长江路100号1幢102室", isRental: false });
    const let_ = (
      await gw.request({
        method: "GET",
        url: `/api/units?q=${encodeURIComponent(`${existingBuilding}501室`)}`,
      })
    ).json();
    expect(let_.items[0].landlord).toMatchObject({ kind: "organisation" });
  });

  it("changes nothing when the same file is imported again", async () => {
    const [units, buildings] = [await count("units"), await count("buildings")];
    const res = await uploadImport(gw, "units", "房屋.csv", csvText(rows()));
    const again = await waitForImport(gw, res.json().id);
    expect(again).toMatchObject({ insertedRows: 0, unchangedRows: 3, errorRows: 8 });
    expect(await count("units")).toBe(units);
    expect(await count("buildings")).toBe(buildings);
  });

  it("refuses rows outside the importer's area, but not a district-wide coordinator's", async () => {
    const file = csvText([
      HEADER,
      row({ 道路: "太湖路", 门牌号: "7", 室号: "301", 经度: other[0], 纬度: other[1] }),
    ]);
    const byWorker = await waitForImport(
      gw,
      (await uploadImport(gw, "units", "x.csv", file)).json().id,
    );
    expect(byWorker).toMatchObject({ insertedRows: 0, errorRows: 1 });
    const byCoordinator = await waitForImport(
      coordinator,
      (await uploadImport(coordinator, "units", "x.csv", file)).json().id,
    );
    expect(byCoordinator).toMatchObject({ insertedRows: 1, errorRows: 0 });
    // Now registered, but still not the grid worker's to import into.
    const again = await waitForImport(
      gw,
      (await uploadImport(gw, "units", "x.csv", file)).json().id,
    );
    expect(again).toMatchObject({ insertedRows: 0, unchangedRows: 0, errorRows: 1 });
  });

  it("places new buildings from the command line too, where no app locator is passed", async () => {
    // The CLI calls startImport without the app's AreaLocator: the kind then
    // builds its grid index inside the batch's transaction (on PGlite a query
    // outside it would wait forever).
    const user = await findUserByName(t.database.db, "gridworker");
    if (!user) throw new Error("no gridworker");
    const actor = await loadActor(t.database.db, user.id, user.username);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gongzhi-units-import-"));
    try {
      const file = path.join(dir, "units.csv");
      fs.writeFileSync(
        file,
        csvText([
          HEADER,
          row({ 道路: "命令行路", 门牌号: "5", 室号: "101", 经度: own[0], 纬度: own[1] }),
        ]),
      );
      const { done } = await startImport(
        { db: t.database.db, config: t.config, fieldCrypto: t.fieldCrypto },
        actor,
        { kind: "units", file, filename: "units.csv" },
        "test",
      );
      expect(await done).toMatchObject({ status: "done", insertedRows: 1, errorRows: 0 });
      const b = await t.database.db
        .selectFrom("buildings")
        .select("area_path")
        .where("address", "=", "命令行路5号")
        .executeTakeFirstOrThrow();
      expect(b.area_path).toBe(ownGridPath);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads XLSX as well", async () => {
    const xlsx = await xlsxBuffer("实有房屋", [
      HEADER,
      row({ 道路: "竹园路", 门牌号: "9", 幢号: "2", 室号: "601", "建筑面积（㎡）": "80" }),
    ]);
    const res = await uploadImport(gw, "units", "房屋.xlsx", xlsx);
    expect(res.statusCode, res.body).toBe(202);
    expect(await waitForImport(gw, res.json().id)).toMatchObject({
      status: "done",
      insertedRows: 1,
      errorRows: 0,
    });
  });

  it("refuses a file with the wrong headers, recording nothing", async () => {
    const res = await uploadImport(
      gw,
      "units",
      "x.csv",
      csvText([
        ["地址", "面积"],
        ["竹园路9号", "50"],
      ]),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain("缺少「道路」「门牌号」「室号」");
  });

  it("offers CSV and XLSX templates with Chinese headers", async () => {
    const csv = await gw.request({ method: "GET", url: "/api/imports/templates/units.csv" });
    expect(csv.statusCode).toBe(200);
    expect(csv.body.split("\r\n")[0]).toBe(`\uFEFF${HEADER.join(",")}`);
    const xlsx = await gw.request({ method: "GET", url: "/api/imports/templates/units.xlsx" });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers["content-disposition"]).toContain("units-template.xlsx");
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe("PK");
    const unknown = await gw.request({ method: "GET", url: "/api/imports/templates/people.csv" });
    expect(unknown.statusCode).toBe(400);
  });
});
