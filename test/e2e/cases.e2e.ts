/**
 * Browser tests of cases (事件), end to end across roles: the demo resident
 * reports a theft on a phone (390×844) at a point in the demo grid worker's
 * grid (their phone's position, by 使用我的位置) and sees it dispatched to a
 * police station; the demo officer (狮山派出所) finds it in 我的待办 on a
 * desk, is told when a colleague changed it first (409, reloaded), accepts
 * it and resolves it with an outcome (told first that it is required); the resident opens it from the notification bell
 * and rates it 5, which closes it. Without an account, on a phone: an
 * anonymous report placed by tapping the map shows its tracking code and
 * secret once; /track with them shows the case, takes a comment and a
 * confirmed withdrawal. A category the platform does not take shows where
 * to go instead and cannot be sent; a too-short description is refused in
 * Chinese before anything is sent.
 */
import fs from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jpegWithGps } from "../images.js";
import { BASE, BrowserSession, loginOk, pointInGridWorkersGrid, RESULTS } from "./support.js";

const session = new BrowserSession();
beforeAll(() => session.start());
afterAll(() => session.stop());

const PHONE = { width: 390, height: 844 };
const DESK = { width: 1366, height: 900 };

/** A phone whose position (for 使用我的位置) is `at`. */
async function phoneAt(at: { lat: number; lng: number }): Promise<Page> {
  const page = await session.newPage(PHONE, true);
  await page.context().grantPermissions(["geolocation"], { origin: BASE });
  await page.context().setGeolocation({ latitude: at.lat, longitude: at.lng });
  return page;
}

/** Pick a family, then a category, in the report form's two selects. */
async function chooseCategory(page: Page, family: string, category: string) {
  // Both selects search as you type (a long list shows only its first options).
  await page.getByTestId("report-family").click();
  await page.keyboard.type(family);
  await page.getByTitle(family, { exact: true }).click();
  await page.getByTestId("report-category").click();
  await page.keyboard.type(category);
  await page.getByTitle(category, { exact: true }).click();
}

/** The case page's status tag text. */
async function caseStatus(page: Page): Promise<string> {
  return (
    (await page.getByTestId("case-view").getByTestId("case-status").first().textContent()) ?? ""
  ).trim();
}

/** Open an action's dialog, optionally fill the note, and send it. */
async function step(page: Page, action: string, note?: string) {
  await page.getByTestId(`case-action-${action}`).click();
  const form = page.locator(`[data-testid="case-step-form"][data-action="${action}"]`);
  await form.waitFor();
  if (note !== undefined) await form.getByTestId("case-step-note").fill(note);
  await page.getByTestId("case-step-submit").click();
  // The dialog closes; if it shows an error instead, say which.
  const refused = form
    .locator(".ant-alert-error, .ant-form-item-explain-error")
    .first()
    .waitFor()
    .then(
      () => "refused" as const,
      () => "no error" as const,
    );
  const closed = form.waitFor({ state: "detached" }).then(
    () => "closed" as const,
    (err: unknown) => err as Error,
  );
  if ((await Promise.race([closed, refused])) === "refused")
    throw new Error(`the ${action} step was refused: ${await form.textContent()}`);
  const outcome = await closed;
  if (outcome instanceof Error) throw outcome;
}

