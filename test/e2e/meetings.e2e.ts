/**
 * Browser test of 联席会议, in Chinese at the desk (1440×900) and on a phone.
 *
 * 协调员从菜单打开联席会议，看到示范数据中的会议；召开一次狮山街道的专题会议，
 * 邀请派出所和街道办事处。一件车棚失窃事件在派出所和综治中心之间退回、改派
 * 四次（通过接口完成），从“添加议题 → 数据推荐 → 多次退回”列入议程，能看到
 * 每一次退回和改派。会议标记为已召开后，协调员裁定由街道办事处牵头，同时保存
 * 为派单规则：先预览派单效果，再确认；议题显示“已裁定”“已存为派单规则”，
 * 事件已派给街道办事处，其办理过程记有联席会议的裁定。协调员议定一项督办事项
 * 交派出所，填写纪要并结束会议。派出所民警在手机上打开“我的督办事项”，填写
 * 办理结果后办结；协调员看到已办结。居民的菜单里没有联席会议。
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { boundaryInteriorPoint } from "../../src/server/modules/geo/geometry.js";
import {
  BASE,
  BrowserSession,
  loginOk,
  PASSWORD,
  pickInSelect,
  RESULTS,
  selectShows,
} from "./support.js";

const session = new BrowserSession();
beforeAll(() => session.start());
afterAll(() => session.stop());

const DESK = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(RESULTS, `${name}.png`), fullPage: true });
const WAIT = { timeout: 15_000 };

/** A session of a demo account, through the API (for setting things up). */
async function apiAs(username: string) {
  const page = await session.newPage(DESK);
  const login = await page.request.post(`${BASE}/api/auth/login`, {
    data: { username, password: PASSWORD },
  });
  expect(login.status()).toBe(200);
  const me = await (await page.request.get(`${BASE}/api/auth/me`)).json();
  const headers = { "x-csrf-token": me.csrfToken as string };
  const call = async (method: "post" | "patch", url: string, data: object) => {
    const res = await page.request[method](`${BASE}${url}`, { headers, data });
    const body = await res.json();
    expect(res.status(), JSON.stringify(body)).toBeLessThan(300);
    return body;
  };
  return {
    me,
    get: async (url: string) => (await page.request.get(`${BASE}${url}`)).json(),
    post: (url: string, data: object) => call("post", url, data),
    patch: (url: string, data: object) => call("patch", url, data),
  };
}

const STAMP = Date.now().toString(36);
const TITLE = `狮山街道车棚治安专题联席会议（${STAMP}）`;
const ACTION = `对辖区车棚开展夜间巡查并加装监控（${STAMP}）`;
let caseId = "";
let caseCode = "";
let ruleId = "";

/** A theft in the demo grid worker's grid: routed to 狮山派出所, then bounced four times. */
async function bouncedCase() {
  const gw = await apiAs("gridworker");
  const grid = await gw.get(`/api/areas/${gw.me.grants[0].scope.code}`);
  const [lng, lat] = boundaryInteriorPoint(grid.boundary);
  const resident = await apiAs("resident");
  const c = await resident.post("/api/cases", {
    categoryCode: "theft_fraud.theft",
    description: "小区车棚里的电动车电瓶接连被偷",
    lat,
    lng,
  });
  expect(c.lead?.name).toContain("派出所");
  const police = c.lead.id as string;
  const officer = await apiAs("officer");
  const coord = await apiAs("coordinator");
  await officer.post(`/api/cases/${c.id}/return`, { note: "车棚管理不属于本所职责" });
  await coord.post(`/api/cases/${c.id}/dispatch`, {
    departmentId: police,
    note: "涉及盗窃，仍由派出所办理",
  });
  await officer.post(`/api/cases/${c.id}/return`, { note: "应由街道物业管理部门处理" });
  await coord.post(`/api/cases/${c.id}/reassign`, {
    departmentId: police,
    note: "请派出所先行处置",
  });
  await officer.post(`/api/cases/${c.id}/return`, { note: "仍不属于本所职责" });
  caseId = c.id;
  caseCode = c.code;
}

