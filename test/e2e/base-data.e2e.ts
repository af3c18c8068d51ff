/**
 * Browser tests of 实有人口 on a phone (390×844), as a grid worker: register a
 * new citizen at a unit in their grid, be told exactly what is wrong with a
 * bad ID number, find the person masked in the list, and reveal the full
 * number with a reason. At desk size, an enterprise officer registers an
 * employee for their own enterprise, and an association sees no register
 * button.
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Boundary, boundaryInteriorPoint } from "../../src/server/modules/geo/geometry.js";
import { residentIdCheckChar } from "../../src/shared/formats/resident-id.js";
import { BASE, BrowserSession, loginOk, RESULTS } from "./support.js";

const session = new BrowserSession();
beforeAll(() => session.start());
afterAll(() => session.stop());

const FIRST17 = "34010219950308123";
const ID = FIRST17 + residentIdCheckChar(FIRST17);
const WRONG = FIRST17 + (ID.endsWith("0") ? "1" : "0");

/** A building and a unit in the signed-in grid worker's grid, through the API (the page's session). */
async function unitInMyGrid(page: Page): Promise<string> {
  const me = await (await page.request.get(`${BASE}/api/auth/me`)).json();
  const grid = await (
    await page.request.get(`${BASE}/api/areas/${me.grants[0].scope.code}`)
  ).json();
  const [lng, lat] = boundaryInteriorPoint(grid.boundary as Boundary);
  const headers = { "x-csrf-token": me.csrfToken as string };
  const b = await (
    await page.request.post(`${BASE}/api/buildings`, {
      headers,
      data: { road: "鹿山路", houseNumber: "18", buildingNo: "2", lng, lat },
    })
  ).json();
  const u = await (
    await page.request.post(`${BASE}/api/units`, {
      headers,
      data: {
        buildingId: b.id,
        unitNo: "305",
        floorAreaM2: 24,
        isRental: true,
        declaredCapacity: 4,
      },
    })
  ).json();
  return u.address as string;
}

describe("实有人口 on a phone (grid worker)", () => {
  it("registers a new citizen, refuses a bad ID number clearly, and reveals with a reason", async () => {
    const page = await session.newPage({ width: 390, height: 844 }, true);
    await loginOk(page, "gridworker");
    const address = await unitInMyGrid(page);
    expect(address).toBe("鹿山路18号2幢305室");

    await page.goto(`${BASE}/residents`);
    await page.getByTestId("residents-page").waitFor();
    await page.getByTestId("resident-register").click();
    await page.getByTestId("resident-name").fill("张伟");
    await page.getByTestId("resident-id-number").fill(WRONG);
    await page.getByTestId("resident-phone").click();
    await page
      .getByText(/校验位应为/)
      .first()
      .waitFor();
    await page.screenshot({ path: path.join(RESULTS, "residents-phone-bad-id.png") });

    await page.getByTestId("resident-id-number").fill(ID);
    await page.getByTestId("resident-unit").click();
    await page.keyboard.type("鹿山路18号");
    await page.getByText(address).last().click();
    await page.getByTestId("resident-register-submit").click();

    const masked = page
      .getByTestId("resident-id-masked")
      .filter({ hasText: `340102********${ID.slice(-4)}` });
    await masked.first().waitFor();
    await page.screenshot({ path: path.join(RESULTS, "residents-phone-list.png") });

    await masked.first().click();
    await page.getByTestId("resident-detail").waitFor();
    await page.getByTestId("resident-reveal").click();
    await page.getByTestId("resident-reveal-reason").fill("上门核查居住登记");
    await page.getByTestId("resident-reveal-submit").click();
    await expect(page.getByTestId("resident-revealed-value").textContent()).resolves.toContain(ID);
    await page.screenshot({ path: path.join(RESULTS, "residents-phone-revealed.png") });
  });

  it("an enterprise officer registers an employee for their enterprise; an association has no register button", async () => {
    const page = await session.newPage({ width: 1280, height: 800 });
    await loginOk(page, "enterprise");
    await page.goto(`${BASE}/residents`);
    await page.getByTestId("residents-page").waitFor();
    await page.getByTestId("resident-register").click();
    const employer = page.getByTestId("resident-employer");
    await employer.waitFor();
    await expect(employer.textContent()).resolves.toContain("苏州高新区精密电子有限公司");
    const first17 = "52010219990909135";
    await page.getByTestId("resident-name").fill("杨帆");
    await page.getByTestId("resident-id-number").fill(first17 + residentIdCheckChar(first17));
    await page.getByTestId("resident-register-submit").click();
    // The list reloads with the new employee, shown with their employer.
    const row = page.locator("tr[data-resident-id]", { hasText: "杨帆" });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain("苏州高新区精密电子有限公司");
    await page.screenshot({ path: path.join(RESULTS, "residents-enterprise-registered.png") });

    const assoc = await session.newPage({ width: 1280, height: 800 });
    await loginOk(assoc, "association");
    await assoc.goto(`${BASE}/residents`);
    await assoc.getByTestId("residents-page").waitFor();
    await expect(assoc.getByTestId("resident-register").count()).resolves.toBe(0);
  });

  it("a grid worker corrects a name and records a residence permit on a phone", async () => {
    const page = await session.newPage({ width: 390, height: 844 }, true);
    await loginOk(page, "gridworker");
    await page.goto(`${BASE}/residents?q=${encodeURIComponent("张伟")}`);
    await page.locator("tr[data-resident-id]").first().click();
    await page.getByTestId("resident-detail").waitFor();
    await page.getByTestId("resident-edit").click();
    await page.getByTestId("resident-edit-name").fill("张威");
    await page.getByTestId("resident-edit-phone").fill("1380013");
    await page.getByTestId("resident-edit-submit").click();
    await page.getByText(/手机号应为 11 位数字/).waitFor();
    await page.getByTestId("resident-edit-phone").fill("13800138000");
    await page.getByTestId("resident-edit-permit").check();
    await page.getByTestId("resident-edit-submit").click();
    await page.getByText("已保存").waitFor();
    const detail = page.getByTestId("resident-detail");
    await expect(detail.textContent()).resolves.toContain("张威");
    await expect(detail.textContent()).resolves.toContain("持居住证");
    await expect(detail.textContent()).resolves.toContain("138****8000");
    await page.screenshot({ path: path.join(RESULTS, "residents-phone-edited.png") });

    // The list filters by province of origin (from the ID number's region).
    await page.goto(`${BASE}/residents?q=${encodeURIComponent("张威")}`);
    await page.locator("tr[data-resident-id]", { hasText: "张威" }).waitFor();
    await page.getByTestId("residents-origin-filter").click();
    await page.keyboard.type("河南");
    await page.getByTitle("河南省").click();
    await page.getByText("没有", { exact: false }).first().waitFor();
    await expect(page.locator("tr[data-resident-id]").count()).resolves.toBe(0);
    await expect(page.url()).toContain("origin=");
  });
});
