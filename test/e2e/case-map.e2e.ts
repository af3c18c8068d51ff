/**
 * Browser test of 事件地图, in Chinese at the desk (1366×900).
 *
 * The coordinator opens 事件, chooses 全部 and switches to 地图: server-side
 * clusters whose counts add up to the list's total. Clicking the biggest
 * cluster again and again zooms in until single cases show as dots; a dot's
 * popup names the case and its code opens it. Back returns to the map where
 * it was; searching the code of a case reported just now leaves one cluster,
 * which opens to that case's dot, coloured by its deadline. With 重大隐患
 * switched on, the major hazards not yet closed are drawn over the cases (one
 * recorded just now among them); a hazard's popup opens its page.
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Boundary, boundaryInteriorPoint } from "../../src/server/modules/geo/geometry.js";
import { BASE, BrowserSession, loginOk, openPopup, RESULTS } from "./support.js";

const session = new BrowserSession();
beforeAll(() => session.start());
afterAll(() => session.stop());

/** Let popups and zoom animations finish before a screenshot. */
const settle = (page: Page) => page.waitForTimeout(500);

const numberIn = (text: string | null) => Number((text ?? "").replace(/\D/g, ""));

/**
 * Of the map's markers with this test id, the index of the one to click: inside the map's
 * frame (the server answers a margin beyond it) and on top where markers overlap; the
 * biggest count first when `biggest`. -1 when none can be clicked.
 */
