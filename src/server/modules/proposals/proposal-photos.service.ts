/**
 * Proposal photos: the proposer shows the place (a dark lane, a broken
 * fence) with up to PROPOSAL_MAX_PHOTOS photos, added or removed while the
 * proposal collects support. The bytes go through the attachments module's
 * checks and file store (type judged by content, size limited by the route,
 * a public copy without location metadata); everyone who may see the
 * proposal — everyone signed in — is sent that public copy, never the
 * original. Adding and removing are steps on the proposal's timeline and in
 * the audit trail, written with the change.
 */
import type { Kysely } from "kysely";
import { PROPOSAL_MAX_PHOTOS, type ProposalPhoto } from "../../../shared/schemas/proposals.js";
import type { DB } from "../../db/schema.js";
import { conflict, forbidden, notFound, validation } from "../../errors.js";
import type { Actor } from "../access/access.policy.js";
import {
  PHOTO_TYPES,
  readStoredUpload,
  removeStoredUpload,
  withStoredUpload,
} from "../attachments/attachments.service.js";
import type { FileStore } from "../attachments/file-store.js";
import { recordAudit } from "../audit/audit.service.js";
import * as photos from "./proposal-photos.repository.js";
import * as repo from "./proposals.repository.js";

export interface ProposalPhotosDeps {
  db: Kysely<DB>;
  store: FileStore;
}

const NOT_FOUND = () => notFound("提案", "proposal");
const PHOTO_NOT_FOUND = () => notFound("照片", "photo");
const tooMany = () =>
  validation(
    `每个提案最多 ${PROPOSAL_MAX_PHOTOS} 张照片 / at most ${PROPOSAL_MAX_PHOTOS} photos per proposal`,
    [{ path: "file", message: "too_many_photos" }],
  );

/** A person signed in: API tokens neither read nor act on proposals. */
function personId(actor: Actor): string {
  if (actor.kind !== "user" || !actor.userId)
    throw forbidden("议事协商仅供登录用户使用 / deliberation is for signed-in people");
  return actor.userId;
}

export function presentPhoto(p: photos.PhotoRow): ProposalPhoto {
  return {
    id: p.id,
    url: `/api/proposals/${p.proposal_id}/photos/${p.id}`,
    filename: p.filename,
    mime: p.mime,
    size: p.size,
    createdAt: new Date(p.created_at).toISOString(),
  };
}

/** The photos of a proposal and what its viewer may do with them (for the detail). */
export async function photosForDetail(
  db: Kysely<DB>,
  p: { id: string; status: string },
  proposer: boolean,
) {
  const rows = await photos.photosOf(db, p.id);
  const editable = proposer && p.status === "open";
  return {
    photos: rows.map(presentPhoto),
    mayAddPhotos: editable && rows.length < PROPOSAL_MAX_PHOTOS,
    mayRemovePhotos: editable,
  };
}

/** The caller is the proposer and the proposal still collects support, or the step is refused. */
function checkEditable(
  p: { proposer_user_id: string; status: string },
  userId: string,
  what: "添加" | "删除",
) {
  if (p.proposer_user_id !== userId)
    throw forbidden(
      `只有发起人可以${what}提案照片 / only the proposer ${what === "添加" ? "adds" : "removes"} photos`,
    );
  if (p.status !== "open")
    throw conflict(
      `提案已送交部门或已结束，不能再${what}照片 / the proposal no longer collects support; its photos are fixed`,
      { status: p.status },
    );
}

/**
 * POST /api/proposals/:id/photos: checks the bytes, stores them, then writes
 * the row, the timeline step and the audit row in one transaction (the
 * proposal locked, so two uploads at once cannot make a fifth photo). If the
 * transaction fails, the stored files are removed again (withStoredUpload).
 */
