/**
 * Live updates for open pages: who should look again, and at what. A change
 * publishes after it commits; the SSE route (events.routes.ts) passes each
 * event to the connections it concerns. In-process: with several servers a
 * page hears of changes made through its own server, and its polling covers
 * the rest (sharing through PostgreSQL LISTEN/NOTIFY is the coordination
 * centre's issue).
 */
import { EventEmitter } from "node:events";

export type LiveEvent =
  /** these users have new notifications */
  | { type: "notifications"; userIds: string[] }
  /** this case changed (its version is now `version`) */
  | { type: "case"; caseId: string; version: number };

export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open page.
    this.emitter.setMaxListeners(0);
  }

  publish(e: LiveEvent) {
    this.emitter.emit("event", e);
  }

  subscribe(listener: (e: LiveEvent) => void): () => void {
    this.emitter.on("event", listener);
    return () => this.emitter.off("event", listener);
  }

  get listeners() {
    return this.emitter.listenerCount("event");
  }
}
