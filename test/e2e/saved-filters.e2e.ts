/**
 * Browser test of saved filters in the case inbox, on a desk in Chinese: the
 * demo coordinator has none yet (the empty state says how to make one), sets
 * the 辖区 tab, status 已派单, the family 盗窃诈骗 and a search, and saves
 * them under a name (an empty name is refused before anything is sent, one
 * already used is refused by the server on the name field). From a bare
 * inbox one click on the saved filter brings the tab, filters and search
 * back; it is renamed, then deleted after a confirmation, and the empty
 * state returns.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, BrowserSession, loginOk, openPopup, RESULTS } from "./support.js";

const session = new BrowserSession();
beforeAll(() => session.start());
afterAll(() => session.stop());

const DESK = { width: 1366, height: 900 };

async function openSaved(page: Page) {
  await page.getByTestId("saved-filters").click();
  const list = page.getByTestId("saved-filters-list");
  await list.waitFor();
  return list;
}

async function closeSaved(page: Page) {
  await page.keyboard.press("Escape");
  await page.getByTestId("saved-filters-list").waitFor({ state: "hidden" });
}

describe("saved filters in the case inbox", () => {
  it("a coordinator saves the inbox's filters, applies them with a click, renames and deletes them", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "coordinator");
    await page.goto(`${BASE}/cases`);
    await page.getByTestId("cases-page").waitFor();

    // None yet: the empty state says how to make one.
    const empty = await openSaved(page);
    await expect(empty.getByTestId("saved-filters-empty").textContent()).resolves.toContain(
      "保存当前筛选",
    );
    await closeSaved(page);

    // Tab 辖区, status 已派单, family 盗窃诈骗, search 盗.
    await page.getByTestId("cases-tabs").getByRole("tab", { name: "辖区" }).click();
    await page.waitForURL(/inbox=area/);
    await page.getByTestId("cases-status-filter").click();
    await openPopup(page, ".ant-select-dropdown").getByTitle("已派单", { exact: true }).click();
    await page.waitForURL(/status=dispatched/);
    await page.getByTestId("cases-category-filter").click();
    await page.keyboard.type("盗窃诈骗");
    await openPopup(page, ".ant-select-dropdown")
      .locator(".ant-select-tree-title")
      .filter({ hasText: /^盗窃诈骗$/ })
      .click();
    await page.waitForURL(/category=theft_fraud/);
    await page.getByTestId("cases-search").fill("盗");
    await page.waitForURL(/q=/);

    // 保存当前筛选: the dialog shows what is saved; a name is required.
    await page.getByTestId("saved-filters-save").click();
    const dialog = page.getByTestId("saved-filter-name-form");
    await dialog.waitFor();
    const summary = await dialog.getByTestId("saved-filter-summary").textContent();
    for (const part of ["辖区", "已派单", "盗窃诈骗", "盗"]) expect(summary).toContain(part);
    let posted = false;
    page.on("request", (r) => {
      if (r.method() === "POST" && r.url().endsWith("/api/saved-filters")) posted = true;
    });
    await page.getByTestId("saved-filter-name-submit").click();
    await dialog.getByText("请填写筛选名称").waitFor();
    expect(posted).toBe(false);
    await dialog.getByTestId("saved-filter-name").fill("辖区盗窃待签收");
    await page.screenshot({ path: `${RESULTS}/saved-filters-save.png` });
    await page.getByTestId("saved-filter-name-submit").click();
    await dialog.waitFor({ state: "hidden" });
    // The inbox now shows that filter, by name.
    await expect
      .poll(() => page.getByTestId("saved-filters").getAttribute("data-applied"))
      .toBe("辖区盗窃待签收");

    // From a bare inbox, one click brings it all back.
    await page.goto(`${BASE}/cases`);
    await page.getByTestId("cases-page").waitFor();
    await expect(page.getByTestId("saved-filters").getAttribute("data-applied")).resolves.toBe("");
    const list = await openSaved(page);
    await page.screenshot({ path: `${RESULTS}/saved-filters-list.png` });
    await list
      .locator('[data-testid="saved-filter"][data-filter-name="辖区盗窃待签收"]')
      .getByTestId("saved-filter-apply")
      .click();
    await page.waitForURL(/inbox=area/);
    const url = new URL(page.url());
    expect(url.searchParams.get("status")).toBe("dispatched");
    expect(url.searchParams.get("category")).toBe("theft_fraud");
    expect(url.searchParams.get("q")).toBe("盗");
    await expect
      .poll(() => page.getByTestId("cases-tabs").locator(".ant-tabs-tab-active").textContent())
      .toBe("辖区");
    await expect.poll(() => page.getByTestId("cases-search").inputValue()).toBe("盗");
    await expect(page.getByTestId("cases-status-filter").textContent()).resolves.toContain(
      "已派单",
    );
    await expect
      .poll(() => page.getByTestId("saved-filters").getAttribute("data-applied"))
      .toBe("辖区盗窃待签收");
    // Every listed case is one the filter asks for.
    await page.getByTestId("cases-table").locator(".ant-spin-spinning").waitFor({
      state: "detached",
    });
    const statuses = await page
      .locator('tr[data-case-id] [data-testid="case-status"]')
      .evaluateAll((tags) => tags.map((t) => t.getAttribute("data-status")));
    expect(new Set(statuses)).toEqual(new Set(statuses.length ? ["dispatched"] : []));

    // The same name again (another view) is refused on the name field.
    await page.getByTestId("cases-search").fill("");
    await page.waitForURL((u) => !u.searchParams.has("q"));
    await page.getByTestId("saved-filters-save").click();
    await dialog.waitFor();
    await dialog.getByTestId("saved-filter-name").fill("辖区盗窃待签收");
    await page.getByTestId("saved-filter-name-submit").click();
    await dialog.getByText("已有同名的筛选").waitFor();
    await page.locator(".ant-modal-close:visible").click();
    await dialog.waitFor({ state: "hidden" });

    // Rename, then delete (confirmed): the empty state is back.
    const again = await openSaved(page);
    await again.getByTestId("saved-filter-rename").click();
    await dialog.waitFor();
    await expect(dialog.getByTestId("saved-filter-name").inputValue()).resolves.toBe(
      "辖区盗窃待签收",
    );
    await dialog.getByTestId("saved-filter-name").fill("盗窃·待签收");
    await page.getByTestId("saved-filter-name-submit").click();
    await dialog.waitFor({ state: "hidden" });
    const renamed = await openSaved(page);
    await renamed.locator('[data-filter-name="盗窃·待签收"]').waitFor();
    await renamed.getByTestId("saved-filter-delete").click();
    await page.getByText("确定删除筛选「盗窃·待签收」吗？").waitFor();
    await page.getByTestId("saved-filter-delete-confirm").click();
    await page.getByTestId("saved-filters-empty").waitFor();
    await page.screenshot({ path: `${RESULTS}/saved-filters-deleted.png` });
  });
});
