/**
 * Browser tests of 欠薪预警 and 安全信用: the enterprise officer, on a phone
 * (390×844), sees this month's payroll declaration due on the workspace home,
 * declares it with wages owed, and sees the warning rise with the signals
 * behind it; a coordinator then finds the enterprise on 欠薪预警 (/wage-warnings)
 * with its signals and preventive case, and opens its risk tab.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInChina } from "../../src/shared/dates.js";
import { BASE, BrowserSession, loginOk, RESULTS } from "./support.js";

const session = new BrowserSession();
beforeAll(() => session.start());
afterAll(() => session.stop());

const PHONE = { width: 390, height: 844 };
let enterprise = { id: "", name: "" };

describe("欠薪预警 and 安全信用", () => {
  it("企业专管员在手机上申报本月工资发放（有欠发），看到预警信号", async () => {
    const page = await session.newPage(PHONE, true);
    await loginOk(page, "enterprise");
    const me = await (await page.request.get(`${BASE}/api/auth/me`)).json();
    enterprise = { id: me.grants[0].scope.id, name: me.grants[0].scope.name };
    const payroll = await (
      await page.request.get(`${BASE}/api/enterprises/${enterprise.id}/payroll`)
    ).json();
    const usual = payroll.items[0].amountDue as number;

    // The workspace home says this month's declaration is due.
    const card = page.getByTestId("risk-home-card");
    await card.waitFor();
    await expect(page.getByTestId("risk-home-payroll").getAttribute("data-declared")).resolves.toBe(
      "false",
    );
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(RESULTS, "risk-phone-home.png") });
    await page.getByTestId("risk-home-declare").click();

    await page.getByTestId("enterprise-risk").waitFor();
    await page.getByTestId("risk-signals").waitFor();
    await expect(page.getByTestId("risk-warning-level").getAttribute("data-level")).resolves.toBe(
      "none",
    );
    await page.getByTestId("payroll-declare").click();
    const form = page.getByTestId("payroll-form-body");
    await form.waitFor();
    // antd's button-style radio hides its input: click its label.
    await page.locator('label:has([data-testid="payroll-on-time-no"])').click();
    await page.getByTestId("payroll-paid-on").fill(todayInChina());
    await page.getByTestId("payroll-headcount").fill("40");
    await page.getByTestId("payroll-due").fill(String(Math.round(usual * 2)));
    await page.getByTestId("payroll-paid").fill(String(Math.round(usual * 0.5)));
    await page.getByTestId("payroll-note").click();
    await page.getByTestId("payroll-arrears-hint").waitFor();
    await page.screenshot({ path: path.join(RESULTS, "risk-phone-declare.png") });
    await page.getByTestId("payroll-submit").click();

    // The warning is recomputed at once: arrears at full points, the level up.
    await page.getByText(/已申报 \d{4}-\d{2}/).waitFor();
    await page.locator('[data-testid="payroll-current-state"][data-declared="true"]').waitFor();
    await page.locator('[data-testid="risk-warning-level"]:not([data-level="none"])').waitFor();
    const level = await page.getByTestId("risk-warning-level").getAttribute("data-level");
    expect(["warning", "alarm"]).toContain(level);
    await expect(page.getByTestId("risk-signal-arrears").textContent()).resolves.toMatch(
      /近 3 个月欠发 [\d,.]+ 元/,
    );
    await expect(page.locator('[data-signal="arrears"]').getAttribute("data-points")).resolves.toBe(
      "40",
    );
    await page.getByTestId("risk-open-case").waitFor();
    await page.getByTestId("risk-signals").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(RESULTS, "risk-phone-signals.png"), fullPage: true });

    // The rating with what would raise it is on the same tab.
    await page.getByTestId("risk-rating-letter").waitFor();
    await expect(page.getByTestId("risk-factors").locator("[data-factor]").count()).resolves.toBe(
      4,
    );
  });

  it("协调员打开欠薪预警列表，看到该企业的信号与预防性事件", async () => {
    const page = await session.newPage({ width: 1366, height: 900 });
    await loginOk(page, "coordinator");
    await page.getByRole("menuitem", { name: "欠薪预警" }).click();
    await page.getByTestId("wage-warnings-page").waitFor();
    await page.getByTestId("wage-warnings-search").fill(enterprise.name.slice(0, 8));
    const row = page.locator(`tr[data-enterprise-id="${enterprise.id}"]`);
    await row.waitFor();
    const level = (await row.getAttribute("data-level")) as string;
    expect(["warning", "alarm"]).toContain(level);
    await expect(row.textContent()).resolves.toContain("欠发工资");
    await expect(row.textContent()).resolves.toMatch(/SJ\d+/);
    await page.screenshot({ path: path.join(RESULTS, "risk-wage-warnings.png") });

    // Filtered by its level: every row is at that level.
    await page.getByTestId("wage-warnings-search").fill("");
    await page.waitForURL((u) => !u.search.includes("q="));
    await page.getByTestId("wage-warnings-level").click();
    await page
      .getByTitle(level === "alarm" ? "告警" : "预警")
      .last()
      .click();
    await page.waitForURL(new RegExp(`level=${level}`));
    // The list keeps the last rows while the filtered page loads: wait for it.
    await page.waitForFunction((want) => {
      const rows = [...document.querySelectorAll("tr[data-level]")];
      return rows.length > 0 && rows.every((r) => r.getAttribute("data-level") === want);
    }, level);
    const levels = await page
      .locator("tr[data-level]")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-level")));
    expect(levels.length).toBeGreaterThan(0);
    expect(new Set(levels)).toEqual(new Set([level]));

    // From the list to the enterprise's risk tab.
    await page.goto(`${BASE}/wage-warnings?q=${encodeURIComponent(enterprise.name.slice(0, 8))}`);
    await row.getByTestId("wage-warning-link").click();
    await page.getByTestId("enterprise-risk").waitFor();
    await page.getByTestId("risk-signal-arrears").waitFor();
    // Staff read the declarations but do not declare.
    await page.getByTestId("payroll-table").waitFor();
    await expect(page.getByTestId("payroll-declare").count()).resolves.toBe(0);
    await page.getByTestId("risk-history-rating").waitFor();
    await page.screenshot({ path: path.join(RESULTS, "risk-profile-tab.png"), fullPage: true });
  });
});
