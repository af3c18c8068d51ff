/**
 * The open SSE streams of this server and the fan-out of bus events to them.
 * One bus subscription for all streams; streams are indexed by user, by case
 * and by topic, so an event touches only the streams it concerns (10,000 open
 * pages cost nothing to an event for one of them). An event is encoded once
 * (as an HTTP chunk) and the same bytes are written to each stream's socket:
 * one write per stream, no per-stream framing. A stream whose client does
 * not read is dropped once 64 kB wait for it; one timer sends every stream a
 * comment each 25 s so that proxies keep it open.
 */
import type { ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { EventBus, LiveEvent } from "./event-bus.js";

/** Bytes a slow client may have waiting before it is dropped. */
export const MAX_BUFFERED = 64 * 1024;
export const HEARTBEAT_MS = 25_000;

export interface StreamInterest {
  /** the signed-in user (null for an API token): their notifications */
  userId: string | null;
  /** a case page: that case's changes */
  caseId: string | null;
  /** the coordination centre's dashboard topic */
  dashboard: boolean;
}

export interface LiveStats {
  /** SSE streams open on this server */
  connections: number;
  /** streams dropped since start because their client did not read */
  droppedSlowClients: number;
  /** whether events from other servers arrive (PostgreSQL LISTEN is up) */
  sharedBusConnected: boolean;
}

interface Stream extends StreamInterest {
  raw: ServerResponse;
  socket: Socket;
  /** the response body is sent in HTTP/1.1 chunks (else: until close, HTTP/1.0) */
  chunked: boolean;
  closed: boolean;
}

/** One message, encoded once for every stream that gets it. */
class Frame {
  private plain?: Buffer;
  private chunk?: Buffer;
  constructor(private readonly text: string) {}
  for(s: Stream): Buffer {
    if (!s.chunked) {
      this.plain ??= Buffer.from(this.text);
      return this.plain;
    }
    if (!this.chunk) {
      const body = Buffer.from(this.text);
      this.chunk = Buffer.concat([
        Buffer.from(`${body.length.toString(16)}\r\n`),
        body,
        Buffer.from("\r\n"),
      ]);
    }
    return this.chunk;
  }
}

const addTo = <K>(index: Map<K, Set<Stream>>, key: K, s: Stream) => {
  const set = index.get(key);
  if (set) set.add(s);
  else index.set(key, new Set([s]));
};
const removeFrom = <K>(index: Map<K, Set<Stream>>, key: K, s: Stream) => {
  const set = index.get(key);
  if (!set) return;
  set.delete(s);
  if (set.size === 0) index.delete(key);
};

export class LiveConnections {
  private readonly all = new Set<Stream>();
  private readonly byUser = new Map<string, Set<Stream>>();
  private readonly byCase = new Map<string, Set<Stream>>();
  private readonly dashboard = new Set<Stream>();
  private dropped = 0;
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly bus: EventBus,
    private readonly opts: { maxBuffered?: number; heartbeatMs?: number } = {},
  ) {
    this.unsubscribe = bus.subscribe((e) => this.deliver(e));
    this.heartbeat = setInterval(() => {
      const frame = new Frame(": keep-alive\n\n");
      for (const s of this.all) this.send(s, frame);
    }, opts.heartbeatMs ?? HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Takes over an SSE response whose headers are written; it stays open
   *  until the client goes, is too slow, or the server closes. */
  open(raw: ServerResponse, interest: StreamInterest) {
    const socket = raw.socket;
    if (!socket) {
      raw.end();
      return;
    }
    // The head goes now; the body's chunks are then written to the socket.
    raw.flushHeaders();
    const chunked = (raw as unknown as { chunkedEncoding?: boolean }).chunkedEncoding === true;
    const s: Stream = { ...interest, raw, socket, chunked, closed: false };
    this.all.add(s);
    if (s.userId) addTo(this.byUser, s.userId, s);
    if (s.caseId) addTo(this.byCase, s.caseId, s);
    if (s.dashboard) this.dashboard.add(s);
    raw.on("close", () => this.stop(s));
    this.send(s, new Frame("retry: 5000\nevent: ready\ndata: {}\n\n"));
  }

  stats(): LiveStats {
    return {
      connections: this.all.size,
      droppedSlowClients: this.dropped,
      sharedBusConnected: this.bus.connected,
    };
  }

  /** Ends every stream (the server is closing). */
  close() {
    clearInterval(this.heartbeat);
    this.unsubscribe();
    for (const s of [...this.all]) this.stop(s);
  }

  private deliver(e: LiveEvent) {
    if (e.type === "notifications") {
      const frame = new Frame("event: notifications\ndata: {}\n\n");
      for (const id of new Set(e.userIds))
        for (const s of this.byUser.get(id) ?? []) this.send(s, frame);
    } else if (e.type === "case") {
      const targets = this.byCase.get(e.caseId);
      if (!targets) return;
      const data = JSON.stringify({ id: e.caseId, version: e.version });
      const frame = new Frame(`event: case\ndata: ${data}\n\n`);
      for (const s of targets) this.send(s, frame);
    } else if (e.type === "dashboard") {
      if (this.dashboard.size === 0) return;
      const data = JSON.stringify({ topics: e.topics, at: e.at });
      const frame = new Frame(`event: dashboard\ndata: ${data}\n\n`);
      for (const s of this.dashboard) this.send(s, frame);
    }
  }

  private send(s: Stream, frame: Frame) {
    if (s.closed) return;
    s.socket.write(frame.for(s));
    if (s.socket.writableLength > (this.opts.maxBuffered ?? MAX_BUFFERED)) {
      this.dropped++;
      this.stop(s);
    }
  }

  private stop(s: Stream) {
    if (s.closed) return;
    s.closed = true;
    this.all.delete(s);
    if (s.userId) removeFrom(this.byUser, s.userId, s);
    if (s.caseId) removeFrom(this.byCase, s.caseId, s);
    this.dashboard.delete(s);
    // A slow client's socket would wait for its buffer to drain: destroy it.
    if (s.socket.writableLength > 0) s.raw.destroy();
    else s.raw.end();
  }
}
