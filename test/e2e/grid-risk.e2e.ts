/**
 * Browser test of 网格风险, in Chinese.
 *
 * The coordinator at the desk (1366×900) opens 网格风险 from the menu: the
 * grids ranked by score, sorted by 7 天变化, filtered to one street; opens a
 * grid's risk profile (the points of each signal, 90 days of scores, the
 * grid's figures). On 风险预警 she dismisses a warning (the reason is
 * required, in a confirmation dialog) and turns another into a preventive
 * case, then follows it to the case. On 权重设置 she gives 新市民占比 more
 * weight, previews how the ranking moves, and saves with a note that the
 * history then shows. On the 综治中心 map, 风险指数 shades the grids and a
 * click opens a grid's profile. A grid worker on a phone has no 网格风险 in
 * the menu, reads their own grid's profile from the link a warning sends,
 * and is told another grid is not theirs.
 */
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, BrowserSession, loginOk, pickInSelect, RESULTS } from "./support.js";

const session = new BrowserSession();
beforeAll(() => session.start());
afterAll(() => session.stop());

const WAIT = { timeout: 15_000 };
const settle = (page: Page) => page.waitForTimeout(400);
const rows = (page: Page, testId: string) =>
  page.getByTestId(`${testId}-table`).locator("tbody tr.ant-table-row");
const scores = async (page: Page) =>
  (await rows(page, "grid-risk").getByTestId("risk-score").allTextContents()).map(Number);

