/**
 * Browser tests of the foundation: log in, the area browser and its map,
 * what a resident may not see, login errors, and API tokens. They drive the
 * real product (see global-setup.ts) in the system Chromium, in Chinese.
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, BrowserSession, login, loginOk, RESULTS } from "./support.js";

interface AreaSummary {
  id: string;
  code: string;
  name: string;
  level: string;
  parentId: string | null;
}

const session = new BrowserSession();
beforeAll(() => session.start());
afterAll(() => session.stop());
const newPage = (viewport: { width: number; height: number }, phone = false) =>
  session.newPage(viewport, phone);

const interactivePaths = (page: Page) =>
  page.locator('[data-testid="area-map"] path.leaflet-interactive');

async function waitForDetail(page: Page, code: string): Promise<void> {
  await page.locator(`[data-testid="area-detail"][data-code="${code}"]`).waitFor();
}

describe("foundation (Chinese UI)", () => {
  it("coordinator browses the district, a street and a community's grids on the map (desktop)", async () => {
    const page = await newPage({ width: 1366, height: 900 });
    await loginOk(page, "coordinator");
    await expect(page.getByTestId("home-page").textContent()).resolves.toContain("综治中心协调员");

    await page.getByTestId("nav-menu").getByText("区域", { exact: true }).click();
    await page.waitForURL(/\/areas$/);

    // The tree: the district and its streets.
    const tree = page.getByTestId("area-tree");
    await tree.getByText("虎丘区").waitFor();
    const all = (await (await page.request.get(`${BASE}/api/areas?limit=1000`)).json()) as {
      items: AreaSummary[];
    };
    const district = all.items.find((a) => a.level === "district");
    expect(district?.name).toBe("虎丘区");
    const streets = all.items.filter((a) => a.level === "street");
    expect(streets.length).toBeGreaterThanOrEqual(5);
    for (const s of streets.slice(0, 5)) await tree.getByText(s.name, { exact: true }).waitFor();

    // The map: one polygon per street.
    await waitForDetail(page, district?.code ?? "");
    await expect
      .poll(() => interactivePaths(page).count(), { timeout: 20_000 })
      .toBe(streets.length);
    expect(streets.length).toBeGreaterThanOrEqual(5);

    // Pick a community that has grids, then its street.
    const gridCount = new Map<string, number>();
    for (const a of all.items) {
      if (a.level === "grid" && a.parentId)
        gridCount.set(a.parentId, (gridCount.get(a.parentId) ?? 0) + 1);
    }
    const community = all.items.find(
      (a) => a.level === "community" && (gridCount.get(a.id) ?? 0) >= 2,
    );
    expect(community, "a community with grids").toBeDefined();
    if (!community) return;
    const street = all.items.find((a) => a.id === community.parentId);
    if (!street) throw new Error("community without street");
    const streetCommunities = all.items.filter((a) => a.parentId === street.id).length;

    // Click the street in the tree: the map now shows its communities.
    await tree.locator(`[data-code="${street.code}"]`).click();
    await page.waitForURL(new RegExp(`/areas/${street.code}$`));
    await waitForDetail(page, street.code);
    await expect.poll(() => interactivePaths(page).count()).toBe(streetCommunities);
    await expect(page.getByTestId("area-detail-level").textContent()).resolves.toBe("街道");

    // Click the community's polygon: the map now shows its grids.
    await page
      .locator(`[data-testid="area-map"] path[data-code="${community.code}"]`)
      .dispatchEvent("click");
    await page.waitForURL(new RegExp(`/areas/${community.code}$`));
    await waitForDetail(page, community.code);
    await expect.poll(() => interactivePaths(page).count()).toBe(gridCount.get(community.id));
    await expect(page.getByTestId("area-detail-level").textContent()).resolves.toBe("社区");
    await expect(page.getByTestId("area-detail-children").textContent()).resolves.toBe(
      String(gridCount.get(community.id)),
    );
    const detail = await page.getByTestId("area-detail").textContent();
    expect(detail).toContain(street.name); // the parent chain
    expect(detail).toContain("虎丘区");
    // The tree follows the map: the community is selected and visible.
    await tree.locator(".ant-tree-node-selected").getByText(community.name).waitFor();

    await page.waitForTimeout(300); // let Leaflet finish painting
    await page.screenshot({ path: path.join(RESULTS, "areas-desktop.png") });

    // Searching the tree narrows it to matches.
    await page.getByTestId("area-search").fill(community.name);
    await tree.locator(`[data-code="${community.code}"]`).waitFor();
    await expect
      .poll(() =>
        tree
          .getByText(streets.find((s) => s.id !== street.id)?.name ?? "", { exact: true })
          .count(),
      )
      .toBe(0);
  });

  it("a resident on a phone sees no staff or admin entries and gets 403 on /admin/tokens", async () => {
    const page = await newPage({ width: 390, height: 844 }, true);
    await loginOk(page, "resident");
    await expect(page.getByTestId("home-page").textContent()).resolves.toContain("居民");

    await page.getByTestId("nav-toggle").click();
    const menu = page.getByTestId("nav-drawer-menu");
    await menu.waitFor();
    const menuText = (await menu.textContent()) ?? "";
    expect(menuText).toContain("首页");
    for (const hidden of ["令牌", "API", "区域", "系统管理"])
      expect(menuText).not.toContain(hidden);
    await page.waitForTimeout(400); // drawer animation
    await page.screenshot({ path: path.join(RESULTS, "resident-phone-menu.png") });
    await page.keyboard.press("Escape");

    await page.goto(`${BASE}/admin/tokens`);
    await page.getByTestId("forbidden-page").waitFor();
    await expect(page.getByTestId("forbidden-page").textContent()).resolves.toContain("403");
    await page.screenshot({ path: path.join(RESULTS, "resident-phone-403.png") });

    await page.goto(`${BASE}/areas`);
    await page.getByTestId("forbidden-page").waitFor();

    await page.goto(`${BASE}/no/such/page`);
    await page.getByTestId("not-found-page").waitFor();
  });

  it("a wrong password shows the Chinese error message, and the language switch works", async () => {
    const page = await newPage({ width: 1366, height: 900 });
    await login(page, "officer", "not-the-password-1");
    const error = page.getByTestId("login-error");
    await error.waitFor();
    await expect(error.textContent()).resolves.toContain("用户名或密码错误");
    await expect(error.textContent()).resolves.not.toContain("Wrong username");
    expect(page.url()).toMatch(/\/login$/);
    await page.screenshot({ path: path.join(RESULTS, "login-error.png") });

    // An unknown user gets the very same message.
    await login(page, "nobody-here", "whatever-123");
    await expect(page.getByTestId("login-error").textContent()).resolves.toContain(
      "用户名或密码错误",
    );

    // Switch to English: the page and the server's message follow, and the choice persists.
    await page.getByTestId("lang-switch").click();
    await page.getByRole("menuitem", { name: "English" }).click();
    await page.getByRole("button", { name: "Log in" }).waitFor();
    await page.reload();
    await page.getByRole("button", { name: "Log in" }).waitFor();
    await expect(page.locator("html").getAttribute("lang")).resolves.toBe("en-US");
  });

  it("an admin creates an API token, sees it once, and revokes it", async () => {
    const page = await newPage({ width: 1366, height: 900 });
    await loginOk(page, "admin");
    await page.getByTestId("nav-menu").getByText("API 令牌").click();
    await page.waitForURL(/\/admin\/tokens$/);
    await page.getByTestId("tokens-page").waitFor();

    await page.getByTestId("token-create").click();
    const form = page.getByTestId("token-form");
    await form.waitFor();
    // Live validation: submitting empty shows the shared schema's messages.
    await page.getByTestId("token-submit").click();
    await form.getByText("名称不能为空").waitFor();
    await form.getByText("至少选择一个权限范围").waitFor();

    const name = `e2e 令牌 ${Date.now()}`;
    await page.getByTestId("token-name").fill(name);
    await form.getByText("读取区域").click();
    await page.getByTestId("token-submit").click();

    const created = page.getByTestId("token-created");
    await created.waitFor();
    await expect(created.textContent()).resolves.toContain("无法再次查看");
    const secret = ((await page.getByTestId("token-secret").textContent()) ?? "").trim();
    expect(secret.length).toBeGreaterThan(20);
    await page.waitForTimeout(500); // let the dialogs finish animating
    await page.screenshot({ path: path.join(RESULTS, "token-created.png") });

    // The token shown is real: it reads areas.
    const ok = await fetch(`${BASE}/api/areas?limit=1`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(ok.status).toBe(200);

    await page.getByTestId("token-created-done").click();
    await created.waitFor({ state: "detached" });
    const row = page.locator(".ant-table-row", { hasText: name });
    await row.waitFor();
    expect(await page.content()).not.toContain(secret); // shown once only

    // Revoke, after confirming.
    // (antd spaces two-character Chinese button labels: "撤 销", so match by role.)
    await row.locator("button.ant-btn-dangerous").click();
    await page.locator(".ant-popconfirm .ant-btn-primary").click();
    await row.getByText("已撤销").waitFor();
    const revoked = await fetch(`${BASE}/api/areas?limit=1`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(revoked.status).toBe(401);
  });
});
