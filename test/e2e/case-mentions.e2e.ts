/**
 * Browser test of @mentions, on desks in Chinese: a theft reported by the
 * demo resident goes to the demo officer's police station; the officer
 * writes an internal comment on the case page, types "@陈" and picks the
 * district coordinator 陈静 from the people who may be mentioned (the
 * reporter is not offered for an internal comment); the timeline shows the
 * mention. The coordinator, signed in elsewhere, sees the bell light up by
 * itself, opens the notification and lands on the case with the comment.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, BrowserSession, loginOk, pointInGridWorkersGrid, RESULTS } from "./support.js";

const session = new BrowserSession();
beforeAll(() => session.start());
afterAll(() => session.stop());

const DESK = { width: 1366, height: 900 };

/** The open dropdown of the mentions box. */
const mentionDropdown = (page: Page) =>
  page.locator(".ant-mentions-dropdown:not(.ant-mentions-dropdown-hidden)");

describe("@mentions in case comments", () => {
  it("an officer mentions the coordinator in a comment; the coordinator sees it in the bell", async () => {
    const at = await pointInGridWorkersGrid(session);
    // The resident reports a theft there (through the API): it goes to the officer's station.
    const api = await session.newPage(DESK);
    await loginOk(api, "resident");
    const me = await (await api.request.get(`${BASE}/api/auth/me`)).json();
    const reported = await api.request.post(`${BASE}/api/cases`, {
      headers: { "x-csrf-token": me.csrfToken as string },
      data: {
        categoryCode: "theft_fraud.theft",
        description: "楼下车棚的电瓶昨晚被偷了",
        ...at,
      },
    });
    expect(reported.status(), await reported.text()).toBe(201);
    const c = (await reported.json()) as { id: string; code: string };

    // The coordinator is signed in already, on the home page.
    const coordinator = await session.newPage(DESK);
    await loginOk(coordinator, "coordinator");
    const bell = coordinator.getByTestId("notification-bell");
    const unreadBefore = Number(await bell.getAttribute("data-unread"));

    const page = await session.newPage(DESK);
    await loginOk(page, "officer");
    await page.goto(`${BASE}/cases/${c.id}`);
    await page.getByTestId("case-detail").waitFor();
    await page.getByTestId("case-action-comment").click();
    const form = page.locator('[data-testid="case-step-form"][data-action="comment"]');
    await form.waitFor();
    const box = form.locator("textarea");
    await box.click();
    await box.pressSequentially("请协助调取车棚监控 @陈");
    const options = mentionDropdown(page).getByTestId("mention-option");
    await options.first().waitFor();
    // Internal by default: the reporter is not offered.
    const offered = await options.allTextContents();
    expect(offered.join()).toContain("陈静（区综治中心）");
    expect(offered.join()).not.toContain("刘洋");
    await page.screenshot({ path: `${RESULTS}/case-mentions-pick.png` });
    await mentionDropdown(page).getByText("陈静（区综治中心）", { exact: true }).click();
    await expect(box.inputValue()).resolves.toBe("请协助调取车棚监控 @陈静（区综治中心） ");
    await box.pressSequentially("并跟进");
    await page.getByTestId("case-step-submit").click();
    await form.waitFor({ state: "detached" });

    const mention = page
      .getByTestId("case-timeline")
      .locator('[data-testid="timeline-entry"][data-action="comment"]')
      .getByTestId("timeline-mentions");
    await mention.waitFor();
    await expect(mention.textContent()).resolves.toContain("@陈静（区综治中心）");
    await page.screenshot({ path: `${RESULTS}/case-mentions-timeline.png`, fullPage: true });

    // The coordinator's bell lights up without a reload.
    await expect
      .poll(async () => Number(await bell.getAttribute("data-unread")), { timeout: 15_000 })
      .toBeGreaterThan(unreadBefore);
    await bell.click();
    const note = coordinator
      .locator(`[data-testid="notification-item"][data-case-id="${c.id}"]`)
      .filter({ hasText: "提到了您" });
    await note.waitFor();
    await expect(note.textContent()).resolves.toContain(`王海（`);
    await expect(note.textContent()).resolves.toContain("请协助调取车棚监控");
    await coordinator.screenshot({ path: `${RESULTS}/case-mentions-bell.png` });
    await note.click();
    await coordinator.waitForURL(`${BASE}/cases/${c.id}`);
    await coordinator
      .getByTestId("case-timeline")
      .getByTestId("timeline-mentions")
      .getByText("@陈静（区综治中心）")
      .waitFor();
  });
});
