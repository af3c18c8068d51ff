/**
 * Browser tests of the participation gaps (issue 7): a resident on a phone
 * (390×844) proposes with a photo picked in the new-proposal form and sees it
 * on the proposal's page (a copy without location data), adds a second one
 * and removes it again after confirming; a seeded volunteer who forgot to
 * check out sees on their phone that the system closed it; the grid worker
 * finds the attendance flagged 未签退 in 时长核验, sets the real check-out time
 * (refused outside the allowed range) and verifies it; the volunteer then
 * sees the time was set.
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Boundary, boundaryInteriorPoint } from "../../src/server/modules/geo/geometry.js";
import { pngWithGps } from "../images.js";
import {
  BASE,
  BrowserSession,
  loginOk,
  openPopup,
  PASSWORD,
  pointInGridWorkersGrid,
  RESULTS,
} from "./support.js";

const session = new BrowserSession();
beforeAll(() => session.start());
afterAll(() => session.stop());

const PHONE = { width: 390, height: 844 };
const DESK = { width: 1366, height: 900 };
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(RESULTS, `${name}.png`), fullPage: true });
const noSidewaysScroll = async (page: Page) =>
  expect(
    await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
  ).toBeLessThanOrEqual(1);

const TITLE = `巷口加装路灯（${Date.now().toString(36)}）`;
let proposalUrl = "";

describe("提案照片", () => {
  it("居民在手机上发起提案时附上一张照片，提案页上能看到（无定位信息）", async () => {
    const probe = await session.newPage(PHONE, true);
    await loginOk(probe, "resident");
    const ctx = await (await probe.request.get(`${BASE}/api/proposals/context`)).json();
    const place = ctx.community?.boundary
      ? (() => {
          const [lng, lat] = boundaryInteriorPoint(ctx.community.boundary as Boundary);
          return { lat: lat as number, lng: lng as number };
        })()
      : await pointInGridWorkersGrid(session);

    const page = await session.newPage(PHONE, true);
    await page.context().grantPermissions(["geolocation"], { origin: BASE });
    await page.context().setGeolocation({ latitude: place.lat, longitude: place.lng });
    await loginOk(page, "resident");
    await page.goto(`${BASE}/proposals/new`);
    await page.getByTestId("proposal-form").waitFor();
    await page.getByTestId("proposal-title").fill(TITLE);
    await page.getByTestId("proposal-topic").click();
    await openPopup(page, ".ant-select-dropdown").getByText("照明与设施", { exact: true }).click();
    await page
      .getByTestId("proposal-body")
      .fill("巷口到宿舍一段路晚上没有路灯，下夜班回来很黑，建议加装两盏路灯。");
    await page.getByTestId("proposal-geolocate").click();
    await expect
      .poll(() => page.getByTestId("proposal-map").getAttribute("data-lat"))
      .toBe(place.lat.toFixed(6));
    // A file that is not a photo is refused in the form already.
    const input = page.getByTestId("proposal-photo-picker").locator('input[type="file"]');
    await input.setInputFiles({
      name: "说明.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("不是图片"),
    });
    await page.getByText("说明.txt 不是 JPEG、PNG 或 WebP 图片").waitFor();
    await input.setInputFiles({
      name: "巷口.png",
      mimeType: "image/png",
      buffer: pngWithGps(96, [30, 60, 140]),
    });
    await expect
      .poll(() =>
        page.getByTestId("proposal-photo-picker").locator(".ant-upload-list-item").count(),
      )
      .toBe(1);
    await noSidewaysScroll(page);
    await shot(page, "proposal-photos-new-phone");
    await page.getByTestId("proposal-submit").click();
    await page.getByTestId("proposal-detail").waitFor();

    const photos = page.getByTestId("proposal-photos");
    await photos.waitFor();
    await expect.poll(() => photos.getByTestId("proposal-photo").count()).toBe(1);
    const img = photos.locator("img").first();
    // The picture really loads (not a broken image) …
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(96);
    // … and what is sent carries no location data.
    const src = (await img.getAttribute("src")) as string;
    const bytes = await (await page.request.get(`${BASE}${src}`)).body();
    expect(bytes.includes(Buffer.from("GPSLatitude"))).toBe(false);
    await page.getByTestId("proposal-step").filter({ hasText: "添加照片" }).first().waitFor();
    proposalUrl = page.url();
  });

  it("发起人在提案页再加一张照片，确认后删除", async () => {
    const page = await session.newPage(PHONE, true);
    await loginOk(page, "resident");
    await page.goto(proposalUrl);
    const photos = page.getByTestId("proposal-photos");
    await photos.waitFor();
    await expect.poll(() => photos.getByTestId("proposal-photo").count()).toBe(1);
    await photos.locator('input[type="file"]').setInputFiles({
      name: "路面.png",
      mimeType: "image/png",
      buffer: pngWithGps(64, [160, 90, 30]),
    });
    await expect.poll(() => photos.getByTestId("proposal-photo").count()).toBe(2);
    await photos.getByTestId("proposal-photo-remove").nth(1).click();
    await openPopup(page, ".ant-popover")
      .getByRole("button", { name: /确\s*定|OK/ })
      .click();
    await expect.poll(() => photos.getByTestId("proposal-photo").count()).toBe(1);
    await noSidewaysScroll(page);
    await shot(page, "proposal-photos-detail-phone");
  });

  it("其他居民看到照片，但没有添加和删除按钮", async () => {
    const other = await session.newPage(PHONE, true);
    await loginOk(other, "resident2");
    await other.goto(proposalUrl);
    const theirs = other.getByTestId("proposal-photos");
    await theirs.waitFor();
    await expect.poll(() => theirs.getByTestId("proposal-photo").count()).toBe(1);
    expect(await theirs.getByTestId("proposal-photo-remove").count()).toBe(0);
    expect(await theirs.getByTestId("proposal-photo-add").count()).toBe(0);
  });
});

describe("未签退：系统自动签退，核验人补录签退时间", () => {
  let entry: {
    id: string;
    shift: { id: string; endsAt: string };
    volunteer: { name: string; userId: string };
    checkedInAt: string;
  };
  let username = "";

  beforeAll(async () => {
    // The seed has a fellow team member who forgot to check out in the grid worker's grid.
    const gw = await session.newPage(DESK);
    await loginOk(gw, "gridworker");
    const queue = await (await gw.request.get(`${BASE}/api/shifts/hours?limit=200`)).json();
    entry = queue.items.find((e: { checkoutSource: string }) => e.checkoutSource === "auto");
    expect(entry, "a seeded auto-closed attendance in the grid worker's queue").toBeTruthy();
    const admin = await session.newPage(DESK);
    await loginOk(admin, "admin");
    username = (
      await (await admin.request.get(`${BASE}/api/admin/users/${entry.volunteer.userId}`)).json()
    ).username;
  });

  it("志愿者在手机上看到系统已自动签退", async () => {
    const page = await session.newPage(PHONE, true);
    await loginOk(page, username, PASSWORD);
    await page.goto(`${BASE}/volunteer/shifts`);
    await page.getByTestId("my-shifts-page").waitFor();
    await page.getByTestId("my-shifts-when").getByText("已结束").click();
    const card = page.locator(`[data-testid="shift-card"][data-shift-id="${entry.shift.id}"]`);
    await card.waitFor();
    await card.getByText("系统自动签退").waitFor();
    await card.click();
    await page.getByTestId("shift-auto-checkout-notice").waitFor();
    expect(await page.getByTestId("shift-auto-checkout-notice").textContent()).toContain(
      "系统已按班次结束时间自动签退",
    );
    await noSidewaysScroll(page);
    await shot(page, "shift-auto-checkout-phone");
  });

  it("网格员在时长核验里看到“需核实：未签退”，补录签退时间后核验通过", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "gridworker");
    await page.goto(`${BASE}/hours`);
    await page.getByTestId("hours-page").waitFor();
    const row = page.locator(`tr[data-row-key="${entry.id}"]`);
    await row.waitFor();
    await row.getByText("需核实：未签退").waitFor();
    // Not verifiable before the time is set: no 通过 button, no checkbox.
    expect(await row.getByTestId("hours-verify-one").count()).toBe(0);
    expect(await row.locator("input[type=checkbox]").isDisabled()).toBe(true);
    await row.getByTestId("hours-set-checkout").click();
    await page.getByTestId("checkout-intro").waitFor();
    const time = page.getByTestId("checkout-time");
    const china = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);
    // Before the check-in: refused on the form.
    await time.fill(china(Date.parse(entry.checkedInAt) - 60 * 60_000));
    await page.getByTestId("checkout-reason").fill("电话联系志愿者确认实际离开时间");
    await page.getByTestId("checkout-submit").click();
    await page.getByText(/签退时间须在/).waitFor();
    const real = Date.parse(entry.shift.endsAt) - 20 * 60_000;
    await time.fill(china(real));
    await shot(page, "hours-set-checkout-desk");
    await page.getByTestId("checkout-submit").click();
    await page.getByText("已补录签退时间").first().waitFor();
    await row.getByText("签退时间已补录").waitFor();
    await row.getByTestId("hours-verify-one").click();
    await page
      .getByText(/已核验 1 条/)
      .first()
      .waitFor();
    await expect.poll(() => page.locator(`tr[data-row-key="${entry.id}"]`).count()).toBe(0);

    const history = await (
      await page.request.get(`${BASE}/api/shifts/hours/${entry.id}/history`)
    ).json();
    const actions = history.items.map((x: { action: string }) => x.action);
    expect(actions.slice(-3)).toEqual(["auto_check_out", "set_check_out", "verify"]);
    expect(history.items.at(-2)).toMatchObject({
      newCheckedOutAt: new Date(real).toISOString(),
      reason: "电话联系志愿者确认实际离开时间",
    });
  });

  it("志愿者随后看到签退时间已由核验人补录", async () => {
    const page = await session.newPage(PHONE, true);
    await loginOk(page, username, PASSWORD);
    await page.goto(`${BASE}/shifts/${entry.shift.id}`);
    await page.getByTestId("shift-my-signup").getByText("签退时间已补录").waitFor();
    expect(await page.getByTestId("shift-auto-checkout-notice").count()).toBe(0);
  });
});
