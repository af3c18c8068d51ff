import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jpegWithGps, multipartFile } from "../../../../test/images.js";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import { type Boundary, boundaryInteriorPoint } from "../geo/geometry.js";

let t: TestApp;
let proposer: Session;
let other: Session;
let place = { lat: 0, lng: 0 };
const MAX = 64 * 1024;

const get = (s: Session, url: string) => s.request({ method: "GET", url });
const upload = (s: Session, id: string, name = "路口.jpg", bytes = jpegWithGps()) =>
  s.request({ method: "POST", url: `/api/proposals/${id}/photos`, ...multipartFile(name, bytes) });
const remove = (s: Session, id: string, photoId: string) =>
  s.request({ method: "DELETE", url: `/api/proposals/${id}/photos/${photoId}` });

/** The files stored for a proposal (an original and a public copy per photo with metadata). */
const filesOf = (id: string) => {
  const dir = path.join(t.config.dataDir, "files", "proposals", id);
  return fs.existsSync(dir) ? fs.readdirSync(dir).length : 0;
};

let seq = 0;
async function newProposal() {
  const r = await proposer.request({
    method: "POST",
    url: "/api/proposals",
    payload: {
      title: `巷口加装路灯 ${++seq}`,
      body: "巷口晚上没有灯，下夜班回来很黑，希望加装路灯。",
      topic: "public_order",
      ...place,
    },
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; version: number };
}

beforeAll(async () => {
  t = await createTestApp({ env: { ATTACHMENT_MAX_BYTES: String(MAX) } });
  [proposer, other] = await Promise.all([login(t.app, "resident2"), login(t.app, "resident")]);
  const ctx = (await get(proposer, "/api/proposals/context")).json();
  const area = (
    await get(await login(t.app, "coordinator"), `/api/areas/${ctx.community.code}`)
  ).json();
  const [lng, lat] = boundaryInteriorPoint(area.boundary as Boundary);
  place = { lat, lng };
});
afterAll(() => t.close());

describe("proposal photos", () => {
  it("answers 401 without a session and 404 for a proposal that does not exist", async () => {
    for (const [method, url] of [
      ["POST", "/api/proposals/1/photos"],
      ["GET", "/api/proposals/1/photos/1"],
      ["DELETE", "/api/proposals/1/photos/1"],
    ] as const)
      expect((await t.app.inject({ method, url })).statusCode, `${method} ${url}`).toBe(401);
    expect((await upload(proposer, "99999999")).statusCode).toBe(404);
    expect((await get(other, "/api/proposals/99999999/photos/1")).statusCode).toBe(404);
  });

  it("takes the proposer's photo and shows everyone a copy without GPS", async () => {
    const p = await newProposal();
    const up = await upload(proposer, p.id);
    expect(up.statusCode, up.body).toBe(201);
    const photo = up.json();
    expect(photo).toMatchObject({ mime: "image/jpeg", filename: "路口.jpg" });
    expect(photo.url).toBe(`/api/proposals/${p.id}/photos/${photo.id}`);

    for (const s of [other, proposer]) {
      const img = await get(s, photo.url);
      expect(img.statusCode).toBe(200);
      expect(img.headers["content-type"]).toBe("image/jpeg");
      expect(img.rawPayload.subarray(0, 2).equals(Buffer.from([0xff, 0xd8]))).toBe(true);
      expect(img.rawPayload.includes(Buffer.from("GPSLatitude"))).toBe(false);
    }
    // The original, with its GPS, is kept but never sent.
    const row = await t.database.db
      .selectFrom("proposal_photos")
      .selectAll()
      .where("id", "=", photo.id)
      .executeTakeFirstOrThrow();
    expect(row.storage_key).not.toBe(row.public_key);

    const mine = (await get(proposer, `/api/proposals/${p.id}`)).json();
    expect(mine.photos).toEqual([photo]);
    expect(mine).toMatchObject({ mayAddPhotos: true, mayRemovePhotos: true });
    expect(mine.timeline.at(-1)).toMatchObject({ action: "add_photo", note: "添加照片：路口.jpg" });
    const theirs = (await get(other, `/api/proposals/${p.id}`)).json();
    expect(theirs.photos).toHaveLength(1);
    expect(theirs).toMatchObject({ mayAddPhotos: false, mayRemovePhotos: false });
    const audit = await t.database.db
      .selectFrom("audit_log")
      .select("action")
      .where("subject_type", "=", "proposal")
      .where("subject_id", "=", p.id)
      .execute();
    expect(audit.map((a) => a.action)).toContain("proposal.photo_added");
  });

  it("refuses a wrong type (400), a file too large (413), a fifth photo (400) and others (403)", async () => {
    const p = await newProposal();
    const text = await upload(proposer, p.id, "假图片.jpg", Buffer.from("this is not an image"));
    expect(text.statusCode).toBe(400);
    expect(text.json().error.message).toContain("只接受 JPEG、PNG 或 WebP 图片");
    const pdf = await upload(proposer, p.id, "方案.pdf", Buffer.from("%PDF-1.4\n%âãÏÓ\n1 0 obj\n"));
    expect(pdf.statusCode).toBe(400);
    const big = Buffer.concat([jpegWithGps(), Buffer.alloc(MAX + 1)]);
    const tooLarge = await upload(proposer, p.id, "大图.jpg", big);
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().error).toMatchObject({ id: "payload_too_large" });
    expect(tooLarge.json().error.message).toContain("文件过大");
    expect((await upload(other, p.id)).statusCode).toBe(403);
    const notMultipart = await proposer.request({
      method: "POST",
      url: `/api/proposals/${p.id}/photos`,
      payload: { file: "x" },
    });
    expect(notMultipart.statusCode).toBe(400);

    for (let i = 1; i <= 4; i++)
      expect((await upload(proposer, p.id, `${i}.jpg`)).statusCode, `photo ${i}`).toBe(201);
    const fifth = await upload(proposer, p.id, "5.jpg");
    expect(fifth.statusCode).toBe(400);
    expect(fifth.json().error.message).toContain("最多 4 张照片");
    const d = (await get(proposer, `/api/proposals/${p.id}`)).json();
    expect(d.photos).toHaveLength(4);
    expect(d.mayAddPhotos).toBe(false);
    // Nothing refused was stored.
    const n = await t.database.db
      .selectFrom("proposal_photos")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("proposal_id", "=", p.id)
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(4);
    expect(filesOf(p.id)).toBe(8);
  });

  it("lets only the proposer remove a photo, and only while the proposal collects support", async () => {
    const p = await newProposal();
    const a = (await upload(proposer, p.id, "a.jpg")).json();
    const b = (await upload(proposer, p.id, "b.jpg")).json();
    expect((await remove(other, p.id, a.id)).statusCode).toBe(403);
    const other2 = await newProposal();
    expect((await remove(proposer, other2.id, a.id)).statusCode, "wrong proposal").toBe(404);
    const gone = await remove(proposer, p.id, a.id);
    expect(gone.statusCode, gone.body).toBe(200);
    expect(gone.json()).toEqual({ removed: a.id });
    expect((await get(other, a.url)).statusCode).toBe(404);
    // Its files went with it.
    expect(filesOf(p.id)).toBe(2);
    expect((await remove(proposer, p.id, a.id)).statusCode).toBe(404);
    const d = (await get(proposer, `/api/proposals/${p.id}`)).json();
    expect(d.photos.map((x: { id: string }) => x.id)).toEqual([b.id]);
    expect(d.timeline.at(-1)).toMatchObject({ action: "remove_photo", note: "删除照片：a.jpg" });

    // Sent to the department: the photos are fixed (still shown).
    await sql`UPDATE proposals SET status = 'submitted', submitted_at = now(),
      answer_due_at = now() + interval '10 days',
      department_id = (SELECT id FROM departments ORDER BY id LIMIT 1)
      WHERE id = ${p.id}::bigint`.execute(t.database.db);
    const late = await upload(proposer, p.id, "c.jpg");
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toContain("不能再添加照片");
    expect((await remove(proposer, p.id, b.id)).statusCode).toBe(409);
    const after = (await get(other, `/api/proposals/${p.id}`)).json();
    expect(after.photos).toHaveLength(1);
    expect(after).toMatchObject({ mayAddPhotos: false, mayRemovePhotos: false });
    expect((await get(other, b.url)).statusCode).toBe(200);
  });
});