describe("cases: report, dispatch, handle, rate", () => {
  let caseId = "";
  let caseCode = "";

  it("the resident reports a theft on a phone and sees it dispatched to a police station", async () => {
    const at = await pointInGridWorkersGrid(session);
    const page = await phoneAt(at);
    await loginOk(page, "resident");
    await page.getByTestId("home-link-report").click();
    await page.getByTestId("report-form").waitFor();

    await chooseCategory(page, "盗窃诈骗", "盗窃");
    // The category's notice and its own fields appear with it.
    await expect(page.getByTestId("report-service-notice").textContent()).resolves.toContain(
      "派出所",
    );
    await page.getByTestId("report-field-amount_lost").fill("-3");
    await page.getByTestId("report-description").click();
    await page.getByText("损失金额（元）不能小于 0").waitFor();
    await page.getByTestId("report-field-amount_lost").fill("1800");
    await page.getByTestId("report-description").fill("宿舍里充电的手机被人拿走了，门锁没有被撬");

    await page.getByTestId("report-geolocate").click();
    const map = page.getByTestId("report-map");
    await expect.poll(() => map.getAttribute("data-lat")).toBe(at.lat.toFixed(6));
    await expect(map.getAttribute("data-lng")).resolves.toBe(at.lng.toFixed(6));
    await page.getByTestId("report-address").fill("何山路 18 号宿舍 3 楼");
    await page.screenshot({ path: path.join(RESULTS, "cases-phone-report.png"), fullPage: true });

    await page.getByTestId("report-submit").click();
    await page.getByTestId("case-detail").waitFor();
    await page.getByText(/已上报，事件编号 SJ\d+/).waitFor();
    caseCode = ((await page.getByTestId("case-code").textContent()) ?? "").trim();
    caseId = (await page.getByTestId("case-view").getAttribute("data-case-id")) ?? "";
    expect(caseCode).toMatch(/^SJ\d{14}$/);
    expect(page.url()).toBe(`${BASE}/cases/${caseId}`);

    await expect(caseStatus(page)).resolves.toBe("已派单");
    await expect(page.getByTestId("case-lead").textContent()).resolves.toMatch(/派出所/);
    const timeline = page.getByTestId("case-timeline");
    await expect(timeline.textContent()).resolves.toContain("派往");
    await expect(page.getByTestId("case-field-amount_lost").textContent()).resolves.toBe("1800");
    await expect(page.getByTestId("case-address").textContent()).resolves.toContain("何山路");
    // The reporter may still withdraw or comment; nothing else.
    await page.getByTestId("case-action-withdraw").waitFor();
    await expect(page.getByTestId("case-action-accept").count()).resolves.toBe(0);
    await page.screenshot({
      path: path.join(RESULTS, "cases-phone-dispatched.png"),
      fullPage: true,
    });
  });

  it("the officer finds it in 我的待办, accepts it and resolves it with an outcome", async () => {
    expect(caseId).not.toBe("");
    const page = await session.newPage(DESK);
    // Live updates off in this test, so the page keeps the version it loaded and
    // the stale-version path (409) is what the officer meets.
    await page.route("**/api/events**", (r) => r.abort());
    await loginOk(page, "officer");
    await page.getByTestId("nav-menu").getByText("事件", { exact: true }).click();
    await page.getByTestId("cases-page").waitFor();
    await expect(
      page.getByTestId("cases-tabs").locator(".ant-tabs-tab-active").textContent(),
    ).resolves.toBe("我的待办");
    await page.getByTestId("cases-search").fill(caseCode);
    await page.waitForURL(/q=SJ/);
    const row = page.locator(`tr[data-case-id="${caseId}"]`);
    await row.waitFor();
    await expect.poll(() => page.locator("tr[data-case-id]").count()).toBe(1);
    await expect(row.textContent()).resolves.toContain("签收期限");
    await page.screenshot({ path: path.join(RESULTS, "cases-desk-inbox.png") });
    // The export carries the same inbox and search: this one case.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("cases-export").click(),
    ]);
    expect(download.suggestedFilename()).toBe("事件.xlsx");
    const file = path.join(RESULTS, "cases-export.xlsx");
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(file) as unknown as ArrayBuffer);
    expect(wb.worksheets[0]?.rowCount).toBe(2);
    expect(wb.worksheets[0]?.getRow(2).getCell(1).value).toBe(caseCode);

    await row.click();
    await page.getByTestId("case-detail").waitFor();
    // A colleague comments meanwhile (through the API): the page's version is stale,
    // so 签收 is refused, explained, and the page shows the case as it is now.
    const me = await (await page.request.get(`${BASE}/api/auth/me`)).json();
    const seen = Number(await page.getByTestId("case-view").getAttribute("data-version"));
    const meanwhile = await page.request.post(`${BASE}/api/cases/${caseId}/comment`, {
      headers: { "x-csrf-token": me.csrfToken as string },
      data: { version: seen, note: "同事：已电话联系报案人", visibility: "internal" },
    });
    expect(meanwhile.status(), await meanwhile.text()).toBe(200);
    await step(page, "accept");
    await expect(page.getByTestId("case-refused").textContent()).resolves.toContain("刚被他人更新");
    await expect
      .poll(() => page.getByTestId("case-view").getAttribute("data-version"))
      .toBe(String(seen + 1));
    await expect(page.getByTestId("timeline-internal").count()).resolves.toBe(1);
    await expect(caseStatus(page)).resolves.toBe("已派单");
    await step(page, "accept");
    await expect.poll(() => caseStatus(page)).toBe("已签收");

    // 办结 asks for the outcome before anything is sent.
    await page.getByTestId("case-action-resolve").click();
    await page.getByTestId("case-step-submit").click();
    await page.getByText("请填写办理结果").waitFor();
    await page.getByTestId("case-step-note").fill("已调取监控，嫌疑人已到案，手机追回并发还");
    await page.getByTestId("case-step-submit").click();
    await expect.poll(() => caseStatus(page)).toBe("已办结（待评价）");
    await expect(page.getByTestId("case-timeline").textContent()).resolves.toContain(
      "手机追回并发还",
    );
    // Nothing left for the officer but a comment.
    await expect(page.getByTestId("case-action-resolve").count()).resolves.toBe(0);
    await page.screenshot({ path: path.join(RESULTS, "cases-desk-resolved.png"), fullPage: true });
  });

  it("the resident adds a photo to the case on the phone; it shows in the list and on the timeline", async () => {
    expect(caseId).not.toBe("");
    const page = await session.newPage(PHONE, true);
    await loginOk(page, "resident");
    await page.goto(`${BASE}/cases/${caseId}`);
    const card = page.getByTestId("case-attachments");
    await card.waitFor();
    await card.getByText("暂无附件").waitFor();
    await card.locator("input[type=file]").setInputFiles({
      name: "车棚现场.jpg",
      mimeType: "image/jpeg",
      buffer: jpegWithGps(),
    });
    await card.getByText("车棚现场.jpg").waitFor();
    await page.getByTestId("case-timeline").getByText("添加附件：车棚现场.jpg").waitFor();
    // Not a picture, whatever its name says: refused, with the reason.
    await card.locator("input[type=file]").setInputFiles({
      name: "不是图片.jpg",
      mimeType: "image/jpeg",
      buffer: Buffer.from("plain text pretending to be a photo"),
    });
    await page.getByText("只接受 JPEG、PNG、WebP 图片或 PDF 文件").first().waitFor();
    await page.screenshot({ path: path.join(RESULTS, "cases-phone-attachment.png") });
  });

  it("the resident's open case page shows the officer's new comment by itself", async () => {
    expect(caseId).not.toBe("");
    const page = await session.newPage(PHONE, true);
    await loginOk(page, "resident");
    await page.goto(`${BASE}/cases/${caseId}`);
    await page.getByTestId("case-timeline").waitFor();
    // The officer writes to the reporter through the API, from elsewhere.
    const other = await session.newPage(DESK);
    await loginOk(other, "officer");
    const me = await (await other.request.get(`${BASE}/api/auth/me`)).json();
    const r = await other.request.post(`${BASE}/api/cases/${caseId}/comment`, {
      headers: { "x-csrf-token": me.csrfToken as string },
      data: { note: "已调取监控，感谢您提供的照片", visibility: "public" },
    });
    expect(r.status(), await r.text()).toBe(200);
    await page.getByTestId("case-timeline").getByText("已调取监控，感谢您提供的照片").waitFor();
  });

  it("the resident opens it from the bell, rates it 5 and sees it closed", async () => {
    expect(caseId).not.toBe("");
    const page = await session.newPage(PHONE, true);
    await loginOk(page, "resident");
    await expect
      .poll(async () =>
        Number(await page.getByTestId("notification-bell").getAttribute("data-unread")),
      )
      .toBeGreaterThan(0);
    await page.getByTestId("notification-bell").click();
    const note = page.locator(`[data-testid="notification-item"][data-case-id="${caseId}"]`);
    await note.first().waitFor();
    await expect(note.first().textContent()).resolves.toContain("已办结，请评价");
    await page.screenshot({ path: path.join(RESULTS, "cases-phone-notifications.png") });
    await note.first().click();
    await page.waitForURL(`${BASE}/cases/${caseId}`);
    await page.getByTestId("case-note-rate").waitFor();
    await expect(caseStatus(page)).resolves.toBe("已办结（待评价）");

    await page.getByTestId("case-action-feedback").click();
    const form = page.locator('[data-testid="case-step-form"][data-action="feedback"]');
    await form.waitFor();
    await form.getByTestId("case-step-rating").locator("li").nth(4).click();
    await form.getByTestId("case-step-note").fill("民警很负责，谢谢");
    await page.getByTestId("case-step-submit").click();
    await form.waitFor({ state: "detached" });
    await expect.poll(() => caseStatus(page)).toBe("已结案");
    await expect(page.getByTestId("case-feedback").textContent()).resolves.toContain("民警很负责");
    await expect(page.getByTestId("case-timeline").textContent()).resolves.toContain("评价 5 分");
    await page.screenshot({ path: path.join(RESULTS, "cases-phone-closed.png"), fullPage: true });

    // 我的上报 lists it as closed.
    await page.goto(`${BASE}/cases`);
    const card = page.locator(`[data-testid="my-case"][data-case-id="${caseId}"]`);
    await card.waitFor();
    await expect(card.textContent()).resolves.toContain("已结案");
  });
});

