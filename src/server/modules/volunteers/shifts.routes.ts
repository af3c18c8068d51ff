/**
 * HTTP for shifts: /api/shifts (list, detail, plan, cancel), sign-up,
 * check-in and check-out with the browser's position, observations, and
 * service hours (/api/shifts/hours: the verification queue, verify, reject,
 * correct, history).
 */

import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { idParam, listOf } from "../../../shared/schemas/common.js";
import {
  correctHoursBody,
  createShiftBody,
  hoursEntrySchema,
  hoursHistorySchema,
  hoursQueueQuery,
  observationBody,
  observationSchema,
  positionBody,
  rejectHoursBody,
  setCheckoutBody,
  shiftDetailSchema,
  shiftListQuery,
  shiftSchema,
  signupSchema,
  underWayQuery,
  underWaySchema,
  verifyHoursBody,
  verifyResultSchema,
} from "../../../shared/schemas/volunteers.js";
import { authorize } from "../../plugins/auth.js";
import { idempotencyKey } from "../cases/case-http.js";
import * as service from "./shifts.service.js";
import { isVolunteerStaff } from "./volunteers.policy.js";
import { isUser } from "./volunteers.routes.js";

export async function shiftRoutes(app: FastifyInstance, deps: service.ShiftsDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["shifts"];

  r.get(
    "/api/shifts",
    {
      schema: {
        tags,
        summary:
          "Shifts: open (I may sign up; nearest first with lat/lng), mine (my sign-ups), manage (I plan or oversee)",
        querystring: shiftListQuery,
        response: { 200: listOf(shiftSchema) },
      },
    },
    async (request) => service.listShifts(deps, authorize(request, isUser), request.query),
  );

  r.get(
    "/api/shifts/under-way",
    {
      schema: {
        tags,
        summary:
          "Shifts being worked now (open, inside their window) in the caller's area or under areaCode: who signed up, who is on duty, where (for the coordination map)",
        querystring: underWayQuery,
        response: { 200: underWaySchema },
      },
    },
    async (request) => service.shiftsUnderWay(deps, authorize(request, isUser), request.query),
  );

  r.post(
    "/api/shifts",
    {
      schema: {
        tags,
        summary:
          "Plan a shift (grid workers in their area, associations for their teams); at most 12 h, not in the past",
        body: createShiftBody,
        response: { 201: shiftDetailSchema },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, (a) => isUser(a) && isVolunteerStaff(a));
      return reply
        .status(201)
        .send(await service.createShift(deps, actor, request.body, String(request.id)));
    },
  );

  // ---------------------------------------------------------------- hours
  r.get(
    "/api/shifts/hours",
    {
      schema: {
        tags,
        summary: "Service hours I may verify (never my own), oldest first",
        querystring: hoursQueueQuery,
        response: { 200: listOf(hoursEntrySchema) },
      },
    },
    async (request) => service.hoursQueue(deps, authorize(request, isUser), request.query),
  );

  r.post(
    "/api/shifts/hours/verify",
    {
      schema: {
        tags,
        summary: "Verify pending hours, all or nothing (not one's own)",
        body: verifyHoursBody,
        response: { 200: verifyResultSchema },
      },
    },
    async (request) =>
      service.verifyHours(
        deps,
        authorize(request, isUser),
        request.body.signupIds,
        String(request.id),
      ),
  );

  r.post(
    "/api/shifts/hours/:id/reject",
    {
      schema: {
        tags,
        summary: "Reject pending hours with the reason",
        params: idParam,
        body: rejectHoursBody,
        response: { 200: signupSchema },
      },
    },
    async (request) =>
      service.rejectHours(
        deps,
        authorize(request, isUser),
        request.params.id,
        request.body,
        String(request.id),
      ),
  );

  r.post(
    "/api/shifts/hours/:id/correct",
    {
      schema: {
        tags,
        summary: "Correct the minutes with a reason (logged: who, when, old, new, why)",
        params: idParam,
        body: correctHoursBody,
        response: { 200: signupSchema },
      },
    },
    async (request) =>
      service.correctHours(
        deps,
        authorize(request, isUser),
        request.params.id,
        request.body,
        String(request.id),
      ),
  );

  r.post(
    "/api/shifts/hours/:id/check-out-time",
    {
      schema: {
        tags,
        summary:
          "Set the real check-out time of an attendance the system closed (未签退): between the check-in and 2 hours after the shift's end, with a reason (logged like a correction); then verify as usual",
        params: idParam,
        body: setCheckoutBody,
        response: { 200: signupSchema },
      },
    },
    async (request) =>
      service.setCheckoutTime(
        deps,
        authorize(request, isUser),
        request.params.id,
        request.body,
        String(request.id),
      ),
  );

  r.get(
    "/api/shifts/hours/:id/history",
    {
      schema: {
        tags,
        summary: "Every step of one sign-up's hours (check-in/out, verify, reject, corrections)",
        params: idParam,
        response: { 200: listOf(hoursHistorySchema) },
      },
    },
    async (request) => service.hoursHistory(deps, authorize(request, isUser), request.params.id),
  );

  // --------------------------------------------------------- one shift
  r.get(
    "/api/shifts/:id",
    {
      schema: {
        tags,
        summary: "One shift with its fence, my sign-up and (overseers) everyone's",
        params: idParam,
        response: { 200: shiftDetailSchema },
      },
    },
    async (request) => service.getShift(deps, authorize(request, isUser), request.params.id),
  );

  r.post(
    "/api/shifts/:id/cancel",
    {
      schema: {
        tags,
        summary: "Call the shift off before it starts (its sign-ups are cancelled)",
        params: idParam,
        response: { 200: shiftDetailSchema },
      },
    },
    async (request) =>
      service.cancelShift(deps, authorize(request, isUser), request.params.id, String(request.id)),
  );

  r.post(
    "/api/shifts/:id/sign-up",
    {
      schema: {
        tags,
        summary: "Sign up (within capacity, no overlapping shift, before the start)",
        params: idParam,
        response: { 201: shiftDetailSchema },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, isUser);
      return reply
        .status(201)
        .send(await service.signUp(deps, actor, request.params.id, String(request.id)));
    },
  );

  r.post(
    "/api/shifts/:id/sign-up/cancel",
    {
      schema: {
        tags,
        summary: "Withdraw my sign-up before the shift starts",
        params: idParam,
        response: { 200: shiftDetailSchema },
      },
    },
    async (request) =>
      service.cancelSignUp(deps, authorize(request, isUser), request.params.id, String(request.id)),
  );

  r.post(
    "/api/shifts/:id/check-in",
    {
      schema: {
        tags,
        summary:
          "Check in with the browser's position: inside the fence (422 says how far) and the window (from 30 min before)",
        params: idParam,
        body: positionBody,
        response: { 200: shiftDetailSchema },
      },
    },
    async (request) =>
      service.checkIn(
        deps,
        authorize(request, isUser),
        request.params.id,
        request.body,
        String(request.id),
      ),
  );

  r.post(
    "/api/shifts/:id/check-out",
    {
      schema: {
        tags,
        summary:
          "Check out inside the fence; the minutes (capped at the window) await verification",
        params: idParam,
        body: positionBody,
        response: { 200: shiftDetailSchema },
      },
    },
    async (request) =>
      service.checkOut(
        deps,
        authorize(request, isUser),
        request.params.id,
        request.body,
        String(request.id),
      ),
  );

  r.post(
    "/api/shifts/:id/observations",
    {
      schema: {
        tags,
        summary:
          "Report what I saw while checked in: it becomes a case (channel volunteer, me as reporter)",
        params: idParam,
        body: observationBody,
        response: { 201: observationSchema },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, isUser);
      return reply
        .status(201)
        .send(
          await service.reportObservation(
            deps,
            actor,
            request.params.id,
            request.body,
            String(request.id),
            idempotencyKey(request),
          ),
        );
    },
  );
}
