/**
 * Browser tests of the enterprise workspace's shared work with government,
 * each step driven through the UI:
 *   a. a coordinator adds an item to the fire-safety checklist (desktop) and
 *      sees the new version; the enterprise's due inspection uses it (phone);
 *   b. the fire brigade finds a major hazard waiting for supervision (待挂牌)
 *      and puts it under supervision (desktop); the enterprise officer plans
 *      and submits the rectification with a photo (phone); the brigade sends
 *      it back with a reason, which the enterprise sees on the phone;
 *   c. the fire brigade draws a spot-check and records a finding with a hazard;
 *   d. the enterprise officer asks an association to mediate a dispute among
 *      its workers (phone); the association finds the request;
 *   e. the police station of the enterprise's street invites the enterprise
 *      into a case with a task (desktop), the enterprise officer completes it
 *      (phone), and the station sees it done in the case timeline.
 * The demo enterprise lies outside the demo `officer`'s street, so the
 * departments acting here get an officer account each, opened by the admin.
 */
import path from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Boundary, boundaryInteriorPoint } from "../../src/server/modules/geo/geometry.js";
import { jpegWithGps } from "../images.js";
import {
  BASE,
  BrowserSession,
  expectFitsWidth,
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
const STAMP = Date.now().toString(36);
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(RESULTS, `${name}.png`), fullPage: true });

/** A demo account's session through the API, for setting things up. */
async function apiAs(username: string) {
  const page = await session.newPage(DESK);
  const login = await page.request.post(`${BASE}/api/auth/login`, {
    data: { username, password: PASSWORD },
  });
  expect(login.status()).toBe(200);
  const me = await (await page.request.get(`${BASE}/api/auth/me`)).json();
  const headers = { "x-csrf-token": me.csrfToken as string };
  return {
    me,
    get: async (url: string) => (await page.request.get(`${BASE}${url}`)).json(),
    post: async (url: string, data: object) => {
      const res = await page.request.post(`${BASE}${url}`, { headers, data });
      const body = await res.json();
      expect(res.status(), JSON.stringify(body)).toBeLessThan(300);
      return body;
    },
  };
}

/** Officer accounts of the departments acting on the demo enterprise (see above). */
const FIRE = `xf-${STAMP}`;
const POLICE = `dz-${STAMP}`;
beforeAll(async () => {
  const admin = await apiAs("admin");
  const departments = (await admin.get("/api/departments?limit=200")).items as {
    id: string;
    code: string;
  }[];
  for (const [username, code, displayName] of [
    [FIRE, "320505-XF", "陈立（区消防救援大队）"],
    [POLICE, "320505407-PCS", "刘强（东渚派出所）"],
  ]) {
    const department = departments.find((d) => d.code === code);
    expect(department, code).toBeDefined();
    await admin.post("/api/admin/users", {
      username,
      displayName,
      password: PASSWORD,
      grants: [{ role: "department_officer", departmentId: department?.id }],
    });
  }
});

/** The demo enterprise (the `enterprise` account's). */
async function demoEnterprise(): Promise<{ id: string; name: string }> {
  const { me } = await apiAs("enterprise");
  return { id: me.grants[0].scope.id, name: me.grants[0].scope.name };
}

/** Opens one of the hazard page's actions, fills it in with `fill`, and sends it. */
async function hazardStep(page: Page, action: string, fill: (modal: Locator) => Promise<void>) {
  await page.getByTestId(`hazard-action-${action}`).click();
  const modal = page.locator(".ant-modal").filter({ has: page.getByTestId("hazard-action-ok") });
  await modal.waitFor();
  await fill(modal);
  await page.getByTestId("hazard-action-ok").click();
  await modal.waitFor({ state: "detached" });
}

const hazardStatus = (page: Page) => page.getByTestId("hazard-page").getAttribute("data-status");

