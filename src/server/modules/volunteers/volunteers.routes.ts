/**
 * HTTP for volunteers, teams and hometown mediation: /api/volunteers
 * (me, sign-up, list, detail, training, mediators) and /api/teams.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { idParam, listOf } from "../../../shared/schemas/common.js";
import {
  addMemberBody,
  createTeamBody,
  createTrainingBody,
  declineMediationBody,
  inviteMediatorBody,
  mediatorQuery,
  mediatorSearchSchema,
  memberParams,
  myMediationSchema,
  myVolunteerSchema,
  teamDetailSchema,
  teamListQuery,
  teamSchema,
  updateMemberBody,
  updateVolunteerBody,
  volunteerDetailSchema,
  volunteerListQuery,
  volunteerSchema,
  volunteerSignUpBody,
} from "../../../shared/schemas/volunteers.js";
import { authorize } from "../../plugins/auth.js";
import { hasRole, type Rule } from "../access/access.policy.js";
import { isVolunteerStaff } from "./volunteers.policy.js";
import * as service from "./volunteers.service.js";

/** A person signed in (not an API token). */
export const isUser: Rule = (a) => a.kind === "user" && a.userId !== null;

export async function volunteerRoutes(app: FastifyInstance, deps: service.VolunteersDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["volunteers"];

  r.get(
    "/api/volunteers/me",
    {
      schema: {
        tags,
        summary: "My volunteer profile (null before sign-up) with sign-up suggestions",
        response: { 200: myVolunteerSchema },
      },
    },
    async (request) => service.getMine(deps, authorize(request, isUser)),
  );

  r.post(
    "/api/volunteers",
    {
      schema: {
        tags,
        summary: "Sign up as a volunteer (residents; once per account)",
        body: volunteerSignUpBody,
        response: { 201: volunteerDetailSchema },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, (a) => isUser(a) && hasRole("resident")(a));
      return reply
        .status(201)
        .send(await service.signUp(deps, actor, request.body, String(request.id)));
    },
  );

  r.patch(
    "/api/volunteers/me",
    {
      schema: {
        tags,
        summary: "Edit my volunteer profile (with the version I saw)",
        body: updateVolunteerBody,
        response: { 200: volunteerDetailSchema },
      },
    },
    async (request) =>
      service.updateMine(deps, authorize(request, isUser), request.body, String(request.id)),
  );

  r.get(
    "/api/volunteers/communities",
    {
      schema: {
        tags,
        summary: "The communities a volunteer may choose as preferred areas",
        response: {
          200: listOf(z.object({ code: z.string(), name: z.string(), street: z.string() })),
        },
      },
    },
    async (request) => {
      authorize(request, isUser);
      return service.listCommunities(deps);
    },
  );

  r.get(
    "/api/volunteers/me/mediations",
    {
      schema: {
        tags,
        summary: "My invitations to mediate (pending first) and the dispute cases I mediate",
        response: { 200: listOf(myMediationSchema) },
      },
    },
    async (request) => service.myMediations(deps, authorize(request, isUser)),
  );

  r.post(
    "/api/volunteers/me/mediations/:id/accept",
    {
      schema: {
        tags,
        summary: "Accept an invitation to mediate: join the case as its mediator (a case party)",
        params: idParam,
        response: { 200: myMediationSchema },
      },
    },
    async (request) =>
      service.answerMediation(
        deps,
        authorize(request, isUser),
        request.params.id,
        { accept: true },
        String(request.id),
      ),
  );

  r.post(
    "/api/volunteers/me/mediations/:id/decline",
    {
      schema: {
        tags,
        summary: "Decline an invitation to mediate, saying why (for whoever invited)",
        params: idParam,
        body: declineMediationBody,
        response: { 200: myMediationSchema },
      },
    },
    async (request) =>
      service.answerMediation(
        deps,
        authorize(request, isUser),
        request.params.id,
        { accept: false, reason: request.body.reason },
        String(request.id),
      ),
  );

  r.get(
    "/api/volunteers",
    {
      schema: {
        tags,
        summary:
          "Volunteers I may see (staff: their area; associations: their teams and fellow-provincials; leaders: their teams)",
        querystring: volunteerListQuery,
        response: { 200: listOf(volunteerSchema) },
      },
    },
    async (request) => service.listVolunteers(deps, authorize(request, isUser), request.query),
  );

  r.get(
    "/api/volunteers/mediators",
    {
      schema: {
        tags,
        summary:
          "Volunteers to mediate a dispute case (以新调新): by the reporter's origin, or a chosen province / dialect",
        querystring: mediatorQuery,
        response: { 200: mediatorSearchSchema },
      },
    },
    async (request) => service.findMediators(deps, authorize(request, isUser), request.query),
  );

  r.post(
    "/api/volunteers/mediators/invite",
    {
      schema: {
        tags,
        summary:
          "Invite a volunteer to mediate a dispute case; they join it as a party once they accept",
        body: inviteMediatorBody,
        response: {
          201: z.object({
            caseId: z.string(),
            caseCode: z.string(),
            volunteerId: z.string(),
            invitationId: z.string(),
            name: z.string(),
          }),
        },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, isUser);
      return reply
        .status(201)
        .send(await service.inviteMediator(deps, actor, request.body, String(request.id)));
    },
  );

  r.get(
    "/api/volunteers/:id",
    {
      schema: {
        tags,
        summary: "One volunteer with training and service figures",
        params: idParam,
        response: { 200: volunteerDetailSchema },
      },
    },
    async (request) => service.getVolunteer(deps, authorize(request, isUser), request.params.id),
  );

  r.post(
    "/api/volunteers/:id/training",
    {
      schema: {
        tags,
        summary: "Record a training course or certificate (a team leader or staff)",
        params: idParam,
        body: createTrainingBody,
        response: { 201: volunteerDetailSchema },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, isUser);
      return reply
        .status(201)
        .send(
          await service.addTraining(
            deps,
            actor,
            request.params.id,
            request.body,
            String(request.id),
          ),
        );
    },
  );

  // ---------------------------------------------------------------- teams
  const teamTags = ["teams"];

  r.get(
    "/api/teams",
    {
      schema: {
        tags: teamTags,
        summary: "Volunteer teams I may see",
        querystring: teamListQuery,
        response: { 200: listOf(teamSchema) },
      },
    },
    async (request) => service.listTeams(deps, authorize(request, isUser), request.query),
  );

  r.post(
    "/api/teams",
    {
      schema: {
        tags: teamTags,
        summary: "Create a team (a grid worker: community; an association or enterprise: its own)",
        body: createTeamBody,
        response: { 201: teamDetailSchema },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, (a) => isUser(a) && isVolunteerStaff(a));
      return reply
        .status(201)
        .send(await service.createTeam(deps, actor, request.body, String(request.id)));
    },
  );

  r.get(
    "/api/teams/:id",
    {
      schema: {
        tags: teamTags,
        summary: "One team with its members",
        params: idParam,
        response: { 200: teamDetailSchema },
      },
    },
    async (request) => service.getTeam(deps, authorize(request, isUser), request.params.id),
  );

  r.post(
    "/api/teams/:id/members",
    {
      schema: {
        tags: teamTags,
        summary: "Add a volunteer to the team (as member or leader)",
        params: idParam,
        body: addMemberBody,
        response: { 201: teamDetailSchema },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, isUser);
      return reply
        .status(201)
        .send(
          await service.addMember(deps, actor, request.params.id, request.body, String(request.id)),
        );
    },
  );

  r.patch(
    "/api/teams/:id/members/:volunteerId",
    {
      schema: {
        tags: teamTags,
        summary: "Appoint a leader, or stand one down",
        params: memberParams,
        body: updateMemberBody,
        response: { 200: teamDetailSchema },
      },
    },
    async (request) =>
      service.setMemberRole(
        deps,
        authorize(request, isUser),
        request.params.id,
        request.params.volunteerId,
        request.body.role,
        String(request.id),
      ),
  );

  r.delete(
    "/api/teams/:id/members/:volunteerId",
    {
      schema: {
        tags: teamTags,
        summary: "Remove a member (kept in the history with the day they left)",
        params: memberParams,
        response: { 200: teamDetailSchema },
      },
    },
    async (request) =>
      service.removeMember(
        deps,
        authorize(request, isUser),
        request.params.id,
        request.params.volunteerId,
        String(request.id),
      ),
  );
}
