/**
 * Browser tests of participation as work (issue 7), driving the real UI:
 * the grid worker plans a team patrol at the desk (a start in the past is
 * refused, saying why) and a team member finds it on the phone; the
 * association builds a team with a leader and records a certificate, which
 * the volunteer sees on the phone; the coordinator invites a fellow-provincial
 * volunteer to mediate a dispute (以新调新), who accepts on the phone and joins
 * the case; the coordinator turns recurring cases in one place into a
 * proposal that shows them; a resident finds the proposals nearest to them
 * (browser geolocation) on the phone; the association verifies its team's
 * hours at the desk.
 *
 * What the scenarios start from (a dispute, the recurring cases, accounts to
 * log in as) is set up through the API; each step under test is taken in the
 * browser.
 */
import path from "node:path";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Boundary, boundaryInteriorPoint } from "../../src/server/modules/geo/geometry.js";
import {
  BASE,
  BrowserSession,
  expectFitsWidth,
  loginOk,
  openPopup,
  pickInSelect,
  RESULTS,
  selectShows,
} from "./support.js";

const session = new BrowserSession();
beforeAll(() => session.start());
afterAll(() => session.stop());

const PHONE = { width: 390, height: 844 };
const DESK = { width: 1440, height: 900 };
const RUN = Date.now().toString(36).slice(-5);
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(RESULTS, `participation-work-${name}.png`), fullPage: true });

/** Calls the API as a signed-in page (with its CSRF token): for what a scenario starts from. */
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
    get: async (url: string) => {
      const r = await page.request.get(`${BASE}${url}`);
      expect(r.status(), await r.text()).toBe(200);
      return r.json();
    },
  };
}

/** A demo account's username, asked of the admin (seeded volunteers are volunteer-00001 …). */
async function usernameOf(userId: string): Promise<string> {
  const admin = await session.newPage(DESK);
  await loginOk(admin, "admin");
  const user = await (await apiAs(admin)).get(`/api/admin/users/${userId}`);
  await admin.close();
  return user.username as string;
}

/** "YYYY-MM-DD HH:mm" in the browser's (and this process's) time zone, as the picker reads it. */
function pickerTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The next quarter hour at least `hours` from now. */
function quarterAfter(hours: number): Date {
  const q = 15 * 60_000;
  return new Date(Math.ceil((Date.now() + hours * 3_600_000) / q) * q);
}

/** Types a time window into an antd RangePicker (start, Enter, end, Enter) and waits until it shows. */
async function fillRange(page: Page, picker: Locator, from: string, to: string) {
  const inputs = picker.locator("input");
  await inputs.nth(0).click();
  await inputs.nth(0).fill(from);
  await page.keyboard.press("Enter");
  await inputs.nth(1).click();
  await inputs.nth(1).fill(to);
  await page.keyboard.press("Enter");
  await expect.poll(() => inputs.nth(0).inputValue(), { timeout: 30_000 }).toBe(from);
  await expect.poll(() => inputs.nth(1).inputValue(), { timeout: 30_000 }).toBe(to);
}

