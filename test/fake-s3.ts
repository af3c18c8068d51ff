/**
 * A fake S3 for tests: s3rver (files in a temp folder) on a random loopback
 * port, with one bucket. s3rver 3 checks only the access key id of a SigV4
 * request, not its signature, so a small SigV4 check written here from AWS's
 * specification sits in front of it: a request signed with another secret is
 * refused with 403 SignatureDoesNotMatch, as a real store refuses it.
 */
import { createHash, createHmac } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import S3rver from "s3rver";

export interface FakeS3 {
  endpoint: string;
  bucket: string;
  region: string;
  /** s3rver's built-in account */
  accessKeyId: string;
  secretAccessKey: string;
  /** the objects' folder on disk */
  directory: string;
  close(): Promise<void>;
}

const ACCESS_KEY_ID = "S3RVER";
const SECRET = "S3RVER";

const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
const hmac = (key: Buffer | string, data: string) =>
  createHmac("sha256", key).update(data).digest();

/** The signature this request should carry (AWS SigV4, S3 flavour: the path encoded once). */
function expectedSignature(req: http.IncomingMessage, secret: string) {
  const auth = req.headers.authorization ?? "";
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/.exec(
      auth,
    );
  if (!m) return null;
  const [, credential = "", signedHeaders = "", signature = ""] = m;
  const [, date = "", region = "", service = ""] = credential.split("/");
  const url = new URL(req.url ?? "/", "http://fake");
  const canonicalUri = url.pathname
    .split("/")
    .map((s) => rfc3986(decodeURIComponent(s)))
    .join("/");
  const canonicalQuery = [...url.searchParams]
    .map(([k, v]) => [rfc3986(k), rfc3986(v)])
    .sort(([a = "", x = ""], [b = "", y = ""]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const header = (name: string) => {
    const v = req.headers[name];
    return (Array.isArray(v) ? v.join(",") : (v ?? "")).trim().replace(/\s+/g, " ");
  };
  const names = signedHeaders.split(";");
  const canonicalRequest = [
    req.method,
    canonicalUri,
    canonicalQuery,
    `${names.map((n) => `${n}:${header(n)}`).join("\n")}\n`,
    signedHeaders,
    header("x-amz-content-sha256"),
  ].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = [
    "AWS4-HMAC-SHA256",
    header("x-amz-date"),
    scope,
    createHash("sha256").update(canonicalRequest).digest("hex"),
  ].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), "aws4_request");
  return { given: signature, expected: hmac(key, stringToSign).toString("hex") };
}

export async function startFakeS3(bucket = "gongzhi"): Promise<FakeS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "gongzhi-s3-"));
  const s3 = new S3rver({
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  await s3.configureBuckets();
  const handle = s3.getMiddleware();
  const server = http.createServer((req, res) => {
    const sig = expectedSignature(req, SECRET);
    if (sig && sig.given !== sig.expected) {
      res.writeHead(403, { "content-type": "application/xml" });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error>`,
      );
      return;
    }
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    region: "us-east-1",
    accessKeyId: ACCESS_KEY_ID,
    secretAccessKey: SECRET,
    directory,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
