/**
 * Browser tests of 我的登记 on a phone (390×844), as a new citizen with a
 * fresh account: told they have not registered, register themself at the
 * standard address they live at (first told what is wrong with a mistyped ID
 * number), then see their own masked record with its history and reveal
 * their own number with a reason. The demo resident, already registered,
 * lands straight on their record.
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMonths, todayInChina } from "../../src/shared/dates.js";
import { residentIdCheckChar } from "../../src/shared/formats/resident-id.js";
import { BASE, BrowserSession, loginOk, PASSWORD, RESULTS } from "./support.js";

const session = new BrowserSession();
beforeAll(() => session.start());
afterAll(() => session.stop());

const PHONE = { width: 390, height: 844 };
const FIRST17 = "51010419970611234";
const ID = FIRST17 + residentIdCheckChar(FIRST17);
const WRONG = FIRST17 + (ID.endsWith("0") ? "1" : "0");

/** As the admin, through the API: a new resident account and an existing unit's address. */
async function prepare(page: Page): Promise<{ username: string; address: string }> {
  await loginOk(page, "admin");
  const me = await (await page.request.get(`${BASE}/api/auth/me`)).json();
  const headers = { "x-csrf-token": me.csrfToken as string };
  const username = `xsm${Date.now().toString(36)}`;
  const created = await page.request.post(`${BASE}/api/admin/users`, {
    headers,
    data: { username, displayName: "王小川", password: PASSWORD, grants: [{ role: "resident" }] },
  });
  expect(created.status(), await created.text()).toBe(201);
  const units = await (await page.request.get(`${BASE}/api/units?limit=1&sort=address`)).json();
  return { username, address: units.items[0].address as string };
}

describe("我的登记 on a phone (resident)", () => {
  it("a new citizen registers themself at their address and sees their own record", async () => {
    const { username, address } = await prepare(
      await session.newPage({ width: 1280, height: 800 }),
    );
    const page = await session.newPage(PHONE, true);
    await loginOk(page, username);
    await page.getByTestId("home-link-me").click();
    await page.getByText("您还没有登记居住信息").waitFor();
    await page.screenshot({ path: path.join(RESULTS, "me-phone-empty.png") });

    await page.getByTestId("me-register").click();
    await page.getByText("登记我的居住信息").last().waitFor();
    await page.getByTestId("resident-name").fill("王小川");
    await page.getByTestId("resident-id-number").fill(WRONG);
    await page.getByTestId("resident-phone").click();
    await page
      .getByText(/校验位应为/)
      .first()
      .waitFor();
    await page.getByTestId("resident-id-number").fill(ID);
    await page.getByTestId("resident-phone").fill("13812345678");
    await page.getByTestId("resident-unit").click();
    await page.keyboard.type(address.slice(0, 6));
    await page.getByTitle(address).last().click();
    await page.screenshot({ path: path.join(RESULTS, "me-phone-form.png") });
    await page.getByTestId("resident-register-submit").click();

    await page.getByText("登记成功").waitFor();
    const detail = page.getByTestId("resident-detail");
    await detail.waitFor();
    await expect(detail.textContent()).resolves.toContain(`510104********${ID.slice(-4)}`);
    await expect(page.getByTestId("resident-history").textContent()).resolves.toContain(address);
    // Six months of unbroken residence from today (the demo's configuration).
    await expect(page.getByTestId("resident-detail-eligible").textContent()).resolves.toBe(
      `${addMonths(todayInChina(), 6)}（届时连续居住满期即可申领）`,
    );
    // No way into staff lists from here.
    await expect(page.getByText("返回实有人口").count()).resolves.toBe(0);
    await page.screenshot({ path: path.join(RESULTS, "me-phone-registered.png") });

    await page.getByTestId("resident-reveal").click();
    await page.getByTestId("resident-reveal-reason").fill("办理居住证核对本人信息");
    await page.getByTestId("resident-reveal-submit").click();
    await expect(page.getByTestId("resident-revealed-value").textContent()).resolves.toContain(ID);
  });

  it("the demo resident, already registered, lands on their record", async () => {
    const page = await session.newPage(PHONE, true);
    await loginOk(page, "resident");
    await page.goto(`${BASE}/me`);
    const detail = page.getByTestId("resident-detail");
    await detail.waitFor();
    await expect(detail.textContent()).resolves.toContain("刘洋");
  });
});