describe("a. 政府维护自查检查表", () => {
  const ITEM = `电动自行车集中充电区设有自动断电装置（${STAMP}）`;

  it("协调员在消防安全检查表中新增一项，看到新版本；企业本期自查按新版本填写", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "coordinator");
    await page.getByTestId("nav-menu").getByText("自查检查表").click();
    await page.getByTestId("templates-page").waitFor();
    const row = () =>
      page.getByTestId("templates-table").locator("tr", { hasText: "消防安全月度自查" }).first();
    await row().waitFor();
    const version = () => row().getByTestId("template-version").getAttribute("data-version");
    const before = Number(await version());
    expect(before).toBeGreaterThanOrEqual(1);

    await row().getByTestId("template-edit").click();
    const items = page.getByTestId("template-item");
    await items.first().waitFor();
    const count = await items.count();
    await page.getByTestId("template-add-item").click();
    await expect.poll(() => items.count()).toBe(count + 1);
    // The new item gets a code of its own, in the checklist's style.
    const code = await items.nth(count).getByTestId("template-item-code").inputValue();
    expect(code).toMatch(/^F\d+$/);
    await items.nth(count).getByTestId("template-item-text").fill(ITEM);
    // This period's inspections not yet filled in switch to the new version (the default).
    expect(await page.getByTestId("template-apply-to-due").isChecked()).toBe(true);
    await shot(page, "enterprise-gaps-template-edit");
    await page.getByTestId("template-save").click();
    await page
      .getByText(new RegExp(`已保存为第 ${before + 1} 版，\\d+ 份尚未填报的自查已改用新版本`))
      .waitFor();
    await expect.poll(version).toBe(String(before + 1));
    // Its items, unfolded, end with the new one.
    await row().locator(".ant-table-row-expand-icon").click();
    await page.getByTestId("templates-table").getByText(ITEM).waitFor();
    await shot(page, "enterprise-gaps-template-saved");

    // The enterprise officer, on a phone, opens this month's fire inspection: the new item is there.
    const phone = await session.newPage(PHONE, true);
    await loginOk(phone, "enterprise");
    await phone.goto(`${BASE}/inspections?view=due`);
    await phone
      .getByTestId("inspections-table")
      .locator("tr", { hasText: "消防安全月度自查" })
      .first()
      .getByTestId("inspection-fill")
      .click();
    await phone.getByTestId("inspection-form").waitFor();
    const answers = phone.getByTestId("inspection-item");
    await expect.poll(() => answers.count()).toBe(count + 1);
    const added = answers.filter({ hasText: ITEM });
    await added.waitFor();
    await expectFitsWidth(phone);
    await shot(phone, "enterprise-gaps-inspection-new-version");
    // Not submitted here: test/e2e/inspections.e2e.ts fills in and submits this same
    // inspection (the browser tests share one product), now with the new item among the rest.
  });
});

