/**
 * Browser tests of government–enterprise–association liaison (part D): the
 * coordinator writes a notice to the 电子信息 enterprises, sees how many it
 * reaches before sending, and sends it; the enterprise's safety officer, on a
 * phone (390×844), finds it unread on the workspace home and in the inbox,
 * reads it and confirms receipt; the coordinator then sees it read; and the
 * association's representative accepts a mediation request the enterprise
 * made to it.
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, BrowserSession, loginOk, openPopup, RESULTS } from "./support.js";

const session = new BrowserSession();
beforeAll(() => session.start());
afterAll(() => session.stop());

const DESK = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(RESULTS, `${name}.png`), fullPage: true });

/** The page's session, for setting things up through the API. */
async function api(page: Page) {
  const me = await (await page.request.get(`${BASE}/api/auth/me`)).json();
  const headers = { "x-csrf-token": me.csrfToken as string };
  return {
    me,
    post: async (url: string, data: object) =>
      (await page.request.post(`${BASE}${url}`, { headers, data })).json(),
  };
}

const TITLE = `关于电子信息企业开展静电防护自查的通知（${Date.now().toString(36)}）`;
let noticeId = "";

describe("通知公告", () => {
  it("协调员向电子信息企业发布通知，发送前看到送达企业数", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "coordinator");
    await page.getByTestId("nav-menu").getByText("通知公告").click();
    await page.getByTestId("notices-page").waitFor();
    await page.getByTestId("notice-compose").click();
    const drawer = page.getByTestId("notice-compose-drawer");
    await drawer.waitFor();
    await page.getByTestId("notice-title").fill(TITLE);
    await page
      .getByTestId("notice-body")
      .fill("请各企业于本周内完成车间静电防护设施自查，并在平台登记自查结果。");
    await drawer.getByText("重要", { exact: true }).click();
    await page.getByTestId("notice-ack-required").click();

    // 按条件筛选 → 行业：电子信息; the count follows the filter.
    await drawer.getByText("按条件筛选").click();
    await page.getByTestId("notice-industries").click();
    await openPopup(page, ".ant-select-dropdown")
      .locator(".ant-select-item-option")
      .filter({ hasText: /^电子信息（\d+）$/ })
      .click();
    // Close the list (a click beside it; Escape would close the drawer too).
    await drawer.getByText("接收范围", { exact: true }).click();
    const expected = (
      await (
        await api(page)
      ).post("/api/notices/preview", {
        audience: { mode: "filter", industries: ["电子信息"] },
      })
    ).count as number;
    expect(expected).toBeGreaterThan(0);
    const preview = page.getByTestId("notice-preview");
    await expect.poll(() => preview.getAttribute("data-count")).toBe(String(expected));
    await expect
      .poll(() => page.getByTestId("notice-preview-count").textContent())
      .toBe(`预计送达 ${expected} 家企业`);
    await shot(page, "liaison-compose");

    await page.getByTestId("notice-save-send").click();
    await page.getByTestId("notice-send-confirm").click();
    const detail = page.locator('[data-testid="notice-detail"][data-status="sent"]');
    await detail.waitFor();
    noticeId = (await detail.getAttribute("data-notice-id")) as string;
    expect(noticeId).toMatch(/^\d+$/);
    await expect
      .poll(() => page.getByTestId("notice-count-recipients").getAttribute("data-value"))
      .toBe(String(expected));
    expect(await page.getByTestId("notice-count-read").getAttribute("data-value")).toBe("0");
    await expect
      .poll(() => page.getByTestId("notice-audience").textContent())
      .toContain("电子信息");
  });

  it("企业安全员在手机上看到未读通知，阅读后确认收到", async () => {
    const page = await session.newPage(PHONE, true);
    await loginOk(page, "enterprise");
    // The workspace home counts it among the unread.
    const unread = page.getByTestId("liaison-home-unread");
    await unread.waitFor();
    await expect
      .poll(async () => Number(await unread.getAttribute("data-value")))
      .toBeGreaterThan(0);

    await page.goto(`${BASE}/notices`);
    await page.getByTestId("notice-inbox").waitFor();
    const card = page.locator(`[data-testid="inbox-notice"][data-notice-id="${noticeId}"]`);
    await card.waitFor();
    expect(await card.getAttribute("data-unread")).toBe("true");
    await shot(page, "liaison-inbox-phone");
    await card.click();

    const detail = page.locator('[data-testid="notice-detail"][data-view="recipient"]');
    await detail.waitFor();
    expect(await page.getByTestId("notice-title-text").textContent()).toBe(TITLE);
    // Opening it is reading it.
    await page.getByTestId("notice-read-at").waitFor();
    expect(await page.getByTestId("notice-read-at").textContent()).toContain("赵磊");
    await page.getByTestId("notice-acknowledge").click();
    await page.getByTestId("notice-acknowledged-at").waitFor();
    expect(await page.getByTestId("notice-acknowledge").count()).toBe(0);
    // No sideways scrolling on a phone.
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(PHONE.width + 1);
    await shot(page, "liaison-notice-phone");

    await page.goto(`${BASE}/notices`);
    const again = page.locator(`[data-testid="inbox-notice"][data-notice-id="${noticeId}"]`);
    await again.waitFor();
    expect(await again.getAttribute("data-unread")).toBe("false");
  });

  it("协调员看到该企业已读并已确认", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "coordinator");
    await page.goto(`${BASE}/notices/${noticeId}`);
    await page.locator('[data-testid="notice-detail"][data-view="government"]').waitFor();
    await expect
      .poll(() => page.getByTestId("notice-count-read").getAttribute("data-value"))
      .toBe("1");
    expect(await page.getByTestId("notice-count-acknowledged").getAttribute("data-value")).toBe(
      "1",
    );
    await page.getByTestId("notice-recipient-state").getByText("已读", { exact: true }).click();
    await expect
      .poll(() => page.getByTestId("notice-recipients-total").textContent())
      .toBe("共 1 条");
    const row = page.getByTestId("notice-recipient-row").first();
    await expect.poll(() => row.textContent()).toContain("苏州高新区精密电子有限公司");
    expect(await row.textContent()).toContain("已确认");
    // The unread may be reminded, once a day.
    await page.getByTestId("notice-remind").click();
    await page.getByTestId("notice-remind-submit").click();
    await page.getByTestId("notice-next-reminder").waitFor();
    await shot(page, "liaison-notice-read");
  });
});

