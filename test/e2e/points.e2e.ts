/**
 * Browser test of points (积分) and participation depth (参与深度). The demo
 * resident, on a phone (390×844), opens 我的积分: the balance, the entries,
 * their ladder; switches on 在本社区积分榜上显示我 and finds themself on the
 * board; opens the printable statement. The grid worker, at a desk, opens
 * 参与深度 for their community (chosen for them), sees the distribution and
 * the people, filters to 核实 and opens a person's statement. The coordinator
 * corrects one entry of that person (taking back 5 points, with a reason) and
 * sees the correction in the statement.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, BrowserSession, expectFitsWidth, loginOk, RESULTS } from "./support.js";

const session = new BrowserSession();
beforeAll(() => session.start());
afterAll(() => session.stop());

const PHONE = { width: 390, height: 844 };
const DESK = { width: 1366, height: 900 };

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${RESULTS}/${name}.png`, fullPage: true });
}

/** The community of the demo grid worker's grid. */
async function gridWorkersCommunity(page: Page): Promise<string> {
  const me = await (await page.request.get(`${BASE}/api/auth/me`)).json();
  return String(me.grants[0].scope.code).slice(0, 12);
}

describe("points and participation", () => {
  it("a resident sees their points and ladder on a phone and joins the community board", async () => {
    const page = await session.newPage(PHONE, true);
    await loginOk(page, "resident");
    await page.goto(`${BASE}/points`);
    await page.getByTestId("my-points-page").waitFor();
    await page.getByTestId("points-balance").waitFor();
    await page.getByTestId("participation-ladder").waitFor();
    expect(await page.getByText("我的参与深度").count()).toBe(1);

    const board = page.getByTestId("points-leaderboard");
    await page.getByTestId("points-leaderboard-optin").click();
    await board.getByText("（我）").waitFor();
    await shot(page, "points-phone");
    await expectFitsWidth(page);

    await page.getByTestId("points-print").click();
    await page.getByTestId("points-statement").waitFor();
    expect(await page.getByTestId("points-statement").textContent()).toContain("新市民积分凭证");
    await expectFitsWidth(page);
  });

  it("a grid worker reads their community's participation; a coordinator corrects an entry", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "gridworker");
    const community = await gridWorkersCommunity(page);
    await page.getByRole("menuitem", { name: "参与深度" }).click();
    await page.getByTestId("participation-page").waitFor();
    await page.getByTestId("participation-distribution").waitFor();
    const people = Number(
      (await page
        .getByTestId("participation-people")
        .locator(".ant-statistic-content-value")
        .textContent()) ?? "0",
    );
    expect(people).toBeGreaterThan(0);

    // Filter by the first person's rung: everyone listed then has that rung.
    const table = page.getByTestId("participation-people-table");
    const first = table.locator("tbody tr.ant-table-row").first();
    await first.waitFor();
    const rungName = ((await first.locator(".ant-tag").first().textContent()) ?? "").trim();
    await page.getByTestId("participation-rung").click();
    await page
      .locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)")
      .getByTitle(rungName, { exact: true })
      .click();
    await expect
      .poll(async () => {
        const tags = await table
          .locator("tbody tr.ant-table-row .ant-tag:first-child")
          .allTextContents();
        return tags.length > 0 && tags.every((x) => x.trim() === rungName);
      })
      .toBe(true);
    await first.click();
    await page.getByTestId("person-points-entries").waitFor();
    await shot(page, "participation-desk");
    // Grid workers read; they do not correct.
    expect(await page.getByTestId("points-correct").count()).toBe(0);

    // Someone of the community with an entry of at least 5 points, found through the API.
    const coord = await session.newPage(DESK);
    await loginOk(coord, "coordinator");
    const list = await (
      await coord.request.get(`${BASE}/api/participation?community=${community}&limit=200`)
    ).json();
    let name = "";
    for (const p of list.items as { userId: string; displayName: string }[]) {
      const s = await (
        await coord.request.get(`${BASE}/api/points?userId=${p.userId}&limit=20`)
      ).json();
      if ((s.items as { amount: number }[]).some((e) => e.amount >= 5)) {
        name = p.displayName;
        break;
      }
    }
    expect(name).not.toBe("");
    await coord.goto(`${BASE}/participation?community=${community}`);
    await coord.getByTestId("participation-search").locator("input").fill(name);
    await coord.getByTestId("participation-search").locator("input").press("Enter");
    const row = coord
      .getByTestId("participation-people-table")
      .locator("tbody tr.ant-table-row", { hasText: name });
    await row.first().click();
    const entries = coord.getByTestId("person-points-entries");
    await entries.waitFor();
    // An entry with at least 5 points left to take back.
    const amounts = await entries
      .locator(".ant-list-item [data-amount]")
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-amount"))));
    const at = amounts.findIndex((a) => a >= 5);
    expect(at).toBeGreaterThanOrEqual(0);
    await entries.locator(".ant-list-item").nth(at).getByTestId("points-correct").click();
    const dialog = coord.locator(".ant-modal:visible");
    await dialog.locator("input").first().fill("-5");
    await dialog.locator("textarea").fill("签退时间登记有误，多计半小时");
    await dialog.getByRole("button", { name: /确\s*定/ }).click();
    await coord.getByText("已记录更正").waitFor();
    // The correction is a new entry with its reason; the balance follows.
    const userId = list.items.find((p: { displayName: string }) => p.displayName === name).userId;
    const after = await (
      await coord.request.get(`${BASE}/api/points?userId=${userId}&limit=200`)
    ).json();
    const correction = after.items.find(
      (e: { note: string | null }) => e.note === "签退时间登记有误，多计半小时",
    );
    expect(correction).toMatchObject({ amount: -5, rule: "correction" });
    expect(after.balance).toBe(
      after.items.reduce((n: number, e: { amount: number }) => n + e.amount, 0),
    );
  });

  it("an association reads the depth of its own teams' volunteers (their ladder, not their points)", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "association");
    const me = await (await page.request.get(`${BASE}/api/auth/me`)).json();
    const org = me.grants[0].scope as { id: string; name: string };
    const summary = await (
      await page.request.get(`${BASE}/api/participation/summary?organisationId=${org.id}`)
    ).json();

    await page.getByRole("menuitem", { name: "参与深度" }).click();
    await page.getByTestId("participation-page").waitFor();
    // No community to pick: the page is about the association's own volunteers.
    await expect(page.getByTestId("participation-page").textContent()).resolves.toContain(
      `${org.name}各志愿者队伍现有成员的参与深度`,
    );
    expect(await page.getByTestId("participation-community").count()).toBe(0);
    await page.getByTestId("participation-distribution").waitFor();
    await expect(
      page
        .getByTestId("participation-people")
        .locator(".ant-statistic-content-value")
        .textContent(),
    ).resolves.toBe(String(summary.people));

    const table = page.getByTestId("participation-people-table");
    const first = table.locator("tbody tr.ant-table-row").first();
    await first.waitFor();
    await first.click();
    const drawer = page.locator(".ant-drawer:visible");
    await drawer.locator(".ant-drawer-title").waitFor();
    // The ladder with its dates; no points statement, no print button.
    await expect(drawer.textContent()).resolves.toContain("知情");
    expect(await page.getByTestId("person-points-entries").count()).toBe(0);
    expect(await drawer.getByRole("button", { name: "打印" }).count()).toBe(0);
    await shot(page, "participation-association");
  });
});