describe("b. 重大隐患挂牌督办与整改退回", () => {
  const TITLE = `危化品暂存间未设防爆照明（${STAMP}）`;
  const REASON = "照片中暂存间仍使用普通白炽灯，须更换为防爆灯具并附检测报告";
  let hazardId = "";

  it("区消防救援大队筛出待挂牌的重大隐患，挂牌督办", async () => {
    const enterprise = await demoEnterprise();
    const coordinator = await apiAs("coordinator");
    const created = await coordinator.post("/api/hazards", {
      organisationId: enterprise.id,
      level: "major",
      title: TITLE,
      description: "综治中心联合检查发现",
    });
    hazardId = created.id;
    expect(created.awaitingSupervision).toBe(true);

    const page = await session.newPage(DESK);
    await loginOk(page, FIRE);
    await page.goto(`${BASE}/hazards`);
    await page.getByTestId("hazards-page").waitFor();
    const filter = page.getByTestId("hazards-supervision-filter");
    await pickInSelect(
      page,
      filter,
      (d) => d.locator(".ant-select-item-option").filter({ hasText: "待挂牌（重大隐患）" }),
      selectShows(filter, "待挂牌（重大隐患）"),
    );
    await expect.poll(() => page.url()).toContain("supervision=awaiting");
    // Every hazard listed (once the filtered list is in) is a major one no
    // department supervises yet.
    const rows = page.getByTestId("hazards-table").locator("tbody tr.ant-table-row");
    const tagged = page.getByTestId("hazard-awaiting-supervision");
    await expect
      .poll(async () => {
        const n = await rows.count();
        return n > 0 && n === (await tagged.count());
      })
      .toBe(true);
    await page.getByTestId("hazards-search").fill(STAMP);
    await expect.poll(() => page.url()).toContain(`q=${STAMP}`);
    const link = page.getByTestId("hazard-link").filter({ hasText: TITLE });
    await link.waitFor();
    await expect.poll(() => rows.count()).toBe(1);
    await shot(page, "enterprise-gaps-awaiting-supervision");
    await link.click();

    await page.locator(`[data-testid="hazard-page"][data-hazard-id="${hazardId}"]`).waitFor();
    await page.getByTestId("hazard-awaiting-supervision-alert").waitFor();
    await hazardStep(page, "supervise", (m) =>
      m.getByTestId("hazard-supervise-note").fill("重大隐患，挂牌督办，限期 60 日整改到位"),
    );
    await page.getByTestId("hazard-supervision").waitFor();
    expect(await page.getByTestId("hazard-supervision").textContent()).toContain("消防救援大队");
    await page.getByTestId("hazard-awaiting-supervision-alert").waitFor({ state: "detached" });
    await page.locator('[data-testid="hazard-step"][data-kind="supervise"]').waitFor();
    await shot(page, "enterprise-gaps-supervised");
  });

  it("企业安全员在手机上提交整改方案和整改照片", async () => {
    const phone = await session.newPage(PHONE, true);
    await loginOk(phone, "enterprise");
    await phone.goto(`${BASE}/hazards`);
    await phone.getByTestId("hazards-search").fill(STAMP);
    await expect.poll(() => phone.url()).toContain(`q=${STAMP}`);
    await phone.getByTestId("hazard-link").filter({ hasText: TITLE }).click();
    await phone.locator(`[data-testid="hazard-page"][data-hazard-id="${hazardId}"]`).waitFor();
    expect(await phone.getByTestId("hazard-supervision").textContent()).toContain("消防救援大队");

    await hazardStep(phone, "plan", (m) =>
      m.getByTestId("hazard-plan-input").fill("本周内将暂存间照明全部更换为防爆灯具，请第三方检测"),
    );
    await expect.poll(() => hazardStatus(phone)).toBe("rectifying");
    await hazardStep(phone, "complete", async (m) => {
      await m.getByTestId("hazard-complete-note").fill("已更换灯具");
      await m.locator("input[type=file]").setInputFiles({
        name: "整改后.jpg",
        mimeType: "image/jpeg",
        buffer: jpegWithGps(),
      });
      await m.getByTestId("evidence-photo").waitFor();
    });
    await expect.poll(() => hazardStatus(phone)).toBe("submitted");
    await phone.getByTestId("hazard-evidence-photos").locator("img").first().waitFor();
    await expectFitsWidth(phone);
    await shot(phone, "enterprise-gaps-rectified-phone");
  });

  it("督办部门验收时退回整改并写明原因，企业在手机上看到退回原因", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, FIRE);
    await page.goto(`${BASE}/hazards/${hazardId}`);
    await page.locator('[data-testid="hazard-page"][data-status="submitted"]').waitFor();
    await hazardStep(page, "verify", async (m) => {
      await m.getByTestId("hazard-decision-return").click();
      await m.getByTestId("hazard-return-reason").fill(REASON);
    });
    await expect.poll(() => hazardStatus(page)).toBe("rectifying");
    await page.locator('[data-testid="hazard-step"][data-kind="return"]').waitFor();

    const phone = await session.newPage(PHONE, true);
    await loginOk(phone, "enterprise");
    await phone.goto(`${BASE}/hazards/${hazardId}`);
    await phone.locator('[data-testid="hazard-page"][data-status="rectifying"]').waitFor();
    await expect
      .poll(() => phone.getByTestId("hazard-last-return-reason").textContent())
      .toBe(REASON);
    expect(await phone.getByTestId("hazard-last-return").textContent()).toContain("陈立");
    // It can be submitted again.
    await phone.getByTestId("hazard-action-complete").waitFor();
    await expectFitsWidth(phone);
    await shot(phone, "enterprise-gaps-returned-phone");
  });
});

