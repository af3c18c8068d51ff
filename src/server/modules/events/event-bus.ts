/**
 * Live updates for open pages: who should look again, and at what. A change
 * publishes after it commits; the SSE route (events.routes.ts, through
 * live-connections.ts) passes each event to the connections it concerns.
 *
 * Two buses, chosen by the engine: in-process on PGlite (one
 * server per database), and on PostgreSQL one shared by every server of the
 * database through LISTEN/NOTIFY (pg-event-bus.ts, which also holds `eventBusFor`). Either way each event
 * reaches each local subscriber exactly once. See docs/live-updates.md.
 */
import { EventEmitter } from "node:events";
import type { FastifyBaseLogger } from "fastify";

/** Topics a stream may ask for with `?topics=` (besides what concerns its user). */
export const LIVE_TOPICS = ["dashboard"] as const;
export type LiveTopic = (typeof LIVE_TOPICS)[number];

export type LiveEvent =
  /** these users have new notifications */
  | { type: "notifications"; userIds: string[] }
  /** this case changed (its version is now `version`) */
  | { type: "case"; caseId: string; version: number }
  /** the coordination centre's figures on these topics ("cases", "hazards", …)
   *  changed; `at` = when published (ms since the epoch; the bus sets it) */
  | { type: "dashboard"; topics: string[]; at?: number };

export interface EventBus {
  /** Hands the event to every subscriber, on this server and (PostgreSQL) on
   *  the others. Call it after the change committed, never inside a
   *  transaction that may still roll back. */
  publish(e: LiveEvent): void;
  subscribe(listener: (e: LiveEvent) => void): () => void;
  /** Whether events from other servers arrive (always true in-process). */
  readonly connected: boolean;
  close(): Promise<void>;
}

export type BusLog = Pick<FastifyBaseLogger, "info" | "warn">;

/** Stamps what the bus stamps: a dashboard event's publication time. */
export function stamped(e: LiveEvent): LiveEvent {
  return e.type === "dashboard" && e.at === undefined ? { ...e, at: Date.now() } : e;
}

/** In-process: what one server publishes, its own subscribers hear. */
export class LocalEventBus implements EventBus {
  private readonly emitter = new EventEmitter();
  readonly connected = true;

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(e: LiveEvent) {
    this.emitter.emit("event", stamped(e));
  }

  subscribe(listener: (e: LiveEvent) => void): () => void {
    this.emitter.on("event", listener);
    return () => this.emitter.off("event", listener);
  }

  get listeners() {
    return this.emitter.listenerCount("event");
  }

  async close() {
    this.emitter.removeAllListeners();
  }
}
