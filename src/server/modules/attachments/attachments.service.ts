/**
 * Photos and files on cases: anyone who may see a case adds them (the
 * reporter too, with the tracking secret when anonymous). The type is sniffed
 * from the bytes, the size is limited, images get a public copy without
 * location metadata. Staff see every attachment in its original form; the
 * reporter sees the public ones, as public copies.
 */
import { createHash, randomBytes } from "node:crypto";
import { fileTypeFromBuffer } from "file-type";
import type { Kysely } from "kysely";
import type { Config } from "../../config.js";
import type { DB } from "../../db/schema.js";
import { notFound, validation } from "../../errors.js";
import type { Actor } from "../access/access.policy.js";
import { recordAudit } from "../audit/audit.service.js";
import { caseAccess, recordCaseStep } from "../cases/cases.service.js";
import * as repo from "./attachments.repository.js";
import type { FileStore } from "./file-store.js";
import { publicCopy } from "./image-metadata.js";

export const ATTACHMENT_TYPES = ["image/jpeg", "image/png", "image/webp", "application/pdf"];
/** Photos only (proposal photos): the images every upload may be. */
export const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
const MAX_PER_CASE = 20;

export interface AttachmentsDeps {
  db: Kysely<DB>;
  config: Config;
  store: FileStore;
}

type Row = Awaited<ReturnType<typeof repo.listForCase>>[number];

export function presentAttachment(a: Row) {
  return {
    id: a.id,
    filename: a.filename,
    mime: a.mime,
    size: a.size,
    visibility: a.visibility,
    uploadedBy: a.uploaded_label,
    createdAt: new Date(a.created_at).toISOString(),
  };
}

async function accessOrNotFound(
  deps: AttachmentsDeps,
  actor: Actor | null,
  caseId: string,
  secret?: string,
) {
  const access = await caseAccess(deps, actor, caseId, secret);
  if (!access) throw notFound("事件", "case");
  return access;
}

/**
 * Checks uploaded bytes the way every upload is checked: not empty, a type
 * allowed by what the bytes are (not the name), and for images a public copy
 * without location data. Other modules' uploads (enterprise evidence) use it
 * through `storeCheckedUpload`.
 */
async function checkUpload(bytes: Buffer, allowed: readonly string[] = ATTACHMENT_TYPES) {
  if (bytes.length === 0) throw validation("文件是空的 / the file is empty");
  const sniffed = await fileTypeFromBuffer(bytes);
  if (!sniffed || !allowed.includes(sniffed.mime))
    throw validation(
      allowed.includes("application/pdf")
        ? "只接受 JPEG、PNG、WebP 图片或 PDF 文件（按文件内容判断，不看扩展名） / only JPEG, PNG or WebP images and PDF files (judged by content, not name)"
        : "只接受 JPEG、PNG 或 WebP 图片（按文件内容判断，不看扩展名） / only JPEG, PNG or WebP images (judged by content, not name)",
    );
  let publicBytes: Buffer;
  try {
    publicBytes = publicCopy(bytes, sniffed.mime);
  } catch {
    throw validation("图片文件已损坏，无法读取 / the image is damaged");
  }
  return { sniffed, publicBytes };
}

/** An upload checked and put in the file store, for a module that keeps its own rows. */
export interface StoredUpload {
  filename: string;
  mime: string;
  size: number;
  sha256: string;
  storageKey: string;
  publicKey: string;
}

/**
 * Checks an upload (type by content, images stripped of location data in a
 * public copy) and stores it under `keyPrefix` ("enterprises/12"). The caller
 * writes its own row and, if that fails, calls `removeStoredUpload`.
 */
export async function storeCheckedUpload(
  deps: { store: FileStore },
  keyPrefix: string,
  file: { filename: string; bytes: Buffer },
  allowed: readonly string[] = ATTACHMENT_TYPES,
): Promise<StoredUpload> {
  const { sniffed, publicBytes } = await checkUpload(file.bytes, allowed);
  const base = `${keyPrefix}/${randomBytes(12).toString("hex")}`;
  const storageKey = `${base}.${sniffed.ext}`;
  const publicKey = publicBytes === file.bytes ? storageKey : `${base}.public.${sniffed.ext}`;
  await deps.store.put(storageKey, file.bytes);
  if (publicKey !== storageKey) await deps.store.put(publicKey, publicBytes);
  return {
    filename: (file.filename || `附件.${sniffed.ext}`).replace(/[\\/\r\n]/g, "_").slice(0, 120),
    mime: sniffed.mime,
    size: file.bytes.length,
    sha256: createHash("sha256").update(file.bytes).digest("hex"),
    storageKey,
    publicKey,
  };
}

/**
 * Checks and stores an upload, then lets the caller write its row (in its
 * own transaction); if that fails, the stored files are removed again and
 * the error goes on. What `write` returns is returned.
 */
