import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { redactUrl, requestLogSerializers } from "./log-redaction.js";

const ID = "34010219950308123X";

describe("request log redaction", () => {
  it("replaces ID and phone numbers in the query, whatever their spelling", () => {
    expect(redactUrl(`/api/residents?idNumber=${ID}&limit=20`)).toBe(
      "/api/residents?idNumber=[redacted]&limit=20",
    );
    expect(redactUrl("/api/residents?q=%E5%BC%A0&PHONE=13800138000")).toBe(
      "/api/residents?q=%E5%BC%A0&PHONE=[redacted]",
    );
    expect(redactUrl(`/api/residents?id%4Eumber=${ID}`)).toBe(
      "/api/residents?id%4Eumber=[redacted]",
    );
    expect(redactUrl("/api/residents/12")).toBe("/api/residents/12");
    expect(redactUrl("/api/x?%E0%A4%A=1")).toBe("/api/x?%E0%A4%A=1");
  });

  it("keeps the number out of what Fastify writes for a request", async () => {
    const lines: string[] = [];
    const app = Fastify({
      logger: {
        level: "info",
        serializers: requestLogSerializers,
        stream: { write: (l: string) => lines.push(l) },
      },
    });
    app.get("/api/residents", async () => ({ items: [], total: 0 }));
    await app.inject({ method: "GET", url: `/api/residents?idNumber=${ID}` });
    await app.close();
    const log = lines.join("");
    expect(log).toContain("idNumber=[redacted]");
    expect(log).not.toContain(ID);
  });
});
