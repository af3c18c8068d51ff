/** HTTP for payroll declarations, the wage-arrears warning and the safety credit rating. */
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { idParam, listOf } from "../../../shared/schemas/common.js";
import {
  correctPayrollBody,
  declarePayrollBody,
  enterpriseRiskSchema,
  payrollDeclarationSchema,
  payrollListQuery,
  payrollListSchema,
  periodParam,
  signPayrollBody,
  WARNING_LEVELS,
  wageWarningItemSchema,
  wageWarningListQuery,
} from "../../../shared/schemas/enterprise-risk.js";
import { authorize } from "../../plugins/auth.js";
import { mayListWageWarnings, mayReadAnyRisk } from "./enterprise-risk.policy.js";
import * as service from "./enterprise-risk.service.js";

const declareResult = z.object({
  declaration: payrollDeclarationSchema,
  warning: z.object({ score: z.number().int(), level: z.enum(WARNING_LEVELS) }),
});

export async function enterpriseRiskRoutes(app: FastifyInstance, deps: service.EnterpriseRiskDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["enterprise risk"];

  r.get(
    "/api/enterprises/:id/payroll",
    {
      schema: {
        tags,
        summary:
          "An enterprise's monthly payroll declarations, newest first, with this month's state and the months missing",
        params: idParam,
        querystring: payrollListQuery,
        response: { 200: payrollListSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, mayReadAnyRisk);
      return service.listPayroll(deps, actor, request.params.id, request.query);
    },
  );

  r.post(
    "/api/enterprises/:id/payroll",
    {
      schema: {
        tags,
        summary:
          "Declare one month's payroll (the enterprise's own officer); a month already declared answers 409 — correct it with PUT",
        params: idParam,
        body: declarePayrollBody,
        response: { 201: declareResult },
      },
    },
    async (request, reply) => {
      const actor = authorize(request, mayReadAnyRisk);
      const result = await service.declarePayroll(
        deps,
        actor,
        request.params.id,
        request.body,
        String(request.id),
      );
      return reply.status(201).send(result);
    },
  );

  r.put(
    "/api/enterprises/:id/payroll/:period",
    {
      schema: {
        tags,
        summary:
          "Correct a declared month: send the version you saw (a newer one answers 409) and the reason; logged with before and after",
        params: periodParam,
        body: correctPayrollBody,
        response: { 200: declareResult },
      },
    },
    async (request) => {
      const actor = authorize(request, mayReadAnyRisk);
      return service.correctPayroll(
        deps,
        actor,
        request.params.id,
        request.params.period,
        request.body,
        String(request.id),
      );
    },
  );

  r.post(
    "/api/enterprises/:id/payroll/:period/sign",
    {
      schema: {
        tags,
        summary:
          "The enterprise's manager signs a declared month (send the version checked; a correction since answers 409)",
        params: periodParam,
        body: signPayrollBody,
        response: { 200: payrollDeclarationSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, mayReadAnyRisk);
      return service.signPayroll(
        deps,
        actor,
        request.params.id,
        request.params.period,
        request.body.version,
        String(request.id),
      );
    },
  );

  r.get(
    "/api/enterprises/:id/risk",
    {
      schema: {
        tags,
        summary:
          "The enterprise's wage-arrears warning (score, level, signals) and safety credit rating (factors, what would raise it), with their history",
        params: idParam,
        response: { 200: enterpriseRiskSchema },
      },
    },
    async (request) => {
      const actor = authorize(request, mayReadAnyRisk);
      return service.getRisk(deps, actor, request.params.id);
    },
  );

  r.get(
    "/api/wage-warnings",
    {
      schema: {
        tags,
        summary:
          "Enterprises of your area at a warning level (default: watch, warning, alarm), with their signals",
        querystring: wageWarningListQuery,
        response: { 200: listOf(wageWarningItemSchema) },
      },
    },
    async (request) => {
      const actor = authorize(request, mayListWageWarnings);
      return service.listWageWarnings(deps, actor, request.query);
    },
  );
}
