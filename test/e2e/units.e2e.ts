/**
 * Browser tests of 实有房屋 (/units), in Chinese.
 *
 * A grid worker on a phone (390×844) registers a unit in their grid through
 * the form (told live what is wrong with a bad capacity), then finds it by
 * address, sees it flagged as 群租 once three people live in it, opens it and
 * sees its occupants and their moves. The demo grid worker's grid has no
 * seeded housing, so the building and the residents are made here.
 *
 * A coordinator at the desk filters overcrowded units and sees each flagged
 * with its reason, exports them to XLSX (the file is read back), switches to
 * the map and sees server-side clusters, zooms into one and opens a unit
 * from its marker.
 */
import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Boundary, boundaryInteriorPoint } from "../../src/server/modules/geo/geometry.js";
import { residentIdCheckChar } from "../../src/shared/formats/resident-id.js";
import { BASE, BrowserSession, loginOk, RESULTS } from "./support.js";

const session = new BrowserSession();
beforeAll(() => session.start());
afterAll(() => session.stop());

/** Let modals, drawers and messages finish animating before a screenshot. */
const settle = (page: Page) => page.waitForTimeout(500);

function idNumber(region: string, birth: string, serial: string): string {
  const first17 = `${region}${birth}${serial}`;
  return first17 + residentIdCheckChar(first17);
}

/** The signed-in user's CSRF header and first area grant, for API calls with the page's session. */
async function sessionInfo(page: Page) {
  const me = await (await page.request.get(`${BASE}/api/auth/me`)).json();
  return { headers: { "x-csrf-token": me.csrfToken as string }, code: me.grants[0].scope.code };
}

describe("实有房屋 on a phone (grid worker)", () => {
  it("registers a unit with live checks, finds it by address and sees who lives there", async () => {
    const page = await session.newPage({ width: 390, height: 844 }, true);
    await loginOk(page, "gridworker");
    const { headers, code } = await sessionInfo(page);

    // A building in the grid worker's own grid (their grid has no seeded housing).
    const grid = await (await page.request.get(`${BASE}/api/areas/${code}`)).json();
    const [lng, lat] = boundaryInteriorPoint(grid.boundary as Boundary);
    const b = await page.request.post(`${BASE}/api/buildings`, {
      headers,
      data: { road: "竹园路", houseNumber: "99", buildingNo: "1", lng, lat },
    });
    expect(b.status()).toBe(201);

    // 登记房屋 through the form.
    await page.goto(`${BASE}/units`);
    await page.getByTestId("units-page").waitFor();
    await page.getByTestId("unit-create").click();
    await page.getByTestId("unit-building").click();
    await page.keyboard.type("竹园路99号");
    await page.getByText("竹园路99号1幢").last().click();
    await page.getByTestId("unit-no").fill("301");
    await page.getByText("标准地址：竹园路99号1幢301室").waitFor();
    await page.getByTestId("unit-capacity").fill("0");
    await page.getByTestId("unit-floor-area").click();
    await page.getByText("核定人数至少为 1").waitFor();
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "units-phone-create-invalid.png") });
    await page.getByTestId("unit-capacity").fill("2");
    await page.getByTestId("unit-floor-area").fill("18");
    await page.getByTestId("unit-is-rental").click();
    await expect.poll(() => page.getByText("核定人数至少为 1").count()).toBe(0);
    await page.getByTestId("unit-create-submit").click();
    await page.getByTestId("unit-detail").waitFor();
    await expect(page.getByTestId("unit-detail-address").textContent()).resolves.toBe(
      "竹园路99号1幢301室",
    );
    const unitId = (await page.getByTestId("unit-detail").getAttribute("data-unit-id")) ?? "";
    expect(unitId).toMatch(/^\d+$/);

    // Three people move in: more than the two it is declared for.
    const people = [
      ["陈静", idNumber("320102", "19960412", "226")],
      ["周杰", idNumber("420106", "19930817", "315")],
      ["吴磊", idNumber("500103", "20000105", "437")],
    ] as const;
    for (const [name, id] of people) {
      const r = await page.request.post(`${BASE}/api/residents`, {
        headers,
        data: { name, idNumber: id, unitId, movedIn: "2026-02-01" },
      });
      expect(r.status(), await r.text()).toBe(201);
    }

    // A neighbour on the same floor, so the search has something to leave out.
    const next = await page.request.post(`${BASE}/api/units`, {
      headers,
      data: { buildingId: (await b.json()).id, unitNo: "302", isRental: false },
    });
    expect(next.status()).toBe(201);

    // Find it by address in the list: flagged 群租 with the reason.
    await page.goto(`${BASE}/units`);
    await expect.poll(async () => page.getByTestId("units-total").textContent()).toBe("共 2 条");
    await page.getByTestId("units-search").fill("99号1幢301");
    await page.waitForURL(/q=/);
    await expect.poll(async () => page.getByTestId("units-total").textContent()).toBe("共 1 条");
    const row = page.locator(`[data-testid="units-table"] tr[data-unit-id="${unitId}"]`);
    await expect(row.getAttribute("data-overcrowded")).resolves.toBe("true");
    await expect(row.getByTestId("unit-overcrowded-reason").textContent()).resolves.toContain(
      "超核定人数（住 3 人，核定 2 人）",
    );
    await page.screenshot({ path: path.join(RESULTS, "units-phone-list.png") });

    // Open it: its occupants, linked to their records, and their moves in.
    await row.getByTestId("unit-link").click();
    await page.getByTestId("unit-detail").waitFor();
    await expect(page.getByTestId("unit-detail-occupants").textContent()).resolves.toBe("3 人");
    const residents = page.getByTestId("unit-residents");
    for (const [name] of people) await residents.getByText(name, { exact: true }).waitFor();
    await expect(residents.getByTestId("unit-resident-link").count()).resolves.toBe(3);
    await expect(page.getByTestId("unit-overcrowded-reason").textContent()).resolves.toContain(
      "超核定人数",
    );
    await expect(page.getByTestId("unit-history").textContent()).resolves.toContain(
      "2026-02-01 迁入",
    );
    await page.screenshot({ path: path.join(RESULTS, "units-phone-detail.png"), fullPage: true });

    await residents.getByText("周杰", { exact: true }).click();
    await page.getByTestId("resident-detail").waitFor();
    await expect(page.getByTestId("resident-detail").textContent()).resolves.toContain(
      "竹园路99号1幢301室",
    );
  });
});

