/**
 * Browser test of 开放数据 on a phone (390×844), without an account: from
 * the login page's public links to /open-data, the headline totals, three
 * charts drawn, the notes on privacy, another period, and both downloads —
 * the statistics JSON and the GeoJSON of public cases — fetched from the
 * page's own links and read back.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { periodOf } from "../../src/server/modules/open-data/open-data.service.js";
import { BASE, BrowserSession, RESULTS } from "./support.js";

const session = new BrowserSession();
beforeAll(() => session.start());
afterAll(() => session.stop());

const PHONE = { width: 390, height: 844 };
const CHARTS = ["category", "month", "area"] as const;

describe("开放数据 on a phone (not logged in)", () => {
  it("shows the totals, draws the charts and offers the data to download", async () => {
    const page = await session.newPage(PHONE, true);
    await page.goto(`${BASE}/login`);
    await page.getByTestId("login-open-data").click();
    await page.waitForURL(/\/open-data$/);
    await page.getByRole("heading", { name: "开放数据" }).waitFor();

    const totals = page.getByTestId("open-data-totals");
    await totals.waitFor();
    for (const label of ["受理", "办结", "在办", "按期办结率", "按期签收率"])
      await totals.getByText(label, { exact: true }).waitFor();
    const received = await page.getByTestId("open-data-total-received").textContent();
    expect(Number((received ?? "").replace(/\D/g, ""))).toBeGreaterThan(0);
    expect(await page.getByTestId("open-data-total-on-time").textContent()).toMatch(/\d+(\.\d)?%/);

    // Each chart drew into its container, at the container's width (no sideways scroll).
    for (const name of CHARTS) {
      const chart = page.getByTestId(`open-data-chart-${name}`);
      await chart.scrollIntoViewIfNeeded();
      await chart.locator("canvas, svg").first().waitFor();
      const box = await chart.boundingBox();
      expect(box?.width, name).toBeGreaterThan(300);
      expect(box?.width, name).toBeLessThanOrEqual(PHONE.width);
    }
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);

    // The privacy rules are stated, in Chinese.
    const notes = (await page.getByTestId("open-data-notes").textContent()) ?? "";
    expect(notes).toContain("不计入街道统计");
    expect(notes).toContain("不含任何个人信息");
    await page.screenshot({ path: path.join(RESULTS, "open-data-phone.png"), fullPage: true });

    // Another period: the month chart and the figures follow it.
    await page.getByTestId("open-data-period").getByText("近 24 个月").click();
    const from = `${periodOf(24, new Date()).labels[0]}-01`;
    await page
      .getByTestId("open-data-period-text")
      .filter({ hasText: `统计期 ${from}` })
      .waitFor();

    // The downloads are the public endpoints themselves: fetched here, no cookie needed.
    const statsHref = await page.getByTestId("open-data-download-stats").getAttribute("href");
    expect(statsHref).toBe("/api/open-data/stats?months=24");
    const stats = await page.request.get(`${BASE}${statsHref}`);
    expect(stats.status()).toBe(200);
    const body = await stats.json();
    expect(body.byMonth).toHaveLength(24);
    expect(body.byArea).toHaveLength(9);

    const geoHref = await page.getByTestId("open-data-download-geojson").getAttribute("href");
    expect(geoHref).toMatch(/^\/api\/open-data\/cases\.geojson\?/);
    const geo = await page.request.get(`${BASE}${geoHref}`);
    expect(geo.status()).toBe(200);
    expect(geo.headers()["content-type"]).toMatch(/^application\/geo\+json/);
    const fc = JSON.parse(await geo.text());
    expect(fc.type).toBe("FeatureCollection");
    expect(fc.features.length).toBeGreaterThan(0);
    for (const f of fc.features.slice(0, 50)) {
      expect(f.geometry.type).toBe("Point");
      const [lng, lat] = f.geometry.coordinates as [number, number];
      // Cell centres: an odd number of half-cells (0.0005°) from zero.
      for (const v of [lng, lat]) expect(Math.round(v * 2000) % 2).not.toBe(0);
      expect(Object.keys(f.properties).sort()).toEqual(
        ["agency", "category", "categoryName", "id", "requestedAt", "status", "updatedAt"].sort(),
      );
    }
  });

  it("says what went wrong when the statistics cannot be loaded, and retries", async () => {
    const page = await session.newPage(PHONE, true);
    let fail = true;
    await page.route("**/api/open-data/stats**", (route) =>
      fail
        ? route.fulfill({
            status: 503,
            contentType: "application/json",
            body: JSON.stringify({
              error: { id: "unavailable", message: "服务暂不可用 / unavailable", requestId: "r1" },
            }),
          })
        : route.continue(),
    );
    await page.goto(`${BASE}/open-data`);
    await page.getByTestId("error-alert").getByText("开放数据加载失败").waitFor();
    fail = false;
    await page
      .getByRole("button", { name: "重 试" })
      .or(page.getByRole("button", { name: "重试" }))
      .click();
    await page.getByTestId("open-data-totals").waitFor();
  });
});
