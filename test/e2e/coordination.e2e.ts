/**
 * Browser test of 综治中心, in Chinese at the control-room desk (1366×900).
 *
 * The coordinator opens 综治中心 from the menu: the KPI tiles show numbers
 * (rates in %, or 暂无数据), the trend chart's data saves as a CSV with a
 * BOM. 按下级区域 lists the streets; clicking one drills the whole page into
 * it and the breadcrumb shows it, the first crumb going back up. 部门考核
 * ranks the departments and its 导出 XLSX link answers a spreadsheet. On the
 * map, 超期 shades the grids and the legend follows. A resident on a phone
 * has no 综治中心 in the menu and is told at /coordination that the
 * permission is missing.
 */
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, BrowserSession, loginOk, RESULTS } from "./support.js";

const session = new BrowserSession();
beforeAll(() => session.start());
afterAll(() => session.stop());

const settle = (page: Page) => page.waitForTimeout(500);
/** The figures come from the server's rollups; a reload on 2 busy cores may take seconds. */
const WAIT = { timeout: 15_000 };
const crumbs = (page: Page) =>
  page.getByTestId("coordination-breadcrumb").getByTestId("coordination-crumb").allTextContents();

describe("综治中心 at the desk (coordinator)", () => {
  it("shows KPIs, drills into a street, exports scorecards and shades the map by 超期", async () => {
    const page = await session.newPage({ width: 1366, height: 900 });
    await loginOk(page, "coordinator");
    await page.getByTestId("nav-menu").getByText("综治中心", { exact: true }).click();
    await page.waitForURL(/\/coordination$/);
    await page.getByTestId("coordination-page").waitFor();

    // KPI tiles with numbers: 受理量 a count, the rates in % or 暂无数据.
    const received = page.getByTestId("kpi-received").getByTestId("kpi-value");
    await received.waitFor();
    await expect.poll(async () => (await received.textContent()) ?? "", WAIT).toMatch(/^[\d,]+$/);
    expect(Number((await received.textContent())?.replace(/,/g, ""))).toBeGreaterThan(0);
    await expect(
      page.getByTestId("kpi-resolveOnTimeRate").getByTestId("kpi-value").textContent(),
    ).resolves.toMatch(/^(\d{1,3}\.\d%|暂无数据)$/);
    await expect(page.getByTestId("kpi-overdue").textContent()).resolves.toContain("超期");
    await expect(page.getByTestId("coordination-period").textContent()).resolves.toContain(
      "近30天",
    );
    const district = await crumbs(page);
    expect(district).toHaveLength(1);
    await page.getByTestId("trend-chart").waitFor();
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "coordination-overview.png") });

    // The trend's data as CSV: a BOM (Excel reads the Chinese), a header, one row a day.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("trend-export").click(),
    ]);
    const csv = fs.readFileSync((await download.path()) as string, "utf8");
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).trim().split("\r\n");
    expect(lines[0]).toBe("日期,受理,办结,结案,按时办结率%");
    expect(lines.length).toBe(31);

    // 按下级区域: the streets; a row drills the page into that street.
    await page.getByTestId("breakdown-tab-area").click();
    const rows = page.getByTestId("breakdown-area-row");
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(1);
    const street = ((await rows.first().locator("td").first().textContent()) ?? "").trim();
    expect(street).not.toBe("");
    await rows.first().click();
    await page.waitForURL(/areaId=\d+/);
    await expect.poll(() => crumbs(page), WAIT).toEqual([...district, street]);
    // The street's own sub-areas (communities) now fill the table.
    await expect
      .poll(
        async () => ((await rows.first().locator("td").first().textContent()) ?? "").trim(),
        WAIT,
      )
      .not.toBe(street);
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "coordination-street.png") });
    // The first crumb goes back up to the district.
    await page
      .getByTestId("coordination-breadcrumb")
      .getByText(district[0] as string, { exact: true })
      .click();
    await expect.poll(() => crumbs(page), WAIT).toEqual(district);

    // 部门考核: ranked departments, and the spreadsheet of the same view.
    await page.getByTestId("breakdown-tab-scorecards").click();
    const table = page.getByTestId("scorecards-table");
    await table.locator("tbody tr.ant-table-row").first().waitFor();
    await expect(table.locator("tbody tr.ant-table-row").first().textContent()).resolves.toMatch(
      /^1/,
    );
    const xlsx = page.getByTestId("scorecards-xlsx");
    await expect.poll(() => xlsx.getAttribute("href"), WAIT).toMatch(/scorecards\.xlsx\?from=/);
    const href = (await xlsx.getAttribute("href")) as string;
    const res = await page.request.get(`${BASE}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toContain(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    expect((await res.body()).subarray(0, 2).toString()).toBe("PK");
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "coordination-scorecards.png") });

    // The map by 超期: grids shaded, and the legend follows the measure.
    const map = page.getByTestId("coordination-map");
    await expect.poll(() => map.locator("path.gz-measure-area").count(), WAIT).toBeGreaterThan(1);
    await page.getByTestId("map-measure").getByText("超期", { exact: true }).click();
    await page.waitForURL(/measure=overdue/);
    const legend = page.getByTestId("map-legend");
    await expect.poll(() => legend.getAttribute("data-measure"), WAIT).toBe("overdue");
    await expect(legend.textContent()).resolves.toContain("超期");
    expect(await legend.getByTestId("map-legend-class").count()).toBeGreaterThan(0);
    expect(await map.locator("path.gz-measure-area").count()).toBeGreaterThan(1);
    await map.scrollIntoViewIfNeeded();
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "coordination-map-overdue.png") });

    // 巡逻中: the shifts being worked now, as many markers as the API has placed,
    // each saying how many are on duty; the switch says how many in all.
    const underWay = (await (await page.request.get(`${BASE}/api/shifts/under-way`)).json()) as {
      total: number;
      onDuty: number;
      items: { lat: number | null; onDuty: number }[];
    };
    await page.getByTestId("map-patrols").click();
    await expect
      .poll(() => page.getByTestId("map-patrols-label").textContent(), WAIT)
      .toBe(`巡逻中（${underWay.total} 个班次，${underWay.onDuty} 人在岗）`);
    const placed = underWay.items.filter((s) => s.lat !== null);
    await expect.poll(() => map.getByTestId("patrol-marker").count(), WAIT).toBe(placed.length);
    if (placed.length > 0) {
      await map.getByTestId("patrol-marker").first().click();
      await expect(page.getByTestId("patrol-popup").textContent()).resolves.toMatch(/在岗 \d+ 人/);
    }

    // 在办热力: where open cases gather in view; the switch counts them.
    await page.getByTestId("map-heat").click();
    await expect
      .poll(() => page.getByTestId("map-heat-label").textContent(), WAIT)
      .toMatch(/^在办热力（视野内 \d+ 件在办）$/);
    const open = Number(
      /(\d+) 件在办/.exec((await page.getByTestId("map-heat-label").textContent()) ?? "")?.[1],
    );
    if (open > 0)
      await expect.poll(() => map.locator("path.gz-heat-spot").count(), WAIT).toBeGreaterThan(0);
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "coordination-map-layers.png") });
  });
});

describe("协作网络 (coordinator)", () => {
  it("画出谁与谁共同办结事件，列出协作最多的主体，并导出数据", async () => {
    const page = await session.newPage({ width: 1366, height: 900 });
    await loginOk(page, "coordinator");
    await page.goto(`${BASE}/coordination?p=90d`);
    const card = page.getByTestId("coordination-network");
    await card.scrollIntoViewIfNeeded();
    await card.getByTestId("network-chart").locator("canvas").waitFor(WAIT);

    // The same pairs as the API, busiest first, named (not ids).
    const period = (await card.getByTestId("network-months").textContent()) ?? "";
    const [, from, to] = /(\d{4}-\d{2}-\d{2}) 至 (\d{4}-\d{2}-\d{2})/.exec(period) ?? [];
    const api = (await (
      await page.request.get(`${BASE}/api/coordination/collaboration?from=${from}&to=${to}`)
    ).json()) as { nodes: { id: string; label: string }[]; links: { cases: number }[] };
    expect(api.links.length).toBeGreaterThan(0);
    const pairs = card.getByTestId("network-pairs").locator("tbody tr.ant-table-row");
    await expect.poll(() => pairs.count(), WAIT).toBe(Math.min(10, api.links.length));
    const firstRow = await pairs.first().locator("td").allTextContents();
    expect(Number(firstRow[2])).toBe(Math.max(...api.links.map((l) => l.cases)));
    expect(firstRow[0]).not.toMatch(/^[dov]:?\d*$/);
    await expect(card.getByTestId("network-subjects").textContent()).resolves.toBe(
      `共 ${api.nodes.length} 个主体参与协作`,
    );
    await settle(page);
    await card.screenshot({ path: path.join(RESULTS, "coordination-network.png") });

    // The pairs as CSV: every link, with a header.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      card.getByTestId("network-export").click(),
    ]);
    const csv = fs.readFileSync((await download.path()) as string, "utf8");
    const lines = csv.slice(1).trim().split("\r\n");
    expect(lines[0]).toBe("主体,协作主体,共同办结事件");
    expect(lines.length).toBe(api.links.length + 1);

    // A grid is too small for a network: the card says to pick a community or above.
    const grid = (await (
      await page.request.get(`${BASE}/api/areas?level=grid&limit=1`)
    ).json()) as {
      items: { id: string }[];
    };
    if (grid.items[0]) {
      await page.goto(`${BASE}/coordination?areaId=${grid.items[0].id}`);
      await page.getByTestId("network-grid").waitFor(WAIT);
    }
  });
});

describe("综治中心 for a resident (phone)", () => {
  it("has no menu entry and says the permission is missing", async () => {
    const page = await session.newPage({ width: 390, height: 844 }, true);
    await loginOk(page, "resident");
    await page.getByTestId("nav-toggle").click();
    const menu = page.getByTestId("nav-drawer-menu");
    await menu.waitFor();
    expect((await menu.textContent()) ?? "").not.toContain("综治中心");
    await page.keyboard.press("Escape");

    await page.goto(`${BASE}/coordination`);
    const refused = page.getByTestId("coordination-forbidden");
    await refused.waitFor();
    await expect(refused.textContent()).resolves.toContain("您没有综治中心的权限");
    await page.screenshot({ path: path.join(RESULTS, "coordination-resident-403.png") });
  });
});
