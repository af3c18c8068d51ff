/**
 * Browser test of the enterprise manager (企业负责人) on a phone (390×844):
 * from the workspace home they open 员工账号, see the form refuse a bad
 * entry, open an officer account, and deactivate it behind a confirmation;
 * the account can no longer sign in.
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, BrowserSession, loginOk, openPopup, RESULTS } from "./support.js";

const session = new BrowserSession();
beforeAll(() => session.start());
afterAll(() => session.stop());

const PHONE = { width: 390, height: 844 };
/** A busy machine answers slowly: polls wait longer than the default second. */
const WAIT = { timeout: 15_000 };
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(RESULTS, `${name}.png`), fullPage: true });

describe("员工账号 (enterprise manager, phone)", () => {
  it("opens an officer account and deactivates it after confirming", async () => {
    const page = await session.newPage(PHONE, true);
    await loginOk(page, "enterprise-manager");
    await page.getByTestId("enterprise-workspace").waitFor();
    await page.getByTestId("workspace-open-accounts").click();
    await page.waitForURL(/tab=accounts/);
    const accounts = page.getByTestId("enterprise-accounts");
    await accounts.waitFor();
    const table = page.getByTestId("accounts-table");
    // The manager, first, and the demo officer; the only manager cannot be deactivated.
    const managerRow = table.locator("tr.ant-table-row").first();
    await expect.poll(() => managerRow.textContent(), WAIT).toContain("企业负责人");
    await expect(managerRow.textContent()).resolves.toContain("本人");
    await table.locator("tr.ant-table-row", { hasText: "赵磊" }).waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(PHONE.width);
    await shot(page, "enterprise-staff-phone-list");

    // Numbers of this run only, so the test can run again on the same server.
    const username = `officer-${Date.now() % 1_000_000}`;
    await page.getByTestId("account-add").click();
    const modal = page.locator(".ant-modal-wrap", { hasText: "新建安全员账号" });
    await page.getByTestId("account-display-name").fill("李明");
    await page.getByTestId("account-username").fill("Bad Name");
    await page.getByTestId("account-password").fill("short");
    await page.getByTestId("account-phone").fill("12345");
    await page.getByTestId("account-submit").click();
    await expect.poll(() => modal.textContent(), WAIT).toContain("用户名为 2–40 位小写字母");
    await expect(modal.textContent()).resolves.toContain("密码至少 10 位");
    await shot(page, "enterprise-staff-phone-form-errors");
    await page.getByTestId("account-username").fill(username);
    await page.getByTestId("account-password").fill("Officer-2026-pass");
    await page.getByTestId("account-phone").fill("13912345678");
    await page.getByTestId("account-submit").click();
    const status = page.getByTestId(`account-status-${username}`);
    await status.waitFor();
    await expect(status.textContent()).resolves.toBe("在用");
    const row = table.locator("tr.ant-table-row", { hasText: username });
    await expect(row.textContent()).resolves.toContain("企业安全员");
    await expect(row.textContent()).resolves.toContain("李明");

    // Deactivate: first the confirmation, cancelled changes nothing; then confirmed.
    await page.getByTestId(`account-deactivate-${username}`).click();
    const confirm = openPopup(page, ".ant-popover");
    await expect.poll(() => confirm.textContent(), WAIT).toContain("停用「李明」的账号？");
    await shot(page, "enterprise-staff-phone-confirm");
    await confirm.locator(".ant-popconfirm-buttons button").first().click();
    await expect(status.textContent()).resolves.toBe("在用");
    await page.getByTestId(`account-deactivate-${username}`).click();
    await openPopup(page, ".ant-popover").getByTestId("account-deactivate-ok").click();
    await expect.poll(() => status.textContent(), WAIT).toBe("已停用");
    await page.getByTestId(`account-reactivate-${username}`).waitFor();
    await shot(page, "enterprise-staff-phone-deactivated");

    // The deactivated officer cannot sign in.
    const res = await page.request.post(`${BASE}/api/auth/login`, {
      data: { username, password: "Officer-2026-pass" },
    });
    expect(res.status()).not.toBe(200);
  });
});
