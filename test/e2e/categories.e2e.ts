/**
 * Browser test of taxonomy editing (事项分类), on a desk in Chinese: the demo
 * coordinator opens it from the menu, searches, adds a category 夜市摊贩纠纷
 * under 治安秩序 with a required whole-number field 涉及摊位数 (an empty form
 * is refused first), sees version 1 in the drawer, changes its deadline
 * (version 2, with the reason in the history); the report form then offers
 * the category with its field, refusing a report without it. 停用 (confirmed)
 * hides it from the list and from the report form; 显示已停用 shows it again.
 * The grid worker reads the page but has no 新增 buttons.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, BrowserSession, loginOk, pickInSelect, RESULTS } from "./support.js";

const session = new BrowserSession();
beforeAll(() => session.start());
afterAll(() => session.stop());

const DESK = { width: 1366, height: 900 };

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${RESULTS}/${name}.png`, fullPage: true });
}

const drawer = (page: Page) => page.getByTestId("category-detail");

async function closeDrawer(page: Page) {
  await page.locator(".ant-drawer-open .ant-drawer-close").click();
  await drawer(page).waitFor({ state: "hidden" });
}

/** The report form's family and category selects. */
async function openReportFamily(page: Page, family: string) {
  await page.goto(`${BASE}/report`);
  await page.getByTestId("report-form").waitFor();
  await page.getByTestId("report-family").click();
  await page.keyboard.type(family);
  await page.getByTitle(family, { exact: true }).click();
  await page.getByTestId("report-category").click();
}

describe("case categories (事项分类)", () => {
  it("a coordinator adds a category with a form field, changes it, and retires it", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "coordinator");
    await page.getByRole("menuitem", { name: "事项分类" }).click();
    await page.waitForURL(/\/categories$/);
    const table = page.getByTestId("categories-table");
    await table.locator('[data-code="dispute"]').waitFor();

    // Search: the family of a matching category opens with it.
    await page.getByTestId("categories-search").fill("邻里");
    await table.locator('[data-code="dispute.neighbour"]').waitFor();
    await table.locator('[data-code="traffic"]').waitFor({ state: "detached" });
    await page.getByTestId("categories-search").fill("");

    // An empty new category is refused in Chinese before anything is sent.
    await page.getByTestId("categories-add").click();
    const form = page.getByTestId("category-form");
    await form.waitFor();
    await page.getByTestId("category-form-submit").click();
    await page.getByText("请输入名称").waitFor();

    const code = page.getByTestId("category-code");
    await pickInSelect(
      page,
      page.getByTestId("category-parent"),
      (d) => d.getByTitle("治安秩序", { exact: true }),
      async () => (await code.inputValue()) === "public_order.",
    );
    await page.getByTestId("category-code").fill("public_order.night_market");
    await page.getByTestId("category-name").fill("夜市摊贩纠纷");
    await page.getByTestId("category-description").fill("夜市摊贩之间或与顾客之间的争执");
    await page.getByTestId("category-add-field").click();
    const field = page.getByTestId("category-field-0");
    await field.getByTestId("category-field-label").fill("涉及摊位数");
    await field.getByTestId("category-field-code").fill("stall_count");
    await field.getByTestId("category-field-type").click();
    await page
      .locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)")
      .getByTitle("整数", { exact: true })
      .click();
    await field.getByTestId("category-field-required").click();
    await page.getByTestId("category-note").fill("夜市整治试点");
    await shot(page, "categories-form");
    await page.getByTestId("category-form-submit").click();
    await form.waitFor({ state: "hidden" });

    await page.locator('[data-testid="category-detail"][data-version="1"]').waitFor();
    expect(await drawer(page).textContent()).toContain("涉及摊位数");
    expect(await page.getByTestId("category-history").textContent()).toContain("夜市整治试点");

    // Change the deadline: version 2, with the reason.
    await page.getByTestId("category-edit").click();
    await form.waitFor();
    await page.getByTestId("category-resolve-days").fill("3");
    await page.getByTestId("category-note").fill("夜市纠纷须当周办结");
    await page.getByTestId("category-form-submit").click();
    await form.waitFor({ state: "hidden" });
    await page.locator('[data-testid="category-detail"][data-version="2"]').waitFor();
    expect(await drawer(page).textContent()).toContain("办结 3 个工作日");
    const history = (await page.getByTestId("category-history").textContent()) ?? "";
    expect(history).toContain("修改");
    expect(history).toContain("夜市纠纷须当周办结");
    await shot(page, "categories-drawer");
    await closeDrawer(page);

    // The report form offers it, with its field, required.
    await openReportFamily(page, "治安秩序");
    await page.keyboard.type("夜市摊贩");
    await page.getByTitle("夜市摊贩纠纷", { exact: true }).click();
    await page.getByTestId("report-field-stall_count").waitFor();
    await page.getByTestId("report-description").fill("两家摊主为摊位位置争吵，已推搡");
    await page.getByTestId("report-submit").click();
    await page.getByText("涉及摊位数为必填项").first().waitFor();

    // 停用, confirmed: gone from the list and from the report form.
    await page.goto(`${BASE}/categories`);
    await table.locator('[data-code="public_order"]').waitFor();
    await page.getByTestId("categories-search").fill("夜市");
    await table.locator('[data-code="public_order.night_market"]').click();
    await page.locator('[data-testid="category-detail"][data-version="2"]').waitFor();
    await page.getByTestId("category-toggle").click();
    await page.getByTestId("category-toggle-confirm").click();
    await page.locator('[data-testid="category-detail"][data-version="3"]').waitFor();
    expect(await page.getByTestId("category-history").textContent()).toContain("停用");
    await closeDrawer(page);
    await table.locator('[data-code="public_order.night_market"]').waitFor({ state: "detached" });
    await page.getByTestId("categories-show-retired").click();
    await table.locator('[data-code="public_order.night_market"]').waitFor();
    expect(await table.locator('[data-code="public_order.night_market"]').textContent()).toContain(
      "已停用",
    );

    await openReportFamily(page, "治安秩序");
    await page.keyboard.type("夜市");
    await page
      .locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-empty")
      .waitFor();
  });

  it("a grid worker reads the taxonomy but cannot change it", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "gridworker");
    await page.goto(`${BASE}/categories`);
    await page.getByTestId("categories-table").locator('[data-code="dispute"]').waitFor();
    expect(await page.getByTestId("categories-add").count()).toBe(0);
    await page.getByTestId("categories-table").locator('[data-code="dispute"]').click();
    await drawer(page).waitFor();
    expect(await page.getByTestId("category-edit").count()).toBe(0);
  });
});
