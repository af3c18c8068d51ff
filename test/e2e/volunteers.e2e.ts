/**
 * Browser tests of volunteering (志愿服务), end to end: a new resident on a
 * phone (390×844) signs up as a volunteer, signs up for a patrol the demo
 * grid worker planned in their grid, is refused at check-in while outside
 * the fence (and told how far away they are), checks in from inside it,
 * reports an observation (it becomes a case) and checks out; the grid
 * worker, at a desk, verifies the hours in 时长核验.
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Boundary,
  boundaryBbox,
  boundaryInteriorPoint,
} from "../../src/server/modules/geo/geometry.js";
import { BASE, BrowserSession, expectFitsWidth, loginOk, openPopup, RESULTS } from "./support.js";

const session = new BrowserSession();
beforeAll(() => session.start());
afterAll(() => session.stop());

const PHONE = { width: 390, height: 844 };
const DESK = { width: 1366, height: 900 };
const PASSWORD = "Volunteer@2026x";
const username = `e2e-vol-${Date.now().toString(36)}`;
const title = `晚间巡逻（测试${Date.now().toString(36).slice(-4)}）`;

/** Calls the API as a signed-in page (with its CSRF token). */
async function apiAs(page: Page) {
  const me = await (await page.request.get(`${BASE}/api/auth/me`)).json();
  const headers = { "x-csrf-token": me.csrfToken as string };
  return {
    me,
    post: async (url: string, data: unknown) => {
      const r = await page.request.post(`${BASE}${url}`, { headers, data });
      expect(r.status(), await r.text()).toBeLessThan(300);
      return r.json();
    },
    get: async (url: string) => (await page.request.get(`${BASE}${url}`)).json(),
  };
}

let inside = { lat: 0, lng: 0 };
let outside = { lat: 0, lng: 0 };
let communityName = "";