describe("联席会议（协调员）", () => {
  it("召开专题会议，把多次退回的事件列入议程，裁定并保存为派单规则，议定督办事项后结束会议", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "coordinator");
    await page.getByTestId("nav-menu").getByText("联席会议", { exact: true }).click();
    await page.waitForURL(/\/meetings$/);
    await page.getByTestId("meetings-page").waitFor();
    // The demo district's meetings: a closed one and a scheduled one.
    const rows = page.getByTestId("meeting-row");
    await rows.first().waitFor();
    expect(
      await page.locator('[data-testid="meeting-row"][data-status="closed"]').count(),
    ).toBeGreaterThan(0);
    expect(
      await page.locator('[data-testid="meeting-row"][data-status="scheduled"]').count(),
    ).toBeGreaterThan(0);
    await shot(page, "meetings-list");

    // 召开会议: title, time tomorrow, place, participants.
    await page.getByTestId("meeting-create").click();
    const drawer = page.getByTestId("meeting-form-drawer");
    await drawer.waitFor();
    // Without anything filled in, the form says what is missing.
    await page.getByTestId("meeting-form-save").click();
    await drawer.getByText("请填写会议名称（至少 2 个字）").waitFor();
    await drawer.getByText("请至少邀请一个参会单位").waitFor();
    await page.getByTestId("meeting-title").fill(TITLE);
    // Called by 狮山街道's centre: its cases come onto the agenda.
    const areaPicker = page.getByTestId("meeting-area");
    await pickInSelect(
      page,
      areaPicker,
      // A tree select's options are tree nodes, in the same open dropdown.
      (d) => d.locator(".ant-select-tree-title").filter({ hasText: /^狮山街道$/ }),
      selectShows(areaPicker, "狮山街道"),
      "狮山街道",
    );
    const when = new Date(Date.now() + 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);
    const time = drawer
      .locator('[data-testid="meeting-time"] input, input[data-testid="meeting-time"]')
      .first();
    await time.click();
    await time.fill(`${when} 09:30`);
    await page.keyboard.press("Enter");
    await page.getByTestId("meeting-place").fill("狮山街道综治中心二楼会议室");
    const participants = page.getByTestId("meeting-participants");
    for (const name of ["狮山派出所", "狮山街道办事处"])
      await pickInSelect(
        page,
        participants,
        (d) => d.locator(".ant-select-item-option").filter({ hasText: name }),
        selectShows(participants, name),
        name,
      );
    // Close the list (a click beside it; Escape would close the drawer too).
    await page.locator(".ant-drawer-title").filter({ hasText: "召开联席会议" }).click();
    await shot(page, "meetings-create");
    await page.getByTestId("meeting-form-save").click();
    const detail = page.locator('[data-testid="meeting-detail"][data-status="scheduled"]');
    await detail.waitFor();
    await expect(page.getByTestId("meeting-title-text").textContent()).resolves.toBe(TITLE);
    expect(await page.getByTestId("meeting-participant").count()).toBe(2);

    // A case bounced between the police station and the centre: the data puts it forward.
    await bouncedCase();
    await page.getByTestId("agenda-add").click();
    await page.getByTestId("agenda-drawer").waitFor();
    await page.getByTestId("candidate-kind-bounced_case").click();
    const candidate = page.getByTestId("agenda-candidate").filter({ hasText: caseCode });
    await candidate.waitFor(WAIT);
    await expect(candidate.getByTestId("candidate-reason").textContent()).resolves.toContain(
      "退回或改派 4 次",
    );
    await candidate.getByText("车棚管理不属于本所职责").waitFor();
    await shot(page, "meetings-candidates");
    // Unless the agenda job put it on this meeting already, add it.
    if (await candidate.getByTestId("candidate-add").isEnabled())
      await candidate.getByTestId("candidate-add").click();
    await candidate
      .getByTestId("candidate-on-agenda")
      .filter({ hasText: "本次会议" })
      .waitFor(WAIT);
    await page.keyboard.press("Escape");
    const item = page.getByTestId("agenda-item").filter({ hasText: caseCode });
    await item.waitFor();

    // The meeting takes place: rule on the case.
    await page.getByTestId("meeting-hold").click();
    await page.getByTestId("meeting-hold-confirm").click();
    await page.locator('[data-testid="meeting-detail"][data-status="held"]').waitFor();
    await item.getByTestId("agenda-rule").click();
    const modal = page.getByTestId("ruling-modal");
    await modal.waitFor();
    const lead = page.getByTestId("ruling-lead");
    await pickInSelect(
      page,
      lead,
      (d) => d.locator(".ant-select-item-option").filter({ hasText: "狮山街道办事处" }),
      selectShows(lead, "狮山街道办事处"),
      "狮山街道办事处",
    );
    await page
      .getByTestId("ruling-note")
      .fill("车棚属小区公共设施，由街道办事处牵头落实管理责任，派出所配合打击盗窃");
    await page.getByTestId("ruling-save-rule").click();
    // The rule for the case's grid only (the narrowest area).
    const area = page.getByTestId("ruling-rule-area");
    await pickInSelect(
      page,
      area,
      (d) => d.locator(".ant-select-item-option").filter({ hasText: "（网格）" }),
      selectShows(area, "（网格）"),
    );
    // Saving a rule needs the preview first.
    await expect(page.getByTestId("ruling-submit").isDisabled()).resolves.toBe(true);
    await page.getByTestId("ruling-preview").click();
    await expect
      .poll(() => page.getByTestId("ruling-preview-with-rule").textContent(), WAIT)
      .toContain("保存规则后：派往 狮山街道办事处");
    await page.getByTestId("ruling-preview-result").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(RESULTS, "meetings-ruling.png") });
    await page.getByTestId("ruling-submit").click();
    await page
      .locator('[data-testid="agenda-item"][data-status="ruled"]')
      .filter({ hasText: caseCode })
      .waitFor(WAIT);
    await item.getByTestId("agenda-ruling-rule").waitFor();

    // The case went to the street office, its timeline says why.
    const coord = await apiAs("coordinator");
    const c = await coord.get(`/api/cases/${caseId}`);
    expect(c.lead.name).toBe("狮山街道办事处");
    expect(JSON.stringify(c.timeline)).toContain("联席会议");
    const meetingId = await page.getByTestId("meeting-detail").getAttribute("data-meeting-id");
    const m = await coord.get(`/api/meetings/${meetingId}`);
    const ruled = m.agenda.find(
      (g: { ruling: { rule: { id: string } | null } | null }) => g.ruling?.rule,
    );
    ruleId = ruled?.ruling.rule.id;
    expect(ruleId).toBeTruthy();

    // A decision for the police station, with a deadline.
    await page.getByTestId("action-item-add").click();
    await page.getByTestId("action-item-form").waitFor();
    await page.getByTestId("action-item-title").fill(ACTION);
    const owner = page.getByTestId("action-item-owner");
    await pickInSelect(
      page,
      owner,
      (d) => d.locator(".ant-select-item-option").filter({ hasText: "狮山派出所" }),
      selectShows(owner, "狮山派出所"),
      "狮山派出所",
    );
    await page.getByTestId("action-item-create").click();
    await page.getByTestId("action-item-row").filter({ hasText: ACTION }).waitFor(WAIT);

    // Minutes, then close.
    await page
      .getByTestId("meeting-minutes-input")
      .fill("会议研究了小区车棚盗窃和管理责任问题，裁定由街道办事处牵头，派出所配合。");
    await page.getByTestId("meeting-minutes-save").click();
    await expect.poll(() => page.getByTestId("meeting-close").isEnabled(), WAIT).toBe(true);
    await page.getByTestId("meeting-close").click();
    await page.getByTestId("meeting-close-confirm").click();
    await page.locator('[data-testid="meeting-detail"][data-status="closed"]').waitFor(WAIT);
    await page.getByTestId("meeting-minutes-text").getByText("裁定由街道办事处牵头").waitFor();
    await page.locator('[data-testid="meeting-log-entry"][data-action="ruling"]').waitFor();
    await shot(page, "meetings-closed");
  });
});

