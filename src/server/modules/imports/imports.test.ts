import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import { residentIdCheckChar } from "../../../shared/formats/resident-id.js";
import type { Boundary } from "../geo/geometry.js";
import { boundaryInteriorPoint } from "../geo/geometry.js";
import { csvText, xlsxBuffer } from "./spreadsheet.js";

const idNumber = (region: string, birth: string, serial: string) => {
  const first17 = `${region}${birth}${serial}`;
  return first17 + residentIdCheckChar(first17);
};

/** The same number with a check character that is not the right one. */
const wrongCheck = (id: string) => id.slice(0, 17) + (id.endsWith("0") ? "1" : "0");

let t: TestApp;
let gw: Session;
let unitAddress = "";

function multipart(filename: string, content: Buffer | string, type = "text/csv") {
  const boundary = "----gongzhi-test-boundary";
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`;
  const payload = Buffer.concat([
    Buffer.from(head),
    Buffer.from(content),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

async function upload(s: Session, filename: string, content: Buffer | string, type?: string) {
  const m = multipart(filename, content, type);
  return s.request({
    method: "POST",
    url: "/api/imports?kind=residents",
    payload: m.payload,
    headers: m.headers,
  });
}

async function waitDone(s: Session, id: string) {
  for (let i = 0; i < 200; i++) {
    const r = (await s.request({ method: "GET", url: `/api/imports/${id}` })).json();
    if (r.status !== "running") return r;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error("import did not finish");
}

const HEADER = [
  "姓名",
  "身份证号",
  "手机号",
  "来苏日期",
  "现住地址",
  "迁入日期",
  "用人单位统一社会信用代码",
];

beforeAll(async () => {
  t = await createTestApp();
  gw = await login(t.app, "gridworker");
  const me = (await gw.request({ method: "GET", url: "/api/auth/me" })).json();
  const g = await t.database.db
    .selectFrom("areas")
    .select("boundary")
    .where("code", "=", me.grants[0].scope.code)
    .executeTakeFirstOrThrow();
  const [lng, lat] = boundaryInteriorPoint(g.boundary as Boundary);
  const b = (
    await gw.request({
      method: "POST",
      url: "/api/buildings",
      payload: { road: "竹园路", houseNumber: "9", buildingNo: "2", lng, lat },
    })
  ).json();
  const u = (
    await gw.request({
      method: "POST",
      url: "/api/units",
      payload: { buildingId: b.id, unitNo: "301", isRental: true, declaredCapacity: 4 },
    })
  ).json();
  unitAddress = u.address;
});
afterAll(() => t.close());

describe("importing residents", () => {
  const good = [
    [
      "陈明",
      idNumber("340102", "19920101", "111"),
      "13900001111",
      "2024-03-01",
      "",
      "2024-03-05",
      "",
    ],
    ["周芳", idNumber("410105", "19980512", "222"), "", "2023/7/9", "", "", ""],
  ];
  const rows = () => [
    HEADER,
    [...(good[0] as string[]).slice(0, 4), unitAddress, ...(good[0] as string[]).slice(5)],
    good[1] as string[],
    ["错号", wrongCheck(idNumber("510104", "19900101", "333")), "", "", "", "", ""],
    ["陈明", (good[0] as string[])[1] as string, "", "", "", "", ""],
    ["无址", idNumber("520102", "19950101", "444"), "", "", "不存在路1号1室", "", ""],
    ["坏日期", idNumber("520102", "19950101", "555"), "", "2024-13-40", "", "", ""],
  ];

  it("imports valid rows, refuses the rest with row numbers and reasons, and serves an error file", async () => {
    const res = await upload(gw, "居民.csv", csvText(rows()));
    expect(res.statusCode, res.body).toBe(202);
    const done = await waitDone(gw, res.json().id);
    expect(done).toMatchObject({
      status: "done",
      totalRows: 6,
      insertedRows: 2,
      unchangedRows: 0,
      errorRows: 4,
    });
    const list = await gw.request({ method: "GET", url: "/api/residents?q=陈明" });
    expect(list.json().items[0]).toMatchObject({
      name: "陈明",
      unit: { address: unitAddress },
      registeredSince: "2024-03-05",
    });
    // A row without an address stays in the importer's grid, in sight.
    const unplaced = await gw.request({ method: "GET", url: "/api/residents?q=周芳" });
    expect(unplaced.json().items).toMatchObject([
      { name: "周芳", unit: null, registeredSince: null },
    ]);
    const errors = await gw.request({ method: "GET", url: `/api/imports/${done.id}/errors.csv` });
    expect(errors.headers["content-type"]).toContain("text/csv");
    const text = errors.body;
    expect(text).toContain("校验位应为");
    expect(text).toContain("与第 2 行重复");
    expect(text).toContain("现住地址不存在");
    expect(text).toContain("来苏日期格式");
    expect(text.split("\r\n")[0]).toBe(`\uFEFF${[...HEADER, "行号", "错误原因"].join(",")}`);
  });

  it("a file of only refused rows counts every one and serves them as an error file", async () => {
    const res = await upload(
      gw,
      "全错.csv",
      csvText([
        HEADER,
        ["错号", wrongCheck(idNumber("510104", "19900101", "777")), "", "", "", "", ""],
        ["", idNumber("510104", "19900101", "888"), "", "", "", "", ""],
      ]),
    );
    const done = await waitDone(gw, res.json().id);
    expect(done).toMatchObject({ status: "done", totalRows: 2, insertedRows: 0, errorRows: 2 });
    const errors = await gw.request({ method: "GET", url: `/api/imports/${done.id}/errors.csv` });
    expect(errors.body).toContain("校验位应为");
    expect(errors.body).toContain("姓名为空");
  });

  it("importing the same file again changes nothing", async () => {
    const before = await t.database.db
      .selectFrom("residents")
      .select(sql<number>`count(*)::int`.as("n"))
      .executeTakeFirstOrThrow();
    const res = await upload(gw, "居民.csv", csvText(rows()));
    const done = await waitDone(gw, res.json().id);
    expect(done).toMatchObject({ insertedRows: 0, unchangedRows: 2, errorRows: 4 });
    const after = await t.database.db
      .selectFrom("residents")
      .select(sql<number>`count(*)::int`.as("n"))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it("reads XLSX too", async () => {
    const xlsx = await xlsxBuffer("实有人口", [
      HEADER,
      ["吴刚", idNumber("360102", "19880808", "666"), "", "", "", "", ""],
    ]);
    const res = await upload(
      gw,
      "居民.xlsx",
      xlsx,
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    expect(res.statusCode, res.body).toBe(202);
    expect(await waitDone(gw, res.json().id)).toMatchObject({ status: "done", insertedRows: 1 });
  });

  it("reads a small CSV whose last character is Chinese", async () => {
    // The whole file fits in the block read to sniff its type, and ends inside
    // a multi-byte character if the block is cut short.
    const coordinator = await login(t.app, "coordinator");
    const csv = csvText([
      ["身份证号", "姓名"],
      [idNumber("360102", "19900101", "135"), "吴丽"],
    ]);
    const res = await upload(coordinator, "短.csv", csv);
    expect(res.statusCode, res.body).toBe(202);
    expect(await waitDone(coordinator, res.json().id)).toMatchObject({
      status: "done",
      insertedRows: 1,
    });
  });

  it("refuses wrong headers, a file that is not a spreadsheet, and an oversize file — recording nothing", async () => {
    const before = await t.database.db
      .selectFrom("imports")
      .select(sql<number>`count(*)::int`.as("n"))
      .executeTakeFirstOrThrow();
    const headers = await upload(
      gw,
      "x.csv",
      csvText([
        ["名字", "证件"],
        ["a", "b"],
      ]),
    );
    expect(headers.statusCode).toBe(400);
    expect(headers.json().error.message).toContain("缺少「姓名」「身份证号」");
    const binary = await upload(
      gw,
      "x.csv",
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 2, 3]),
    );
    expect(binary.statusCode).toBe(400);
    expect(binary.json().error.message).toContain("不是 CSV 或 XLSX");
    const small = await createTestApp({
      env: { IMPORT_MAX_BYTES: "2048", BODY_LIMIT_BYTES: "1048576" },
    });
    try {
      const s = await login(small.app, "gridworker");
      const big = await upload(
        s,
        "big.csv",
        csvText([
          HEADER,
          ...Array.from({ length: 200 }, () => ["张三", "x".repeat(18), "", "", "", "", ""]),
        ]),
      );
      expect(big.statusCode).toBe(400);
      expect(big.json().error.message).toContain("文件过大");
    } finally {
      await small.close();
    }
    const after = await t.database.db
      .selectFrom("imports")
      .select(sql<number>`count(*)::int`.as("n"))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it("offers templates with Chinese headers, and is for staff who keep base data", async () => {
    const csv = await gw.request({ method: "GET", url: "/api/imports/templates/residents.csv" });
    expect(csv.body.split("\r\n")[0]).toBe(`\uFEFF${HEADER.join(",")}`);
    const xlsx = await gw.request({ method: "GET", url: "/api/imports/templates/residents.xlsx" });
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe("PK");
    const resident = await login(t.app, "resident");
    expect((await upload(resident, "x.csv", csvText(rows()))).statusCode).toBe(403);
    expect((await t.app.inject({ method: "GET", url: "/api/imports" })).statusCode).toBe(401);
    const list = await gw.request({ method: "GET", url: "/api/imports" });
    expect(list.json().total).toBe(4); // the grid worker's own imports above
  });
});

describe("refused rows at rest", () => {
  it("keeps no plaintext ID number of a refused row in the database", async () => {
    const rows = await sql<{ errors: unknown }>`SELECT errors FROM imports`.execute(t.database.db);
    const text = JSON.stringify(rows.rows);
    expect(text).toContain("sealed");
    expect(text).not.toMatch(/\d{17}[\dX]/);
  });
});

describe("an import whose server stopped", () => {
  it("is marked failed once its heartbeat is stale, and a live one is left alone", async () => {
    const { runImportsSweep } = await import("../../jobs/imports-sweep.js");
    const db = t.database.db;
    const users = await db
      .selectFrom("users")
      .select("id")
      .where("username", "=", "gridworker")
      .executeTakeFirstOrThrow();
    const make = () =>
      db
        .insertInto("imports")
        .values({ kind: "residents", filename: "stopped.csv", created_by: users.id })
        .returning("id")
        .executeTakeFirstOrThrow();
    const dead = await make();
    const live = await make();
    const now = new Date(Date.now() + 10 * 60_000); // ten minutes on: both are silent…
    await db.updateTable("imports").set({ heartbeat_at: now }).where("id", "=", live.id).execute(); // …but one just beat
    expect(await runImportsSweep(db, now)).toEqual({ failed: 1 });
    expect(await runImportsSweep(db, now)).toEqual({ failed: 0 });
    const r = (await gw.request({ method: "GET", url: `/api/imports/${dead.id}` })).json();
    expect(r.status).toBe("failed");
    expect(r.message).toContain("导入中断");
    expect(r.finishedAt).toBeTruthy();
    const l = (await gw.request({ method: "GET", url: `/api/imports/${live.id}` })).json();
    expect(l.status).toBe("running");
    await db.deleteFrom("imports").where("id", "in", [dead.id, live.id]).execute();
  });
});
