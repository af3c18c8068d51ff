/**
 * Browser tests of the enterprise workspace (part A): the coordinator
 * filters the government's enterprise list (企业) and opens an enterprise's
 * page with its tabs and workforce chart; the enterprise's safety officer, on
 * a phone (390×844), lands on their workspace home, opens their enterprise
 * and imports an employee CSV with one bad row, which is shown with its row
 * number and reason while the good rows go in.
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { residentIdCheckChar } from "../../src/shared/formats/resident-id.js";
import { BASE, BrowserSession, loginOk, openPopup, RESULTS } from "./support.js";

const session = new BrowserSession();
beforeAll(() => session.start());
afterAll(() => session.stop());

const DESK = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(RESULTS, `${name}.png`), fullPage: true });

const SIZES = { micro: "微型", small: "小型", medium: "中型", large: "大型" } as const;
const idNo = (first17: string) => first17 + residentIdCheckChar(first17);

/**
 * Picks an option of a filter select and waits for the URL to carry it;
 * retried, since on a busy machine a click can land while antd re-renders.
 */
async function pick(page: Page, testId: string, option: string, urlPart: string) {
  for (let attempt = 1; ; attempt++) {
    await page.getByTestId(testId).click();
    await openPopup(page, ".ant-select-dropdown")
      .locator(".ant-select-item-option", { hasText: option })
      .first()
      .click();
    try {
      await expect.poll(() => page.url(), { timeout: 5_000 }).toContain(urlPart);
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
      await page.keyboard.press("Escape");
    }
  }
}

describe("企业 (coordinator, desktop)", () => {
  it("filters the enterprise list and opens an enterprise's page", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "coordinator");
    await page.getByTestId("nav-menu").getByText("企业", { exact: true }).click();
    await page.getByTestId("enterprises-page").waitFor();
    const total = page.getByTestId("enterprises-total");
    await total.waitFor();
    const all = Number((await total.textContent())?.match(/\d+/)?.[0]);
    expect(all).toBeGreaterThan(10);

    // 行业: 电子信息, then the 规模 of one such enterprise (the demo data varies by seed).
    const sample = (
      await (
        await page.request.get(
          `${BASE}/api/enterprises?industry=${encodeURIComponent("电子信息")}&limit=1`,
        )
      ).json()
    ).items[0] as { size: keyof typeof SIZES };
    await pick(page, "enterprises-industry-filter", "电子信息", "industry=");
    await expect
      .poll(async () => Number((await total.textContent())?.match(/\d+/)?.[0]))
      .toBeLessThan(all);
    await pick(page, "enterprises-size-filter", SIZES[sample.size], `size=${sample.size}`);
    const rows = page.getByTestId("enterprises-table").locator("tr[data-enterprise-id]");
    await expect
      .poll(async () => {
        const texts = await rows.allTextContents();
        return (
          texts.length > 0 &&
          texts.every((x) => x.includes("电子信息") && x.includes(SIZES[sample.size]))
        );
      })
      .toBe(true);
    // A search nothing matches shows the empty state with 清除筛选.
    await page.getByTestId("enterprises-search").fill("不存在的企业名称");
    await page.getByTestId("enterprises-clear-filters").waitFor();
    await page.getByTestId("enterprises-clear-filters").click();
    await expect.poll(async () => Number((await total.textContent())?.match(/\d+/)?.[0])).toBe(all);

    await page.getByTestId("enterprises-search").fill("狮山光电");
    await expect.poll(() => total.textContent()).toBe("共 1 条");
    await shot(page, "enterprises-desktop-list");
    await page.getByRole("link", { name: "苏州狮山光电科技有限公司" }).click();

    await page.getByTestId("enterprise-profile").waitFor();
    await expect(page.getByTestId("enterprise-title").textContent()).resolves.toBe(
      "苏州狮山光电科技有限公司",
    );
    const tabs = page.getByTestId("enterprise-tabs");
    for (const label of ["概况", "员工", "宿舍", "自查", "隐患整改", "预警与信用", "通知与调解"])
      await tabs.getByRole("tab", { name: label }).waitFor();
    await expect(page.getByTestId("enterprise-sites").textContent()).resolves.toContain("生产厂区");
    const headcount = await page
      .getByTestId("enterprise-headcount")
      .locator(".ant-statistic-content-value")
      .textContent();
    expect(Number(headcount)).toBeGreaterThan(0);

    await tabs.getByRole("tab", { name: "员工" }).click();
    await page.waitForURL(/tab=employees/);
    await page.getByTestId("workforce-origin-chart").locator("svg").first().waitFor();
    await page.getByTestId("employees-table").locator("tbody tr.ant-table-row").first().waitFor();
    await expect(page.getByTestId("employees-total").textContent()).resolves.toBe(
      `共 ${headcount} 条`,
    );
    await shot(page, "enterprises-desktop-employees");

    await tabs.getByRole("tab", { name: "宿舍" }).click();
    await page.getByTestId("enterprise-dormitories").waitFor();
    await shot(page, "enterprises-desktop-dormitories");
  });
});

