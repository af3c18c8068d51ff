/**
 * Browser tests of 批量导入 and 实有单位 at desk size, as the coordination
 * centre's coordinator: import residents from a CSV made here (valid rows, a
 * bad ID check digit, a duplicate row), follow the import to its counts,
 * read the error file, import the same file again (nothing changes); then
 * find an enterprise, open it with its employees, and register a new one —
 * told exactly which check character its credit code needs.
 */
import fs from "node:fs";
import path from "node:path";
import type { Download, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Boundary, boundaryInteriorPoint } from "../../src/server/modules/geo/geometry.js";
import { residentIdCheckChar } from "../../src/shared/formats/resident-id.js";
import { usccCheckChar } from "../../src/shared/formats/uscc.js";
import { BASE, BrowserSession, loginOk, pickInSelect, RESULTS, selectShows } from "./support.js";

const session = new BrowserSession();
beforeAll(() => session.start());
afterAll(() => session.stop());

const DESK = { width: 1440, height: 900 };
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(RESULTS, `${name}.png`), fullPage: true });

const idNumber = (first17: string) => first17 + residentIdCheckChar(first17);
/** The same number with a check character that is not the right one. */
const wrongCheck = (id: string) => id.slice(0, 17) + (id.endsWith("0") ? "1" : "0");

async function saved(download: Download): Promise<string> {
  const file = await download.path();
  return fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "");
}

/** Runs `click` and answers the text of the file the browser downloads. */
async function downloadText(page: Page, click: () => Promise<void>) {
  const [download] = await Promise.all([page.waitForEvent("download"), click()]);
  return { name: download.suggestedFilename(), text: await saved(download) };
}

/** A building and a unit in some grid, through the API with the page's session. */
async function unitForTest(page: Page): Promise<string> {
  const me = await (await page.request.get(`${BASE}/api/auth/me`)).json();
  const headers = { "x-csrf-token": me.csrfToken as string };
  const grids = await (
    await page.request.get(`${BASE}/api/areas?level=grid&limit=1&sort=code`)
  ).json();
  const grid = await (await page.request.get(`${BASE}/api/areas/${grids.items[0].code}`)).json();
  const [lng, lat] = boundaryInteriorPoint(grid.boundary as Boundary);
  const b = await (
    await page.request.post(`${BASE}/api/buildings`, {
      headers,
      data: { road: "导入路", houseNumber: "7", buildingNo: "1", lng, lat },
    })
  ).json();
  const u = await (
    await page.request.post(`${BASE}/api/units`, {
      headers,
      data: { buildingId: b.id, unitNo: "101", isRental: true, declaredCapacity: 6 },
    })
  ).json();
  return u.address as string;
}

const count = (page: Page, which: string) =>
  page.getByTestId(`import-count-${which}`).locator(".ant-statistic-content-value").textContent();