export async function addPhoto(
  deps: ProposalPhotosDeps,
  actor: Actor,
  proposalId: string,
  file: { filename: string; bytes: Buffer },
  requestId: string,
): Promise<ProposalPhoto> {
  const userId = personId(actor);
  const found = await repo.findProposal(deps.db, proposalId, userId);
  if (!found) throw NOT_FOUND();
  // Refuse early what would be refused anyway, before storing anything.
  checkEditable(found, userId, "添加");
  if ((await photos.photoCount(deps.db, proposalId)) >= PROPOSAL_MAX_PHOTOS) throw tooMany();
  const row = await withStoredUpload(deps, `proposals/${proposalId}`, file, PHOTO_TYPES, (stored) =>
    deps.db.transaction().execute(async (trx) => {
      const p = await repo.lockProposal(trx, proposalId);
      if (!p) throw NOT_FOUND();
      checkEditable(p, userId, "添加");
      if ((await photos.photoCount(trx, proposalId)) >= PROPOSAL_MAX_PHOTOS) throw tooMany();
      const r = await photos.insertPhoto(trx, {
        proposal_id: proposalId,
        filename: stored.filename,
        mime: stored.mime,
        size: stored.size,
        sha256: stored.sha256,
        storage_key: stored.storageKey,
        public_key: stored.publicKey,
        uploaded_by: userId,
      });
      const details = { photoId: r.id, mime: stored.mime, size: stored.size };
      await repo.insertAction(trx, {
        proposal_id: proposalId,
        action: "add_photo",
        from_status: null,
        to_status: null,
        actor_user_id: userId,
        actor_label: actor.displayName ?? actor.label,
        note: `添加照片：${stored.filename}`,
        details,
      });
      await recordAudit(
        trx,
        { actor, requestId },
        { action: "proposal.photo_added", subjectType: "proposal", subjectId: proposalId, details },
      );
      return r;
    }),
  );
  return presentPhoto(row);
}

/** GET /api/proposals/:id/photos/:photoId: the public copy, for anyone who may see the proposal. */
export async function readPhoto(
  deps: ProposalPhotosDeps,
  actor: Actor,
  proposalId: string,
  photoId: string,
) {
  const userId = personId(actor);
  if (!(await repo.findProposal(deps.db, proposalId, userId))) throw NOT_FOUND();
  const p = await photos.findPhoto(deps.db, proposalId, photoId);
  if (!p) throw PHOTO_NOT_FOUND();
  return { bytes: await readStoredUpload(deps, p.public_key), mime: p.mime, filename: p.filename };
}

/**
 * DELETE /api/proposals/:id/photos/:photoId: the proposer, before the
 * proposal goes to the department. The row goes with a timeline step and an
 * audit row; the files are removed once that is committed.
 */
export async function removePhoto(
  deps: ProposalPhotosDeps,
  actor: Actor,
  proposalId: string,
  photoId: string,
  requestId: string,
): Promise<{ removed: string }> {
  const userId = personId(actor);
  const removed = await deps.db.transaction().execute(async (trx) => {
    const p = await repo.lockProposal(trx, proposalId);
    if (!p) throw NOT_FOUND();
    const photo = await photos.findPhoto(trx, proposalId, photoId);
    if (!photo) throw PHOTO_NOT_FOUND();
    checkEditable(p, userId, "删除");
    const r = await photos.deletePhoto(trx, proposalId, photoId);
    if (!r) throw PHOTO_NOT_FOUND();
    await repo.insertAction(trx, {
      proposal_id: proposalId,
      action: "remove_photo",
      from_status: null,
      to_status: null,
      actor_user_id: userId,
      actor_label: actor.displayName ?? actor.label,
      note: `删除照片：${r.filename}`,
      details: { photoId: r.id },
    });
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "proposal.photo_removed",
        subjectType: "proposal",
        subjectId: proposalId,
        details: { photoId: r.id },
      },
    );
    return r;
  });
  await removeStoredUpload(deps, {
    storageKey: removed.storage_key,
    publicKey: removed.public_key,
  });
  return { removed: removed.id };
}
