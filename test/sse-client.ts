/** A raw Server-Sent Events client for tests: what a page's EventSource would receive. */
import http from "node:http";
import { expect } from "vitest";

export interface SseMessage {
  event: string;
  data: string;
}

export interface SseStream {
  messages: SseMessage[];
  /** the names of the events received so far */
  names(): string[];
  count(event: string): number;
  status(): number;
  /** the server ended the stream */
  ended(): boolean;
  close(): void;
}

/** Opens `GET /api/events{query}` on `base` with a session cookie. */
export function openStream(base: string, cookie: string, query = ""): SseStream {
  const messages: SseMessage[] = [];
  let status = 0;
  let ended = false;
  let buffer = "";
  const req = http.get(`${base}/api/events${query}`, { headers: { cookie } }, (res) => {
    status = res.statusCode ?? 0;
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => {
      buffer += chunk;
      let cut = buffer.indexOf("\n\n");
      while (cut >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        cut = buffer.indexOf("\n\n");
        const event = /^event: (.*)$/m.exec(block)?.[1];
        if (event) messages.push({ event, data: /^data: (.*)$/m.exec(block)?.[1] ?? "" });
      }
    });
    res.on("close", () => {
      ended = true;
    });
  });
  req.on("error", () => {
    ended = true;
  });
  return {
    messages,
    names: () => messages.map((m) => m.event),
    count: (event) => messages.filter((m) => m.event === event).length,
    status: () => status,
    ended: () => ended,
    close: () => req.destroy(),
  };
}

/** Waits up to `ms` for `check` to hold, then asserts it. */
export async function until(check: () => boolean, ms = 3000) {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  expect(check()).toBe(true);
}

/** Lets in-flight events arrive (to check that nothing more comes). */
export const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));
