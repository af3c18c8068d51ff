/**
 * Browser tests of self-inspection and hazards: the enterprise officer, on a
 * phone (390×844), fills in this month's fire-safety inspection with one
 * failed item and its photo, confirms, and finds the hazard it raised, then
 * submits a rectification plan; a coordinator, on a desktop, verifies a
 * hazard the enterprise reported rectified and it is closed; a department
 * officer draws a risk-weighted spot-check and sees the weights.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jpegWithGps } from "../images.js";
import { BASE, BrowserSession, loginOk, RESULTS } from "./support.js";

const session = new BrowserSession();
beforeAll(() => session.start());
afterAll(() => session.stop());

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };

describe("企业自查与隐患整改", () => {
  it("企业安全员在手机上填报本月消防安全自查：一项不合格并拍照，提交后生成隐患并提交整改方案", async () => {
    const page = await session.newPage(PHONE, true);
    await loginOk(page, "enterprise");
    await page.getByTestId("inspections-home-card").waitFor();
    await page.screenshot({ path: path.join(RESULTS, "inspections-phone-home.png") });

    await page.goto(`${BASE}/inspections?view=due`);
    const row = page
      .getByTestId("inspections-table")
      .locator("tr", { hasText: "消防安全月度自查" })
      .first();
    await row.getByTestId("inspection-fill").click();
    await page.getByTestId("inspection-form").waitFor();

    // Submitting with nothing answered is refused on the spot.
    await page.getByTestId("inspection-submit").click();
    await page.getByTestId("item-error").first().waitFor();

    const items = page.getByTestId("inspection-item");
    const count = await items.count();
    expect(count).toBeGreaterThan(3);
    for (let i = 1; i < count; i++) await items.nth(i).getByTestId("item-pass").click();
    const failed = items.nth(0);
    await failed.getByTestId("item-fail").click();
    await failed.getByTestId("item-note").fill("二楼车间 2 具灭火器压力表指针在红区");
    await failed.locator("input[type=file]").setInputFiles({
      name: "灭火器.jpg",
      mimeType: "image/jpeg",
      buffer: jpegWithGps(),
    });
    await failed.getByTestId("evidence-photo").waitFor();
    await page.screenshot({
      path: path.join(RESULTS, "inspections-phone-form.png"),
      fullPage: true,
    });

    await page.getByTestId("inspection-submit").click();
    await page.getByTestId("inspection-confirm").waitFor();
    await page.getByTestId("inspection-confirm-ok").click();
    await page.getByTestId("inspection-results").waitFor();
    await expect.poll(() => page.getByTestId("inspection-failed-count").textContent()).toBe("1");

    await page.getByTestId("result-hazard-link").click();
    await page.getByTestId("hazard-page").waitFor();
    expect(await page.getByTestId("hazard-status").first().getAttribute("data-status")).toBe(
      "open",
    );
    await page.getByTestId("hazard-found-photos").locator("img").first().waitFor();
    await page.screenshot({
      path: path.join(RESULTS, "inspections-phone-hazard.png"),
      fullPage: true,
    });

    await page.getByTestId("hazard-action-plan").click();
    await page.getByTestId("hazard-plan-input").fill("本周内更换过期灭火器，安全员每日巡查");
    await page.getByTestId("hazard-action-ok").click();
    await expect
      .poll(() => page.getByTestId("hazard-page").getAttribute("data-status"))
      .toBe("rectifying");
    await page.locator('[data-testid="hazard-step"][data-kind="plan"]').waitFor();
  });

  it("综治中心验收企业已整改的隐患，隐患销号", async () => {
    const page = await session.newPage(DESKTOP);
    await loginOk(page, "coordinator");
    await page.goto(`${BASE}/hazards?view=submitted&q=${encodeURIComponent("私拉电线")}`);
    await page.getByTestId("hazards-table").waitFor();
    await page.getByTestId("hazard-link").first().click();
    await page.getByTestId("hazard-page").waitFor();
    expect(await page.getByTestId("hazard-page").getAttribute("data-status")).toBe("submitted");

    await page.getByTestId("hazard-action-verify").click();
    await page.getByTestId("hazard-decision-accept").click();
    await page.getByTestId("hazard-action-ok").click();
    await expect
      .poll(() => page.getByTestId("hazard-page").getAttribute("data-status"))
      .toBe("closed");
    await page.locator('[data-testid="hazard-step"][data-kind="accept"]').waitFor();
    expect(await page.getByTestId("hazard-actions").getByRole("button").count()).toBe(0);
    await page.screenshot({
      path: path.join(RESULTS, "inspections-hazard-closed.png"),
      fullPage: true,
    });
  });

  it("派出所民警按风险加权随机抽取辖区企业，看到每家企业的权重", async () => {
    const page = await session.newPage(DESKTOP);
    await loginOk(page, "officer");
    await page.goto(`${BASE}/spot-checks`);
    await page.getByTestId("spot-check-draw").click();
    await page.getByTestId("spot-check-size").fill("3");
    await page.getByTestId("spot-check-draw-ok").click();
    await page.getByTestId("spot-check-page").waitFor();
    await page.getByTestId("spot-check-weights").waitFor();
    await expect.poll(() => page.getByTestId("spot-item-weight").count()).toBe(3);
    const weights = await page.getByTestId("spot-item-weight").allTextContents();
    for (const w of weights) expect(Number(w)).toBeGreaterThanOrEqual(1);
    await page.screenshot({
      path: path.join(RESULTS, "inspections-spot-check.png"),
      fullPage: true,
    });
  });
});