describe("批量导入 (coordinator, desktop)", () => {
  it("imports residents from a CSV, shows the counts and the error file, and a second import changes nothing", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "coordinator");
    await page.getByTestId("nav-menu").getByText("批量导入").click();
    await page.getByTestId("imports-page").waitFor();

    // The template's header is the file's header.
    const template = await downloadText(page, () =>
      page.getByTestId("import-template-csv").click(),
    );
    expect(template.name).toBe("residents-template.csv");
    const header = template.text.split(/\r?\n/)[0] as string;
    expect(header).toContain("姓名");
    expect(header).toContain("身份证号");
    // The valid rows live at a unit registered here, so they belong to its grid.
    const address = await unitForTest(page);
    const columns = header.split(",");
    const row = (name: string, id: string) =>
      columns
        .map((c) => (c === "姓名" ? name : c === "身份证号" ? id : c === "现住地址" ? address : ""))
        .join(",");

    const a = idNumber("34010219910315215");
    const b = idNumber("41010519960722326");
    const c = idNumber("51010419880101437");
    const bad = wrongCheck(idNumber("52010219950101548"));
    const csv = [
      header,
      row("陈导入", a),
      row("周导入", b),
      row("吴导入", c),
      row("错号人", bad), // row 5: wrong check digit
      row("周导入", b), // row 6: duplicate of row 3
    ].join("\r\n");
    const dir = path.join(RESULTS, "imports-e2e");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, "居民导入.csv");
    fs.writeFileSync(file, `\uFEFF${csv}\r\n`);

    // A file of the wrong type is refused before upload, with what to do.
    const txt = path.join(dir, "说明.txt");
    fs.writeFileSync(txt, "not a spreadsheet");
    await page.locator("input[type=file]").setInputFiles(txt);
    await expect(page.getByTestId("import-problem").textContent()).resolves.toContain(
      "不支持 .txt 文件",
    );

    await page.locator("input[type=file]").setInputFiles(file);
    await page.locator('[data-testid="import-progress"][data-status="done"]').waitFor();
    expect(await count(page, "total")).toBe("5");
    expect(await count(page, "inserted")).toBe("3");
    expect(await count(page, "unchanged")).toBe("0");
    expect(await count(page, "refused")).toBe("2");
    await expect(page.getByTestId("import-summary").textContent()).resolves.toContain(
      "共 5 行：新增 3，未变 0，错误 2",
    );
    await shot(page, "imports-desktop-first");

    // The error file: the refused rows with their row number and reason.
    const errors = await downloadText(page, () => page.getByTestId("import-error-file").click());
    const lines = errors.text.trim().split(/\r?\n/);
    expect(lines[0]).toContain("行号");
    expect(lines[0]).toContain("错误原因");
    expect(lines).toHaveLength(3);
    const line5 = lines.find((l) => l.includes(bad)) as string;
    expect(line5).toContain(",5,");
    expect(line5).toMatch(/校验位应为/);
    const line6 = lines.find((l) => l.includes(",6,")) as string;
    expect(line6).toContain("与第 3 行重复");

    // The same file again: the valid rows are unchanged, the bad ones refused again.
    const firstId = await page.getByTestId("import-progress").getAttribute("data-import-id");
    await page.locator("input[type=file]").setInputFiles(file);
    await page
      .locator(
        `[data-testid="import-progress"][data-status="done"]:not([data-import-id="${firstId}"])`,
      )
      .waitFor();
    expect(await count(page, "inserted")).toBe("0");
    expect(await count(page, "unchanged")).toBe("3");
    expect(await count(page, "refused")).toBe("2");

    // The history lists both imports with who ran them.
    const mine = page
      .getByTestId("imports-history")
      .locator("tr[data-import-id]")
      .filter({ hasText: "居民导入.csv" });
    await expect.poll(() => mine.count()).toBe(2);
    for (const text of await mine.allTextContents()) {
      expect(text).toContain("已完成");
      expect(text).toContain("陈静（区综治中心）");
    }
    await shot(page, "imports-desktop-second");

    // The imported residents are there.
    await page.goto(`${BASE}/residents?q=${encodeURIComponent("导入")}`);
    await page.getByTestId("residents-page").waitFor();
    await expect(page.getByTestId("residents-total").textContent()).resolves.toBe("共 3 条");
  });
});

