import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type FakeS3, startFakeS3 } from "../../../../test/fake-s3.js";
import { jpegWithGps } from "../../../../test/images.js";
import { pointInDemoGrid } from "../../../../test/places.js";
import { createTestApp, login } from "../../../../test/test-app.js";
import { loadConfig } from "../../config.js";
import { S3FileStore, S3RequestError } from "./s3-file-store.js";

let s3: FakeS3;
let store: S3FileStore;
beforeAll(async () => {
  s3 = await startFakeS3();
  store = new S3FileStore({ ...s3, prefix: "gongzhi-test" });
});
afterAll(() => s3?.close());

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)));
}

describe("S3FileStore", () => {
  it("puts, gets and removes binary data under the prefix", async () => {
    const bytes = randomBytes(256 * 1024);
    bytes[0] = 0;
    bytes[1] = 0xff;
    await store.put("cases/1/a1b2.jpg", bytes);
    // The object sits at bucket/prefix/key on the fake store's disk.
    expect(listFiles(s3.directory).some((f) => f.includes("gongzhi-test/cases/1/a1b2.jpg"))).toBe(
      true,
    );
    expect((await store.get("cases/1/a1b2.jpg")).equals(bytes)).toBe(true);
    // Overwrite, then an empty object.
    await store.put("cases/1/a1b2.jpg", Buffer.from("second"));
    expect((await store.get("cases/1/a1b2.jpg")).toString()).toBe("second");
    await store.put("cases/1/empty.pdf", Buffer.alloc(0));
    expect((await store.get("cases/1/empty.pdf")).length).toBe(0);
    await store.remove("cases/1/a1b2.jpg");
    await store.remove("cases/1/empty.pdf");
    await expect(store.get("cases/1/a1b2.jpg")).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("keeps keys with characters that need escaping apart", async () => {
    const keys = ["cases/2/附件 (1).pdf", "cases/2/a+b=c&d.pdf", "cases/2/it's*.pdf"];
    for (const [i, k] of keys.entries()) await store.put(k, Buffer.from(`file ${i}`));
    for (const [i, k] of keys.entries()) expect((await store.get(k)).toString()).toBe(`file ${i}`);
  });

  it("answers a missing object the way LocalFileStore does: get rejects with ENOENT, remove succeeds", async () => {
    const err = await store.get("cases/3/never-written.jpg").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(S3RequestError);
    expect(err).toMatchObject({ status: 404, code: "ENOENT" });
    await expect(store.remove("cases/3/never-written.jpg")).resolves.toBeUndefined();
  });

  it("refuses keys that would leave their place", async () => {
    for (const bad of ["", "cases/../x", "cases/./x", "/cases/x", "cases//x"])
      await expect(store.put(bad, Buffer.from("x"))).rejects.toThrow("bad file key");
  });

  it("turns a refusal into an error with the status and S3's code", async () => {
    const noBucket = new S3FileStore({ ...s3, bucket: "no-such-bucket" });
    // A missing bucket is a misconfiguration, not a missing file.
    await expect(noBucket.get("cases/1/x.jpg")).rejects.toMatchObject({
      status: 404,
      code: "NoSuchBucket",
    });
    await expect(noBucket.put("cases/1/x.jpg", Buffer.from("x"))).rejects.toThrow(
      /404 NoSuchBucket/,
    );
  });

  it("puts the bucket in the host name when path style is off (Aliyun OSS)", async () => {
    // s3rver answers path style only: this checks the request that would go out.
    const seen: Request[] = [];
    vi.stubGlobal("fetch", async (req: Request) => {
      seen.push(req);
      return new Response(null, { status: 200 });
    });
    try {
      const oss = new S3FileStore({
        endpoint: "https://oss-cn-shanghai.aliyuncs.com",
        bucket: "gongzhi",
        region: "oss-cn-shanghai",
        accessKeyId: "id",
        secretAccessKey: "secret",
        prefix: "files",
        pathStyle: false,
      });
      await oss.put("cases/1/a.jpg", Buffer.from("x"));
    } finally {
      vi.unstubAllGlobals();
    }
    expect(seen.map((r) => [r.method, r.url])).toEqual([
      ["PUT", "https://gongzhi.oss-cn-shanghai.aliyuncs.com/files/cases/1/a.jpg"],
    ]);
    expect(seen[0]?.headers.get("authorization")).toMatch(
      /^AWS4-HMAC-SHA256 Credential=id\/\d{8}\/oss-cn-shanghai\/s3\/aws4_request, SignedHeaders=[^,]*host/,
    );
  });

  it("is refused with a wrong secret key or an unknown key id", async () => {
    // s3rver itself checks only the key id; test/fake-s3.ts checks the SigV4 signature.
    const wrongSecret = new S3FileStore({ ...s3, secretAccessKey: "not-the-secret" });
    await expect(wrongSecret.put("cases/4/x.jpg", Buffer.from("x"))).rejects.toMatchObject({
      status: 403,
      code: "SignatureDoesNotMatch",
    });
    await expect(wrongSecret.get("cases/4/x.jpg")).rejects.toMatchObject({
      status: 403,
      code: "SignatureDoesNotMatch",
    });
    const unknownKey = new S3FileStore({ ...s3, accessKeyId: "NOBODY" });
    await expect(unknownKey.get("cases/4/x.jpg")).rejects.toMatchObject({
      status: 403,
      code: "InvalidAccessKeyId",
    });
    // Nothing was written by the refused put.
    await expect(store.get("cases/4/x.jpg")).rejects.toMatchObject({ code: "ENOENT" });
  });
});

describe("FILE_STORE=s3 configuration", () => {
  it("names each missing setting", () => {
    expect(() => loadConfig({ FILE_STORE: "s3", S3_ENDPOINT: "http://127.0.0.1:9000" })).toThrow(
      /S3_BUCKET: required when FILE_STORE=s3[\s\S]*S3_ACCESS_KEY_ID: required[\s\S]*S3_SECRET_ACCESS_KEY: required/,
    );
    expect(() =>
      loadConfig({
        FILE_STORE: "s3",
        S3_ENDPOINT: "http://127.0.0.1:9000",
        S3_BUCKET: "gongzhi",
        S3_ACCESS_KEY_ID: "id",
        S3_SECRET_ACCESS_KEY: "",
      }),
    ).toThrow(/S3_SECRET_ACCESS_KEY: required when FILE_STORE=s3/);
  });

  it("reads the settings, with the region's default and a tidied prefix", () => {
    const c = loadConfig({
      FILE_STORE: "s3",
      S3_ENDPOINT: "http://127.0.0.1:9000/",
      S3_BUCKET: "gongzhi",
      S3_ACCESS_KEY_ID: "id",
      S3_SECRET_ACCESS_KEY: "secret",
      S3_PREFIX: "/prod/files/",
    });
    expect(c.fileStore).toEqual({
      kind: "s3",
      endpoint: "http://127.0.0.1:9000",
      bucket: "gongzhi",
      region: "us-east-1",
      accessKeyId: "id",
      secretAccessKey: "secret",
      prefix: "prod/files",
      pathStyle: true,
    });
    expect(loadConfig({}).fileStore).toEqual({ kind: "local" });
    expect(() => loadConfig({ FILE_STORE: "s3", S3_PREFIX: "a/../b" })).toThrow(/S3_PREFIX/);
  });
});

describe("attachments over HTTP with FILE_STORE=s3", () => {
  it("uploads a photo into the bucket and downloads it again", async () => {
    const t = await createTestApp({
      env: {
        FILE_STORE: "s3",
        S3_ENDPOINT: s3.endpoint,
        S3_BUCKET: s3.bucket,
        S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
        S3_PREFIX: "http-test",
      },
    });
    try {
      const [resident, officer] = await Promise.all([
        login(t.app, "resident"),
        login(t.app, "officer"),
      ]);
      const created = await resident.request({
        method: "POST",
        url: "/api/cases",
        payload: {
          categoryCode: "theft_fraud.theft",
          description: "车棚里的电瓶被偷了，拍了照片",
          ...(await pointInDemoGrid(t.app)),
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      const caseId = created.json().id as string;
      const photo = jpegWithGps();
      const boundary = "----gongzhi-s3";
      const up = await resident.request({
        method: "POST",
        url: `/api/cases/${caseId}/attachments`,
        headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
        payload: Buffer.concat([
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="现场.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
          ),
          photo,
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]),
      });
      expect(up.statusCode, up.body).toBe(201);
      const row = await t.database.db
        .selectFrom("case_attachments")
        .select(["storage_key", "public_key"])
        .where("id", "=", up.json().id)
        .executeTakeFirstOrThrow();
      // Both copies went to the bucket, not to DATA_DIR.
      const inBucket = listFiles(s3.directory);
      for (const key of [row.storage_key, row.public_key])
        expect(inBucket.some((f) => f.includes(`http-test/${key}`))).toBe(true);
      expect(fs.existsSync(path.join(t.config.dataDir, "files"))).toBe(false);

      const asStaff = await officer.request({
        method: "GET",
        url: `/api/cases/${caseId}/attachments/${up.json().id}`,
      });
      expect(asStaff.statusCode).toBe(200);
      expect(asStaff.headers["content-type"]).toBe("image/jpeg");
      expect(asStaff.rawPayload.equals(photo)).toBe(true);
      const asReporter = await resident.request({
        method: "GET",
        url: `/api/cases/${caseId}/attachments/${up.json().id}`,
      });
      expect(asReporter.statusCode).toBe(200);
      expect(asReporter.rawPayload.includes(Buffer.from("GPSLatitude"))).toBe(false);
    } finally {
      await t.close();
    }
  });
});
