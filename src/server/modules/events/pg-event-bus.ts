/**
 * The event bus shared by every server of one PostgreSQL database, through
 * LISTEN/NOTIFY on the channel `gongzhi_events`.
 *
 * Publishing hands the event to this server's subscribers at once and sends
 * it with `pg_notify` (through the pool, after the change committed) tagged
 * with this process's id; one dedicated connection per process (not from the
 * pool) LISTENs and hands what the other servers sent to the subscribers
 * here, dropping its own echo. So each event reaches each subscriber exactly
 * once, a server's own pages hear of its changes without a round trip, and
 * while the LISTEN connection is down (it reconnects by itself, with backoff)
 * publishing still works on this server and still reaches the others.
 */
import { randomUUID } from "node:crypto";
import { type Kysely, sql } from "kysely";
import pg from "pg";
import { z } from "zod";
import type { Database } from "../../db/database.js";
import type { DB } from "../../db/schema.js";
import { type BusLog, type EventBus, type LiveEvent, LocalEventBus, stamped } from "./event-bus.js";

export const EVENTS_CHANNEL = "gongzhi_events";
/** PostgreSQL refuses payloads of 8,000 bytes or more; stay clear of it. */
export const MAX_PAYLOAD_BYTES = 7_900;
/** Notifications waiting to be sent before the oldest are given up (the
 *  database is unreachable; pages still poll). */
const MAX_QUEUED = 10_000;
/** Notifications sent by one statement. */
const BATCH = 500;
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 15_000;

const liveEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("notifications"), userIds: z.array(z.string()) }),
  z.object({ type: z.literal("case"), caseId: z.string(), version: z.number() }),
  z.object({
    type: z.literal("dashboard"),
    topics: z.array(z.string()),
    at: z.number().optional(),
  }),
]);
const envelope = z.object({ o: z.string(), n: z.number(), e: liveEvent });

/**
 * The NOTIFY payloads of one event: `{o: origin, n: sequence, e: event}`,
 * each at most `max` bytes; a long list of users (or topics) is split over
 * several. An event that cannot be split to fit gives none.
 */
export function eventPayloads(
  origin: string,
  nextSeq: () => number,
  e: LiveEvent,
  max = MAX_PAYLOAD_BYTES,
): string[] {
  const text = JSON.stringify({ o: origin, n: nextSeq(), e });
  if (Buffer.byteLength(text) <= max) return [text];
  const halves = <T>(xs: T[]) => [
    xs.slice(0, Math.ceil(xs.length / 2)),
    xs.slice(Math.ceil(xs.length / 2)),
  ];
  let parts: LiveEvent[] = [];
  if (e.type === "notifications" && e.userIds.length > 1)
    parts = halves(e.userIds).map((userIds) => ({ ...e, userIds }));
  if (e.type === "dashboard" && e.topics.length > 1)
    parts = halves(e.topics).map((topics) => ({ ...e, topics }));
  return parts.flatMap((p) => eventPayloads(origin, nextSeq, p, max));
}

export class PgEventBus implements EventBus {
  private readonly local = new LocalEventBus();
  /** Tags this process's notifications so that it can drop their echo. */
  readonly origin = randomUUID();
  private seq = 0;
  private client: pg.Client | null = null;
  private listening = false;
  private closed = false;
  private failures = 0;
  private retry: NodeJS.Timeout | null = null;
  private queue: string[] = [];
  private flushing: Promise<void> | null = null;
  /** Counters for the health route and tests. */
  readonly stats = { sent: 0, received: 0, echoes: 0, dropped: 0, reconnects: 0 };

  constructor(
    private readonly deps: { db: Kysely<DB>; clientConfig: pg.ClientConfig; log: BusLog },
  ) {}

  /** Opens the LISTEN connection; a failure is logged and retried, not thrown. */
  async start() {
    await this.connect();
  }

  get connected() {
    return this.listening;
  }

  /** The backend pid of the LISTEN connection (tests terminate it). */
  get listenerPid(): number | undefined {
    return this.listening
      ? (this.client as unknown as { processID?: number } | null)?.processID
      : undefined;
  }

