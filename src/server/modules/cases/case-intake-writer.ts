/**
 * Groups concurrent intakes into shared statements ("group commit"). Each
 * report waits for nothing when the database is idle: it is written at once.
 * While `maxInFlight` statements are running, reports that arrive queue and
 * go together in the next statement (at most `maxBatch`). One statement per
 * group instead of one per case saves the database's per-statement work and
 * the round trips, which dominate the cost of a report under load.
 *
 * Reports that arrive together (in one turn of the event loop) go together too.
 *
 * A group is one statement and so one transaction: if it fails, every case
 * of the group is written again on its own, so one bad report fails alone
 * and each caller gets its own answer or error.
 */
import type { Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { type CaseIntakeRows, type InsertedCase, insertCases } from "./cases.repository.js";

interface Pending {
  rows: CaseIntakeRows;
  resolve: (c: InsertedCase) => void;
  reject: (err: unknown) => void;
}

export class CaseIntakeWriter {
  private readonly queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  /** groups written, the largest, and groups that failed and were split */
  readonly stats = { groups: 0, largestGroup: 0, splitGroups: 0 };

  constructor(
    private readonly db: Kysely<DB>,
    private readonly opts: { maxInFlight: number; maxBatch: number } = {
      maxInFlight: 4,
      maxBatch: 64,
    },
  ) {}

  write(rows: CaseIntakeRows): Promise<InsertedCase> {
    return new Promise<InsertedCase>((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Starts groups after the reports that arrived in this turn of the event
   * loop have queued (setImmediate: no timer, no added wait). Without it an
   * engine that runs on this thread (PGlite) would always see one report.
   */
  private schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  private pump() {
    while (this.inFlight < this.opts.maxInFlight && this.queue.length > 0) {
      const group = this.queue.splice(0, this.opts.maxBatch);
      this.inFlight++;
      void this.run(group).finally(() => {
        this.inFlight--;
        if (this.queue.length > 0) this.schedule();
      });
    }
  }

  private async run(group: Pending[]) {
    this.stats.groups++;
    this.stats.largestGroup = Math.max(this.stats.largestGroup, group.length);
    try {
      const inserted = await insertCases(
        this.db,
        group.map((p) => p.rows),
      );
      for (const [i, p] of group.entries()) p.resolve(inserted[i] as InsertedCase);
    } catch (err) {
      if (group.length === 1) {
        group[0]?.reject(err);
        return;
      }
      // Nothing of the group was written: write each alone for its own answer.
      this.stats.splitGroups++;
      await Promise.all(
        group.map((p) =>
          insertCases(this.db, [p.rows]).then(
            (r) => p.resolve(r[0] as InsertedCase),
            (e: unknown) => p.reject(e),
          ),
        ),
      );
    }
  }
}

const writers = new WeakMap<Kysely<DB>, CaseIntakeWriter>();

/**
 * The writer of a database: one per database handle, made on first use with
 * `opts` (later calls get the same writer).
 */
export function intakeWriterFor(
  db: Kysely<DB>,
  opts?: { maxInFlight: number; maxBatch: number },
): CaseIntakeWriter {
  let w = writers.get(db);
  if (!w) {
    w = new CaseIntakeWriter(db, opts);
    writers.set(db, w);
  }
  return w;
}
