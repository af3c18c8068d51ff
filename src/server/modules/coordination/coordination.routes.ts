/**
 * HTTP of the coordination centre's figures: `/api/coordination/kpis`,
 * `/breakdown`, `/scorecards` (also as XLSX) and `/areas` (the map's
 * measures). Read-only; for admins and coordinators in their areas.
 */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Kysely } from "kysely";
import {
  areaMeasureQuerySchema,
  areaMeasureResponseSchema,
  breakdownQuerySchema,
  breakdownResponseSchema,
  collaborationResponseSchema,
  coordinationQuerySchema,
  kpiResponseSchema,
  scorecardResponseSchema,
} from "../../../shared/schemas/coordination.js";
import type { DB } from "../../db/schema.js";
import { requireActor } from "../../plugins/auth.js";
import { sendXlsx } from "../exports/xlsx-export.js";
import * as service from "./coordination.service.js";

const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);

export async function coordinationRoutes(app: FastifyInstance, deps: { db: Kysely<DB> }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["coordination"];

  r.get(
    "/api/coordination/kpis",
    {
      schema: {
        tags,
        summary:
          "KPI tiles of an area (default: your widest) over a period (default: the last 30 days): received, closed, on-time acceptance and resolution, handling time, satisfaction, reopen rate, with the period before for trends; open and overdue now; a daily (≤ 92 days) or monthly series",
        querystring: coordinationQuerySchema,
        response: { 200: kpiResponseSchema },
      },
    },
    async (request) => service.kpis(deps, requireActor(request), request.query),
  );

  r.get(
    "/api/coordination/breakdown",
    {
      schema: {
        tags,
        summary:
          "The same figures by department, family, category or child area (by=…), in whole months, for drill-down",
        querystring: breakdownQuerySchema,
        response: { 200: breakdownResponseSchema },
      },
    },
    async (request) => service.breakdown(deps, requireActor(request), request.query),
  );

  r.get(
    "/api/coordination/scorecards",
    {
      schema: {
        tags,
        summary:
          "Department scorecards (考核) in whole months: on-time rates, returns, supervisions, satisfaction, assisting requests answered, open and overdue now; ranked by a weighted score",
        querystring: coordinationQuerySchema,
        response: { 200: scorecardResponseSchema },
      },
    },
    async (request) => service.scorecards(deps, requireActor(request), request.query),
  );

  r.get(
    "/api/coordination/scorecards.xlsx",
    {
      schema: {
        tags,
        summary: "The department scorecards as XLSX",
        querystring: coordinationQuerySchema,
      },
    },
    async (request, reply) => {
      const card = await service.scorecards(deps, requireActor(request), request.query);
      type Row = (typeof card.items)[number];
      await sendXlsx<Row>(
        reply,
        `部门考核-${card.from}-${card.to}.xlsx`,
        "部门考核",
        [
          { header: "排名", width: 6, value: (x) => x.rank },
          { header: "部门", width: 28, value: (x) => x.name },
          { header: "综合得分", width: 10, value: (x) => x.score },
          { header: "派发", width: 8, value: (x) => x.dispatched },
          { header: "签收", width: 8, value: (x) => x.accepted },
          { header: "按时签收率%", width: 12, value: (x) => pct(x.acceptOnTimeRate) },
          { header: "办结", width: 8, value: (x) => x.resolved },
          { header: "按时办结率%", width: 12, value: (x) => pct(x.resolveOnTimeRate) },
          { header: "平均办理小时", width: 12, value: (x) => x.avgHandlingHours },
          { header: "退回", width: 8, value: (x) => x.returned },
          { header: "督办", width: 8, value: (x) => x.supervised },
          { header: "升级", width: 8, value: (x) => x.escalated },
          { header: "满意度(1-5)", width: 10, value: (x) => x.satisfaction },
          { header: "满意率%", width: 10, value: (x) => pct(x.satisfiedRate) },
          { header: "协办请求", width: 10, value: (x) => x.tasksAssigned },
          { header: "协办完成", width: 10, value: (x) => x.tasksDone },
          { header: "在办", width: 8, value: (x) => x.open },
          { header: "超期", width: 8, value: (x) => x.overdue },
        ],
        async (limit, offset) => ({
          items: card.items.slice(offset, offset + limit),
          total: card.total,
        }),
      );
    },
  );

  r.get(
    "/api/coordination/collaboration",
    {
      schema: {
        tags,
        summary:
          "Who works with whom: closed cases per pair of subjects (departments 'd:ID', enterprises and associations 'o:ID', volunteers 'v') in whole months — the interaction network",
        querystring: coordinationQuerySchema,
        response: { 200: collaborationResponseSchema },
      },
    },
    async (request) => service.collaboration(deps, requireActor(request), request.query),
  );

  r.get(
    "/api/coordination/areas",
    {
      schema: {
        tags,
        summary:
          "A measure (open, overdue, received, resolveOnTimeRate, risk — the grid risk index —, newCitizens) for every street, community or grid under an area: what the district map shades areas by",
        querystring: areaMeasureQuerySchema,
        response: { 200: areaMeasureResponseSchema },
      },
    },
    async (request) => service.areaMeasures(deps, requireActor(request), request.query),
  );
}