describe("网格员排班", () => {
  const title = `夜间治安巡逻（测试${RUN}）`;

  it("网格员在电脑上为社区队伍安排巡逻：过去的时间被拒并说明原因，改到今晚后排班成功", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "gridworker");
    const api = await apiAs(page);
    const gridCode = api.me.grants[0].scope.code as string;
    const gridName = (await api.get(`/api/areas/${gridCode}`)).name as string;

    await page.goto(`${BASE}/shifts`);
    await page.getByTestId("shift-plan-page").waitFor();
    await page.getByTestId("shift-plan-new").click();
    const form = page.getByTestId("shift-plan-form");
    await form.waitFor();
    await page.getByTestId("shift-plan-title").fill(title);
    const area = page.getByTestId("shift-plan-area");
    await pickInSelect(
      page,
      area,
      (dropdown) => dropdown.getByTitle(`${gridName}（网格）`),
      selectShows(area, gridName),
    );
    const team = page.getByTestId("shift-plan-team");
    await pickInSelect(
      page,
      team,
      (dropdown) => dropdown.getByTitle(/平安志愿服务队/),
      selectShows(team, "平安志愿服务队"),
    );
    await form.locator("#capacity").fill("4");

    // Yesterday evening: refused, and the form says why, on the time field.
    const yesterday = new Date(Date.now() - 86_400_000);
    yesterday.setHours(19, 0, 0, 0);
    const picker = form.locator(".ant-picker-range");
    await fillRange(
      page,
      picker,
      pickerTime(yesterday),
      pickerTime(new Date(yesterday.getTime() + 2 * 3_600_000)),
    );
    await page.getByTestId("shift-plan-submit").click();
    await form.getByText(/开始时间已过，不能安排过去的班次/).waitFor();
    expect(page.url()).toMatch(/\/shifts$/);
    await shot(page, "plan-refused");

    // Later today instead: planned, and the shift opens.
    // After the demo patrol the resident signed up for (it ends within 4 hours).
    const from = quarterAfter(5);
    await fillRange(
      page,
      picker,
      pickerTime(from),
      pickerTime(new Date(from.getTime() + 2 * 3_600_000)),
    );
    await page.getByTestId("shift-plan-submit").click();
    const detail = page.getByTestId("shift-detail");
    await detail.waitFor();
    await detail.getByText(title).first().waitFor();
    await detail
      .getByText(/平安志愿服务队/)
      .first()
      .waitFor();
    expect(page.url()).toMatch(/\/shifts\/\d+$/);
    await shot(page, "planned");
  });

  it("队员（居民志愿者）在手机上的“找班次”里看到这个班次并报名", async () => {
    const page = await session.newPage(PHONE, true);
    await loginOk(page, "resident");
    await page.goto(`${BASE}/volunteer`);
    await page.getByTestId("volunteer-find-shifts").click();
    await page.getByTestId("my-shifts-page").waitFor();
    const card = page.getByTestId("shift-card").filter({ hasText: title });
    await card.waitFor();
    expect(await card.textContent()).toContain("0/4");
    await expectFitsWidth(page);
    await card.click();
    await page.getByTestId("shift-sign-up").click();
    await page.getByTestId("shift-my-signup").getByText("已报名").waitFor();
    await shot(page, "shift-phone");
  });
});

describe("协会管理队伍与培训证书", () => {
  const teamName = `协会夜巡小队${RUN}`;
  const course = `治安巡防骨干培训（${RUN}）`;
  const certificate = `HQXSM-2026-${RUN.toUpperCase()}`;
  let member = { id: "", name: "", username: "" };

  beforeAll(async () => {
    // A member of the association's own team, to lead the new one and be trained.
    const page = await session.newPage(DESK);
    await loginOk(page, "association");
    const api = await apiAs(page);
    const teams = await api.get(
      `/api/teams?manageable=true&q=${encodeURIComponent("虎丘区新市民协会志愿服务队")}`,
    );
    const own = teams.items.find((x: { name: string }) => x.name === "虎丘区新市民协会志愿服务队");
    const team = await api.get(`/api/teams/${own.id}`);
    const m = team.memberList.find((x: { role: string }) => x.role === "member");
    const v = await api.get(`/api/volunteers/${m.volunteerId}`);
    member = { id: v.id, name: v.name, username: await usernameOf(v.userId) };
    await page.close();
  });

  it("协会代表在电脑上新建队伍，任命队长", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "association");
    await page.goto(`${BASE}/teams`);
    await page.getByTestId("teams-page").waitFor();
    await page.getByTestId("team-new").click();
    const form = page.getByTestId("team-create-form");
    await form.waitFor();
    await page.getByTestId("team-create-name").fill(teamName);
    const community = page.getByTestId("team-create-community");
    await pickInSelect(
      page,
      community,
      (dropdown) => dropdown.getByTitle(/何山社区居委会/),
      selectShows(community, "何山社区居委会"),
      "何山",
    );
    await page.getByTestId("team-create-submit").click();
    const detail = page.getByTestId("team-detail");
    await detail.waitFor();
    await detail.getByText(teamName).first().waitFor();
    await detail.getByText("虎丘区新市民协会").first().waitFor();

    const picker = page.getByTestId("team-add-volunteer");
    await pickInSelect(
      page,
      picker,
      (dropdown) => dropdown.getByText(member.name, { exact: true }),
      selectShows(picker, member.name),
      member.name,
    );
    const role = page.getByTestId("team-add-role");
    await pickInSelect(
      page,
      role,
      (dropdown) => dropdown.getByTitle("队长"),
      selectShows(role, "队长"),
    );
    await page.getByTestId("team-add-submit").click();
    const row = page.getByTestId("team-members").locator("tr").filter({ hasText: member.name });
    await row.locator(".ant-tag").filter({ hasText: "队长" }).waitFor();
    await shot(page, "team");
  });

  it("协会代表为这名队长登记培训证书", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "association");
    await page.goto(`${BASE}/volunteers`);
    await page.getByTestId("volunteers-page").waitFor();
    await page.getByPlaceholder("搜索姓名").fill(member.name);
    await page.keyboard.press("Enter");
    await page
      .getByTestId("volunteers-table")
      .locator("tbody tr")
      .filter({ hasText: member.name })
      .click();
    const detail = page.getByTestId("volunteer-detail");
    await detail.waitFor();
    await page.getByTestId("training-title").fill(course);
    await page.getByTestId("training-issuer").fill("虎丘区新市民协会");
    await page.getByTestId("training-certificate-no").fill(certificate);
    // Issued today: the date picker's 今天.
    const issued = page.getByTestId("training-form").locator(".ant-picker input").first();
    await issued.click();
    await openPopup(page, ".ant-picker-dropdown")
      .locator(".ant-picker-now-btn, .ant-picker-today-btn")
      .first()
      .click();
    await expect
      .poll(() => issued.inputValue(), { timeout: 30_000 })
      .toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await page.getByTestId("training-submit").click();
    await page.getByText("已登记").first().waitFor();
    await detail.getByTestId("volunteer-training").getByText(course).waitFor();
    await detail.getByTestId("training-certificate").filter({ hasText: certificate }).waitFor();
    await shot(page, "training");
  });

  it("志愿者在手机上看到自己的证书和新队伍里的队长身份", async () => {
    const page = await session.newPage(PHONE, true);
    await loginOk(page, member.username);
    await page.goto(`${BASE}/volunteer`);
    await page.getByTestId("volunteer-profile").waitFor();
    const training = page.getByTestId("volunteer-training");
    await training.getByText(course).waitFor();
    await training
      .getByTestId("training-certificate")
      .filter({ hasText: `证书编号 ${certificate}` })
      .waitFor();
    await page.getByText(`${teamName} · 队长`).waitFor();
    await expectFitsWidth(page);
    await shot(page, "certificate-phone");
  });
});

