/**
 * Browser tests of 综治报告 at the control-room desk (1366×900): the
 * coordinator opens 综治报告 from the menu, makes last week's district report
 * (preview, then save — or opens it when the schedule made it already),
 * reads its highlights and overview, downloads the workbook, opens the
 * printable page (打印 calls window.print(); the print CSS hides the
 * toolbar), finds the scheduled reports the `reports` job made, and keeps a
 * schedule (new, paused, deleted). A resident on a phone has no 综治报告 and
 * is told the permission is missing.
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, BrowserSession, loginOk, pickInSelect, RESULTS, selectShows } from "./support.js";

const session = new BrowserSession();
beforeAll(() => session.start());
afterAll(() => session.stop());

const DESK = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
const WAIT = { timeout: 30_000, interval: 500 };
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(RESULTS, `${name}.png`), fullPage: true });

let reportId = "";

describe("综治报告 at the desk (coordinator)", () => {
  it("makes last week's district report: preview, save, highlights, workbook, print", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "coordinator");
    await page.getByTestId("nav-menu").getByText("综治报告", { exact: true }).click();
    await page.waitForURL(/\/coordination\/reports$/);
    await page.getByTestId("reports-page").waitFor();

    await page.getByTestId("report-generate").click();
    // (antd gives the modal's test id to a root of no size: wait for what is inside.)
    await page.getByTestId("report-kind").waitFor();
    // The defaults: a weekly report of last week, for the user's whole area.
    expect(
      await page
        .getByTestId("report-kind")
        .locator(".ant-radio-button-wrapper-checked")
        .textContent(),
    ).toBe("周报");
    const period = await page
      .locator('[data-testid="report-period"] input, input[data-testid="report-period"]')
      .inputValue();
    expect(period).toMatch(/^\d{4}年第\d+周（\d+月\d+日—\d+月\d+日）$/);
    await page.getByTestId("report-preview").click();
    await page.waitForURL(/\/coordination\/reports\/preview\?kind=weekly&period=\d{4}-W\d{2}/);
    const view = page.getByTestId("report-view");
    await view.waitFor({ timeout: 20_000 });
    expect(await page.getByTestId("report-heading").textContent()).toBe("虎丘区综治周报");
    const highlights = page.getByTestId("report-highlight");
    expect(await highlights.count()).toBeGreaterThan(1);
    expect(await highlights.first().textContent()).toMatch(/^本周共受理事件 \d+ 件/);
    expect(await page.getByTestId("report-kpis").locator("tbody tr").count()).toBeGreaterThan(5);
    await page.getByTestId("report-area-chart").waitFor();
    await shot(page, "reports-preview");

    // 保存报告 — unless the reports job already made last week's for the district.
    await page.getByTestId("report-preview-save").click();
    const existing = page.getByText("查看已有报告");
    await Promise.race([page.waitForURL(/\/coordination\/reports\/\d+$/), existing.waitFor()]);
    if (!/\/coordination\/reports\/\d+$/.test(page.url())) {
      await existing.click();
      await page.waitForURL(/\/coordination\/reports\/\d+$/);
    }
    reportId = page.url().match(/\/reports\/(\d+)$/)?.[1] ?? "";
    await page.getByTestId("report-detail-page").waitFor();
    await page.getByTestId("report-view").waitFor();
    expect(await page.getByTestId("report-heading").textContent()).toBe("虎丘区综治周报");

    // The workbook: six sheets behind a plain link.
    const href = (await page.getByTestId("report-xlsx").getAttribute("href")) as string;
    expect(href).toBe(`/api/reports/${reportId}.xlsx`);
    const res = await page.request.get(`${BASE}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toContain("spreadsheetml");
    expect((await res.body()).subarray(0, 2).toString()).toBe("PK");
    await shot(page, "reports-detail");

    // The printable page: outside the app's frame; 打印 asks the browser to print.
    await page.getByTestId("report-print-link").click();
    await page.waitForURL(new RegExp(`/coordination/reports/${reportId}/print$`));
    await page.getByTestId("report-print-page").getByTestId("report-view").waitFor();
    expect(await page.getByTestId("nav-menu").count()).toBe(0);
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed++;
      };
    });
    await page.getByTestId("report-print").click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.emulateMedia({ media: "print" });
    expect(await page.getByTestId("report-print").isVisible()).toBe(false);
    expect(await page.getByTestId("report-heading").isVisible()).toBe(true);
    await shot(page, "reports-print");
    await page.emulateMedia({ media: "screen" });
    expect(await page.getByTestId("report-print").isVisible()).toBe(true);
  });

  it("lists the reports with filters, the scheduled ones among them", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "coordinator");
    await page.goto(`${BASE}/coordination/reports`);
    const rows = page.getByTestId("report-row");
    await page.locator(`[data-testid="report-row"][data-report-id="${reportId}"]`).waitFor();
    // The reports job runs soon after the server starts: the seeded schedules' reports appear
    // (the district's monthly and 狮山街道's weekly at least; last week's district report
    // may have been made by hand above before the job got to it).
    await page.goto(`${BASE}/coordination/reports?source=schedule`);
    await expect
      .poll(async () => {
        await page.reload();
        await page.getByTestId("reports-page").waitFor();
        await page.waitForTimeout(500);
        return rows.count();
      }, WAIT)
      .toBeGreaterThanOrEqual(2);
    expect((await rows.allTextContents()).every((t) => t.includes("定时生成"))).toBe(true);
    await page.goto(`${BASE}/coordination/reports?kind=monthly`);
    await rows.first().waitFor();
    const texts = await rows.allTextContents();
    expect(texts.every((t) => t.includes("月报"))).toBe(true);
    await shot(page, "reports-list");
  });

  it("keeps a schedule: new, paused, deleted", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "coordinator");
    await page.goto(`${BASE}/coordination/reports?tab=schedules`);
    const table = page.getByTestId("report-schedules");
    await table.waitFor();
    const rows = page.getByTestId("schedule-row");
    await rows.first().waitFor();
    const before = await rows.count();
    expect(before).toBeGreaterThanOrEqual(3);

    await page.getByTestId("schedule-add").click();
    const modal = page.getByTestId("schedule-modal");
    await page.getByTestId("schedule-area").waitFor();
    // Saving without an area or recipients says what is missing.
    await page.getByTestId("schedule-save").click();
    await modal.getByText("请选择区域").waitFor();
    const area = page.getByTestId("schedule-area");
    await pickInSelect(
      page,
      area,
      (d) => d.locator(".ant-select-tree-title").getByText("枫桥街道", { exact: true }),
      selectShows(area, "枫桥街道"),
      "枫桥",
    );
    await modal.getByText("月报", { exact: true }).click();
    const recipients = page.getByTestId("schedule-recipients");
    await pickInSelect(
      page,
      recipients,
      (d) => d.locator(".ant-select-item-option").filter({ hasText: "陈静（区综治中心）" }),
      selectShows(recipients, "陈静"),
    );
    // Close the list (a click beside it; Escape would close the modal too).
    await modal.locator(".ant-modal-title").click();
    await page.getByTestId("schedule-save").click();
    await expect.poll(() => rows.count(), WAIT).toBe(before + 1);
    const mine = rows.filter({ hasText: "枫桥街道" }).filter({ hasText: "月报" });
    expect(await mine.textContent()).toContain("启用中");
    await shot(page, "reports-schedules");

    await mine.getByTestId("schedule-toggle").click();
    await expect.poll(() => mine.textContent(), WAIT).toContain("已暂停");
    await mine.getByTestId("schedule-delete").click();
    await page.getByTestId("schedule-delete-confirm").click();
    await expect.poll(() => rows.count(), WAIT).toBe(before);
  });
});

describe("综治报告 for a resident (phone)", () => {
  it("has no menu entry and says the permission is missing", async () => {
    const page = await session.newPage(PHONE, true);
    await loginOk(page, "resident");
    await page.getByTestId("nav-toggle").click();
    const menu = page.getByTestId("nav-drawer-menu");
    await menu.waitFor();
    expect((await menu.textContent()) ?? "").not.toContain("综治报告");
    await page.keyboard.press("Escape");
    await page.goto(`${BASE}/coordination/reports`);
    const refused = page.getByTestId("reports-forbidden");
    await refused.waitFor();
    expect(await refused.textContent()).toContain("您没有查看综治报告的权限");
  });
});
