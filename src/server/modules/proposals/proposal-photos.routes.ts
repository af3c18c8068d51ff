/**
 * HTTP for proposal photos: add (multipart, like case attachments), send the
 * public copy, remove. Registered by proposalRoutes; signed-in people only.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { idParam } from "../../../shared/schemas/common.js";
import { PROPOSAL_MAX_PHOTOS, proposalPhotoSchema } from "../../../shared/schemas/proposals.js";
import type { Config } from "../../config.js";
import { requireActor } from "../../plugins/auth.js";
import { readOneUpload, sendInlineFile } from "../attachments/upload-http.js";
import * as service from "./proposal-photos.service.js";

const photoParams = idParam.extend({ photoId: idParam.shape.id });

export async function proposalPhotoRoutes(
  app: FastifyInstance,
  deps: service.ProposalPhotosDeps & { config: Config },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["proposals"];
  // Who is calling is checked before the input: 401 comes before 400.
  const signedIn = {
    preValidation: async (request: FastifyRequest) => {
      requireActor(request);
    },
  };

  r.post(
    "/api/proposals/:id/photos",
    {
      ...signedIn,
      schema: {
        tags,
        summary: `Add a photo to one's own proposal while it collects support (multipart field \`file\`). JPEG, PNG or WebP judged by content (else 400); at most ATTACHMENT_MAX_BYTES (else 413); at most ${PROPOSAL_MAX_PHOTOS} photos (else 400). Others see a copy without location metadata.`,
        params: idParam,
        response: { 201: proposalPhotoSchema },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const file = await readOneUpload(request, deps.config.attachmentMaxBytes);
      const created = await service.addPhoto(
        deps,
        actor,
        request.params.id,
        { filename: file.filename, bytes: file.bytes },
        String(request.id),
      );
      return reply.status(201).send(created);
    },
  );

  r.get(
    "/api/proposals/:id/photos/:photoId",
    {
      ...signedIn,
      schema: {
        tags,
        summary: "A proposal's photo: the public copy (no GPS or other location metadata)",
        params: photoParams,
      },
    },
    async (request, reply) => {
      const f = await service.readPhoto(
        deps,
        requireActor(request),
        request.params.id,
        request.params.photoId,
      );
      return sendInlineFile(reply, f);
    },
  );

  r.delete(
    "/api/proposals/:id/photos/:photoId",
    {
      ...signedIn,
      schema: {
        tags,
        summary: "Remove a photo from one's own proposal, before it goes to the department",
        params: photoParams,
        response: { 200: z.object({ removed: z.string() }) },
      },
    },
    async (request) =>
      service.removePhoto(
        deps,
        requireActor(request),
        request.params.id,
        request.params.photoId,
        String(request.id),
      ),
  );
}
