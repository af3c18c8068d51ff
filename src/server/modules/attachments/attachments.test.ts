import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jpegWithGps } from "../../../../test/images.js";
import { pointInDemoGrid } from "../../../../test/places.js";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";

let t: TestApp;
let resident: Session;
let officer: Session;
let here: { lat: number; lng: number };

beforeAll(async () => {
  t = await createTestApp({ env: { ATTACHMENT_MAX_BYTES: String(64 * 1024) } });
  [resident, officer] = await Promise.all([login(t.app, "resident"), login(t.app, "officer")]);
  here = await pointInDemoGrid(t.app);
});
afterAll(() => t.close());

function multipart(filename: string, content: Buffer, fields: Record<string, string> = {}) {
  const boundary = "----gongzhi-attachment";
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

async function newCase(s: Session | null) {
  const opts = {
    method: "POST" as const,
    url: "/api/cases",
    payload: {
      categoryCode: "theft_fraud.theft",
      description: "车棚里的电瓶被偷了，拍了照片",
      ...here,
    },
  };
  const res = s ? await s.request(opts) : await t.app.inject(opts);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; tracking?: { secret: string } };
}

describe("attachments", () => {
  it("takes the reporter's photo, gives staff the original and the reporter a copy without GPS", async () => {
    const c = await newCase(resident);
    const m = multipart("现场.jpg", jpegWithGps());
    const up = await resident.request({
      method: "POST",
      url: `/api/cases/${c.id}/attachments`,
      ...m,
    });
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json()).toMatchObject({
      mime: "image/jpeg",
      visibility: "public",
      filename: "现场.jpg",
    });
    const id = up.json().id;
    const asStaff = await officer.request({
      method: "GET",
      url: `/api/cases/${c.id}/attachments/${id}`,
    });
    expect(asStaff.statusCode).toBe(200);
    expect(asStaff.headers["content-type"]).toBe("image/jpeg");
    expect(asStaff.rawPayload.includes(Buffer.from("GPSLatitude"))).toBe(true);
    const asReporter = await resident.request({
      method: "GET",
      url: `/api/cases/${c.id}/attachments/${id}`,
    });
    expect(asReporter.rawPayload.includes(Buffer.from("GPSLatitude"))).toBe(false);
    const detail = (await resident.request({ method: "GET", url: `/api/cases/${c.id}` })).json();
    expect(detail.timeline.at(-1)).toMatchObject({ action: "attach", visibility: "public" });
    const audit = await t.database.db
      .selectFrom("audit_log")
      .select("action")
      .where("subject_id", "=", c.id)
      .where("action", "=", "case.attachment_added")
      .execute();
    expect(audit).toHaveLength(1);
  });

  it("keeps staff's internal files from the reporter", async () => {
    const c = await newCase(resident);
    const pdf = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
    const m = multipart("笔录.pdf", pdf, { visibility: "internal" });
    const up = await officer.request({
      method: "POST",
      url: `/api/cases/${c.id}/attachments`,
      ...m,
    });
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json().visibility).toBe("internal");
    const mine = (
      await resident.request({ method: "GET", url: `/api/cases/${c.id}/attachments` })
    ).json();
    expect(mine.total).toBe(0);
    const staff = (
      await officer.request({ method: "GET", url: `/api/cases/${c.id}/attachments` })
    ).json();
    expect(staff.total).toBe(1);
    expect(
      (
        await resident.request({
          method: "GET",
          url: `/api/cases/${c.id}/attachments/${up.json().id}`,
        })
      ).statusCode,
    ).toBe(404);
  });

  it("refuses what is not a photo or PDF by its content, an empty or oversize file, and strangers", async () => {
    const c = await newCase(resident);
    const post = (s: Session, name: string, bytes: Buffer) =>
      s.request({
        method: "POST",
        url: `/api/cases/${c.id}/attachments`,
        ...multipart(name, bytes),
      });
    const fake = await post(resident, "photo.jpg", Buffer.from("just some text, not a picture"));
    expect(fake.statusCode).toBe(400);
    expect(fake.json().error.message).toContain("只接受");
    expect((await post(resident, "empty.jpg", Buffer.alloc(0))).statusCode).toBe(400);
    const big = Buffer.concat([jpegWithGps(), Buffer.alloc(70 * 1024)]);
    const tooBig = await post(resident, "big.jpg", big);
    expect(tooBig.statusCode).toBe(400);
    expect(tooBig.json().error.message).toContain("文件过大");
    const enterprise = await login(t.app, "enterprise");
    expect((await post(enterprise, "x.jpg", jpegWithGps())).statusCode).toBe(404);
    expect(
      (await t.app.inject({ method: "GET", url: `/api/cases/${c.id}/attachments` })).statusCode,
    ).toBe(401);
    expect(
      (await resident.request({ method: "GET", url: `/api/cases/${c.id}/attachments` })).json()
        .total,
    ).toBe(0);
  });

  it("lets an anonymous reporter add a photo with the tracking secret", async () => {
    const c = await newCase(null);
    const secret = c.tracking?.secret as string;
    const m = multipart("夜里.jpg", jpegWithGps());
    const up = await t.app.inject({
      method: "POST",
      url: `/api/cases/${c.id}/attachments`,
      payload: m.payload,
      headers: { ...m.headers, "x-tracking-secret": secret },
    });
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json().uploadedBy).toBe("匿名群众");
    const wrong = await t.app.inject({
      method: "GET",
      url: `/api/cases/${c.id}/attachments`,
      headers: { "x-tracking-secret": "guess" },
    });
    expect(wrong.statusCode).toBe(404);
  });
});
