/**
 * buildApp(deps): the whole HTTP application, without listening. Tests build
 * it too and talk to it through app.inject.
 */

import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import cookie from "@fastify/cookie";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance } from "fastify";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
} from "fastify-type-provider-zod";
import type { Config } from "./config.js";
import type { FieldCrypto } from "./crypto/field-crypto.js";
import type { Database } from "./db/database.js";
import { requestLogSerializers } from "./log-redaction.js";
import { attachmentRoutes } from "./modules/attachments/attachments.routes.js";
import { type FileStore, LocalFileStore } from "./modules/attachments/file-store.js";
import { S3FileStore } from "./modules/attachments/s3-file-store.js";
import { authRoutes } from "./modules/auth/auth.routes.js";
import { userRoutes } from "./modules/auth/users.routes.js";
import { broadcastRoutes } from "./modules/broadcasts/broadcasts.routes.js";
import { caseCategoryRoutes } from "./modules/cases/case-categories.routes.js";
import { intakeWriterFor } from "./modules/cases/case-intake-writer.js";
import { CaseReference } from "./modules/cases/case-reference.js";
import { caseRoutes } from "./modules/cases/cases.routes.js";
import { routingRuleRoutes } from "./modules/cases/routing-rules.routes.js";
import { coordinationRoutes } from "./modules/coordination/coordination.routes.js";
import { departmentRoutes } from "./modules/departments/departments.routes.js";
import { enterpriseRiskRoutes } from "./modules/enterprise-risk/enterprise-risk.routes.js";
import { enterpriseStaffRoutes } from "./modules/enterprises/enterprise-staff.routes.js";
import { enterpriseRoutes } from "./modules/enterprises/enterprises.routes.js";
import type { EventBus } from "./modules/events/event-bus.js";
import { eventRoutes } from "./modules/events/events.routes.js";
import { LiveConnections } from "./modules/events/live-connections.js";
import { eventBusFor } from "./modules/events/pg-event-bus.js";
import { areaRoutes } from "./modules/geo/areas.routes.js";
import { AreaLocator } from "./modules/geo/areas.service.js";
import { gridRiskRoutes } from "./modules/grid-risk/grid-risk.routes.js";
import { housingRoutes } from "./modules/housing/housing.routes.js";
import { relocateBuildings } from "./modules/housing/housing.service.js";
import { importRoutes } from "./modules/imports/imports.routes.js";
import { inspectionRoutes } from "./modules/inspections/inspections.routes.js";
import { liaisonRoutes } from "./modules/liaison/liaison.routes.js";
import { meetingRoutes } from "./modules/meetings/meetings.routes.js";
import { notificationRoutes } from "./modules/notifications/notifications.routes.js";
import { openDataRoutes } from "./modules/open-data/open-data.routes.js";
import { open311Routes } from "./modules/open311/open311.routes.js";
import { organisationRoutes } from "./modules/organisations/organisations.routes.js";
import { pointsRoutes } from "./modules/points/points.routes.js";
import { proposalRoutes } from "./modules/proposals/proposals.routes.js";
import { reportRoutes } from "./modules/reports/reports.routes.js";
import { residentRoutes } from "./modules/residents/residents.routes.js";
import { savedFilterRoutes } from "./modules/saved-filters/saved-filters.routes.js";
import { systemRoutes } from "./modules/system/system.routes.js";
import { shiftRoutes } from "./modules/volunteers/shifts.routes.js";
import { volunteerRoutes } from "./modules/volunteers/volunteers.routes.js";
import { authPlugin } from "./plugins/auth.js";
import { errorBody, errorsPlugin } from "./plugins/errors.js";