export async function withStoredUpload<T>(
  deps: { store: FileStore },
  keyPrefix: string,
  file: { filename: string; bytes: Buffer },
  allowed: readonly string[],
  write: (stored: StoredUpload) => Promise<T>,
): Promise<T> {
  const stored = await storeCheckedUpload(deps, keyPrefix, file, allowed);
  try {
    return await write(stored);
  } catch (err) {
    await removeStoredUpload(deps, stored);
    throw err;
  }
}

/** Removes the files of an upload whose row was not written (or was deleted). */
export async function removeStoredUpload(
  deps: { store: FileStore },
  u: Pick<StoredUpload, "storageKey" | "publicKey">,
) {
  await deps.store.remove(u.storageKey).catch(() => {});
  if (u.publicKey !== u.storageKey) await deps.store.remove(u.publicKey).catch(() => {});
}

/** Reads stored bytes by key (the caller has checked who may see them). */
export function readStoredUpload(deps: { store: FileStore }, key: string) {
  return deps.store.get(key);
}

export async function listAttachments(
  deps: AttachmentsDeps,
  actor: Actor | null,
  caseId: string,
  secret?: string,
) {
  const access = await accessOrNotFound(deps, actor, caseId, secret);
  const rows = await repo.listForCase(deps.db, caseId, !access.staff);
  return { items: rows.map(presentAttachment), total: rows.length };
}

export async function addAttachment(
  deps: AttachmentsDeps,
  actor: Actor | null,
  caseId: string,
  file: { filename: string; bytes: Buffer },
  opts: {
    visibility?: "internal" | "public" | undefined;
    secret?: string | undefined;
    requestId: string;
  },
) {
  const access = await accessOrNotFound(deps, actor, caseId, opts.secret);
  const { sniffed, publicBytes } = await checkUpload(file.bytes);
  const existing = await repo.listForCase(deps.db, caseId, false);
  if (existing.length >= MAX_PER_CASE)
    throw validation(
      `每个事件最多 ${MAX_PER_CASE} 个附件 / at most ${MAX_PER_CASE} attachments per case`,
    );
  // What the reporter adds is theirs to see; staff choose (internal by default).
  const visibility = access.staff && !access.reporter ? (opts.visibility ?? "internal") : "public";
  const base = `cases/${caseId}/${randomBytes(12).toString("hex")}`;
  const storageKey = `${base}.${sniffed.ext}`;
  const publicKey = publicBytes === file.bytes ? storageKey : `${base}.public.${sniffed.ext}`;
  await deps.store.put(storageKey, file.bytes);
  if (publicKey !== storageKey) await deps.store.put(publicKey, publicBytes);
  const filename = (file.filename || `附件.${sniffed.ext}`)
    .replace(/[\\/\r\n]/g, "_")
    .slice(0, 120);
  try {
    const row = await deps.db.transaction().execute(async (trx) => {
      const r = await repo.insert(trx, {
        case_id: caseId,
        filename,
        mime: sniffed.mime,
        size: file.bytes.length,
        sha256: createHash("sha256").update(file.bytes).digest("hex"),
        storage_key: storageKey,
        public_key: publicKey,
        visibility,
        uploaded_by: actor?.userId ?? null,
        uploaded_label: access.label,
      });
      await recordCaseStep(trx, {
        caseId,
        action: "attach",
        actorUserId: actor?.userId ?? null,
        actorLabel: access.label,
        note: `添加附件：${filename}`,
        visibility,
        details: { attachmentId: r.id, mime: sniffed.mime, size: file.bytes.length },
      });
      await recordAudit(
        trx,
        { actor: access.reporter && !actor ? null : actor, requestId: opts.requestId },
        {
          action: "case.attachment_added",
          subjectType: "case",
          subjectId: caseId,
          details: { attachmentId: r.id, mime: sniffed.mime, size: file.bytes.length, visibility },
        },
      );
      return r;
    });
    return presentAttachment(row);
  } catch (err) {
    // Nothing points at the files: do not leave them behind.
    await deps.store.remove(storageKey).catch(() => {});
    if (publicKey !== storageKey) await deps.store.remove(publicKey).catch(() => {});
    throw err;
  }
}

/** The bytes to send: staff get the original, everyone else the public copy of a public file. */
export async function readAttachment(
  deps: AttachmentsDeps,
  actor: Actor | null,
  caseId: string,
  id: string,
  secret?: string,
) {
  const access = await accessOrNotFound(deps, actor, caseId, secret);
  const a = await repo.find(deps.db, caseId, id);
  if (!a || (!access.staff && a.visibility !== "public")) throw notFound("附件", "attachment");
  const bytes = await deps.store.get(access.staff ? a.storage_key : a.public_key);
  return { bytes, mime: a.mime, filename: a.filename };
}

/**
 * The public copy (no location data) of a public photo, for anyone: Open311's
 * media_url. Photos of sensitive categories and internal files answer 404.
 */
export async function readPublicImage(deps: Pick<AttachmentsDeps, "db" | "store">, id: string) {
  const a = await repo.findPublicImage(deps.db, id);
  if (!a) throw notFound("附件", "attachment");
  return { bytes: await deps.store.get(a.public_key), mime: a.mime };
}