describe("c. 部门抽查", () => {
  it("区消防救援大队随机抽取企业，为其中一家登记检查结果：发现一条隐患", async () => {
    const title = `员工宿舍楼道堆放杂物（${STAMP}）`;
    const page = await session.newPage(DESK);
    await loginOk(page, FIRE);
    await page.getByTestId("nav-menu").getByText("随机抽查").click();
    await page.getByTestId("spot-check-draw").click();
    await page.getByTestId("spot-check-size").fill("2");
    await page.getByTestId("spot-check-draw-ok").click();
    await page.getByTestId("spot-check-page").waitFor();
    const pending = page.locator('[data-testid="spot-item"][data-finding="pending"]');
    await expect.poll(() => pending.count()).toBe(2);
    const row = pending.first();
    const organisationId = (await row.getAttribute("data-organisation-id")) as string;
    const name = ((await row.locator("a").first().textContent()) ?? "").trim();
    await row.getByTestId("spot-item-record").click();

    const ok = page.getByTestId("spot-finding-submit");
    await ok.waitFor();
    // 发现隐患: checked for sure (the dialog may still be opening), then the hazard rows appear.
    await page.getByTestId("spot-finding-hazards_found").check();
    await page.getByTestId("spot-finding-note").fill("宿舍二楼楼道堆放纸箱，消防通道宽度不足");
    await page.getByTestId("spot-hazard-title").first().fill(title);
    await ok.click();

    const done = page.locator(
      `[data-testid="spot-item"][data-organisation-id="${organisationId}"]`,
    );
    await expect.poll(() => done.getAttribute("data-finding")).toBe("hazards_found");
    expect(await done.textContent()).toContain("发现 1 条隐患");
    await expect.poll(() => pending.count()).toBe(1);
    await shot(page, "enterprise-gaps-spot-check");
    // The hazard found is on the hazards list, to be rectified by that enterprise.
    await done.getByText("发现 1 条隐患").click();
    await page.getByTestId("hazards-page").waitFor();
    const link = page.getByTestId("hazard-link").filter({ hasText: title });
    await link.waitFor();
    await link.click();
    await page.getByTestId("hazard-page").waitFor();
    expect(await page.getByTestId("hazard-page").textContent()).toContain(name);
  });
});

describe("d. 企业申请协会调解", () => {
  it("企业安全员在手机上请协会调解工友之间的纠纷；协会收到申请", async () => {
    const subject = `夜班工友与白班工友因宿舍作息争吵（${STAMP}）`;
    const association = await apiAs("association");
    const associationName = association.me.grants[0].scope.name as string;

    const phone = await session.newPage(PHONE, true);
    await loginOk(phone, "enterprise");
    await phone.goto(`${BASE}/mediations`);
    await phone.getByTestId("mediations-page").waitFor();
    await phone.getByTestId("mediation-new").click();
    const drawer = phone.getByTestId("mediation-request-drawer");
    await drawer.waitFor();
    // Nothing filled in: the form says what is missing and sends nothing.
    await phone.getByTestId("mediation-submit").click();
    await drawer.locator(".ant-form-item-explain-error").first().waitFor();
    await phone.getByTestId("mediation-subject").fill(subject);
    await phone
      .getByTestId("mediation-description")
      .fill("三号宿舍夜班和白班工友作息冲突，近一周多次争吵，险些动手，希望协会出面调解。");
    await phone.getByTestId("mediation-people").fill("6");
    const picker = phone.getByTestId("mediation-association");
    await pickInSelect(
      phone,
      picker,
      (d) => d.getByTestId("mediation-association-option").filter({ hasText: associationName }),
      selectShows(picker, associationName),
      associationName.slice(0, 4),
    );
    await expectFitsWidth(phone);
    await shot(phone, "enterprise-gaps-mediation-form");
    await phone.getByTestId("mediation-submit").click();

    const detail = phone.locator('[data-testid="mediation-detail"][data-status="pending"]');
    await detail.waitFor();
    const id = (await detail.getAttribute("data-mediation-id")) as string;
    expect(await detail.textContent()).toContain(subject);
    expect(await detail.textContent()).toContain(associationName);
    await expectFitsWidth(phone);
    await shot(phone, "enterprise-gaps-mediation-sent");

    // The association has it, waiting for its answer.
    const assoc = await session.newPage(DESK);
    await loginOk(assoc, "association");
    await assoc.goto(`${BASE}/mediations/${id}`);
    await assoc.locator('[data-testid="mediation-detail"][data-status="pending"]').waitFor();
    await assoc.getByTestId("mediation-action-accept").waitFor();
  });
});