function clickable(page: Page, testId: string, biggest = false): Promise<number> {
  return page.evaluate(
    ([id, big]) => {
      const frame = document.querySelector('[data-testid="cases-map"]')?.getBoundingClientRect();
      if (!frame) return -1;
      let best = -1;
      document.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`).forEach((e, i, all) => {
        const r = e.getBoundingClientRect();
        const [x, y] = [r.left + r.width / 2, r.top + r.height / 2];
        const inside =
          x > frame.left + 20 &&
          x < frame.right - 20 &&
          y > frame.top + 20 &&
          y < frame.bottom - 20;
        if (!inside || !e.contains(document.elementFromPoint(x, y))) return;
        if (best < 0 || (big && Number(e.dataset.count) > Number(all[best]?.dataset.count)))
          best = i;
      });
      return best;
    },
    [testId, biggest] as const,
  );
}

/** Reports a case as the signed-in user at a point in the demo grid worker's grid. */
async function reportCase(page: Page) {
  const me = await (await page.request.get(`${BASE}/api/auth/me`)).json();
  const gw = await session.newPage({ width: 800, height: 600 });
  await loginOk(gw, "gridworker");
  const gwMe = await (await gw.request.get(`${BASE}/api/auth/me`)).json();
  const grid = await (
    await gw.request.get(`${BASE}/api/areas/${gwMe.grants[0].scope.code}`)
  ).json();
  await gw.close();
  const [lng, lat] = boundaryInteriorPoint(grid.boundary as Boundary);
  const res = await page.request.post(`${BASE}/api/cases`, {
    headers: { "x-csrf-token": me.csrfToken as string },
    data: {
      categoryCode: "theft_fraud.theft",
      description: "巡查发现车棚电瓶被盗，已提醒物业加强看管",
      lat,
      lng,
      address: "狮山路188号",
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  const c = await res.json();
  return { id: c.id as string, code: c.code as string, dueState: c.dueState as string };
}

describe("事件地图 at the desk (coordinator)", () => {
  it("shows clusters with counts, zooms in to single cases and opens one from its popup", async () => {
    const page = await session.newPage({ width: 1366, height: 900 });
    await loginOk(page, "coordinator");
    const reported = await reportCase(page);

    await page.getByTestId("nav-menu").getByText("事件", { exact: true }).click();
    await page.waitForURL(/\/cases/);
    await page.getByTestId("cases-page").waitFor();
    await page.getByTestId("cases-tabs").getByText("全部", { exact: true }).click();
    await page.waitForURL(/inbox=all/);
    // The whole demo history is more than the list counts (超过 1000 条)…
    await expect
      .poll(async () => (await page.getByTestId("cases-total").textContent()) ?? "")
      .toContain("超过 1000 条");
    // …one family of it, a few hundred, is counted exactly.
    await page.getByTestId("cases-category-filter").click();
    await page.keyboard.type("消防隐患");
    await openPopup(page, ".ant-select-dropdown")
      .locator(".ant-select-tree-title")
      .filter({ hasText: /^消防隐患$/ })
      .click();
    await page.waitForURL(/category=fire_hazard/);
    await expect
      .poll(async () => (await page.getByTestId("cases-total").textContent()) ?? "")
      .toMatch(/^共 \d+ 条$/);
    const total = numberIn(await page.getByTestId("cases-total").textContent());
    expect(total).toBeGreaterThan(20);

    // 地图: the same inbox as clusters, whose counts add up to the list's total.
    await page.getByTestId("cases-view").getByText("地图").click();
    await page.waitForURL(/view=map/);
    const clusters = page.getByTestId("case-cluster");
    await clusters.first().waitFor();
    await expect(page.getByTestId("cases-map").getAttribute("data-mode")).resolves.toBe("clusters");
    await expect
      .poll(async () =>
        (await clusters.evaluateAll((els) => els.map((e) => Number(e.dataset.count)))).reduce(
          (s, n) => s + n,
          0,
        ),
      )
      .toBe(total);
    expect(await clusters.count()).toBeLessThan(total / 2);
    await expect(page.getByTestId("cases-map-summary").textContent()).resolves.toMatch(
      new RegExp(`视野内 ${total} 件事件，其中办理中 \\d+ 件、已超期 \\d+ 件`),
    );
    // The overdue badges count no more than their clusters.
    const counts = await clusters.evaluateAll((els) =>
      els.map((e) => [Number(e.dataset.count), Number(e.dataset.overdue)]),
    );
    for (const [n, o] of counts) expect(o).toBeLessThanOrEqual(n ?? 0);
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "case-map-clusters.png") });

    // Zoom into the biggest cluster until single cases show.
    const markers = page.getByTestId("case-marker");
    for (let i = 0; i < 8 && (await markers.count()) === 0; i++) {
      const before = page.url();
      const biggest = await clickable(page, "case-cluster", true);
      expect(biggest).toBeGreaterThanOrEqual(0);
      await clusters.nth(biggest).click();
      await expect.poll(() => page.url()).not.toBe(before);
      await page.waitForTimeout(600);
    }
    await markers.first().waitFor();
    await expect(page.getByTestId("cases-map").getAttribute("data-mode")).resolves.toBe("cases");
    await expect(page.getByTestId("cases-map-summary").textContent()).resolves.toMatch(
      /视野内 \d+ 件事件/,
    );
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "case-map-points.png") });

    // A dot's popup: code, category and status; the code opens the case.
    const spot = await clickable(page, "case-marker");
    expect(spot).toBeGreaterThanOrEqual(0);
    await markers.nth(spot).click();
    const popup = page.getByTestId("case-marker-popup");
    await popup.waitFor();
    const link = popup.getByTestId("case-marker-link").first();
    const code = (await link.textContent()) ?? "";
    expect(code).toMatch(/^SJ\d{14}$/);
    const row = popup.locator("[data-case-id]").first();
    const id = (await row.getAttribute("data-case-id")) ?? "";
    await expect(row.textContent()).resolves.toMatch(
      /待核实\/待分派|已核实|已派单|已签收|处置中|已办结|已退单|已结案|已撤回|已合并/,
    );
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "case-map-popup.png") });
    await link.click();
    await page.waitForURL(new RegExp(`/cases/${id}$`));
    await page.getByTestId("case-detail").waitFor();
    await expect(page.getByTestId("case-code").textContent()).resolves.toBe(code);

    // Back returns to the map where it was.
    await page.getByTestId("case-back").click();
    await page.waitForURL(/view=map/);
    expect(page.url()).toContain("at=");
    await markers.first().waitFor();

    // Searching the code of the case reported just now: the map keeps its view, where the
    // case may or may not lie; when not, it says so.
    await page.getByTestId("cases-search").fill(reported.code);
    await page.waitForURL(/q=/);
    await expect
      .poll(() => page.getByTestId("cases-map-summary").textContent())
      .toMatch(/^视野内 [01] 件事件/);
    if ((await page.getByTestId("cases-map-summary").textContent())?.startsWith("视野内 0 件")) {
      await page.getByTestId("cases-map-empty").waitFor();
      await expect(markers.count()).resolves.toBe(0);
    }
    // From the inbox's own view (the whole area): one cluster of one, which opens to its dot.
    await page.goto(`${BASE}/cases?inbox=all&view=map&q=${encodeURIComponent(reported.code)}`);
    await page.getByTestId("case-cluster").first().waitFor();
    await expect(clusters.count()).resolves.toBe(1);
    await expect(clusters.first().getAttribute("data-count")).resolves.toBe("1");
    await clusters.first().click();
    const mine = page.locator(`[data-testid="case-marker"][data-case-id="${reported.id}"]`);
    await mine.waitFor();
    // As the intake judged it: a report on a Sunday is due soon (Monday morning).
    await expect(mine.getAttribute("data-due")).resolves.toBe(reported.dueState);
    await mine.hover();
    await page.locator(".leaflet-tooltip", { hasText: reported.code }).waitFor();
    await expect(page.locator(".leaflet-tooltip").textContent()).resolves.toBe(
      `${reported.code} · 盗窃 · 已派单`,
    );
    await mine.click();
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "case-map-reported.png") });
    await page.getByTestId("case-marker-popup").getByText(reported.code).click();
    await page.waitForURL(new RegExp(`/cases/${reported.id}$`));
    await expect(page.getByTestId("case-category").textContent()).resolves.toContain("盗窃");
  });

  it("draws the major hazards not yet closed on request; one opens its page", async () => {
    const page = await session.newPage({ width: 1366, height: 900 });
    await loginOk(page, "coordinator");
    // A major hazard recorded just now, at a point of the demo district.
    const ent = (await (await page.request.get(`${BASE}/api/enterprises?limit=1`)).json()).items[0];
    const grids = await (
      await page.request.get(`${BASE}/api/areas?level=grid&limit=1&sort=code`)
    ).json();
    const grid = await (await page.request.get(`${BASE}/api/areas/${grids.items[0].code}`)).json();
    const [lng, lat] = boundaryInteriorPoint(grid.boundary as Boundary);
    const created = await page.request.post(`${BASE}/api/hazards`, {
      headers: {
        "x-csrf-token": (await (await page.request.get(`${BASE}/api/auth/me`)).json()).csrfToken,
      },
      data: {
        organisationId: ent.id,
        level: "major",
        title: "危化品仓库与员工宿舍未分隔",
        lat,
        lng,
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    const hazard = await created.json();

    await page.goto(`${BASE}/cases?inbox=all&view=map`);
    await page.getByTestId("cases-map").waitFor();
    expect(await page.locator('[data-testid="hazard-marker"]').count()).toBe(0);
    await page.getByTestId("cases-map-hazards").click();
    const marker = page.locator(`[data-testid="hazard-marker"][data-hazard-id="${hazard.id}"]`);
    await marker.waitFor();
    const shown = await (await page.request.get(`${BASE}/api/hazards/map`)).json();
    await expect
      .poll(() => page.locator('[data-testid="hazard-marker"]').count())
      .toBe(shown.features.length);
    await marker.dispatchEvent("click");
    const popup = page.getByTestId("hazard-marker-popup");
    await popup.waitFor();
    expect(await popup.textContent()).toContain(ent.name);
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "case-map-hazards.png") });
    await popup.getByText("危化品仓库与员工宿舍未分隔").click();
    await page.waitForURL(new RegExp(`/hazards/${hazard.id}$`));
  });
});
