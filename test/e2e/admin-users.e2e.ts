/**
 * Browser tests of 账户管理 (/admin/users): an admin lists the demo accounts,
 * creates a grid worker for a grid picked in the area picker, the new account
 * logs in, the admin disables it and it can no longer log in; a coordinator
 * gets 403.
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, BrowserSession, login, loginOk, logout, pickInSelect, RESULTS } from "./support.js";

const DEMO_ACCOUNTS = [
  "admin",
  "association",
  "coordinator",
  "enterprise",
  "gridworker",
  "officer",
  "resident",
];

const session = new BrowserSession();
beforeAll(() => session.start());
afterAll(() => session.stop());

const rows = (page: Page) => page.locator('[data-testid="users-table"] tr.ant-table-row');
const row = (page: Page, username: string) =>
  page.locator(`[data-testid="users-table"] tr[data-username="${username}"]`);

/** Let modals, drawers and messages finish animating before a screenshot. */
const settle = (page: Page) => page.waitForTimeout(500);

async function openAccounts(page: Page): Promise<void> {
  await page.getByTestId("nav-menu").getByText("账户管理", { exact: true }).click();
  await page.waitForURL(/\/admin\/users$/);
  await page.getByTestId("users-page").waitFor();
}

describe("account administration (Chinese UI)", () => {
  it("an admin creates a grid worker who can log in, then disables the account", async () => {
    const page = await session.newPage({ width: 1366, height: 900 });
    await loginOk(page, "admin");
    await openAccounts(page);

    // Every account (the demo accounts, and the volunteers and residents the
    // participation seeds add), sorted by username, with roles in Chinese.
    const all = await (await page.request.get(`${BASE}/api/admin/users?limit=1`)).json();
    expect(all.total).toBeGreaterThanOrEqual(DEMO_ACCOUNTS.length);
    await expect
      .poll(() => page.getByTestId("users-total").textContent())
      .toBe(`共 ${all.total} 条`);
    const names = await rows(page).evaluateAll((trs) =>
      trs.map((tr) => tr.getAttribute("data-username") ?? ""),
    );
    expect(names.length).toBeGreaterThan(0);
    expect(names).toEqual([...names].sort());
    const search = page.getByTestId("users-search");
    for (const [username, text] of [
      ["coordinator", "综治中心协调员"],
      ["officer", "部门工作人员"],
      ["resident", "正常"],
    ] as const) {
      await search.fill(username);
      await search.press("Enter");
      await expect(row(page, username).textContent()).resolves.toContain(text);
    }
    await search.fill("");
    await search.press("Enter");
    await page.screenshot({ path: path.join(RESULTS, "admin-users-list.png") });

    // The grid to give the new account: a grid the admin can see.
    const grids = (await (
      await page.request.get(`${BASE}/api/areas?level=grid&limit=5&sort=code`)
    ).json()) as { items: { code: string; name: string }[] };
    const grid = grids.items[1] ?? grids.items[0];
    if (!grid) throw new Error("no grid in the demo district");

    // 新建账户: submitting empty shows the shared schemas' messages.
    await page.getByTestId("user-create").click();
    const form = page.getByTestId("user-create-form");
    await form.waitFor();
    await page.getByTestId("user-create-submit").click();
    await form.getByText("用户名为 2–40 位小写字母").waitFor();
    await form.getByText("请输入姓名").waitFor();
    await form.getByText("请选择角色").waitFor();

    const username = `e2e-grid-${Date.now() % 1_000_000}`;
    const password = "Wangge2026abc";
    await page.getByTestId("user-username").fill(username);
    await page.getByTestId("user-display-name").fill("测试网格员");
    // Live validation of the password rule.
    await page.getByTestId("user-password").fill("short1");
    await form.getByText("密码至少 10 位").waitFor();
    await page.getByTestId("user-password").fill(password);
    await form
      .locator(".ant-form-item-has-success", { has: page.getByTestId("user-password") })
      .waitFor();
    // An e-mail address is optional; a mistyped one is caught as it is typed.
    await page.getByTestId("user-email").fill("wangge@example");
    await form.getByText("邮箱地址格式不正确").waitFor();
    await page.getByTestId("user-email").fill(`${username}@example.com`);
    await form.getByText("邮箱地址格式不正确").waitFor({ state: "hidden" });

    // Role 网格员 → the area picker appears; search the grid by its code and pick it.
    await pickInSelect(
      page,
      page.getByTestId("grant-role-0"),
      (d) => d.locator('[title="网格员"]'),
      () => page.getByTestId("grant-area-0").isVisible(),
    );
    await page.getByTestId("grant-area-0").click();
    await page.keyboard.type(grid.code);
    await page.locator(`.ant-select-dropdown:visible [data-code="${grid.code}"]`).waitFor();
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "admin-users-area-picker.png") });
    await page.locator(`.ant-select-dropdown:visible [data-code="${grid.code}"]`).click();
    await expect(page.getByTestId("grant-area-0").textContent()).resolves.toContain(grid.name);
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "admin-users-create.png") });

    await page.getByTestId("user-create-submit").click();
    await form.waitFor({ state: "hidden" });
    const created = row(page, username);
    await created.waitFor();
    await expect(created.textContent()).resolves.toContain("网格员");
    await expect(created.textContent()).resolves.toContain(grid.name);
    await expect(page.getByTestId("users-total").textContent()).resolves.toBe(
      `共 ${all.total + 1} 条`,
    );
    const saved = (await (
      await page.request.get(`${BASE}/api/admin/users?q=${username}`)
    ).json()) as { items: { email: string | null }[] };
    expect(saved.items[0]?.email).toBe(`${username}@example.com`);

    // The same username again: the server's conflict lands on the username field.
    await page.getByTestId("user-create").click();
    await form.waitFor();
    await page.getByTestId("user-username").fill(username);
    await page.getByTestId("user-display-name").fill("重复");
    await page.getByTestId("user-password").fill(password);
    await page.getByTestId("grant-remove-row-0").click();
    await page.getByTestId("user-create-submit").click();
    await form.locator(".ant-form-item-has-error", { hasText: "已被使用" }).waitFor();
    await page
      .locator(".ant-modal:visible")
      .getByRole("button", { name: /取\s*消/ })
      .click();
    await form.waitFor({ state: "hidden" });

    // The grants drawer lists the grid grant.
    await created.getByTestId("user-grants-open").click();
    const grants = page.locator(`[data-testid="user-grants"][data-user="${username}"]`);
    await grants.waitFor();
    await grants.locator('[data-role="grid_worker"]', { hasText: grid.name }).first().waitFor();
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "admin-users-grants.png") });
    await page.keyboard.press("Escape");
    await grants.waitFor({ state: "detached" });

    // The new account logs in and holds its role.
    await logout(page);
    await loginOk(page, username, password);
    await expect(page.getByTestId("home-grants").textContent()).resolves.toContain("网格员");
    await logout(page);

    // Back as admin: find it, disable it (after confirming).
    await loginOk(page, "admin");
    await openAccounts(page);
    await page.getByTestId("users-search").fill(username);
    await expect.poll(() => rows(page).count()).toBe(1);
    await row(page, username).getByTestId("user-disable").click();
    await page.getByTestId("user-disable-confirm").click();
    await row(page, username).locator('[data-status="disabled"]').waitFor();
    await expect(row(page, username).textContent()).resolves.toContain("已停用");
    // A disabled account offers 启用 instead of 停用.
    await row(page, username).getByTestId("user-activate").waitFor();
    await expect(row(page, username).getByTestId("user-disable").count()).resolves.toBe(0);
    await settle(page);
    await page.screenshot({ path: path.join(RESULTS, "admin-users-disabled.png") });

    // It can no longer log in, and the login page says why.
    await logout(page);
    await login(page, username, password);
    const error = page.getByTestId("login-error");
    await error.waitFor();
    await expect(error.textContent()).resolves.toContain("账户已停用");
    expect(page.url()).toMatch(/\/login$/);
    await page.screenshot({ path: path.join(RESULTS, "admin-users-disabled-login.png") });
  });

  it("a coordinator has no 账户管理 entry and gets 403 on /admin/users", async () => {
    const page = await session.newPage({ width: 1366, height: 900 });
    await loginOk(page, "coordinator");
    const menu = (await page.getByTestId("nav-menu").textContent()) ?? "";
    expect(menu).toContain("区域");
    expect(menu).not.toContain("账户管理");

    await page.goto(`${BASE}/admin/users`);
    await page.getByTestId("forbidden-page").waitFor();
    await expect(page.getByTestId("forbidden-page").textContent()).resolves.toContain("403");
    await page.screenshot({ path: path.join(RESULTS, "admin-users-403-coordinator.png") });
  });
});