describe("网格风险 at the desk (coordinator)", () => {
  it("排名、筛选街道、查看网格风险画像", async () => {
    const page = await session.newPage({ width: 1366, height: 900 });
    await loginOk(page, "coordinator");
    await page.getByTestId("nav-menu").getByText("网格风险", { exact: true }).click();
    await page.waitForURL(/\/coordination\/risk$/);
    await page.getByTestId("grid-risk-page").waitFor();

    // Ranked by score, highest first; the day the scores are of is shown.
    await expect.poll(async () => (await scores(page)).length, WAIT).toBeGreaterThan(5);
    const ranked = await scores(page);
    expect(ranked).toEqual([...ranked].sort((a, b) => b - a));
    await expect(page.getByTestId("grid-risk-day").textContent()).resolves.toMatch(
      /数据日期 \d{4}-\d{2}-\d{2}/,
    );
    await expect(page.getByTestId("grid-risk-total").textContent()).resolves.toMatch(/共 \d+ 条/);
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "grid-risk-ranking.png") });

    // By 7-day change, the biggest rise first.
    await page
      .getByTestId("grid-risk-table")
      .locator("thead th")
      .filter({ hasText: "7 天变化" })
      .first()
      .click();
    await page.waitForURL(/sort=-change/);
    await expect
      .poll(async () => {
        const c = (await rows(page, "grid-risk").getByTestId("risk-change").allTextContents())
          .filter((x) => x !== "—")
          .map(Number);
        return c.length > 1 && c.every((v, i) => i === 0 || v <= (c[i - 1] as number));
      }, WAIT)
      .toBe(true);

    // One street only.
    const street = page.getByTestId("grid-risk-street");
    let streetName = "";
    await pickInSelect(
      page,
      street,
      (dropdown) => dropdown.locator(".ant-select-item-option").nth(1),
      async () => {
        // The select shows the street picked instead of its placeholder.
        const text = ((await street.textContent()) ?? "").trim();
        if (text === "" || text.includes("全部街道")) return false;
        streetName = text;
        return true;
      },
    );
    await page.waitForURL(/street=\d+/);
    await expect
      .poll(async () => {
        const areas = await rows(page, "grid-risk").locator("td:nth-child(3)").allTextContents();
        return areas.length > 0 && areas.every((a) => a.startsWith(streetName));
      }, WAIT)
      .toBe(true);
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "grid-risk-street.png") });

    // A grid's risk profile: what gives the points, the history, the grid itself.
    const first = rows(page, "grid-risk").first();
    const name = ((await first.getByTestId("grid-risk-link").textContent()) ?? "").trim();
    await first.getByTestId("grid-risk-link").click();
    await page.waitForURL(/\/coordination\/risk\/grids\/\d+$/);
    const profile = page.getByTestId("grid-profile-page");
    await profile.waitFor();
    await expect(profile.textContent()).resolves.toContain(`${name} · 风险画像`);
    await page.getByTestId("grid-profile-contributions").locator("canvas").waitFor();
    await page.getByTestId("grid-profile-history").locator("canvas").waitFor();
    // Each chart's data as CSV: the score history, a row a day.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("grid-profile-history-export").click(),
    ]);
    const csv = fs.readFileSync((await download.path()) as string, "utf8");
    const csvLines = csv.slice(1).trim().split("\r\n");
    expect(csvLines[0]).toBe("日期,风险分,风险等级");
    expect(csvLines.length).toBeGreaterThan(1);
    expect(csvLines[1]).toMatch(/^\d{4}-\d{2}-\d{2},[\d.]+,(低|中|高)风险$/);
    const signals = page.getByTestId("grid-profile-signals").locator("tbody tr[data-signal]");
    await expect.poll(() => signals.count(), WAIT).toBe(8);
    await expect(page.getByTestId("grid-profile-signals").textContent()).resolves.toContain(
      "千人发案率",
    );
    await expect(page.getByTestId("grid-profile-figures").textContent()).resolves.toContain(
      "实有人口",
    );
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "grid-risk-profile.png"), fullPage: true });
  });

  it("风险预警：不予处理须填理由，生成预防性任务", async () => {
    const page = await session.newPage({ width: 1366, height: 900 });
    await loginOk(page, "coordinator");
    await page.goto(`${BASE}/coordination/risk?tab=warnings&status=open`);
    const warnings = rows(page, "grid-warnings");
    await expect.poll(() => warnings.count(), WAIT).toBeGreaterThan(1);
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "grid-risk-warnings.png") });

    // 不予处理: the dialog wants a reason before it closes the warning.
    const target = warnings.first();
    const grid = await target.getAttribute("data-grid");
    await target.getByTestId("warning-dismiss").click();
    const form = page.getByTestId("warning-step-form");
    await form.waitFor();
    await expect(page.locator(".ant-modal-title").last().textContent()).resolves.toBe(
      "不予处理该预警？",
    );
    await page.getByTestId("warning-step-submit").click();
    await page.getByText("请填写不予处理的理由（至少 2 个字）").waitFor();
    await page.getByTestId("warning-reason-input").fill("已核实为临时施工导致，已安排巡查");
    await page.getByTestId("warning-step-submit").click();
    await page.getByText("预警已关闭").waitFor();
    // Dismissed, it leaves the list of open ones.
    await expect
      .poll(async () => page.locator(`tr[data-grid="${grid}"][data-status="open"]`).count(), WAIT)
      .toBe(0);

    // 生成预防任务: confirmed with a note; the warning then links its case.
    const next = warnings.first();
    const nextGrid = (await next.getAttribute("data-grid")) as string;
    await next.getByTestId("warning-create-task").click();
    await page.getByTestId("warning-step-form").waitFor();
    await page.getByTestId("warning-note-input").fill("请重点排查出租屋和电动车充电");
    await page.screenshot({ path: path.join(RESULTS, "grid-risk-create-task.png") });
    await page.getByTestId("warning-step-submit").click();
    await page.getByText(/已生成预防性事件 SJ\d+/).waitFor();

    await page.goto(`${BASE}/coordination/risk?tab=warnings&status=task_created`);
    const made = page.locator(`tr[data-grid="${nextGrid}"][data-status="task_created"]`).first();
    await made.waitFor(WAIT);
    const link = made.getByTestId("warning-case");
    const code = ((await link.textContent()) ?? "").trim();
    expect(code).toMatch(/^SJ\d+/);
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "grid-risk-task-created.png") });
    await link.click();
    await page.waitForURL(/\/cases\/\d+$/);
    await page.getByText(code).first().waitFor();
    await page
      .getByText(/网格风险预警·预防性排查/)
      .first()
      .waitFor();
  });

  it("另一位管理员处理了预警，本页不用刷新即更新", async () => {
    const mine = await session.newPage({ width: 1366, height: 900 });
    await loginOk(mine, "coordinator");
    await mine.goto(`${BASE}/coordination/risk?tab=warnings&status=open`);
    const open = rows(mine, "grid-warnings");
    await expect.poll(() => open.count(), WAIT).toBeGreaterThan(0);
    const key = (await open.first().getAttribute("data-row-key")) as string;
    // A mark on the window: gone if the page were reloaded.
    await mine.evaluate(() => {
      (window as unknown as { liveMark: number }).liveMark = 1;
    });

    // The admin, at another desk, dismisses that same warning.
    const other = await session.newPage({ width: 1366, height: 900 });
    await loginOk(other, "admin");
    await other.goto(`${BASE}/coordination/risk?tab=warnings&status=open`);
    const row = other.locator(`tr[data-row-key="${key}"]`);
    await row.waitFor(WAIT);
    await row.getByTestId("warning-dismiss").click();
    await other.getByTestId("warning-reason-input").fill("已由管理员核实，不予处理");
    await other.getByTestId("warning-step-submit").click();
    await other.getByText("预警已关闭").waitFor();

    // The coordinator's page drops it by itself (a live event; no reload, no click).
    await expect.poll(() => mine.locator(`tr[data-row-key="${key}"]`).count(), WAIT).toBe(0);
    await expect(
      mine.evaluate(() => (window as unknown as { liveMark?: number }).liveMark),
    ).resolves.toBe(1);
  });

  it("权重设置：预览排名变化后保存", async () => {
    const page = await session.newPage({ width: 1366, height: 900 });
    await loginOk(page, "coordinator");
    await page.goto(`${BASE}/coordination/risk`);
    await page.getByTestId("grid-risk-tab-weights").click();
    await page.waitForURL(/tab=weights/);
    const weight = page.getByTestId("weight-newCitizens");
    await weight.waitFor();
    await expect.poll(() => weight.inputValue(), WAIT).not.toBe("");
    const before = (await page.getByTestId("share-newCitizens").textContent()) ?? "";

    await weight.fill("60");
    await expect
      .poll(async () => (await page.getByTestId("share-newCitizens").textContent()) ?? "", WAIT)
      .not.toBe(before);
    await page.getByTestId("weights-preview").click();
    const preview = page.getByTestId("weights-preview-table").locator("tbody tr.ant-table-row");
    await expect.poll(() => preview.count(), WAIT).toBe(20);
    // Some grids move when new citizens weigh more.
    const moves = await page
      .getByTestId("preview-move")
      .evaluateAll((els) => els.map((e) => e.getAttribute("data-dir")));
    expect(moves.some((m) => m !== "same")).toBe(true);
    await settle(page);
    await page.screenshot({
      path: path.join(RESULTS, "grid-risk-weights-preview.png"),
      fullPage: true,
    });

    // Nothing is valid with every weight at 0: said before asking the server.
    await page.getByTestId("weight-newCitizens").fill("0");
    for (const k of [
      "caseRate",
      "caseTrend",
      "disputes",
      "overcrowding",
      "hazards",
      "wageWarnings",
      "patrol",
    ])
      await page.getByTestId(`weight-${k}`).fill("0");
    await page.getByTestId("weights-problem").waitFor();
    await expect(page.getByTestId("weights-save").isDisabled()).resolves.toBe(true);
    await page.getByTestId("weights-reset").click();
    await page.getByTestId("weights-problem").waitFor({ state: "detached" });

    await weight.fill("60");
    await page.getByTestId("weight-note").fill("新市民聚居区加权（测试）");
    await page.getByTestId("weights-save").click();
    await page.getByText("权重已保存，近期风险分已按新权重重新计算").waitFor();
    await expect
      .poll(async () => (await page.getByTestId("weights-history").textContent()) ?? "", WAIT)
      .toContain("新市民聚居区加权（测试）");
    await expect(page.getByTestId("weights-history").textContent()).resolves.toContain("陈静");
  });

  it("综治中心地图按风险指数着色，点击网格打开风险画像", async () => {
    const page = await session.newPage({ width: 1366, height: 900 });
    await loginOk(page, "coordinator");
    await page.goto(`${BASE}/coordination?measure=risk`);
    const map = page.getByTestId("coordination-map");
    const legend = page.getByTestId("map-legend");
    await expect.poll(() => legend.getAttribute("data-measure"), WAIT).toBe("risk");
    await expect(legend.textContent()).resolves.toContain("风险指数");
    await expect.poll(() => map.locator("path.gz-measure-area").count(), WAIT).toBeGreaterThan(1);
    expect(
      await map.locator("path.gz-measure-area:not(.gz-measure-class-none)").count(),
    ).toBeGreaterThan(1);
    await map.scrollIntoViewIfNeeded();
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "grid-risk-map.png") });
    await map.locator("path.gz-measure-area").nth(3).click({ force: true });
    await page.waitForURL(/\/coordination\/risk\/grids\/\d+$/);
    await page.getByTestId("grid-profile-page").waitFor();
  });
});