describe("企业工作台 (enterprise safety officer, phone)", () => {
  it("shows the workspace home and imports an employee CSV with one bad row shown", async () => {
    const page = await session.newPage(PHONE, true);
    await loginOk(page, "enterprise");
    const me = await (await page.request.get(`${BASE}/api/auth/me`)).json();
    const workspace = page.getByTestId("enterprise-workspace");
    await workspace.waitFor();
    await expect(workspace.textContent()).resolves.toContain(me.grants[0].scope.name);
    const headcount = page
      .getByTestId("workspace-headcount")
      .locator(".ant-statistic-content-value");
    await headcount.waitFor();
    // The demo enterprise starts with its seeded workforce; the import adds to it.
    const before = Number(await headcount.textContent());
    await page.getByTestId("workspace-tasks").waitFor();
    // Nothing spills sideways on a phone.
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(PHONE.width);
    await shot(page, "enterprises-phone-home");

    await page.getByTestId("workspace-open-profile").click();
    await page.getByTestId("enterprise-profile").waitFor();
    await page.getByTestId("enterprise-tabs").getByRole("tab", { name: "员工" }).click();
    await page.waitForURL(/tab=employees/);
    await page.getByTestId("employees-table").waitFor();
    await page.getByTestId("employees-import").click();
    const chooser = page.getByTestId("employees-import-file");
    await chooser.waitFor();

    // Numbers of this run only, so the test can run again on the same server.
    const seq = 100 + (Date.now() % 800);
    const good1 = idNo(`51010419980611${seq}`);
    const good2 = idNo(`51010419990312${seq + 1}`);
    const bad = idNo(`51010419970611${seq + 2}`);
    const wrong = bad.slice(0, 17) + (bad.endsWith("0") ? "1" : "0");
    const csv = [
      "姓名,身份证号,手机号,入职日期,离职日期,岗位",
      `陈小明,${good1},13912340001,2026-09-01,,操作工`,
      `刘小红,${wrong},,2026-09-01,,质检员`,
      `赵小刚,${good2},,2026/10/8,,班组长`,
    ].join("\n");
    await page
      .locator(".ant-upload", { has: chooser })
      .locator("input[type=file]")
      .setInputFiles({ name: "新员工.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    const result = page.getByTestId("employees-import-result");
    await result.waitFor();
    await expect(result.textContent()).resolves.toContain("新入职 2");
    const errors = page.getByTestId("employees-import-errors");
    await expect(errors.textContent()).resolves.toContain("第 3 行");
    await expect(errors.textContent()).resolves.toContain("身份证号");
    await shot(page, "enterprises-phone-import");
    await page.getByTestId("employees-import-close").click();

    await page.getByTestId("employees-search").fill("陈小明");
    await page
      .getByTestId("employees-table")
      .locator("tr.ant-table-row", { hasText: "陈小明" })
      .first()
      .waitFor();
    await page.goto(`${BASE}/`);
    await expect.poll(async () => Number(await headcount.textContent())).toBe(before + 2);
  });
});
