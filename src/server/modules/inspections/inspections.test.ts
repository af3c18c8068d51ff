import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jpegWithGps } from "../../../../test/images.js";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import type { InspectionDetail } from "../../../shared/schemas/inspections.js";
import { scheduleInspections } from "./inspections.service.js";

let t: TestApp;
let enterprise: Session;
let coordinator: Session;
let officer: Session;
let resident: Session;
let ownId = "";

beforeAll(async () => {
  t = await createTestApp({ env: { ATTACHMENT_MAX_BYTES: String(64 * 1024) } });
  [enterprise, coordinator, officer, resident] = await Promise.all([
    login(t.app, "enterprise"),
    login(t.app, "coordinator"),
    login(t.app, "officer"),
    login(t.app, "resident"),
  ]);
  ownId = (await enterprise.request({ method: "GET", url: "/api/auth/me" })).json().grants[0].scope
    .id;
});
afterAll(() => t.close());

function multipart(filename: string, content: Buffer, fields: Record<string, string> = {}) {
  const boundary = "----gongzhi-evidence";
  const parts = Object.entries(fields).map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  const payload = Buffer.concat([
    Buffer.from(parts.join("")),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

async function upload(s: Session, fields: Record<string, string> = {}) {
  const res = await s.request({
    method: "POST",
    url: "/api/enterprise-files",
    ...multipart("现场.jpg", jpegWithGps(), fields),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; url: string };
}

/** The demo enterprise's inspections still due, most recently due first. */
async function dueInspections(): Promise<InspectionDetail[]> {
  const list = await enterprise.request({
    method: "GET",
    url: "/api/inspections?status=due&sort=-dueOn&limit=100",
  });
  expect(list.statusCode, list.body).toBe(200);
  return Promise.all(
    list
      .json()
      .items.map(async (i: { id: string }) =>
        (await enterprise.request({ method: "GET", url: `/api/inspections/${i.id}` })).json(),
      ),
  );
}

const allPass = (d: InspectionDetail) =>
  d.items.map((i) => ({ code: i.code, result: "pass" as const }));

describe("evidence files", () => {
  it("asks for a login, refuses wrong types (400) and files too large (413)", async () => {
    expect(
      (
        await t.app.inject({
          method: "POST",
          url: "/api/enterprise-files",
          ...multipart("a.jpg", jpegWithGps()),
        })
      ).statusCode,
    ).toBe(401);
    const text = await enterprise.request({
      method: "POST",
      url: "/api/enterprise-files",
      ...multipart("照片.jpg", Buffer.from("not really a picture, just text")),
    });
    expect(text.statusCode).toBe(400);
    expect(text.json().error.message).toContain("JPEG");
    const pdf = await enterprise.request({
      method: "POST",
      url: "/api/enterprise-files",
      ...multipart("整改.pdf", Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")),
    });
    expect(pdf.statusCode).toBe(400);
    const big = Buffer.concat([jpegWithGps(), Buffer.alloc(70 * 1024, 1)]);
    const tooLarge = await enterprise.request({
      method: "POST",
      url: "/api/enterprise-files",
      ...multipart("大.jpg", big),
    });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().error.id).toBe("payload_too_large");
  });

  it("stores a photo for the officer's enterprise and serves it to them, not to a resident", async () => {
    const f = await upload(enterprise);
    const got = await enterprise.request({ method: "GET", url: f.url });
    expect(got.statusCode).toBe(200);
    expect(got.headers["content-type"]).toBe("image/jpeg");
    expect((await resident.request({ method: "GET", url: f.url })).statusCode).toBe(403);
  });

  it("refuses an upload for an enterprise outside the caller's scope (404)", async () => {
    const other = await coordinator.request({
      method: "GET",
      url: "/api/organisations?kind=enterprise&limit=5",
    });
    const otherId = other.json().items.find((o: { id: string }) => o.id !== ownId).id;
    const res = await enterprise.request({
      method: "POST",
      url: "/api/enterprise-files",
      ...multipart("a.jpg", jpegWithGps(), { organisationId: otherId }),
    });
    expect(res.statusCode).toBe(404);
  });
});

describe("inspections", () => {
  it("asks for a login and shows an enterprise officer only their own", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/inspections" })).statusCode).toBe(401);
    const own = await enterprise.request({ method: "GET", url: "/api/inspections?limit=500" });
    expect(own.statusCode).toBe(200);
    expect(own.json().total).toBeGreaterThan(10);
    expect(
      new Set(own.json().items.map((i: { organisation: { id: string } }) => i.organisation.id)),
    ).toEqual(new Set([ownId]));
    const all = await coordinator.request({ method: "GET", url: "/api/inspections?limit=5" });
    expect(all.json().total).toBeGreaterThan(own.json().total);
    const foreign = all
      .json()
      .items.find((i: { organisation: { id: string } }) => i.organisation.id !== ownId);
    expect(
      (await enterprise.request({ method: "GET", url: `/api/inspections/${foreign.id}` }))
        .statusCode,
    ).toBe(404);
    expect(
      (await enterprise.request({ method: "GET", url: "/api/inspections?sort=x" })).statusCode,
    ).toBe(400);
  });

  it("has the current month's fire inspection due for the demo enterprise, submittable only by it", async () => {
    const due = await dueInspections();
    const fire = due.find((d) => d.template.code === "FIRE-MONTHLY" && !d.overdue);
    expect(fire).toBeDefined();
    expect(fire?.allowedActions).toEqual(["submit"]);
    const asCoordinator = await coordinator.request({
      method: "GET",
      url: `/api/inspections/${fire?.id}`,
    });
    expect(asCoordinator.json().allowedActions).toEqual([]);
    const refused = await coordinator.request({
      method: "POST",
      url: `/api/inspections/${fire?.id}/submit`,
      payload: { results: allPass(fire as InspectionDetail) },
    });
    expect(refused.statusCode).toBe(403);
  });

  it("refuses a submission with items missing, unknown, or failed without note and photo", async () => {
    const [d] = await dueInspections();
    if (!d) throw new Error("no due inspection");
    const url = `/api/inspections/${d.id}/submit`;
    const missing = await enterprise.request({
      method: "POST",
      url,
      payload: { results: allPass(d).slice(1) },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toContain("未填写");
    const unknown = await enterprise.request({
      method: "POST",
      url,
      payload: { results: [...allPass(d), { code: "ZZ9", result: "pass" }] },
    });
    expect(unknown.statusCode).toBe(400);
    const bare = allPass(d).map((r, n) => (n === 0 ? { ...r, result: "fail" as const } : r));
    const noEvidence = await enterprise.request({
      method: "POST",
      url,
      payload: { results: bare },
    });
    expect(noEvidence.statusCode).toBe(400);
    const paths = noEvidence.json().error.details.map((x: { path: string }) => x.path);
    expect(paths).toEqual(["body.results.0.note", "body.results.0.evidence"]);
    const badShape = await enterprise.request({
      method: "POST",
      url,
      payload: { results: [{ code: d.items[0]?.code, result: "maybe" }] },
    });
    expect(badShape.statusCode).toBe(400);
    const still = await enterprise.request({ method: "GET", url: `/api/inspections/${d.id}` });
    expect(still.json().status).toBe("due");
  });

  it("refuses a photo of another enterprise as evidence", async () => {
    const [d] = await dueInspections();
    if (!d) throw new Error("no due inspection");
    const other = await coordinator.request({
      method: "GET",
      url: "/api/organisations?kind=enterprise&limit=5",
    });
    const otherId = other.json().items.find((o: { id: string }) => o.id !== ownId).id;
    const foreignFile = await upload(coordinator, { organisationId: otherId });
    const results = allPass(d).map((r, n) =>
      n === 0
        ? { ...r, result: "fail" as const, note: "灭火器过期", evidence: [foreignFile.id] }
        : r,
    );
    const res = await enterprise.request({
      method: "POST",
      url: `/api/inspections/${d.id}/submit`,
      payload: { results },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe("body.results.0.evidence");
  });

  it("turns each failed item into a hazard with the submission, and refuses a second submission", async () => {
    const due = await dueInspections();
    const d = due.find((x) => x.items.some((i) => i.major) && x.items.some((i) => !i.major));
    if (!d) throw new Error("no inspection with major and general items");
    const major = d.items.find((i) => i.major)?.code as string;
    const general = d.items.find((i) => !i.major)?.code as string;
    const photo = await upload(enterprise);
    const results = d.items.map((i) =>
      i.code === major || i.code === general
        ? { code: i.code, result: "fail" as const, note: `${i.text}：不合格`, evidence: [photo.id] }
        : { code: i.code, result: "pass" as const },
    );
    const res = await enterprise.request({
      method: "POST",
      url: `/api/inspections/${d.id}/submit`,
      payload: { results },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as InspectionDetail;
    expect(body).toMatchObject({ status: "submitted", failedItems: 2, allowedActions: [] });
    expect(body.late).toBe(d.overdue);
    const failed = body.results?.filter((r) => r.result === "fail") ?? [];
    expect(failed.map((r) => r.evidence[0]?.id)).toEqual([photo.id, photo.id]);
    expect(failed.every((r) => r.hazardId !== null)).toBe(true);

    const hazards = await enterprise.request({
      method: "GET",
      url: `/api/hazards?source=inspection&sort=-createdAt&limit=2`,
    });
    const byItem = new Map(
      hazards.json().items.map((h: { itemCode: string }) => [h.itemCode, h] as const),
    );
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const plus = (n: number) =>
      new Date(Date.parse(`${today}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    expect(byItem.get(major)).toMatchObject({
      level: "major",
      status: "open",
      deadline: plus(60),
      inspectionId: d.id,
      allowedActions: ["plan"],
    });
    expect(byItem.get(general)).toMatchObject({ level: "general", deadline: plus(30) });
    const detail = await enterprise.request({
      method: "GET",
      url: `/api/hazards/${(byItem.get(general) as { id: string }).id}`,
    });
    expect(detail.json().foundEvidence[0].id).toBe(photo.id);
    expect(detail.json().timeline[0]).toMatchObject({ kind: "created", toStatus: "open" });

    const again = await enterprise.request({
      method: "POST",
      url: `/api/inspections/${d.id}/submit`,
      payload: { results: allPass(d) },
    });
    expect(again.statusCode).toBe(409);
    const after = await enterprise.request({ method: "GET", url: `/api/inspections/${d.id}` });
    expect(after.json().failedItems).toBe(2);
    const count = await t.database.db
      .selectFrom("hazards")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("inspection_id", "=", d.id)
      .executeTakeFirstOrThrow();
    expect(count.n).toBe(2);
  });

  it("writes nothing when a hazard cannot be written (one transaction)", async () => {
    const [d] = await dueInspections();
    if (!d) throw new Error("no due inspection");
    const code = d.items[0]?.code as string;
    // A hazard already recorded for that item makes the new one collide.
    const org = await t.database.db
      .selectFrom("organisations")
      .select(["area_path"])
      .where("id", "=", ownId)
      .executeTakeFirstOrThrow();
    await t.database.db
      .insertInto("hazards")
      .values({
        organisation_id: ownId,
        area_path: org.area_path,
        source: "inspection",
        inspection_id: d.id,
        item_code: code,
        level: "general",
        title: "占位",
        deadline: "2030-01-01",
      })
      .execute();
    const photo = await upload(enterprise);
    const results = allPass(d).map((r) =>
      r.code === code ? { ...r, result: "fail" as const, note: "不合格", evidence: [photo.id] } : r,
    );
    const res = await enterprise.request({
      method: "POST",
      url: `/api/inspections/${d.id}/submit`,
      payload: { results },
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(409);
    const row = await t.database.db
      .selectFrom("inspections")
      .select(["status", "failed_items", "results"])
      .where("id", "=", d.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "due", failed_items: 0, results: null });
    await t.database.db
      .deleteFrom("hazards")
      .where("inspection_id", "=", d.id)
      .where("title", "=", "占位")
      .execute();
  });

  it("records a late submission as late", async () => {
    const [d] = await dueInspections();
    if (!d) throw new Error("no due inspection");
    await t.database.db
      .updateTable("inspections")
      .set({ due_on: "2026-01-31" })
      .where("id", "=", d.id)
      .execute();
    const res = await enterprise.request({
      method: "POST",
      url: `/api/inspections/${d.id}/submit`,
      payload: { results: allPass(d) },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ late: true, failedItems: 0 });
    const late = await enterprise.request({
      method: "GET",
      url: "/api/inspections?late=true&limit=500",
    });
    expect(late.json().items.map((i: { id: string }) => i.id)).toContain(d.id);
  });
});

describe("checklist templates", () => {
  const body = {
    code: "TEST-WAREHOUSE",
    name: "仓库防火专项检查",
    topic: "fire",
    industries: ["物流仓储"],
    frequency: "monthly",
    items: [
      { code: "W1", text: "仓库内严禁吸烟，有明显标识", major: false },
      { code: "W2", text: "货物堆垛与灯具保持安全距离", major: true, guidance: "不少于 0.5 米" },
    ],
  };

  it("lets staff read, and only government write", async () => {
    expect(
      (await t.app.inject({ method: "GET", url: "/api/inspection-templates" })).statusCode,
    ).toBe(401);
    const list = await enterprise.request({ method: "GET", url: "/api/inspection-templates" });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((x: { code: string }) => x.code)).toContain("FIRE-MONTHLY");
    expect(list.json().items[0].allowedActions).toEqual([]);
    expect(
      (
        await enterprise.request({
          method: "POST",
          url: "/api/inspection-templates",
          payload: body,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await resident.request({ method: "GET", url: "/api/inspection-templates" })).statusCode,
    ).toBe(403);
  });

  it("refuses bad templates: duplicate item codes, no items, a bad topic", async () => {
    for (const bad of [
      { ...body, items: [body.items[0], body.items[0]] },
      { ...body, items: [] },
      { ...body, topic: "weather" },
      { ...body, code: "bad code" },
    ]) {
      const res = await officer.request({
        method: "POST",
        url: "/api/inspection-templates",
        payload: bad,
      });
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
    }
  });

  it("creates a template, schedules it for the enterprises it applies to, versions edits, deactivates", async () => {
    const created = await officer.request({
      method: "POST",
      url: "/api/inspection-templates",
      payload: body,
    });
    expect(created.statusCode, created.body).toBe(201);
    const tpl = created.json();
    expect(tpl).toMatchObject({ version: 1, active: true, allowedActions: ["edit", "deactivate"] });
    const scheduled = await t.database.db
      .selectFrom("inspections as i")
      .innerJoin("organisations as o", "o.id", "i.organisation_id")
      .select(["o.industry", "i.items", "i.template_version"])
      .where("i.template_id", "=", tpl.id)
      .execute();
    expect(scheduled.length).toBeGreaterThan(0);
    expect(new Set(scheduled.map((s) => s.industry))).toEqual(new Set(["物流仓储"]));

    const dup = await officer.request({
      method: "POST",
      url: "/api/inspection-templates",
      payload: body,
    });
    expect(dup.statusCode).toBe(409);

    const { code: _code, ...fields } = body;
    const edit = {
      ...fields,
      version: 1,
      items: [...body.items, { code: "W3", text: "电动叉车在指定区域充电", major: false }],
    };
    const updated = await coordinator.request({
      method: "PUT",
      url: `/api/inspection-templates/${tpl.id}`,
      payload: edit,
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toMatchObject({ version: 2 });
    expect(updated.json().items).toHaveLength(3);
    const stale = await coordinator.request({
      method: "PUT",
      url: `/api/inspection-templates/${tpl.id}`,
      payload: edit,
    });
    expect(stale.statusCode).toBe(409);
    // Inspections already made keep the items they were made with.
    const kept = await t.database.db
      .selectFrom("inspections")
      .select(["items", "template_version"])
      .where("template_id", "=", tpl.id)
      .executeTakeFirstOrThrow();
    expect(kept.items).toHaveLength(2);
    expect(kept.template_version).toBe(1);

    const off = await officer.request({
      method: "POST",
      url: `/api/inspection-templates/${tpl.id}/deactivate`,
      payload: { version: 2 },
    });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ active: false, allowedActions: ["edit", "activate"] });
    const twice = await officer.request({
      method: "POST",
      url: `/api/inspection-templates/${tpl.id}/deactivate`,
      payload: { version: 3 },
    });
    expect(twice.statusCode).toBe(409);
    expect(
      (await officer.request({ method: "GET", url: "/api/inspection-templates/999999" }))
        .statusCode,
    ).toBe(404);
  });
  it("switches the inspections not yet submitted to a new version on request; a form filled against the old one is refused", async () => {
    const created = await coordinator.request({
      method: "POST",
      url: "/api/inspection-templates",
      payload: {
        code: "DORM-CHARGE",
        name: "宿舍电动车充电专项检查",
        topic: "dormitory",
        industries: [],
        frequency: "monthly",
        items: [{ code: "C1", text: "宿舍楼内无电动车及电瓶", major: true }],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const tpl = created.json();
    const mine = async () => {
      const list = await enterprise.request({
        method: "GET",
        url: "/api/inspections?status=due&limit=100",
      });
      const item = list
        .json()
        .items.find((x: { template: { id: string } }) => x.template.id === tpl.id);
      return (
        await enterprise.request({ method: "GET", url: `/api/inspections/${item.id}` })
      ).json() as InspectionDetail;
    };
    const before = await mine();
    expect(before.templateVersion).toBe(1);

    const edit = (version: number, applyToDue?: boolean) =>
      coordinator.request({
        method: "PUT",
        url: `/api/inspection-templates/${tpl.id}`,
        payload: {
          name: tpl.name,
          topic: tpl.topic,
          industries: [],
          frequency: "monthly",
          version,
          ...(applyToDue === undefined ? {} : { applyToDue }),
          items: [
            ...tpl.items,
            ...(version === 1
              ? [{ code: "C2", text: "集中充电区设有自动断电装置", major: false }]
              : []),
            ...(version === 2
              ? [
                  { code: "C2", text: "集中充电区设有自动断电装置", major: false },
                  { code: "C3", text: "充电区配备灭火器", major: false },
                ]
              : []),
          ],
        },
      });
    const v2 = await edit(1, true);
    expect(v2.statusCode, v2.body).toBe(200);
    expect(v2.json().version).toBe(2);
    expect(v2.json().refreshedInspections).toBeGreaterThan(0);
    const after = await mine();
    expect(after.id).toBe(before.id);
    expect(after.templateVersion).toBe(2);
    expect(after.items.map((i) => i.code)).toEqual(["C1", "C2"]);

    // A form filled in against version 1: refused with the reason, nothing written.
    const stale = await enterprise.request({
      method: "POST",
      url: `/api/inspections/${after.id}/submit`,
      payload: { templateVersion: 1, results: allPass(before) },
    });
    expect(stale.statusCode, stale.body).toBe(409);
    expect(stale.json().error.message).toContain("第 2 版");
    expect((await mine()).status).toBe("due");
    const done = await enterprise.request({
      method: "POST",
      url: `/api/inspections/${after.id}/submit`,
      payload: { templateVersion: 2, results: allPass(after) },
    });
    expect(done.statusCode, done.body).toBe(200);

    // Version 3: the submitted inspection keeps what it was filled in with.
    const v3 = await edit(2, true);
    expect(v3.statusCode, v3.body).toBe(200);
    const kept = (
      await enterprise.request({ method: "GET", url: `/api/inspections/${after.id}` })
    ).json();
    expect(kept).toMatchObject({ templateVersion: 2, status: "submitted" });
    expect(kept.items).toHaveLength(2);
    // Without applyToDue (the default), nothing due moves.
    const v4 = await edit(3);
    expect(v4.statusCode, v4.body).toBe(200);
    expect(v4.json().refreshedInspections).toBe(0);
    const still = await t.database.db
      .selectFrom("inspections")
      .select(["template_version"])
      .where("template_id", "=", tpl.id)
      .where("status", "=", "due")
      .execute();
    expect(still.length).toBeGreaterThan(0);
    expect(still.every((r) => r.template_version === 3)).toBe(true);
    await coordinator.request({
      method: "POST",
      url: `/api/inspection-templates/${tpl.id}/deactivate`,
      payload: { version: 4 },
    });
  });
});

describe("scheduling", () => {
  it("creates the next period's inspections once, even when run twice at the same time", async () => {
    const next = new Date(Date.UTC(new Date().getUTCFullYear() + 1, 0, 15));
    const before = await t.database.db
      .selectFrom("inspections")
      .select(sql<number>`count(*)::int`.as("n"))
      .executeTakeFirstOrThrow();
    const [a, b] = await Promise.all([
      scheduleInspections(t.database.db, next),
      scheduleInspections(t.database.db, next),
    ]);
    expect(a + b).toBeGreaterThan(0);
    const after = await t.database.db
      .selectFrom("inspections")
      .select(sql<number>`count(*)::int`.as("n"))
      .executeTakeFirstOrThrow();
    expect(after.n - before.n).toBe(a + b);
    expect(await scheduleInspections(t.database.db, next)).toBe(0);
    const jan = await t.database.db
      .selectFrom("inspections as i")
      .innerJoin("checklist_templates as t", "t.id", "i.template_id")
      .select(["i.period", "i.due_on", "t.frequency"])
      .where("i.due_on", ">", `${next.getUTCFullYear()}-01-01`)
      .execute();
    for (const i of jan)
      expect([i.period, i.due_on]).toEqual(
        i.frequency === "monthly"
          ? [`${next.getUTCFullYear()}-01`, `${next.getUTCFullYear()}-01-31`]
          : [`${next.getUTCFullYear()}-Q1`, `${next.getUTCFullYear()}-03-31`],
      );
  });
});