describe("志愿服务：报名、签到、上报、签退、核验", () => {
  beforeAll(async () => {
    // The admin opens an account for a new resident; the grid worker plans a
    // patrol in their grid that starts in 10 minutes (check-in is open).
    const admin = await session.newPage(DESK);
    await loginOk(admin, "admin");
    await (await apiAs(admin)).post("/api/admin/users", {
      username,
      displayName: "王小勇",
      password: PASSWORD,
      grants: [{ role: "resident" }],
    });
    const gw = await session.newPage(DESK);
    await loginOk(gw, "gridworker");
    const api = await apiAs(gw);
    const gridCode = api.me.grants[0].scope.code as string;
    const grid = await api.get(`/api/areas/${gridCode}`);
    const boundary = grid.boundary as Boundary;
    const [lng, lat] = boundaryInteriorPoint(boundary);
    inside = { lat: lat as number, lng: lng as number };
    const bbox = boundaryBbox(boundary);
    outside = { lat: (bbox[1] + bbox[3]) / 2, lng: bbox[2] + 0.012 };
    communityName = (await api.get(`/api/areas/${gridCode.slice(0, 12)}`)).name;
    await api.post("/api/shifts", {
      kind: "patrol",
      title,
      areaCode: gridCode,
      startsAt: new Date(Date.now() + 10 * 60_000).toISOString(),
      endsAt: new Date(Date.now() + 130 * 60_000).toISOString(),
      capacity: 4,
    });
  });

  it("新居民在手机上报名成为志愿者，报名巡逻班次，在围栏外签到被拒并看到距离，进入后签到、上报发现、签退", async () => {
    const page = await session.newPage(PHONE, true);
    await page.context().grantPermissions(["geolocation"], { origin: BASE });
    await page.context().setGeolocation({ latitude: outside.lat, longitude: outside.lng });
    await loginOk(page, username, PASSWORD);

    // 志愿服务 → the sign-up form.
    await page.goto(`${BASE}/volunteer`);
    const form = page.getByTestId("volunteer-profile-form");
    await form.waitFor();
    // Nothing chosen: refused in Chinese before anything is sent.
    await page.getByTestId("volunteer-submit").click();
    await form.getByText("请至少选择一项技能").waitFor();
    await page.getByTestId("volunteer-skills").getByText("治安巡逻").click();
    await page.getByTestId("volunteer-skills").getByText("宣传发动").click();
    await page.getByTestId("volunteer-communities").click();
    await page.keyboard.type(communityName);
    await openPopup(page, ".ant-select-dropdown")
      .getByTitle(new RegExp(communityName))
      .first()
      .click();
    await page.keyboard.press("Escape");
    await page.getByTestId("volunteer-origin").click();
    await page.keyboard.type("河南");
    await openPopup(page, ".ant-select-dropdown").getByTitle("河南省").click();
    await page.screenshot({ path: path.join(RESULTS, "volunteers-phone-signup.png") });
    await expectFitsWidth(page);
    await page.getByTestId("volunteer-submit").click();
    await page.getByTestId("volunteer-profile").waitFor();
    await expect(page.getByTestId("volunteer-profile").textContent()).resolves.toContain("王小勇");
    await expect(page.getByTestId("volunteer-profile").textContent()).resolves.toContain(
      "中原官话",
    );

    // 找班次 → the patrol → 报名.
    await page.getByTestId("volunteer-find-shifts").click();
    await page.getByTestId("my-shifts-page").waitFor();
    await expectFitsWidth(page);
    const card = page.getByTestId("shift-card").filter({ hasText: title });
    await card.waitFor();
    await card.click();
    await page.getByTestId("shift-detail").waitFor();
    await page.getByTestId("shift-sign-up").click();
    await page.getByTestId("shift-my-signup").getByText("已报名").waitFor();

    // 签到 from outside the fence: refused, saying how far.
    await page.getByTestId("shift-check-in").click();
    const refusal = page.getByTestId("shift-refusal");
    await refusal.waitFor();
    const text = (await refusal.textContent()) ?? "";
    expect(text).toMatch(/距离服务区域约 \d+ 米/);
    expect(Number(/约 (\d+) 米/.exec(text)?.[1])).toBeGreaterThan(500);
    await page.screenshot({ path: path.join(RESULTS, "volunteers-phone-refused.png") });

    // Inside: checked in.
    await page.context().setGeolocation({ latitude: inside.lat, longitude: inside.lng });
    await page.getByTestId("shift-check-in").click();
    await page.getByTestId("shift-my-signup").getByText("已签到").waitFor();
    await refusal.waitFor({ state: "detached" });

    // 上报发现: becomes a case.
    await page.getByTestId("shift-observe").click();
    await page.getByTestId("observation-form").waitFor();
    await page.getByTestId("observation-category").click();
    await page.keyboard.type("垃圾");
    await openPopup(page, ".ant-select-dropdown").getByTitle("垃圾乱堆乱放").click();
    await page.getByTestId("observation-description").fill("巡逻时发现3号楼下垃圾堆积多日，有异味");
    await page.getByTestId("observation-submit").click();
    const done = page.getByTestId("observation-done");
    await done.waitFor();
    await expect(done.textContent()).resolves.toMatch(/事件编号 SJ\d+/);
    await page
      .getByTestId("shift-observations")
      .getByText("垃圾乱堆乱放", { exact: false })
      .waitFor();
    await page.screenshot({ path: path.join(RESULTS, "volunteers-phone-checked-in.png") });
    await expectFitsWidth(page);

    // 签退: the hours wait for verification.
    await page.getByTestId("shift-check-out").click();
    await page.getByTestId("shift-my-signup").getByText("已签退").waitFor();
    await page.getByTestId("shift-my-signup").getByText("待核验").waitFor();
    await page.screenshot({
      path: path.join(RESULTS, "volunteers-phone-checked-out.png"),
      fullPage: true,
    });

    // 我的排班 lists it.
    await page.goto(`${BASE}/volunteer/shifts`);
    await page.getByTestId("shift-card").filter({ hasText: title }).waitFor();
  });

  it("网格员在电脑上的时长核验里勾选并通过这条记录", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "gridworker");
    await page.goto(`${BASE}/hours`);
    await page.getByTestId("hours-page").waitFor();
    const row = page.getByTestId("hours-table").locator("tr").filter({ hasText: "王小勇" });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain(title);
    await row.locator("input[type=checkbox]").check();
    await page.getByTestId("hours-verify-selected").click();
    await page.getByText("已核验 1 条").waitFor();
    await row.waitFor({ state: "detached" });
    await page.getByTestId("hours-page").getByText("已核验", { exact: true }).first().click();
    await page.getByPlaceholder("搜索志愿者或班次").fill("王小勇");
    await page.getByTestId("hours-table").locator("tr").filter({ hasText: "王小勇" }).waitFor();
    await page.screenshot({ path: path.join(RESULTS, "volunteers-desk-hours.png") });
  });
});
