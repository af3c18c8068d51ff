/**
 * Browser test of the responsibility list (权责清单), on a desk in Chinese:
 * the demo coordinator opens it from the menu, filters by the family 盗窃诈骗,
 * adds a rule sending 盗窃 in 狮山街道 to the local 综合执法 (checked live:
 * no category, no lead → told in Chinese), sees it in the list and its
 * version in the detail drawer; 测试规则 at a point in the demo grid worker's
 * grid then names a 综合执法 department as lead; after 停用 (confirmed) the
 * same test falls back to the 派出所. The grid worker reads the list but has
 * no 新增规则.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BrowserSession, loginOk, pointInGridWorkersGrid, RESULTS } from "./support.js";

const session = new BrowserSession();
beforeAll(() => session.start());
afterAll(() => session.stop());

const DESK = { width: 1366, height: 900 };

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${RESULTS}/${name}.png`, fullPage: true });
}

/** Choose a node of an antd tree select by typing its name. */
async function pickInTree(page: Page, testId: string, name: string) {
  await page.getByTestId(testId).click();
  await page.keyboard.type(name);
  // The open dropdown only (closed ones stay in the page), and the exact name (盗窃, not 盗窃诈骗).
  await page
    .locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-tree-title")
    .filter({ hasText: new RegExp(`^${name}$`) })
    .first()
    .click();
}

/** 测试规则 for 盗窃 at `at`; returns the lead department's name. */
async function previewLead(page: Page, at: { lat: number; lng: number }): Promise<string> {
  await page.getByTestId("routing-rules-test").click();
  const dialog = page.getByTestId("routing-preview");
  await dialog.waitFor();
  await pickInTree(page, "routing-preview-category", "盗窃");
  await dialog.getByTestId("routing-preview-lat").fill(String(at.lat));
  await dialog.getByTestId("routing-preview-lng").fill(String(at.lng));
  await dialog.getByTestId("routing-preview-run").click();
  const lead = dialog.getByTestId("routing-preview-lead");
  await lead.waitFor();
  const text = ((await lead.textContent()) ?? "").trim();
  await shot(page, `routing-preview-${text}`);
  await page.locator(".ant-modal-close:visible").click();
  await dialog.waitFor({ state: "detached" });
  return text;
}

describe("responsibility list (权责清单)", () => {
  it("a coordinator adds a street rule, tests it, and deactivates it", async () => {
    const at = await pointInGridWorkersGrid(session);
    const page = await session.newPage(DESK);
    await loginOk(page, "coordinator");
    await page.getByRole("menuitem", { name: "权责清单" }).click();
    await page.getByTestId("routing-rules-page").waitFor();
    await page.waitForURL(/\/routing-rules$/);

    // Filter by a family: only its categories are listed.
    await pickInTree(page, "routing-rules-category-filter", "盗窃诈骗");
    await page.waitForURL(/category=theft_fraud/);
    const table = page.getByTestId("routing-rules-table");
    await table.locator(".ant-spin-spinning").waitFor({ state: "detached" });

    // Before anything is added, the theft case here goes to the police.
    expect(await previewLead(page, at)).toContain("派出所");

    await page.getByTestId("routing-rules-add").click();
    const form = page.getByTestId("routing-rule-form");
    await form.waitFor();
    // Saving an empty form is refused in Chinese, before anything is sent.
    await page.getByTestId("routing-rule-submit").click();
    await page.getByText("请选择事件类别").first().waitFor();
    await page.getByText("请选择牵头部门类型").waitFor();

    await pickInTree(page, "routing-rule-category", "盗窃");
    await pickInTree(page, "routing-rule-area", "狮山街道");
    await page.getByTestId("routing-rule-lead-kind").click();
    await page.keyboard.type("综合执法");
    await page
      .locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option")
      .filter({ hasText: /^综合执法$/ })
      .click();
    await page.getByTestId("routing-rule-note").fill("街面盗窃先由综合执法巡查处置");
    await shot(page, "routing-rule-form");
    await page.getByTestId("routing-rule-submit").click();
    await form.waitFor({ state: "hidden" });

    // The drawer shows the new rule, version 1; the list has it too.
    const detail = page.getByTestId("routing-rule-detail");
    await detail.waitFor();
    expect(await detail.textContent()).toContain("狮山街道");
    expect(await page.getByTestId("routing-rule-history").textContent()).toContain(
      "第 1 版 · 创建",
    );
    const ruleId = await detail.getAttribute("data-rule-id");
    const row = table.locator(`[data-rule-id="${ruleId}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain("综合执法（属地）");
    expect(await row.textContent()).toContain("盗窃");
    await shot(page, "routing-rules-list");
    await page.locator(".ant-drawer-open .ant-drawer-close").click();
    await detail.waitFor({ state: "hidden" });

    expect(await previewLead(page, at)).toContain("综合执法");

    // 停用, confirmed: the rule says so, and the case goes back to the police.
    await row.click();
    await detail.waitFor();
    await page.getByTestId("routing-rule-toggle").click();
    await page.getByTestId("routing-rule-toggle-confirm").click();
    await page.locator('[data-testid="routing-rule-detail"][data-active="false"]').waitFor();
    expect(await page.getByTestId("routing-rule-history").textContent()).toContain(
      "第 2 版 · 停用",
    );
    await page.locator(".ant-drawer-open .ant-drawer-close").click();
    await detail.waitFor({ state: "hidden" });
    // Only active rules are listed by default.
    await row.waitFor({ state: "detached" });

    expect(await previewLead(page, at)).toContain("派出所");
  });

  it("a grid worker reads the list but cannot add rules", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "gridworker");
    await page.getByRole("menuitem", { name: "权责清单" }).click();
    await page.getByTestId("routing-rules-page").waitFor();
    await page.getByTestId("routing-rules-total").waitFor();
    expect(await page.getByTestId("routing-rules-test").isVisible()).toBe(true);
    expect(await page.getByTestId("routing-rules-add").count()).toBe(0);
  });
});
