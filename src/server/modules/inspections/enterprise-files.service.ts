/**
 * Enterprise evidence files: photos an enterprise's officer (or staff of its
 * area) uploads for inspections and rectifications. The bytes are checked
 * and stored by the attachments service (type by content, size limited,
 * location data removed from the public copy); the rows are ours. A file can
 * only be referenced by the enterprise it belongs to.
 */
import type { Kysely } from "kysely";
import type { EnterpriseFile } from "../../../shared/schemas/inspections.js";
import type { DB } from "../../db/schema.js";
import { notFound, validation } from "../../errors.js";
import type { Actor } from "../access/access.policy.js";
import {
  readStoredUpload,
  removeStoredUpload,
  storeCheckedUpload,
} from "../attachments/attachments.service.js";
import type { FileStore } from "../attachments/file-store.js";
import { recordAudit } from "../audit/audit.service.js";
import { actorName, isAreaStaffFor, ownEnterpriseIds } from "./hazards.policy.js";
import * as repo from "./inspections.repository.js";

export interface EnterpriseFilesDeps {
  db: Kysely<DB>;
  store: FileStore;
}

/** Evidence is photos: JPEG, PNG or WebP, judged by content. */
export const EVIDENCE_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;

function presentFile(f: {
  id: string;
  filename: string;
  mime: string;
  size: number;
  created_at: Date | string;
}): EnterpriseFile {
  return {
    id: f.id,
    filename: f.filename,
    mime: f.mime,
    size: f.size,
    url: `/api/enterprise-files/${f.id}`,
    createdAt: new Date(f.created_at).toISOString(),
  };
}

/** The enterprise an upload is for: the one named, or the officer's only one. */
function uploadTarget(actor: Actor, organisationId: string | undefined): string {
  if (organisationId) return organisationId;
  const own = ownEnterpriseIds(actor);
  if (own.length === 1) return own[0] as string;
  throw validation("请指明企业（organisationId） / say which enterprise (organisationId)", [
    { path: "body.organisationId", message: "required" },
  ]);
}

/**
 * Stores an evidence photo of an enterprise: its officer's, or staff's whose
 * area covers it (found on a spot-check). Type by content, images without
 * location data in their public copy, the size limited by the route.
 */
export async function uploadEvidence(
  deps: EnterpriseFilesDeps,
  actor: Actor,
  organisationId: string | undefined,
  file: { filename: string; bytes: Buffer },
  requestId: string,
): Promise<EnterpriseFile> {
  const orgId = uploadTarget(actor, organisationId);
  const org = await repo.findEnterprise(deps.db, orgId);
  if (
    org?.kind !== "enterprise" ||
    !(ownEnterpriseIds(actor).includes(orgId) || isAreaStaffFor(actor, org.area_path))
  )
    throw notFound("企业", "enterprise");
  const stored = await storeCheckedUpload(deps, `enterprises/${orgId}`, file, EVIDENCE_TYPES);
  try {
    const row = await deps.db.transaction().execute(async (trx) => {
      const r = await repo.insertFile(trx, {
        organisation_id: orgId,
        filename: stored.filename,
        mime: stored.mime,
        size: stored.size,
        sha256: stored.sha256,
        storage_key: stored.storageKey,
        public_key: stored.publicKey,
        uploaded_by: actor.userId,
        uploaded_label: actorName(actor),
      });
      await recordAudit(
        trx,
        { actor, requestId },
        {
          action: "enterprise_file.uploaded",
          subjectType: "organisation",
          subjectId: orgId,
          details: { fileId: r.id, mime: stored.mime, size: stored.size },
        },
      );
      return r;
    });
    return presentFile(row);
  } catch (err) {
    await removeStoredUpload(deps, stored);
    throw err;
  }
}

export async function readEvidence(deps: EnterpriseFilesDeps, actor: Actor, id: string) {
  const f = await repo.findFile(deps.db, id);
  if (
    !f ||
    !(ownEnterpriseIds(actor).includes(f.organisation_id) || isAreaStaffFor(actor, f.area_path))
  )
    throw notFound("文件", "file");
  return { bytes: await readStoredUpload(deps, f.storage_key), mime: f.mime, filename: f.filename };
}

/**
 * The files, in the order given, each of which must belong to the
 * enterprise: someone else's file (or none) is refused naming the field.
 */
export async function evidenceOf(
  db: Kysely<DB>,
  organisationId: string,
  refs: { path: string; ids: readonly string[] }[],
) {
  const all = [...new Set(refs.flatMap((r) => r.ids))];
  const rows = await repo.filesByIds(db, all);
  const own = new Map(
    rows.filter((r) => r.organisation_id === organisationId).map((r) => [r.id, r]),
  );
  const bad = refs.flatMap((r) =>
    r.ids
      .filter((i) => !own.has(i))
      .map(() => ({
        path: r.path,
        message: "照片不存在或不属于本企业 / a photo is missing or belongs to another enterprise",
      })),
  );
  if (bad.length)
    throw validation(
      "照片不存在或不属于本企业，请重新上传 / a photo is missing or belongs to another enterprise; upload it again",
      bad,
    );
  return own;
}

/** The files of these ids (for presenting evidence already checked). */
export async function presentFiles(db: Kysely<DB>, ids: readonly string[]) {
  const rows = await repo.filesByIds(db, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((i) => {
    const r = byId.get(i);
    return r ? [presentFile(r)] : [];
  });
}