describe("调解申请", () => {
  it("协会代表受理企业的调解申请", async () => {
    const subject = `宿舍工友因作息不同多次争吵（${Date.now().toString(36)}）`;
    const ent = await session.newPage(DESK);
    await loginOk(ent, "enterprise");
    const assoc = await session.newPage(DESK);
    await loginOk(assoc, "association");
    const associationId = (await api(assoc)).me.grants[0].scope.id as string;
    const created = await (await api(ent)).post("/api/mediation-requests", {
      associationId,
      subject,
      description: "二号宿舍白班和夜班工友作息冲突，近期多次争吵，希望协会出面调解。",
      peopleInvolved: 6,
      workerProvinces: ["安徽省"],
    });
    expect(created.status).toBe("pending");

    await assoc.getByTestId("nav-menu").getByText("调解申请").click();
    await assoc.getByTestId("mediations-page").waitFor();
    await assoc.getByTestId("mediations-search").fill(subject.slice(0, 12));
    // The search has been applied (the list reloads once more after typing).
    await expect.poll(() => assoc.url()).toContain("q=");
    await assoc.locator(".ant-list .ant-spin-spinning").waitFor({ state: "detached" });
    const card = assoc.locator(`[data-testid="mediation-card"][data-mediation-id="${created.id}"]`);
    await card.waitFor();
    expect(await card.getAttribute("data-status")).toBe("pending");
    await card.click();
    await assoc.locator('[data-testid="mediation-detail"][data-status="pending"]').waitFor();
    await assoc.getByTestId("mediation-action-accept").click();
    await assoc.getByTestId("mediation-step-note").fill("周三上午到企业会议室面谈");
    await assoc.getByTestId("mediation-step-submit").click();
    await assoc.locator('[data-testid="mediation-detail"][data-status="accepted"]').waitFor();
    await assoc.locator('[data-testid="mediation-timeline-entry"][data-action="accept"]').waitFor();
    await assoc.getByTestId("mediation-action-record_session").waitFor();
    await shot(assoc, "liaison-mediation-accepted");

    // The enterprise sees it accepted.
    await ent.goto(`${BASE}/mediations/${created.id}`);
    await ent.locator('[data-testid="mediation-detail"][data-status="accepted"]').waitFor();
  });
});