describe("e. 邀请企业协办事件", () => {
  const TASK = `提供三号宿舍 10 月入住登记表（${STAMP}）`;
  const DONE = "已上传三号宿舍 10 月入住登记表，共 48 人";
  let caseId = "";

  it("东渚派出所邀请企业协办，并写明协办任务", async () => {
    const enterprise = await demoEnterprise();
    // A theft reported in the enterprise's own grid goes to 东渚派出所, which accepts it.
    const coordinator = await apiAs("coordinator");
    const org = (await coordinator.get(`/api/organisations/${enterprise.id}`)) as {
      grid: { code: string };
    };
    const grid = await coordinator.get(`/api/areas/${org.grid.code}`);
    const [lng, lat] = boundaryInteriorPoint(grid.boundary as Boundary);
    const resident = await apiAs("resident");
    const c = await resident.post("/api/cases", {
      categoryCode: "theft_fraud.theft",
      description: `员工宿舍三楼连续丢失手机，怀疑有外来人员进出（${STAMP}）`,
      lat,
      lng,
    });
    expect(c.lead?.name).toBe("东渚派出所");
    caseId = c.id;
    await (await apiAs(POLICE)).post(`/api/cases/${caseId}/accept`, {});

    const page = await session.newPage(DESK);
    await loginOk(page, POLICE);
    await page.goto(`${BASE}/cases/${caseId}`);
    await page.getByTestId("case-view").waitFor();
    await page.getByTestId("case-action-invite").click();
    const form = page.locator('[data-testid="case-step-form"][data-action="invite"]');
    await form.waitFor();
    await form.getByText("企业或协会", { exact: true }).click();
    const picker = form.getByTestId("case-step-organisation");
    await pickInSelect(
      page,
      picker,
      (d) => d.locator(".ant-select-item-option").filter({ hasText: enterprise.name }),
      selectShows(picker, enterprise.name),
      enterprise.name.slice(0, 8),
    );
    await form.getByTestId("case-step-task").fill(TASK);
    await shot(page, "enterprise-gaps-invite");
    await page.getByTestId("case-step-submit").click();
    await form.waitFor({ state: "detached" });
    const party = page.getByTestId("case-party").filter({ hasText: enterprise.name });
    await party.waitFor();
    expect(await party.getAttribute("data-party-status")).toBe("open");
    expect(await party.textContent()).toContain(TASK);
  });

  it("企业安全员在手机上完成协办任务", async () => {
    const phone = await session.newPage(PHONE, true);
    await loginOk(phone, "enterprise");
    await phone.goto(`${BASE}/cases/${caseId}`);
    await phone.getByTestId("case-view").waitFor();
    expect(await phone.getByTestId("case-parties").textContent()).toContain(TASK);
    // The enterprise helps; it does not run the case.
    expect(await phone.getByTestId("case-action-resolve").count()).toBe(0);
    await phone.getByTestId("case-action-complete_task").click();
    const form = phone.locator('[data-testid="case-step-form"][data-action="complete_task"]');
    await form.waitFor();
    await form.getByTestId("case-step-note").fill(DONE);
    await phone.getByTestId("case-step-submit").click();
    await form.waitFor({ state: "detached" });
    await phone.locator('[data-testid="timeline-entry"][data-action="complete_task"]').waitFor();
    await expect.poll(() => phone.getByTestId("case-action-complete_task").count()).toBe(0);
    await expectFitsWidth(phone);
    await shot(phone, "enterprise-gaps-task-done-phone");
  });

  it("东渚派出所在事件时间线上看到企业已完成协办", async () => {
    const enterprise = await demoEnterprise();
    const page = await session.newPage(DESK);
    await loginOk(page, POLICE);
    await page.goto(`${BASE}/cases/${caseId}`);
    await page.getByTestId("case-view").waitFor();
    const entry = page.locator('[data-testid="timeline-entry"][data-action="complete_task"]');
    await entry.waitFor();
    expect(await entry.textContent()).toContain(DONE);
    const party = page.getByTestId("case-party").filter({ hasText: enterprise.name });
    expect(await party.getAttribute("data-party-status")).toBe("done");
    expect(await party.textContent()).toContain(DONE);
    await shot(page, "enterprise-gaps-task-done");
  });
});