describe("网格风险 for a grid worker (phone)", () => {
  it("无菜单入口，可查看本网格风险画像，其他网格提示无权查看", async () => {
    const page = await session.newPage({ width: 390, height: 844 }, true);
    await loginOk(page, "gridworker");
    await page.getByTestId("nav-toggle").click();
    const menu = page.getByTestId("nav-drawer-menu");
    await menu.waitFor();
    expect((await menu.textContent()) ?? "").not.toContain("网格风险");
    await page.keyboard.press("Escape");

    const me = await (await page.request.get(`${BASE}/api/auth/me`)).json();
    const code = me.grants[0].scope.code as string;
    await page.goto(`${BASE}/coordination/risk/grids/${code}`);
    const profile = page.getByTestId("grid-profile-page");
    await profile.waitFor();
    await expect(profile.getAttribute("data-code")).resolves.toBe(code);
    await page.getByTestId("grid-profile-score").waitFor();
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "grid-risk-gridworker.png"), fullPage: true });

    const others = await (await page.request.get(`${BASE}/api/areas?level=grid&limit=5`)).json();
    const other = (others.items as { code: string }[]).find((g) => g.code !== code)?.code;
    expect(other).toBeTruthy();
    await page.goto(`${BASE}/coordination/risk/grids/${other}`);
    await page.getByTestId("grid-profile-not-found").waitFor();
    await expect(page.getByTestId("grid-profile-not-found").textContent()).resolves.toContain(
      "不在您的管辖范围内",
    );
  });
});