describe("cases without an account (phone)", () => {
  it("an anonymous report shows its code and secret once, and /track follows it", async () => {
    const page = await session.newPage(PHONE, true);
    await page.goto(`${BASE}/login`);
    await page.getByTestId("login-anonymous-report").click();
    await page.waitForURL(`${BASE}/report/anonymous`);
    await page.getByTestId("report-form").waitFor();
    await chooseCategory(page, "噪声与环境", "噪声扰民");
    // A required select of the category: refused until chosen.
    await page
      .getByTestId("report-description")
      .fill("工地每天夜里十一点以后还在打桩，吵得无法入睡");
    await page.getByTestId("report-submit").click();
    await page.getByText("噪声来源为必填项").waitFor();
    await page.getByText("请在地图上点选事发位置，或使用我的位置").waitFor();
    await page.getByTestId("report-field-noise_source").click();
    await page.getByTitle("建筑施工", { exact: true }).click();
    // The pin goes where the map is tapped (its centre lies in the district).
    const map = page.getByTestId("report-map");
    await map.scrollIntoViewIfNeeded();
    // No account, no areas: the district's public outline still shows where to tap.
    await map.locator(".leaflet-overlay-pane path").first().waitFor();
    await map.tap();
    await expect.poll(() => map.getAttribute("data-lat")).not.toBe("");
    await page.getByTestId("report-submit").click();

    const receipt = page.getByTestId("report-tracking");
    await receipt.waitFor();
    await expect(receipt.textContent()).resolves.toContain("查询密码只显示这一次");
    const code = ((await page.getByTestId("tracking-code").textContent()) ?? "").trim();
    const secret = ((await page.getByTestId("tracking-secret").textContent()) ?? "").trim();
    expect(code).toMatch(/^SJ\d{14}$/);
    expect(secret.length).toBeGreaterThanOrEqual(20);
    await page.screenshot({
      path: path.join(RESULTS, "cases-phone-anonymous-receipt.png"),
      fullPage: true,
    });

    // A fresh visit: type the code and secret in.
    const later = await session.newPage(PHONE, true);
    await later.goto(`${BASE}/login`);
    await later.getByTestId("login-track").click();
    await later.getByTestId("track-code").fill(code);
    await later.getByTestId("track-secret").fill("wrong-secret-000000000");
    await later.getByTestId("track-submit").click();
    await later.getByTestId("track-not-found").waitFor();
    await later.getByTestId("track-secret").fill(secret);
    await later.getByTestId("track-submit").click();
    await later.getByTestId("case-view").waitFor();
    await expect(later.getByTestId("case-code").textContent()).resolves.toBe(code);
    await expect(caseStatus(later)).resolves.toMatch(/已派单|待核实/);
    await expect(later.getByTestId("case-timeline").textContent()).resolves.toContain("上报");
    await expect(later.getByTestId("case-description").textContent()).resolves.toContain("打桩");
    await later.screenshot({ path: path.join(RESULTS, "cases-phone-track.png"), fullPage: true });

    // The reporter's own steps, with the secret: a comment, then a confirmed withdrawal.
    await step(later, "comment", "今晚十一点半又开始了");
    await expect
      .poll(async () => (await later.getByTestId("case-timeline").textContent()) ?? "")
      .toContain("今晚十一点半又开始了");
    await later.getByTestId("case-action-withdraw").click();
    await later.getByText("撤回后事件不再办理，且不能恢复").waitFor();
    await later.getByTestId("case-step-submit").click();
    await expect.poll(() => caseStatus(later)).toBe("已撤回");
    await expect(later.getByTestId("case-action-withdraw").count()).resolves.toBe(0);

    // From the receipt, 查看办理进度 opens the same case without typing.
    await page.getByTestId("tracking-follow").click();
    await page.getByTestId("case-view").waitFor();
    await expect(page.getByTestId("case-code").textContent()).resolves.toBe(code);
    expect(page.url()).not.toContain(secret);
  });

  it("the coordinator sees a likely duplicate on the case page and merges it", async () => {
    const at = await pointInGridWorkersGrid(session);
    // Two reports of the same thing at the same place, through the API as the resident.
    const api = await session.newPage(DESK);
    await loginOk(api, "resident");
    const me = await (await api.request.get(`${BASE}/api/auth/me`)).json();
    const headers = { "x-csrf-token": me.csrfToken as string };
    const post = async (description: string) => {
      const r = await api.request.post(`${BASE}/api/cases`, {
        headers,
        data: { categoryCode: "theft_fraud.theft", description, ...at },
      });
      expect(r.status(), await r.text()).toBe(201);
      return (await r.json()) as { id: string; code: string };
    };
    const first = await post("小区南门车棚的电瓶被偷了，已经好几次了");
    const second = await post("南门车棚电瓶又丢了，应该是同一伙人");

    const page = await session.newPage(DESK);
    await loginOk(page, "coordinator");
    await page.goto(`${BASE}/cases/${second.id}`);
    const duplicates = page.getByTestId("case-duplicates");
    await duplicates.waitFor();
    await duplicates.locator(`[data-duplicate-id="${first.id}"]`).waitFor();
    await expect(duplicates.textContent()).resolves.toContain("0 米");
    await page.screenshot({ path: path.join(RESULTS, "cases-desk-duplicates.png") });

    await page.getByTestId("case-action-merge").click();
    const form = page.locator(`[data-testid="case-step-form"][data-action="merge"]`);
    await form.waitFor();
    // The target is required.
    await page.getByTestId("case-step-submit").click();
    await form.getByText("请选择要并入的事件").first().waitFor();
    await form.getByTestId("case-step-merge-target").click();
    await page.getByTitle(new RegExp(first.code)).click();
    await page.getByTestId("case-step-submit").click();
    await form.waitFor({ state: "detached" });
    await expect.poll(() => caseStatus(page)).toBe("已合并");
    const merged = page.getByTestId("case-merged-into");
    await merged.waitFor();
    await expect(merged.textContent()).resolves.toContain(first.code);
    await merged.getByRole("link").click();
    await page.waitForURL(`${BASE}/cases/${first.id}`);
    await page.getByTestId("case-timeline").getByText(second.code, { exact: false }).waitFor();
  });

  it("a category the platform does not take shows where to go instead and cannot be sent", async () => {
    const page = await session.newPage(PHONE, true);
    await page.goto(`${BASE}/report/anonymous`);
    await page.getByTestId("report-form").waitFor();
    await chooseCategory(page, "非本平台受理事项", "正在发生的警情/火情/急救");
    // The family's general notice shows first; the chosen category's own
    // redirect replaces it.
    await page
      .getByTestId("report-redirect")
      .filter({ hasText: "紧急情况请立即拨打 110" })
      .waitFor();
    await expect(page.getByTestId("report-submit").count()).resolves.toBe(0);
    await expect(page.getByTestId("report-description").count()).resolves.toBe(0);
    await page.screenshot({ path: path.join(RESULTS, "cases-phone-invalid-category.png") });
  });

  it("a too-short description is refused in Chinese before anything is sent", async () => {
    const page = await session.newPage(PHONE, true);
    await page.goto(`${BASE}/report/anonymous`);
    await page.getByTestId("report-form").waitFor();
    await chooseCategory(page, "治安秩序", "可疑人员/可疑物品");
    let posted = false;
    page.on("request", (r) => {
      if (r.method() === "POST" && r.url().endsWith("/api/cases")) posted = true;
    });
    await page.getByTestId("report-description").fill("有人");
    await page.getByTestId("report-description").blur();
    await page.getByText("请至少用 5 个字描述情况").waitFor();
    await page.getByTestId("report-submit").click();
    await page.getByText("请至少用 5 个字描述情况").waitFor();
    expect(posted).toBe(false);
    expect(page.url()).toBe(`${BASE}/report/anonymous`);
    await page.screenshot({ path: path.join(RESULTS, "cases-phone-short-description.png") });
  });
});
