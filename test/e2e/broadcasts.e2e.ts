/**
 * Browser tests of 定向广播: the coordinator writes an anti-fraud warning to
 * the residents of the street the demo resident lives in, sees how many each
 * channel reaches before sending (counts, no names or numbers), confirms and
 * sends it, and watches the job deliver it; the resident, on a phone
 * (390×844), finds it unread under 广播通知, opens it (read); the
 * coordinator then sees the read count.
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, BrowserSession, loginOk, pickInSelect, RESULTS, selectShows } from "./support.js";

const session = new BrowserSession();
beforeAll(() => session.start());
afterAll(() => session.stop());

const DESK = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
/** The delivery job runs every 5 s; on two busy cores give it time. */
const WAIT = { timeout: 60_000, interval: 1000 };
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(RESULTS, `${name}.png`), fullPage: true });

const TITLE = `警惕“刷单返利”诈骗（${Date.now().toString(36)}）`;
let broadcastId = "";
let street = "";

describe("定向广播", () => {
  it("协调员向一个街道的居民发送反诈提醒：发送前看到各渠道人数，确认后由任务分批送达", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "coordinator");
    await page.getByTestId("nav-menu").getByText("定向广播", { exact: true }).click();
    await page.waitForURL(/\/broadcasts$/);
    await page.getByTestId("broadcasts-page").waitFor();
    // The seeded anti-fraud warning, sent, to the street the demo resident lives in.
    const seeded = page.getByTestId("broadcast-row").filter({ hasText: "冒充客服退款" });
    await seeded.first().waitFor();
    expect(await seeded.first().textContent()).toContain("已发送");
    const audience = (await seeded.first().locator("td").nth(2).textContent()) ?? "";
    street = audience.match(/^(.+街道) 居民$/)?.[1] ?? "";
    expect(street).not.toBe("");
    await shot(page, "broadcasts-list");

    await page.getByTestId("broadcast-compose").click();
    const drawer = page.getByTestId("broadcast-compose-drawer");
    await drawer.waitFor();
    // Sending is not possible before the audience is chosen.
    expect(await page.getByTestId("broadcast-save-send").isDisabled()).toBe(true);
    await page.getByTestId("broadcast-title").fill(TITLE);
    await page
      .getByTestId("broadcast-body")
      .fill(
        "近期有人以“点赞返现”“刷单返利”为名拉人入群，先小额返利再诱导大额投入。刷单本身违法，凡是要求先垫付的都是诈骗。可疑情况请拨打 96110。",
      );
    const area = page.getByTestId("broadcast-area");
    await pickInSelect(
      page,
      area,
      (dropdown) => dropdown.locator(".ant-select-tree-title").getByText(street, { exact: true }),
      selectShows(area, street),
      street,
    );
    const reach = page.getByTestId("broadcast-reach");
    await reach.waitFor({ timeout: 20_000 });
    const targeted = Number(await reach.getAttribute("data-targeted"));
    expect(targeted).toBeGreaterThan(0);
    const text = (await page.getByTestId("broadcast-preview").textContent()) ?? "";
    expect(text).toContain(`共 ${targeted} 人`);
    expect(text).toMatch(/应用内 \d+ 人/);
    expect(text).toMatch(/短信 \d+ 人/);
    expect(text).toContain("只统计人数，不显示名单和号码");
    expect(text).not.toMatch(/1[3-9]\d{9}/);
    await shot(page, "broadcasts-compose");

    await page.getByTestId("broadcast-save-send").click();
    const confirm = page.getByTestId("broadcast-send-confirm");
    await confirm.waitFor();
    expect(await page.locator(".ant-popconfirm").textContent()).toContain(
      `确认向 ${targeted} 人发送？发送后不能修改或撤回。`,
    );
    await confirm.click();

    const detail = page.getByTestId("broadcast-detail-page");
    await detail.waitFor();
    broadcastId = page.url().match(/\/broadcasts\/(\d+)$/)?.[1] ?? "";
    expect(broadcastId).toMatch(/^\d+$/);
    // Delivered by the job (the page looks again every few seconds), then sent.
    await expect.poll(() => detail.getAttribute("data-status"), WAIT).toBe("sent");
    await expect
      .poll(() => page.getByTestId("broadcast-count-targeted").getAttribute("data-value"), WAIT)
      .toBe(String(targeted));
    expect(await page.getByTestId("broadcast-count-read").getAttribute("data-value")).toBe("0");
    expect(
      Number(await page.getByTestId("broadcast-count-inApp").getAttribute("data-value")),
    ).toBeGreaterThan(0);
    expect(await page.getByTestId("broadcast-edit").count()).toBe(0);
    expect(await page.getByTestId("broadcast-audience").textContent()).toBe(`${street} 居民`);
    expect((await detail.textContent()) ?? "").not.toMatch(/1[3-9]\d{9}/);
    await shot(page, "broadcasts-sent");
  });

  it("居民在手机上的广播通知里看到未读的提醒，打开即已读", async () => {
    const page = await session.newPage(PHONE, true);
    await loginOk(page, "resident");
    await page.getByTestId("nav-toggle").click();
    const menu = page.getByTestId("nav-drawer-menu");
    await menu.waitFor();
    expect((await menu.textContent()) ?? "").not.toContain("定向广播");
    await menu.getByText("广播通知", { exact: true }).click();
    await page.getByTestId("my-broadcasts-page").waitFor();
    const card = page.locator(`[data-testid="my-broadcast"][data-broadcast-id="${broadcastId}"]`);
    await card.waitFor();
    expect(await card.getAttribute("data-unread")).toBe("true");
    expect(await card.textContent()).toContain("反诈提醒");
    // No sideways scrolling on a phone.
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(PHONE.width + 1);
    await shot(page, "broadcasts-mine-phone");

    await card.click();
    await page.getByTestId("received-broadcast-page").waitFor();
    expect(await page.getByTestId("received-broadcast-title").textContent()).toBe(TITLE);
    await page.getByTestId("received-broadcast-read").waitFor();
    expect(await page.getByTestId("received-broadcast-read").textContent()).toContain("已读");
    await shot(page, "broadcasts-read-phone");

    await page.goto(`${BASE}/broadcasts`);
    const again = page.locator(`[data-testid="my-broadcast"][data-broadcast-id="${broadcastId}"]`);
    await again.waitFor();
    expect(await again.getAttribute("data-unread")).toBe("false");
  });

  it("协调员看到阅读回执计入已读", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "coordinator");
    await page.goto(`${BASE}/broadcasts/${broadcastId}`);
    await page.getByTestId("broadcast-detail-page").waitFor();
    await expect
      .poll(() => page.getByTestId("broadcast-count-read").getAttribute("data-value"), WAIT)
      .toBe("1");
    const inApp = await page.getByTestId("broadcast-count-inApp").getAttribute("data-value");
    const row = page.locator(`[data-testid="broadcast-row"][data-broadcast-id="${broadcastId}"]`);
    await page.goto(`${BASE}/broadcasts?status=sent`);
    await row.waitFor();
    // 已读: read of those reached in the app.
    expect(await row.locator("td").last().textContent()).toBe(`1 / ${inApp}`);
  });
});