export interface AppOptions {
  config: Config;
  database: Database;
  fieldCrypto: FieldCrypto;
  /** Directory of the built web app; served when it exists. */
  webDir?: string | undefined;
  logger?: boolean;
  /** Where attachment bytes live (default: as configured by FILE_STORE). */
  fileStore?: FileStore;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { config, database } = opts;
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : { level: config.logLevel, serializers: requestLogSerializers },
    bodyLimit: config.bodyLimitBytes,
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && /^[\w.-]{8,64}$/.test(given) ? given : randomUUID();
    },
    trustProxy: false,
    return503OnClosing: true,
  });
  // The API speaks JSON; other body types get 415 rather than a confusing 400.
  app.removeContentTypeParser("text/plain");
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", String(request.id));
  });

  await app.register(errorsPlugin);
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: {
        title: "Gongzhi (共治) API",
        description: "The HTTP API of the Gongzhi district governance platform.",
        version: config.version,
      },
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: "gongzhi_session" },
          bearer: { type: "http", scheme: "bearer" },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs" });
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  const db = database.db;
  const fileStore = opts.fileStore ?? configuredFileStore(config);
  const locator = new AreaLocator(db);
  app.decorate("locator", locator);
  await app.register(authPlugin, { db, config });
  // Live events: shared by every server through PostgreSQL, in-process on PGlite.
  const events = await eventBusFor(database, app.log);
  const live = new LiveConnections(events);
  app.decorate("events", events);
  // The streams end before the server stops listening: an open stream is a
  // request in flight, which close() would otherwise wait for (every signed-in
  // page holds one), and a restart would hang until it was killed.
  app.addHook("preClose", async () => live.close());
  app.addHook("onClose", async () => {
    await events.close();
  });
  await app.register(async (scope) => {
    await systemRoutes(scope, { db, engine: database.engine, config, live: () => live.stats() });
    await authRoutes(scope, { db, config });
    await userRoutes(scope, { db, fieldCrypto: opts.fieldCrypto });
    await areaRoutes(scope, {
      db,
      locator,
      onGridRedrawn: (trx, change) => relocateBuildings(trx, locator, change),
    });
    await departmentRoutes(scope, { db });
    await housingRoutes(scope, { db, locator, config });
    await residentRoutes(scope, { db, config, fieldCrypto: opts.fieldCrypto });
    await importRoutes(scope, { db, config, fieldCrypto: opts.fieldCrypto, locator });
    await organisationRoutes(scope, { db, fieldCrypto: opts.fieldCrypto });
    const reference = new CaseReference(db);
    const casesDeps = {
      db,
      config,
      fieldCrypto: opts.fieldCrypto,
      locator,
      reference,
      events,
      // PGlite runs one statement at a time: reports queue here and go in groups.
      intake: intakeWriterFor(db, {
        maxInFlight: database.engine === "pglite" ? 1 : 4,
        maxBatch: 64,
      }),
    };
    await caseRoutes(scope, casesDeps);
    await open311Routes(scope, { ...casesDeps, store: fileStore, publicUrl: config.publicUrl });
    await eventRoutes(scope, { db, live });
    await notificationRoutes(scope, { db });
    await attachmentRoutes(scope, { db, config, store: fileStore });
    await routingRuleRoutes(scope, { db, locator, onListChanged: () => reference.invalidate() });
    await caseCategoryRoutes(scope, { db, onChanged: () => reference.invalidate() });
    await savedFilterRoutes(scope, { db });
    await openDataRoutes(scope, { db });
    await coordinationRoutes(scope, { db });
    await gridRiskRoutes(scope, casesDeps);
    await reportRoutes(scope, { db, events });
    await broadcastRoutes(scope, { db, events });
    await volunteerRoutes(scope, { db, events });
    await shiftRoutes(scope, casesDeps);
    await pointsRoutes(scope, { db });
    await proposalRoutes(scope, { db, config, locator, events, store: fileStore });
    await inspectionRoutes(scope, { db, config, store: fileStore });
    await enterpriseRiskRoutes(scope, casesDeps);
    await liaisonRoutes(scope, { db, events });
    await meetingRoutes(scope, {
      ...casesDeps,
      onRoutingListChanged: () => reference.invalidate(),
    });
    await enterpriseRoutes(scope, { db, config, fieldCrypto: opts.fieldCrypto, locator });
    await enterpriseStaffRoutes(scope, { db, fieldCrypto: opts.fieldCrypto });
  });

  const webDir = opts.webDir;
  const indexHtml = webDir ? path.join(webDir, "index.html") : undefined;
  if (webDir && indexHtml && fs.existsSync(indexHtml)) {
    await app.register(fastifyStatic, { root: webDir, wildcard: false, index: false });
    const html = fs.readFileSync(indexHtml);
    app.setNotFoundHandler((request, reply) => {
      if (request.method === "GET" && !request.url.startsWith("/api/")) {
        return reply
          .type("text/html; charset=utf-8")
          .header("cache-control", "no-cache")
          .send(html);
      }
      return reply
        .status(404)
        .send(
          errorBody(
            "not_found",
            `接口不存在 / No route ${request.method} ${request.url}`,
            String(request.id),
          ),
        );
    });
    app.get("/", (_req, reply) =>
      reply.type("text/html; charset=utf-8").header("cache-control", "no-cache").send(html),
    );
  } else {
    app.setNotFoundHandler((request, reply) =>
      reply
        .status(404)
        .send(
          errorBody(
            "not_found",
            `接口不存在 / No route ${request.method} ${request.url}`,
            String(request.id),
          ),
        ),
    );
  }
  return app;
}

/** FILE_STORE: DATA_DIR/files, or the configured S3-compatible bucket. */
function configuredFileStore(config: Config): FileStore {
  const s = config.fileStore;
  return s.kind === "s3"
    ? new S3FileStore(s)
    : new LocalFileStore(path.join(config.dataDir, "files"));
}

declare module "fastify" {
  interface FastifyInstance {
    locator: AreaLocator;
    /** live events (jobs publish through it after they commit) */
    events: EventBus;
  }
}