describe("老乡调解（以新调新）", () => {
  const description = `两户邻居因楼道堆物多次争吵，双方都是云南老乡（测试${RUN}）`;
  let caseId = "";
  let code = "";
  let mediator = { id: "", name: "", username: "", matches: [] as string[] };

  beforeAll(async () => {
    // 张敏 (from 云南省) reports a dispute in her community.
    const page = await session.newPage(PHONE, true);
    await loginOk(page, "resident2");
    const api = await apiAs(page);
    const ctx = await api.get("/api/proposals/context");
    const [lng, lat] = boundaryInteriorPoint(ctx.community.boundary as Boundary);
    const created = await api.post("/api/cases", {
      categoryCode: "dispute.neighbour",
      description,
      lat,
      lng,
    });
    caseId = created.id;
    code = created.code;
    await page.close();
    // The best match the coordinator will be offered, and their account.
    const coord = await session.newPage(DESK);
    await loginOk(coord, "coordinator");
    const found = await (await apiAs(coord)).get(`/api/volunteers/mediators?caseId=${caseId}`);
    expect(found.province).toBe("云南省");
    const best = found.items[0];
    const v = await (await apiAs(coord)).get(`/api/volunteers/${best.volunteerId}`);
    mediator = {
      id: best.volunteerId,
      name: best.name,
      username: await usernameOf(v.userId),
      matches: best.matches,
    };
    expect(mediator.matches.length).toBeGreaterThan(0);
    await coord.close();
  });

  it("协调员在事件页查找与反映人同省、同方言的志愿者，并邀请一位参与调解", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "coordinator");
    await page.goto(`${BASE}/cases/${caseId}`);
    const card = page.getByTestId("case-mediators");
    await card.waitFor();
    await page.getByTestId("case-find-mediators").click();
    const candidates = page.getByTestId("mediator-candidates");
    await candidates.waitFor();
    await page.getByText(/匹配 云南省、西南官话 的志愿者共 \d+ 人/).waitFor();
    const candidate = candidates.locator(
      `[data-testid="mediator-candidate"][data-volunteer-id="${mediator.id}"]`,
    );
    await candidate.waitFor();
    // Why they match, shown as tags (同省 / 同方言 / 擅长调解).
    const labels: Record<string, string> = {
      province: "同省",
      dialect: "同方言",
      mediation_skill: "擅长调解",
    };
    for (const m of mediator.matches)
      await candidate.locator(".ant-tag").filter({ hasText: labels[m] }).waitFor();
    await shot(page, "mediators");
    await candidate.getByTestId("mediator-invite").click();
    await page.getByText(`已邀请 ${mediator.name}，等待其接受后加入事件`).waitFor();
    // Not a party until they accept; the invitation is on the timeline.
    await page.getByText(`邀请志愿者 ${mediator.name} 参与调解（待其接受）`).first().waitFor();
    expect(await page.locator('[data-party-role="mediator"]').count()).toBe(0);
  });

  it("被邀请的志愿者在手机上接受邀请，作为调解员加入事件", async () => {
    const page = await session.newPage(PHONE, true);
    await loginOk(page, mediator.username);
    await page.goto(`${BASE}/volunteer`);
    const invitation = page
      .getByTestId("volunteer-mediation")
      .filter({ hasText: code })
      .and(page.locator('[data-invitation="pending"]'));
    await invitation.waitFor();
    await invitation.getByText("待您答复").waitFor();
    await invitation.getByText(/陈静/).waitFor();
    await expectFitsWidth(page);
    await shot(page, "invitation-phone");
    await invitation.getByTestId("mediation-accept").click();
    const joined = page
      .getByTestId("volunteer-mediation")
      .filter({ hasText: code })
      .and(page.locator('[data-invitation="accepted"]'));
    await joined.waitFor();
    await joined.getByTestId("mediation-open-case").click();
    const party = page.locator('[data-party-role="mediator"]').filter({ hasText: mediator.name });
    await party.waitFor();
    await party.getByText("调解志愿者").waitFor();
    await page.getByText(`志愿者 ${mediator.name} 接受邀请，作为调解员参与办理`).first().waitFor();
    await expectFitsWidth(page);
    await shot(page, "mediator-case-phone");
  });

  it("协调员随后在事件页看到这位调解员", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "coordinator");
    await page.goto(`${BASE}/cases/${caseId}`);
    await page.locator('[data-party-role="mediator"]').filter({ hasText: mediator.name }).waitFor();
  });
});