  publish(e: LiveEvent) {
    const event = stamped(e);
    this.local.publish(event);
    if (this.closed) return;
    const payloads = eventPayloads(this.origin, () => ++this.seq, event);
    if (payloads.length === 0) {
      this.stats.dropped++;
      this.deps.log.warn({ type: event.type }, "live events: an event too large to notify");
    }
    this.queue.push(...payloads);
    if (this.queue.length > MAX_QUEUED) {
      const over = this.queue.length - MAX_QUEUED;
      this.queue.splice(0, over);
      this.stats.dropped += over;
    }
    this.flushSoon();
  }

  subscribe(listener: (e: LiveEvent) => void) {
    return this.local.subscribe(listener);
  }

  async close() {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    while (this.flushing) await this.flushing;
    const client = this.client;
    this.client = null;
    this.listening = false;
    await client?.end().catch(() => {});
    await this.local.close();
  }

  // One statement in flight at a time; what is published meanwhile goes in
  // the next one, so a burst costs few round trips and one pool connection.
  private flushSoon() {
    if (this.flushing || this.queue.length === 0) return;
    this.flushing = this.flush().finally(() => {
      this.flushing = null;
      this.flushSoon();
    });
  }

  private async flush() {
    const batch = this.queue.splice(0, BATCH);
    try {
      await sql`SELECT pg_notify(${EVENTS_CHANNEL}, p) FROM unnest(${batch}::text[]) WITH ORDINALITY AS t(p, i) ORDER BY i`.execute(
        this.deps.db,
      );
      this.stats.sent += batch.length;
    } catch (err) {
      // Live events are hints (pages also reload what they show): give these
      // up rather than hold them for a database that is not answering.
      this.stats.dropped += batch.length;
      this.deps.log.warn({ err, events: batch.length }, "live events: NOTIFY failed");
    }
  }

  private receive(payload: string | undefined) {
    let parsed: z.infer<typeof envelope>;
    try {
      parsed = envelope.parse(JSON.parse(payload ?? ""));
    } catch {
      return;
    }
    if (parsed.o === this.origin) {
      this.stats.echoes++;
      return;
    }
    this.stats.received++;
    this.local.publish(parsed.e as LiveEvent);
  }

  private async connect() {
    if (this.closed) return;
    const client = new pg.Client({ ...this.deps.clientConfig, keepAlive: true });
    this.client = client;
    client.on("notification", (m) => {
      if (m.channel === EVENTS_CHANNEL) this.receive(m.payload);
    });
    client.on("error", (err) => this.lost(client, err));
    client.on("end", () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch (err) {
      this.lost(client, err);
      return;
    }
    if (this.client !== client) return;
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.listening = true;
    if (this.failures > 0) {
      this.stats.reconnects++;
      this.deps.log.info(
        { attempts: this.failures },
        "live events: LISTEN connection restored; events from other servers arrive again",
      );
    }
    this.failures = 0;
  }

  private lost(client: pg.Client, err?: unknown) {
    if (this.client !== client) return;
    this.client = null;
    this.listening = false;
    client.end().catch(() => {});
    if (this.closed) return;
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** this.failures);
    this.failures++;
    this.deps.log.warn(
      { err, retryInMs: delay, attempt: this.failures },
      "live events: LISTEN connection lost; events from other servers wait until it is back",
    );
    this.retry = setTimeout(
      () => {
        this.retry = null;
        void this.connect();
      },
      delay * (1 + Math.random() * 0.2),
    );
    this.retry.unref();
  }
}

/** The bus for this database: shared through PostgreSQL, or in-process on PGlite. */
export async function eventBusFor(database: Database, log: BusLog): Promise<EventBus> {
  if (database.engine !== "postgresql" || !database.clientConfig) return new LocalEventBus();
  const bus = new PgEventBus({ db: database.db, clientConfig: database.clientConfig, log });
  await bus.start();
  return bus;
}