describe("实有单位 (coordinator, desktop)", () => {
  it("finds an enterprise by name and shows its facts and employees", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "coordinator");
    await page.getByTestId("nav-menu").getByText("实有单位").click();
    await page.getByTestId("organisations-page").waitFor();
    await page.getByTestId("organisations-search").fill("狮山光电");
    await expect.poll(() => page.getByTestId("organisations-total").textContent()).toBe("共 1 条");
    await shot(page, "organisations-desktop-list");
    await page.getByRole("link", { name: "苏州狮山光电科技有限公司" }).click();

    const detail = page.getByTestId("organisation-detail");
    await detail.waitFor();
    await expect(page.getByTestId("organisation-title").textContent()).resolves.toBe(
      "苏州狮山光电科技有限公司",
    );
    const facts = await page.getByTestId("organisation-facts").textContent();
    expect(facts).toContain("电子信息");
    expect(facts).toContain("中型");
    expect(facts).toMatch(/[0-9A-Z]{18}/);
    await expect(page.getByTestId("organisation-areas").textContent()).resolves.toContain("虎丘区");
    const employees = page.getByTestId("organisation-employees");
    await employees.locator("tr[data-resident-id]").first().waitFor();
    await expect(employees.textContent()).resolves.toMatch(/在职人员（[1-9]\d*）/);
    await shot(page, "organisations-desktop-detail");
  });

  it("registers an enterprise, first told which check character the credit code needs", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "coordinator");
    const grid = (
      await (await page.request.get(`${BASE}/api/areas?level=grid&limit=1&sort=code`)).json()
    ).items[0] as { code: string; name: string };

    await page.goto(`${BASE}/organisations`);
    await page.getByTestId("organisation-register").click();
    await page.getByTestId("organisation-name").fill("苏州共治测试电子有限公司");
    const first17 = "91320505MA7QWE12X";
    const right = first17 + usccCheckChar(first17);
    const wrong = first17 + (right.endsWith("0") ? "1" : "0");
    await page.getByTestId("organisation-uscc").fill(wrong);
    const hint = page.getByText(`校验位应为 ${right.slice(-1)}`);
    await hint.waitFor();
    await shot(page, "organisations-desktop-bad-uscc");

    await page.getByTestId("organisation-uscc").fill(right.toLowerCase());
    await hint.waitFor({ state: "detached" });
    // The tree select, typed into and picked; checked and tried again on a busy machine.
    const gridPicker = page.getByTestId("organisation-grid");
    await pickInSelect(
      page,
      gridPicker,
      (dropdown) => dropdown.locator(".ant-select-tree-title", { hasText: grid.name }),
      selectShows(gridPicker, grid.name),
      grid.name,
    );
    await page.getByTestId("organisation-address").fill("竹园路 99 号");
    await page.getByTestId("organisation-submit").click();

    await page.waitForURL(/\/organisations\/\d+$/);
    await expect(page.getByTestId("organisation-title").textContent()).resolves.toBe(
      "苏州共治测试电子有限公司",
    );
    await expect(page.getByTestId("organisation-detail-uscc").textContent()).resolves.toBe(right);
    await expect(page.getByTestId("organisation-areas").textContent()).resolves.toContain(
      grid.name,
    );
    await expect(page.getByTestId("organisation-employees").textContent()).resolves.toContain(
      "还没有登记在该单位工作的居民",
    );
    await shot(page, "organisations-desktop-created");
  });

  it("edits an association: its own fields only, saved and shown", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "coordinator");
    await page.goto(`${BASE}/organisations?kind=association&associationKind=hometown`);
    await page
      .getByTestId("organisations-table")
      .locator("tr[data-organisation-id]")
      .first()
      .click();
    await page.getByTestId("organisation-detail").waitFor();
    await page.getByTestId("organisation-edit").click();
    const form = page.getByTestId("organisation-form");
    await form.waitFor();
    // Enterprise-only fields are not offered for an association.
    await expect(page.getByTestId("organisation-size").count()).resolves.toBe(0);
    await page.getByTestId("organisation-sectors").click();
    await page.keyboard.type("家政服务");
    await page.keyboard.press("Enter");
    await page.getByTestId("organisation-safety-phone").fill("1391234");
    await page.getByTestId("organisation-submit").click();
    await form.getByText(/手机号应为 11 位数字/).waitFor();
    await page.getByTestId("organisation-safety-phone").fill("13912345678");
    await page.getByTestId("organisation-submit").click();
    await page.getByText("已保存").waitFor();
    await expect(page.getByTestId("organisation-sectors-view").textContent()).resolves.toContain(
      "家政服务",
    );
    await expect(page.getByTestId("organisation-facts").textContent()).resolves.toContain(
      "139****5678",
    );
    await shot(page, "organisations-desktop-edited");

    // The stored phone can be removed again.
    await page.getByTestId("organisation-edit").click();
    await form.waitFor();
    await page.getByTestId("organisation-clear-phone").check();
    await page.getByTestId("organisation-submit").click();
    await form.waitFor({ state: "hidden" });
    await expect(page.getByTestId("organisation-facts").textContent()).resolves.not.toContain(
      "139****5678",
    );
  });
});
