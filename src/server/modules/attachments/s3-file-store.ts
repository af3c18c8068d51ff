/**
 * Attachment bytes in an S3-compatible bucket (AWS, MinIO, Ceph, Aliyun OSS in
 * S3 mode), signed with SigV4 by aws4fetch. URLs are path-style by default
 * (`{endpoint}/{bucket}/{prefix}/{key}`), so self-hosted stores work without
 * wildcard DNS; stores that accept only virtual-hosted style (Aliyun OSS)
 * get `{bucket}.{endpoint host}/{prefix}/{key}`. A refusal becomes an `S3RequestError` with the HTTP status and
 * the S3 error code; a missing object on `get` rejects with code `ENOENT`, as
 * LocalFileStore's read does, and `remove` of a missing object succeeds, as
 * LocalFileStore's does.
 */
import { createHash } from "node:crypto";
import { AwsClient } from "aws4fetch";
import type { FileStore } from "./file-store.js";

export interface S3StoreOptions {
  /** e.g. http://127.0.0.1:9000 or https://s3.eu-central-1.amazonaws.com */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** a folder inside the bucket for our keys ("" for none) */
  prefix?: string;
  /** bucket in the path (default), or false: in the host name */
  pathStyle?: boolean;
  /** per call, retries included (default 30 s) */
  timeoutMs?: number;
}

/** A request the store refused: `code` is S3's (AccessDenied …), or ENOENT for a missing object. */
export class S3RequestError extends Error {
  override readonly name = "S3RequestError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** RFC 3986 escaping, which SigV4 signs (encodeURIComponent leaves !'()* alone). */
const encodeSegment = (s: string) =>
  encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

const xmlText = (xml: string, tag: string) =>
  new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1]?.trim() ?? "";

export class S3FileStore implements FileStore {
  private readonly client: AwsClient;
  private readonly base: string;
  private readonly prefix: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: S3StoreOptions) {
    this.client = new AwsClient({
      accessKeyId: options.accessKeyId,
      secretAccessKey: options.secretAccessKey,
      service: "s3",
      region: options.region,
      // 5xx and 429 are retried with backoff; a few tries, not aws4fetch's ten.
      retries: 3,
    });
    const endpoint = options.endpoint.replace(/\/+$/, "");
    if (options.pathStyle === false) {
      const u = new URL(endpoint);
      u.hostname = `${options.bucket}.${u.hostname}`;
      this.base = u.toString().replace(/\/+$/, "");
    } else {
      this.base = `${endpoint}/${encodeSegment(options.bucket)}`;
    }
    const prefix = (options.prefix ?? "").replace(/^\/+|\/+$/g, "");
    this.prefix = prefix ? `${prefix}/` : "";
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  private urlOf(key: string) {
    // Keys are ours ("cases/12/3f…"), never a client's: still, a "." or ".."
    // part would be resolved away by the URL parser and name another object.
    const parts = `${this.prefix}${key}`.split("/");
    if (!key || parts.some((p) => p === "" || p === "." || p === ".."))
      throw new Error(`bad file key ${key}`);
    return `${this.base}/${parts.map(encodeSegment).join("/")}`;
  }

  private async request(method: string, key: string, init: RequestInit = {}) {
    return this.client.fetch(this.urlOf(key), {
      ...init,
      method,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
  }

  private async failure(res: Response, method: string, key: string) {
    const xml = await res.text().catch(() => "");
    const code = xmlText(xml, "Code") || `HTTP${res.status}`;
    const message = xmlText(xml, "Message");
    return new S3RequestError(
      res.status,
      code,
      `S3 ${method} ${this.options.bucket}/${this.prefix}${key}: ${res.status} ${code}${message ? ` (${message})` : ""}`,
    );
  }

  async put(key: string, bytes: Buffer) {
    const res = await this.request("PUT", key, {
      body: new Uint8Array(bytes),
      headers: {
        "content-type": "application/octet-stream",
        // A signed hash of the body: the store refuses bytes that changed on the way.
        "x-amz-content-sha256": createHash("sha256").update(bytes).digest("hex"),
      },
    });
    if (!res.ok) throw await this.failure(res, "PUT", key);
    await res.arrayBuffer();
  }

  async get(key: string) {
    const res = await this.request("GET", key);
    if (res.ok) return Buffer.from(await res.arrayBuffer());
    const err = await this.failure(res, "GET", key);
    // Only a missing object is "no such file"; a missing bucket is a misconfiguration.
    if (err.status === 404 && err.code === "NoSuchKey")
      throw new S3RequestError(404, "ENOENT", `ENOENT: no such file: ${err.message}`);
    throw err;
  }

  async remove(key: string) {
    const res = await this.request("DELETE", key);
    if (res.ok) {
      await res.arrayBuffer();
      return;
    }
    const err = await this.failure(res, "DELETE", key);
    // S3 answers 204 for a missing key; some compatible stores answer 404.
    if (err.status === 404 && err.code === "NoSuchKey") return;
    throw err;
  }
}
