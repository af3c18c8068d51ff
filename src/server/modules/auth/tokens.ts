/** Random secrets and their stored digests (sessions, CSRF, API tokens). */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export const randomSecret = (bytes = 32) => randomBytes(bytes).toString("base64url");

/** High-entropy secrets need no slow hash: SHA-256 of the secret is stored. */
export const digest = (secret: string) => createHash("sha256").update(secret).digest("hex");

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const API_TOKEN_PREFIX = "gzt_";