describe("我的督办事项（派出所，手机）", () => {
  it("民警打开我的督办事项，填写办理结果后办结，协调员看到已办结", async () => {
    const page = await session.newPage(PHONE, true);
    await loginOk(page, "officer");
    await page.goto(`${BASE}/meetings?tab=actions`);
    await page.getByTestId("action-items-page").waitFor();
    const row = page.getByTestId("action-item-row").filter({ hasText: ACTION });
    await row.waitFor(WAIT);
    // The seeded decision of the last quarter is overdue.
    expect(
      await page.locator('[data-testid="action-item-row"][data-state="overdue"]').count(),
    ).toBeGreaterThan(0);
    await row.getByTestId("action-item-complete").click();
    const form = page.getByTestId("action-item-step");
    await form.waitFor();
    await page.getByTestId("action-item-step-ok").click();
    await form.getByText("请填写内容（至少 2 个字）").waitFor();
    await form.locator("textarea").fill("已对 12 处车棚开展夜间巡查，加装监控 6 个");
    await page.getByTestId("action-item-step-ok").click();
    await page
      .locator('[data-testid="action-item-row"][data-state="done"]')
      .filter({ hasText: ACTION })
      .waitFor(WAIT);
    await form.waitFor({ state: "hidden" });
    await shot(page, "meetings-officer-actions");
    // The meeting it came from, as the invited read it: minutes and decisions, no controls.
    await row.getByRole("link").click();
    const meeting = page.locator('[data-testid="meeting-detail"][data-view="participant"]');
    await meeting.waitFor();
    await meeting.getByTestId("meeting-minutes-text").getByText("裁定由街道办事处牵头").waitFor();
    expect(await page.getByTestId("meeting-actions").count()).toBe(0);
    expect(await page.getByTestId("agenda-rule").count()).toBe(0);

    const desk = await session.newPage(DESK);
    await loginOk(desk, "coordinator");
    await desk.goto(`${BASE}/meetings?tab=actions&state=done`);
    await desk
      .locator('[data-testid="action-item-row"][data-state="done"]')
      .filter({ hasText: ACTION })
      .getByText("已对 12 处车棚开展夜间巡查")
      .waitFor(WAIT);

    // The rule served the ruling; the other browser tests expect thefts to go to the police.
    const coord = await apiAs("coordinator");
    const r = await coord.get(`/api/routing-rules/${ruleId}`);
    await coord.patch(`/api/routing-rules/${ruleId}`, { version: r.version, active: false });
  });
});

describe("居民", () => {
  it("菜单里没有联席会议，直接访问提示无权限", async () => {
    const page = await session.newPage(PHONE, true);
    await loginOk(page, "resident");
    await page.getByTestId("nav-toggle").click();
    const menu = page.getByTestId("nav-drawer-menu");
    await menu.waitFor();
    expect((await menu.textContent()) ?? "").not.toContain("联席会议");
    await page.keyboard.press("Escape");
    await page.goto(`${BASE}/meetings`);
    await page.getByTestId("forbidden-page").waitFor();
  });
});
