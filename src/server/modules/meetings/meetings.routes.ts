/**
 * HTTP of joint meetings (联席会议): `/api/meetings` (list, create, read,
 * change, hold, minutes, close, cancel), the agenda (candidates from the
 * data, the pool, add, conclude, drop, the ruling on a bounced case with its
 * preview), action items (per meeting and per owner, done, reopened,
 * cancelled, as XLSX), and the district's bounce threshold.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { idParam, listOf } from "../../../shared/schemas/common.js";
import {
  type ACTION_ITEM_STATES,
  type ActionItem,
  actionItemListQuery,
  actionItemSchema,
  addAgendaBody,
  agendaCandidatesQuery,
  agendaCandidatesSchema,
  agendaItemSchema,
  cancelActionItemBody,
  cancelMeetingBody,
  completeActionItemBody,
  concludeAgendaBody,
  createActionItemBody,
  createMeetingBody,
  dropAgendaBody,
  meetingDetailSchema,
  meetingListQuery,
  meetingSettingsBody,
  meetingSettingsSchema,
  meetingSummarySchema,
  meetingVersionBody,
  minutesBody,
  reopenActionItemBody,
  rulingBody,
  rulingContextSchema,
  rulingPreviewBody,
  rulingPreviewSchema,
  rulingResultSchema,
  updateActionItemBody,
  updateMeetingBody,
} from "../../../shared/schemas/meetings.js";
import { requireActor } from "../../plugins/auth.js";
import { sendXlsx } from "../exports/xlsx-export.js";
import * as service from "./meetings.service.js";

const id = z.string().regex(/^\d{1,18}$/, "id must be a number");

const STATE_NAMES: Record<(typeof ACTION_ITEM_STATES)[number], string> = {
  open: "办理中",
  overdue: "已超期",
  done: "已完成",
  cancelled: "已撤销",
};

export async function meetingRoutes(app: FastifyInstance, deps: service.MeetingsDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["meetings"];
  const ctx = (request: { id: unknown }) => ({ requestId: String(request.id) });

  r.get(
    "/api/meetings/settings",
    {
      schema: {
        tags,
        summary:
          "The bounce threshold: a case returned or reassigned more than this many times goes to the next joint meeting",
        response: { 200: meetingSettingsSchema },
      },
    },
    async (request) => service.getSettings(deps, requireActor(request)),
  );

  r.put(
    "/api/meetings/settings",
    {
      schema: {
        tags,
        summary:
          "Change the bounce threshold (the district's coordinators); send the version you saw",
        body: meetingSettingsBody,
        response: { 200: meetingSettingsSchema },
      },
    },
    async (request) =>
      service.saveSettings(deps, requireActor(request), request.body, ctx(request)),
  );

  r.get(
    "/api/meetings",
    {
      schema: {
        tags,
        summary:
          "Joint meetings: of an area (coordinators; default their widest), or those the caller's department or organisation is invited to",
        querystring: meetingListQuery,
        response: { 200: listOf(meetingSummarySchema) },
      },
    },
    async (request) => service.listMeetings(deps, requireActor(request), request.query),
  );

  r.post(
    "/api/meetings",
    {
      schema: {
        tags,
        summary:
          "Call a meeting (coordinators, in their area): title, time, place, participants (notified); bounced cases and the area's pool come onto its agenda",
        body: createMeetingBody,
        response: { 201: meetingDetailSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await service.createMeeting(deps, requireActor(request), request.body, ctx(request))),
  );

  r.get(
    "/api/meetings/agenda-candidates",
    {
      schema: {
        tags,
        summary:
          "What the data puts forward for the agenda of an area, each with why: bounced cases, overdue supervised cases, the most supported proposals awaiting an answer, enterprises' wage warnings",
        querystring: agendaCandidatesQuery,
        response: { 200: agendaCandidatesSchema },
      },
    },
    async (request) => service.agendaCandidates(deps, requireActor(request), request.query),
  );

  r.get(
    "/api/meetings/agenda-pool",
    {
      schema: {
        tags,
        summary:
          "Items of an area waiting for the next meeting (no meeting scheduled yet, or carried over)",
        querystring: z.object({ areaId: id.optional() }),
        response: { 200: z.object({ items: z.array(agendaItemSchema) }) },
      },
    },
    async (request) => service.agendaPool(deps, requireActor(request), request.query),
  );

  r.get(
    "/api/meetings/action-items",
    {
      schema: {
        tags,
        summary:
          "Action items (督办事项): of the caller's areas' meetings, of one meeting, or their own (mine=true); by state, owner, text",
        querystring: actionItemListQuery,
        response: { 200: listOf(actionItemSchema) },
      },
    },
    async (request) => service.listActionItems(deps, requireActor(request), request.query),
  );

  r.get(
    "/api/meetings/action-items.xlsx",
    {
      schema: {
        tags,
        summary: "The same list as XLSX",
        querystring: actionItemListQuery.omit({ limit: true, offset: true }),
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      await sendXlsx<ActionItem>(
        reply,
        "督办事项.xlsx",
        "督办事项",
        [
          { header: "督办事项", width: 40, value: (x) => x.title },
          { header: "责任单位", width: 28, value: (x) => x.owner.name },
          { header: "完成期限", width: 12, value: (x) => x.dueOn },
          { header: "状态", width: 10, value: (x) => STATE_NAMES[x.state] },
          { header: "会议", width: 30, value: (x) => x.meeting.title },
          { header: "办理结果", width: 40, value: (x) => x.doneNote ?? "" },
          { header: "完成时间", width: 18, value: (x) => (x.doneAt ? x.doneAt.slice(0, 10) : "") },
        ],
        async (limit, offset) =>
          service.listActionItems(deps, actor, { ...request.query, limit, offset }),
      );
    },
  );

  r.post(
    "/api/meetings/action-items/:id/complete",
    {
      schema: {
        tags,
        summary: "The owner (or the coordination centre) reports the action item done, with a note",
        params: idParam,
        body: completeActionItemBody,
        response: { 200: actionItemSchema },
      },
    },
    async (request) =>
      service.completeActionItem(
        deps,
        requireActor(request),
        request.params.id,
        request.body,
        ctx(request),
      ),
  );

  r.post(
    "/api/meetings/action-items/:id/reopen",
    {
      schema: {
        tags,
        summary:
          "Send a done action item back to its owner (the coordination centre), with a reason",
        params: idParam,
        body: reopenActionItemBody,
        response: { 200: actionItemSchema },
      },
    },
    async (request) =>
      service.reopenActionItem(
        deps,
        requireActor(request),
        request.params.id,
        request.body,
        ctx(request),
      ),
  );

  r.post(
    "/api/meetings/action-items/:id/cancel",
    {
      schema: {
        tags,
        summary: "Cancel an open action item (the coordination centre), with a reason",
        params: idParam,
        body: cancelActionItemBody,
        response: { 200: actionItemSchema },
      },
    },
    async (request) =>
      service.cancelActionItem(
        deps,
        requireActor(request),
        request.params.id,
        request.body,
        ctx(request),
      ),
  );

  r.patch(
    "/api/meetings/action-items/:id",
    {
      schema: {
        tags,
        summary: "Change an open action item's title, owner or deadline; send the version you saw",
        params: idParam,
        body: updateActionItemBody,
        response: { 200: actionItemSchema },
      },
    },
    async (request) =>
      service.updateActionItem(
        deps,
        requireActor(request),
        request.params.id,
        request.body,
        ctx(request),
      ),
  );

  r.post(
    "/api/meetings/agenda-items/:id/conclude",
    {
      schema: {
        tags,
        summary: "Record what the meeting agreed on an item (the meeting is held)",
        params: idParam,
        body: concludeAgendaBody,
        response: { 200: agendaItemSchema },
      },
    },
    async (request) =>
      service.concludeAgendaItem(
        deps,
        requireActor(request),
        request.params.id,
        request.body,
        ctx(request),
      ),
  );

  r.post(
    "/api/meetings/agenda-items/:id/drop",
    {
      schema: {
        tags,
        summary:
          "Take an item off the agenda (or out of the pool), with a reason; a case's bounces so far no longer bring it back",
        params: idParam,
        body: dropAgendaBody,
        response: { 200: agendaItemSchema },
      },
    },
    async (request) =>
      service.dropAgendaItem(
        deps,
        requireActor(request),
        request.params.id,
        request.body,
        ctx(request),
      ),
  );

  r.get(
    "/api/meetings/agenda-items/:id/ruling-context",
    {
      schema: {
        tags,
        summary:
          "What a ruling on the item's case starts from: the case, its category and family, the areas a rule may name",
        params: idParam,
        response: { 200: rulingContextSchema },
      },
    },
    async (request) => service.rulingContext(deps, requireActor(request), request.params.id),
  );

  r.post(
    "/api/meetings/agenda-items/:id/ruling/preview",
    {
      schema: {
        tags,
        summary:
          "Before ruling: the step the case will take, and where such cases go now and with the ruling saved as a rule",
        params: idParam,
        body: rulingPreviewBody,
        response: { 200: rulingPreviewSchema },
      },
    },
    async (request) =>
      service.previewRuling(deps, requireActor(request), request.params.id, request.body),
  );

  r.post(
    "/api/meetings/agenda-items/:id/ruling",
    {
      schema: {
        tags,
        summary:
          "Rule on the item's case (the meeting is held): dispatch or reassign it to the lead, invite the assisting parties, and optionally save the ruling as a routing rule — in one transaction",
        params: idParam,
        body: rulingBody,
        response: { 200: rulingResultSchema },
      },
    },
    async (request) =>
      service.rule(deps, requireActor(request), request.params.id, request.body, ctx(request)),
  );

  r.get(
    "/api/meetings/:id",
    {
      schema: {
        tags,
        summary:
          "A meeting with its participants, agenda, minutes, action items, log and the caller's allowed actions",
        params: idParam,
        response: { 200: meetingDetailSchema },
      },
    },
    async (request) => service.getMeeting(deps, requireActor(request), request.params.id),
  );

  r.patch(
    "/api/meetings/:id",
    {
      schema: {
        tags,
        summary:
          "Change a scheduled meeting's title, time, place or participants; send the version you saw (409 if it changed)",
        params: idParam,
        body: updateMeetingBody,
        response: { 200: meetingDetailSchema },
      },
    },
    async (request) =>
      service.updateMeeting(
        deps,
        requireActor(request),
        request.params.id,
        request.body,
        ctx(request),
      ),
  );

  r.post(
    "/api/meetings/:id/hold",
    {
      schema: {
        tags,
        summary: "Mark the meeting as held: minutes, rulings and decisions may now be recorded",
        params: idParam,
        body: meetingVersionBody,
        response: { 200: meetingDetailSchema },
      },
    },
    async (request) =>
      service.holdMeeting(
        deps,
        requireActor(request),
        request.params.id,
        request.body,
        ctx(request),
      ),
  );

  r.put(
    "/api/meetings/:id/minutes",
    {
      schema: {
        tags,
        summary: "Save the minutes and who attended (a held meeting)",
        params: idParam,
        body: minutesBody,
        response: { 200: meetingDetailSchema },
      },
    },
    async (request) =>
      service.saveMinutes(
        deps,
        requireActor(request),
        request.params.id,
        request.body,
        ctx(request),
      ),
  );

  r.post(
    "/api/meetings/:id/close",
    {
      schema: {
        tags,
        summary:
          "Close a held meeting (its minutes saved); items not dealt with go back to the pool for the next meeting",
        params: idParam,
        body: meetingVersionBody,
        response: { 200: meetingDetailSchema },
      },
    },
    async (request) =>
      service.closeMeeting(
        deps,
        requireActor(request),
        request.params.id,
        request.body,
        ctx(request),
      ),
  );

  r.post(
    "/api/meetings/:id/cancel",
    {
      schema: {
        tags,
        summary:
          "Cancel a scheduled meeting with a reason; participants are told, open items go back to the pool",
        params: idParam,
        body: cancelMeetingBody,
        response: { 200: meetingDetailSchema },
      },
    },
    async (request) =>
      service.cancelMeeting(
        deps,
        requireActor(request),
        request.params.id,
        request.body,
        ctx(request),
      ),
  );

  r.post(
    "/api/meetings/:id/agenda",
    {
      schema: {
        tags,
        summary:
          "Add to the agenda: a candidate (its kind and record), a topic of your own (other, with a title), or an item from the pool (poolItemId)",
        params: idParam,
        body: addAgendaBody,
        response: { 200: meetingDetailSchema },
      },
    },
    async (request) =>
      service.addAgendaItem(
        deps,
        requireActor(request),
        request.params.id,
        request.body,
        ctx(request),
      ),
  );

  r.post(
    "/api/meetings/:id/action-items",
    {
      schema: {
        tags,
        summary:
          "Record a decision as an action item: an owner (a department or an organisation, notified) and a deadline day",
        params: idParam,
        body: createActionItemBody,
        response: { 201: actionItemSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await service.createActionItem(
            deps,
            requireActor(request),
            request.params.id,
            request.body,
            ctx(request),
          ),
        ),
  );
}
