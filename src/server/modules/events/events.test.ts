import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointInDemoGrid } from "../../../../test/places.js";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";

let t: TestApp;
let base = "";
let resident: Session;
let officer: Session;
let here: { lat: number; lng: number };

beforeAll(async () => {
  t = await createTestApp();
  base = await t.app.listen({ host: "127.0.0.1", port: 0 });
  [resident, officer] = await Promise.all([login(t.app, "resident"), login(t.app, "officer")]);
  here = await pointInDemoGrid(t.app);
});
afterAll(() => t.close());

/** Opens the stream as a session; collects the event names it receives. */
function listen(s: Session, query = "") {
  const events: string[] = [];
  let status = 0;
  const req = http.get(`${base}/api/events${query}`, { headers: { cookie: s.cookie } }, (res) => {
    status = res.statusCode ?? 0;
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => {
      for (const m of chunk.matchAll(/^event: (\w+)$/gm)) events.push(m[1] as string);
    });
  });
  req.on("error", () => {});
  return { events, status: () => status, close: () => req.destroy() };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  expect(check()).toBe(true);
};

describe("GET /api/events", () => {
  it("tells an officer of a new case for their station, and a case page of changes to its case", async () => {
    const officerStream = listen(officer);
    await until(() => officerStream.events.includes("ready"));
    const c = (
      await resident.request({
        method: "POST",
        url: "/api/cases",
        payload: {
          categoryCode: "theft_fraud.theft",
          description: "电动车电瓶被偷了两块",
          ...here,
        },
      })
    ).json();
    await until(() => officerStream.events.includes("notifications"));
    const page = listen(resident, `?caseId=${c.id}`);
    await until(() => page.events.includes("ready"));
    await officer.request({ method: "POST", url: `/api/cases/${c.id}/accept`, payload: {} });
    await until(() => page.events.includes("case"));
    officerStream.close();
    page.close();
  });

  it("needs a login, and a case the caller may see", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/events" })).statusCode).toBe(401);
    const enterprise = await login(t.app, "enterprise");
    const c = (
      await resident.request({
        method: "POST",
        url: "/api/cases",
        payload: {
          categoryCode: "theft_fraud.theft",
          description: "楼道里的自行车被偷了",
          ...here,
        },
      })
    ).json();
    const denied = await enterprise.request({ method: "GET", url: `/api/events?caseId=${c.id}` });
    expect(denied.statusCode).toBe(404);
  });
});
