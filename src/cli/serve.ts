/** Runs the HTTP server until SIGTERM/SIGINT, then shuts down gracefully. */
import fs from "node:fs";
import { buildApp } from "../server/app.js";
import type { Config } from "../server/config.js";
import type { Database } from "../server/db/database.js";
import { scheduleJobs } from "../server/jobs/registry.js";
import { configuredFieldCrypto } from "./context.js";
import { WEB_DIST } from "./project.js";

export async function serve(
  config: Config,
  database: Database,
  onListening?: (url: string) => void,
) {
  const app = await buildApp({
    config,
    database,
    fieldCrypto: configuredFieldCrypto(config),
    webDir: WEB_DIST,
  });
  if (!fs.existsSync(WEB_DIST))
    app.log.warn("web app not built (npm run build); serving the API only");
  await app.locator.rebuild();
  let stopJobs = () => {};
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, "shutting down: finishing requests in flight");
    const force = setTimeout(() => {
      app.log.error("shutdown took over 20 s; exiting");
      process.exit(1);
    }, 20_000);
    force.unref();
    stopJobs();
    try {
      await app.close();
      await database.close();
    } finally {
      clearTimeout(force);
      process.exit(0);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  const address = await app.listen({ host: config.host, port: config.port });
  // Background jobs start once the server answers (their first run after
  // 10 s, see scheduleJobs).
  stopJobs = scheduleJobs(
    {
      db: database.db,
      config,
      fieldCrypto: configuredFieldCrypto(config),
      log: (entry, msg) => app.log.info(entry, msg),
      events: app.events,
    },
    (job, err) => app.log.warn({ err, job: job.name }, "scheduled job failed"),
  );
  onListening?.(address);
  return app;
}
