/**
 * What every browser test shares: the system Chromium, a fresh context per
 * page (in Chinese), logging in and out, and where screenshots go. The
 * product itself is started by global-setup.ts; its address is `BASE`.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Locator,
  type Page,
} from "playwright-core";
import { expect, inject } from "vitest";
import { type Boundary, boundaryInteriorPoint } from "../../src/server/modules/geo/geometry.js";

export const BASE = inject("baseURL");
/** The demo accounts' password (the seed's default). */
export const PASSWORD = "Gongzhi@2026";
export const RESULTS = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../test-results",
);

/** One browser per test file: start() in beforeAll, stop() in afterAll, newPage() per test. */
export class BrowserSession {
  private browser: Browser | null = null;
  private readonly contexts: BrowserContext[] = [];

  async start(): Promise<void> {
    fs.mkdirSync(RESULTS, { recursive: true });
    this.browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  }

  async stop(): Promise<void> {
    for (const c of this.contexts) await c.close().catch(() => undefined);
    await this.browser?.close();
  }

  async newPage(viewport: { width: number; height: number }, phone = false): Promise<Page> {
    if (!this.browser) throw new Error("BrowserSession.start() first");
    const context = await this.browser.newContext({
      viewport,
      locale: "zh-CN",
      ...(phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
    });
    this.contexts.push(context);
    const page = await context.newPage();
    // Generous: CI runs the server, the browser and the test on two cores, and a
    // scheduled job's transaction on the embedded database can hold a request
    // for a few seconds (a mediation step once took over 20 s there).
    page.setDefaultTimeout(30_000);
    // Surface browser-side crashes in the test output.
    page.on("pageerror", (err) => console.error(`[pageerror] ${err.message}`));
    return page;
  }
}

export async function login(page: Page, username: string, password = PASSWORD): Promise<void> {
  await page.goto(`${BASE}/login`);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByTestId("login-submit").click();
}

export async function loginOk(page: Page, username: string, password = PASSWORD): Promise<void> {
  await login(page, username, password);
  await page.getByTestId("home-page").waitFor();
}

/** 退出登录 from the user menu, confirmed; ends on the login page. */
export async function logout(page: Page): Promise<void> {
  await page.getByTestId("user-menu").click();
  await page.getByRole("menuitem", { name: "退出登录" }).click();
  await page.getByTestId("logout-confirm").click();
  await page.waitForURL(/\/login$/);
}

/** A point inside the demo grid worker's grid, from the API (asked as the grid worker). */
export async function pointInGridWorkersGrid(
  session: BrowserSession,
): Promise<{ lat: number; lng: number }> {
  const page = await session.newPage({ width: 1366, height: 900 });
  await loginOk(page, "gridworker");
  const me = await (await page.request.get(`${BASE}/api/auth/me`)).json();
  const grid = await (
    await page.request.get(`${BASE}/api/areas/${me.grants[0].scope.code}`)
  ).json();
  const [lng, lat] = boundaryInteriorPoint(grid.boundary as Boundary);
  return { lat, lng };
}

/** The open popup (antd keeps closed ones in the page). */
export const openPopup = (page: Page, selector: string) =>
  page.locator(`${selector}:not(.ant-popover-hidden):not(.ant-select-dropdown-hidden)`);

/**
 * Opens an antd select, picks an option and waits until `taken` says the
 * form holds it. On a busy machine (CI has two cores) the dropdown can open
 * late or a click can land while antd re-renders the list, so it tries again,
 * up to three times. It closes a dropdown left open with Escape only when one
 * is open: Escape with none open would close the modal or drawer around the
 * select (that is how a retry once hid the whole form).
 */
export async function pickInSelect(
  page: Page,
  trigger: Locator,
  option: (dropdown: Locator) => Locator,
  taken: () => Promise<boolean>,
  type?: string,
): Promise<void> {
  const dropdown = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)");
  for (let attempt = 1; ; attempt++) {
    try {
      await trigger.click();
      if (type) await page.keyboard.type(type);
      await option(dropdown).first().click({ timeout: 10_000 });
      await expect.poll(taken, { timeout: 10_000 }).toBe(true);
      return;
    } catch (err) {
      if (await taken().catch(() => false)) return;
      if (attempt >= 3) throw err;
      if (
        await dropdown
          .first()
          .isVisible()
          .catch(() => false)
      ) {
        await page.keyboard.press("Escape");
      }
    }
  }
}

/** `taken` for pickInSelect: the select shows `text`. */
export const selectShows = (trigger: Locator, text: string) => async () =>
  ((await trigger.textContent()) ?? "").includes(text);

/** The page fits a phone's width: nothing wider than the screen to scroll sideways to. */
export async function expectFitsWidth(page: Page, width = 390): Promise<void> {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth, `page is ${scrollWidth}px wide on a ${width}px screen`).toBeLessThanOrEqual(
    width,
  );
}