describe("实有房屋 at the desk (coordinator)", () => {
  it("filters overcrowded units, exports them, and finds them on the clustered map", async () => {
    const page = await session.newPage({ width: 1366, height: 900 });
    await loginOk(page, "coordinator");
    await page.getByTestId("nav-menu").getByText("实有房屋", { exact: true }).click();
    await page.waitForURL(/\/units$/);
    await page.getByTestId("units-page").waitFor();

    // A new building placed on the map (its grid shown at once), then a unit in it.
    await page.getByTestId("unit-create").click();
    await page.getByTestId("unit-create-form").waitFor();
    await settle(page);
    await page.getByTestId("unit-new-building").click();
    await page.getByTestId("building-create-form").waitFor();
    await page.getByTestId("building-road").fill("科灵路");
    await page.getByTestId("building-house").fill("8");
    await page.getByTestId("building-no").fill("2");
    await page.getByText("标准地址：科灵路8号2幢").waitFor();
    await page.getByTestId("building-create-submit").click();
    await page.getByText("请在地图上点选楼栋位置").first().waitFor();
    const picker = page.getByTestId("building-location-map");
    const box = await picker.boundingBox();
    if (!box) throw new Error("no location map");
    await page.waitForTimeout(400); // the map fits the district first
    await picker.click({ position: { x: box.width / 2, y: box.height / 2 } });
    await expect
      .poll(() => page.getByTestId("building-grid").textContent())
      .toMatch(/所属网格：.+网格/);
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "units-desk-new-building.png") });
    await page.getByTestId("building-create-submit").click();
    await page.getByText("标准地址：科灵路8号2幢").waitFor({ state: "detached" });
    await page.getByTestId("unit-no").fill("101");
    await page.getByText("标准地址：科灵路8号2幢101室").waitFor();
    await page.getByTestId("unit-create-submit").click();
    await page.getByTestId("unit-detail").waitFor();
    await expect(page.getByTestId("unit-detail-address").textContent()).resolves.toBe(
      "科灵路8号2幢101室",
    );
    await page.getByTestId("unit-back").click();
    await page.waitForURL(/\/units$/);
    const rows = page.locator('[data-testid="units-table"] tr.ant-table-row');
    await rows.first().waitFor();
    const totalAll = Number(
      ((await page.getByTestId("units-total").textContent()) ?? "").replace(/\D/g, ""),
    );
    expect(totalAll).toBeGreaterThan(100);

    // Only overcrowded units: every row flagged, each with its reason.
    await page.getByTestId("units-overcrowded-filter").click();
    await page.waitForURL(/overcrowded=true/);
    await expect
      .poll(async () =>
        Number(((await page.getByTestId("units-total").textContent()) ?? "").replace(/\D/g, "")),
      )
      .toBeLessThan(totalAll);
    const crowded = Number(
      ((await page.getByTestId("units-total").textContent()) ?? "").replace(/\D/g, ""),
    );
    expect(crowded).toBeGreaterThan(0);
    await expect
      .poll(() => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-overcrowded"))))
      .toEqual(Array(Math.min(crowded, 20)).fill("true"));
    const reasons = await page.getByTestId("unit-overcrowded-reason").allTextContents();
    expect(reasons.length).toBe(Math.min(crowded, 20));
    for (const r of reasons) expect(r).toMatch(/超核定人数|人均面积不足/);

    // Most occupants first.
    await page.locator("th", { hasText: "居住人数" }).click();
    await page.waitForURL(/sort=-occupants/);
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "units-desk-overcrowded.png") });

    // Export with the same filter: a real XLSX with one row per overcrowded unit.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("units-export").click(),
    ]);
    expect(download.suggestedFilename()).toBe("实有房屋.xlsx");
    const file = path.join(RESULTS, "units-export.xlsx");
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(file) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    if (!ws) throw new Error("the export has no worksheet");
    expect(ws.getRow(1).getCell(1).value).toBe("地址");
    expect(ws.rowCount - 1).toBe(crowded);
    const crowdedCol = (ws.getRow(1).values as unknown[]).indexOf("群租");
    expect(crowdedCol).toBeGreaterThan(0);
    for (let i = 2; i <= ws.rowCount; i++)
      expect(ws.getRow(i).getCell(crowdedCol).value).toBe("是");

    // The map: server-side clusters, all red while only overcrowded units are shown.
    await page.getByTestId("units-view").getByText("地图").click();
    await page.waitForURL(/view=map/);
    const clusters = page.getByTestId("unit-cluster");
    await clusters.first().waitFor();
    await expect(page.getByTestId("units-map-summary").textContent()).resolves.toMatch(
      /视野内 \d+ 套房屋，其中群租 \d+ 套/,
    );
    const counts = await clusters.evaluateAll((els) =>
      els.map((e) => [Number(e.dataset.count), Number(e.dataset.overcrowded)]),
    );
    expect(counts.length).toBeGreaterThan(0);
    for (const [n, o] of counts) expect(o).toBe(n);
    expect(counts.reduce((s, [n]) => s + (n ?? 0), 0)).toBe(crowded);
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "units-desk-map-overcrowded.png") });

    // All units: fewer markers than units, with red badges where some are overcrowded.
    await page.getByTestId("units-overcrowded-filter").click();
    await expect
      .poll(async () =>
        (await clusters.evaluateAll((els) => els.map((e) => Number(e.dataset.count)))).reduce(
          (s, n) => s + n,
          0,
        ),
      )
      .toBe(totalAll);
    expect(await clusters.count()).toBeLessThan(totalAll / 3);
    expect(await page.getByTestId("unit-cluster-overcrowded").count()).toBeGreaterThan(0);
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "units-desk-map.png") });

    // Zoom into the biggest cluster until single units show, then open one from its marker.
    const markers = page.getByTestId("unit-marker");
    for (let i = 0; i < 8 && (await markers.count()) === 0; i++) {
      const before = page.url();
      const biggest = await clusters.evaluateAll((els) => {
        let best = 0;
        els.forEach((e, j) => {
          if (Number(e.dataset.count) > Number(els[best]?.dataset.count)) best = j;
        });
        return best;
      });
      await clusters.nth(biggest).click();
      await expect.poll(() => page.url()).not.toBe(before);
      await page.waitForTimeout(600);
    }
    await markers.first().waitFor();
    await expect(page.getByTestId("units-map").getAttribute("data-mode")).resolves.toBe("units");
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "units-desk-map-units.png") });
    const single = page.locator('[data-testid="unit-marker"][data-units="1"]');
    if ((await single.count()) > 0) {
      const id = await single.first().getAttribute("data-unit-id");
      await single.first().click();
      await page.waitForURL(new RegExp(`/units/${id}$`));
    } else {
      await markers.first().click();
      const item = page.getByTestId("unit-marker-popup").locator("button").first();
      const id = await item.getAttribute("data-unit-id");
      await item.click();
      await page.waitForURL(new RegExp(`/units/${id}$`));
    }
    await page.getByTestId("unit-detail").waitFor();
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "units-desk-detail.png") });

    // Back returns to the map where it was.
    await page.getByTestId("unit-back").click();
    await page.waitForURL(/view=map/);
    await page.getByTestId("units-map").waitFor();
    expect(page.url()).toContain("at=");
  });
});
