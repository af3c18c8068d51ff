import net from "node:net";
import Fastify from "fastify";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { errorsPlugin } from "../plugins/errors.js";
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from "./connection-errors.js";

const withCode = (code: string, message = "x") => Object.assign(new Error(message), { code });

describe("isDatabaseUnavailable", () => {
  it("recognises a database that is down, restarting or out of reach", () => {
    for (const e of [
      withCode("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:5432"),
      withCode("ECONNRESET", "read ECONNRESET"),
      withCode("ETIMEDOUT"),
      withCode("EPIPE"),
      withCode("EHOSTUNREACH"),
      withCode("57P01", "terminating connection due to administrator command"),
      withCode("57P02"),
      withCode("57P03", "the database system is starting up"),
      withCode("53300", "sorry, too many clients already"),
      withCode("08006", "connection failure"),
      withCode("08001"),
      withCode("08P01", "protocol violation"),
      new Error("Connection terminated unexpectedly"),
      new Error("Connection terminated"),
      new Error("Connection terminated due to connection timeout"),
      new Error("Client has encountered a connection error and is not queryable"),
      new Error("Client was closed and is not queryable"),
      new Error("timeout exceeded when trying to connect"),
      // Wrapped, as a driver or a transaction helper may do.
      new Error("rollback failed", { cause: withCode("ECONNRESET") }),
      new AggregateError([withCode("ECONNREFUSED"), withCode("ECONNREFUSED")], "connect failed"),
    ])
      expect(isDatabaseUnavailable(e), String(e)).toBe(true);
  });

  it("leaves everything else to the 500 path", () => {
    for (const e of [
      new Error("boom"),
      withCode("23505", "duplicate key value violates unique constraint"),
      withCode("42P01", "relation does not exist"),
      withCode("40001", "could not serialize access"),
      withCode("ENOENT"),
      new Error("something about a Connection terminated later in the text"),
      null,
      undefined,
      "ECONNREFUSED",
      { code: 57 },
    ])
      expect(isDatabaseUnavailable(e), String(e)).toBe(false);
  });

  it("knows the errors node-postgres really throws when the server is gone", async () => {
    // Nothing listens: ECONNREFUSED.
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const refused = new pg.Client({ host: "127.0.0.1", port, user: "x", database: "x" });
    const e1 = await refused.connect().catch((e: unknown) => e);
    expect(isDatabaseUnavailable(e1)).toBe(true);

    // Something accepts and hangs up at once: "Connection terminated unexpectedly".
    const rude = net.createServer((s) => s.destroy());
    await new Promise<void>((r) => rude.listen(0, "127.0.0.1", r));
    const hungUp = new pg.Client({
      host: "127.0.0.1",
      port: (rude.address() as net.AddressInfo).port,
      user: "x",
      database: "x",
    });
    hungUp.on("error", () => {});
    const e2 = await hungUp.connect().catch((e: unknown) => e);
    await new Promise((r) => rude.close(r));
    expect(e2).toBeInstanceOf(Error);
    expect(isDatabaseUnavailable(e2), String(e2)).toBe(true);
  });
});

describe("the error handler", () => {
  const app = Fastify({ logger: false });
  let thrown: unknown;
  app.register(errorsPlugin);
  app.register(async (a) => {
    a.get("/boom", async () => {
      throw thrown;
    });
  });
  afterAll(() => app.close());

  it("answers 503 with Retry-After and a bilingual message while the database is unavailable", async () => {
    for (const e of [
      withCode("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:5432"),
      withCode("57P01", "terminating connection due to administrator command"),
      withCode("08006"),
      new Error("Connection terminated unexpectedly"),
    ]) {
      thrown = e;
      const res = await app.inject({ method: "GET", url: "/boom" });
      expect(res.statusCode, String(e)).toBe(503);
      expect(res.headers["retry-after"]).toBe(String(RETRY_AFTER_SECONDS));
      const body = res.json();
      expect(body.error.id).toBe("unavailable");
      expect(body.error.message).toMatch(/数据库暂不可用/);
      expect(body.error.message).toMatch(/Database unavailable/);
      // Nothing of the driver's own words reaches the client.
      expect(body.error.message).not.toMatch(/ECONN|terminat|5432|57P01/);
      expect(body.error.requestId).toBeTruthy();
    }
  });

  it("still answers 500 without details for a bug", async () => {
    thrown = withCode("23505", 'duplicate key value violates unique constraint "x"');
    const res = await app.inject({ method: "GET", url: "/boom" });
    expect(res.statusCode).toBe(500);
    expect(res.headers["retry-after"]).toBeUndefined();
    expect(res.json().error.id).toBe("internal");
    expect(res.body).not.toMatch(/duplicate/);
  });
});