describe("事件转议事提案", () => {
  const marker = `电动车充电（测试${RUN}）`;
  const ids: string[] = [];
  const title = `在小区东门建设集中充电桩（${RUN}）`;

  beforeAll(async () => {
    // The same problem, reported again and again at one spot in the demo grid.
    const page = await session.newPage(PHONE, true);
    await loginOk(page, "resident");
    const api = await apiAs(page);
    const gw = await session.newPage(DESK);
    await loginOk(gw, "gridworker");
    const gwApi = await apiAs(gw);
    const grid = await gwApi.get(`/api/areas/${gwApi.me.grants[0].scope.code}`);
    const [lng, lat] = boundaryInteriorPoint(grid.boundary as Boundary);
    for (const text of [
      "楼道里又有人从窗口拉线给电动车充电",
      "东门车棚旁飞线充电，电线挂在树上",
      "晚上好几辆电动车在楼道里充电，很危险",
    ]) {
      const created = await api.post("/api/cases", {
        categoryCode: "fire_hazard.ebike_charging",
        description: `${text}，${marker}`,
        lat,
        lng,
        address: "何山路 12 号东门",
      });
      ids.push(created.id);
    }
    await page.close();
    await gw.close();
  });

  it("协调员在议事工作台选中同一地点反复发生的事件，转为提案，提案显示来源事件", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "coordinator");
    await page.goto(`${BASE}/proposals/desk`);
    const picker = page.getByTestId("proposal-cases-picker");
    await picker.waitFor();
    await page.getByTestId("proposal-case-search").locator("input").fill(marker);
    const rows = page.getByTestId("proposal-case-table").locator("tbody tr");
    await expect
      .poll(() => rows.filter({ hasText: "电动自行车" }).count(), { timeout: 30_000 })
      .toBe(3);
    for (let i = 0; i < 3; i++) await rows.nth(i).locator("input[type=checkbox]").check();
    const convert = page.getByTestId("proposal-cases-convert");
    await expect.poll(() => convert.textContent(), { timeout: 30_000 }).toContain("3");
    await convert.click();
    await page.getByTestId("proposal-from-cases-page").waitFor();
    // The draft comes from the cases: their place and topic.
    await expect
      .poll(() => page.getByTestId("proposal-map").getAttribute("data-lat"), { timeout: 30_000 })
      .not.toBeNull();
    await page.getByTestId("proposal-title").fill(title);
    await page
      .getByTestId("proposal-body")
      .fill("东门一带三个月内多次发生飞线充电，建议在东门车棚建设集中充电桩并安排志愿者夜间巡查。");
    await shot(page, "from-cases");
    await page.getByTestId("proposal-submit").click();
    const detail = page.getByTestId("proposal-detail");
    await detail.waitFor();
    await detail.getByText(title).first().waitFor();
    const basis = page.getByTestId("proposal-basis-cases");
    await basis.waitFor();
    for (const id of ids) await basis.locator(`a[href="/cases/${id}"]`).waitFor();
    await shot(page, "proposal-with-cases");
  });
});

describe("附近的提案", () => {
  let here = { lat: 0, lng: 0 };
  let nearestId = "";

  beforeAll(async () => {
    // Stand a few hundred metres from one of the district's proposals.
    const page = await session.newPage(PHONE, true);
    await loginOk(page, "resident");
    const api = await apiAs(page);
    const some = await api.get("/api/proposals?view=all&sort=support&limit=1");
    const p = some.items[0];
    here = { lat: p.lat + 0.0021, lng: p.lng - 0.0017 };
    const near = await api.get(
      `/api/proposals?lat=${here.lat}&lng=${here.lng}&radius=2000&sort=distance&limit=5`,
    );
    expect(near.total).toBeGreaterThan(1);
    nearestId = near.items[0].id;
    await page.close();
  });

  it("居民在手机上用定位查看附近的提案，由近到远，并打开最近的一条", async () => {
    const page = await session.newPage(PHONE, true);
    await page.context().grantPermissions(["geolocation"], { origin: BASE });
    await page.context().setGeolocation({ latitude: here.lat, longitude: here.lng });
    await loginOk(page, "resident");
    await page.getByTestId("home-link-proposals").click();
    await page.getByTestId("proposals-page").waitFor();
    await page.getByTestId("proposals-tabs").getByText("附近").click();
    await page.getByTestId("proposals-locate").click();
    const cards = page.getByTestId("proposal-card");
    await expect
      .poll(() => cards.first().getAttribute("data-proposal-id"), { timeout: 30_000 })
      .toBe(nearestId);
    const distances = (
      await cards.evaluateAll((els) => els.map((e) => e.getAttribute("data-distance-m")))
    ).map(Number);
    expect(distances.length).toBeGreaterThan(1);
    expect(distances.every((d) => Number.isFinite(d) && d <= 2000)).toBe(true);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);
    await expectFitsWidth(page);
    await shot(page, "near-phone");
    await cards.first().click();
    await page.getByTestId("proposal-detail").waitFor();
    expect(page.url()).toMatch(new RegExp(`/proposals/${nearestId}$`));
    await expectFitsWidth(page);
  });
});

describe("协会核验本队服务时长", () => {
  it("协会代表在电脑上的时长核验里核验本队队员的时长", async () => {
    const page = await session.newPage(DESK);
    await loginOk(page, "association");
    // What waits for the association (the seed leaves its team's latest shift pending).
    const waiting = await (await apiAs(page)).get("/api/shifts/hours?status=pending&limit=50");
    const entry = waiting.items.find(
      (e: { shift: { teamName: string | null } }) =>
        e.shift.teamName === "虎丘区新市民协会志愿服务队",
    );
    expect(entry, "the association's team has hours waiting").toBeTruthy();

    await page.goto(`${BASE}/hours`);
    await page.getByTestId("hours-page").waitFor();
    const rows = page.getByTestId("hours-table").locator("tbody tr");
    const row = rows
      .filter({ hasText: entry.volunteer.name })
      .filter({ hasText: entry.shift.title });
    await row.first().waitFor();
    expect(await row.first().textContent()).toContain("虎丘区新市民协会志愿服务队");
    const before = await row.count();
    await row.first().locator("input[type=checkbox]").check();
    await page.getByTestId("hours-verify-selected").click();
    await page.getByText("已核验 1 条").waitFor();
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(before - 1);
    await shot(page, "association-hours");
    // Under 已核验 it is there, verified by the association's representative.
    await page.getByTestId("hours-page").getByText("已核验", { exact: true }).first().click();
    await page.getByPlaceholder("搜索志愿者或班次").fill(entry.volunteer.name);
    await rows
      .filter({ hasText: entry.volunteer.name })
      .filter({ hasText: entry.shift.title })
      .filter({ hasText: "孙丽" })
      .first()
      .waitFor();
  });
});
