/**
 * The scheduled jobs, in one list: the server runs each on its interval (and
 * once at start-up), and `gongzhi jobs run NAME [--now ISO-TIME]` runs one by
 * hand with a chosen clock. Every job must be safe to run twice, or on two
 * servers at once.
 */
import type { Kysely } from "kysely";
import type { Config } from "../config.js";
import type { FieldCrypto } from "../crypto/field-crypto.js";
import type { DB } from "../db/schema.js";
import { linkAuditChain } from "../modules/audit/audit.service.js";
import { runBroadcastDelivery } from "../modules/broadcasts/broadcasts.service.js";
import { runAutoClose, runEscalation } from "../modules/cases/case-deadlines.js";
import { pruneIdempotencyKeys } from "../modules/cases/cases.service.js";
import { foldCaseRollups } from "../modules/coordination/rollups.service.js";
import {
  enterpriseRatingsJob,
  wageWarningsJob,
} from "../modules/enterprise-risk/enterprise-risk.jobs.js";
import type { LiveEvent } from "../modules/events/event-bus.js";
import { gridRiskJob } from "../modules/grid-risk/grid-risk.jobs.js";
import { scheduleInspections } from "../modules/inspections/inspections.service.js";
import { runMeetingAgenda, runOverdueActionItems } from "../modules/meetings/meetings.service.js";
import { deliverPending } from "../modules/notifications/notifications.service.js";
import { configuredSenders } from "../modules/notifications/senders.js";
import { runPointsJob } from "../modules/points/points.service.js";
import { runOverdueAnswers } from "../modules/proposals/proposals.service.js";
import { runReportSchedules } from "../modules/reports/reports.service.js";
import { runShiftCheckouts } from "../modules/volunteers/shift-checkouts.js";
import { runAuthCleanup } from "./auth-cleanup.js";
import { runImportsSweep } from "./imports-sweep.js";

export interface JobContext {
  db: Kysely<DB>;
  config: Config;
  /** to read recipients' phone numbers (notification delivery) */
  fieldCrypto?: FieldCrypto;
  /** where the log sender writes */
  log?: (entry: Record<string, unknown>, msg: string) => void;
  /** live updates for open pages (the coordination centre's dashboards) */
  events?: { publish(e: LiveEvent): void };
}

export interface Job {
  name: string;
  description: string;
  everyMs: number;
  /** Runs the job once; the result is a one-line summary for people. */
  run(ctx: JobContext, now: Date): Promise<string>;
}

export const JOBS: readonly Job[] = [
  {
    name: "audit-chain",
    description: "links newly committed audit rows into the hash chain",
    everyMs: 1000,
    async run({ db }) {
      return `${await linkAuditChain(db)} audit rows linked`;
    },
  },
  {
    name: "auth-cleanup",
    description: "expired sessions, old login failures",
    everyMs: 15 * 60_000,
    async run({ db, config }, now) {
      const r = await runAuthCleanup(db, config, now);
      return `${r.sessions} sessions and ${r.failures} login failures removed`;
    },
  },
  {
    name: "imports-sweep",
    description: "imports left running by a server that stopped",
    everyMs: 60_000,
    async run({ db }, now) {
      const r = await runImportsSweep(db, now);
      return `${r.failed} interrupted imports marked failed`;
    },
  },
  {
    name: "escalation",
    description: "cases due soon and overdue: warnings and escalation up the area ladder",
    everyMs: 5 * 60_000,
    async run(ctx, now) {
      const r = await runEscalation(ctx, now);
      return `${r.warned} due-soon warnings, ${r.escalated} escalations`;
    },
  },
  {
    name: "case-autoclose",
    description: "resolved cases with no rating in time are closed",
    everyMs: 60 * 60_000,
    async run(ctx, now) {
      const r = await runAutoClose(ctx, now);
      return `${r.closed} cases closed without a rating`;
    },
  },
  {
    name: "notification-delivery",
    description:
      "notifications sent by SMS and e-mail through the configured senders (default: the log)",
    everyMs: 30_000,
    async run({ db, config, fieldCrypto, log }, now) {
      if (!fieldCrypto) return "skipped: no field keys";
      const write = log ?? ((e, m) => console.log(m, JSON.stringify(e)));
      const senders = configuredSenders(config, write);
      try {
        const r = await deliverPending({ db, fieldCrypto, senders, log: write }, now);
        return `${r.sms} by SMS, ${r.email} by e-mail, ${r.failed} refused, ${r.appOnly} in the app only`;
      } finally {
        senders.close();
      }
    },
  },
  {
    name: "idempotency-cleanup",
    description: "Idempotency-Key records older than a day",
    everyMs: 60 * 60_000,
    async run({ db }, now) {
      return `${await pruneIdempotencyKeys({ db }, now)} old idempotency keys removed`;
    },
  },
  {
    name: "inspections-schedule",
    description:
      "self-inspections of the current month and quarter for every enterprise each active checklist applies to (idempotent)",
    everyMs: 60 * 60_000,
    async run({ db }, now) {
      return `${await scheduleInspections(db, now)} inspections scheduled`;
    },
  },
  {
    name: "wage-warnings",
    description:
      "wage-arrears warnings of all enterprises; a rise into warning or alarm notifies labour inspection and opens one preventive case",
    everyMs: 60 * 60_000,
    run: wageWarningsJob,
  },
  {
    name: "enterprise-ratings",
    description: "safety credit ratings: each enterprise once a day (the first run after midnight)",
    everyMs: 60 * 60_000,
    run: enterpriseRatingsJob,
  },
  {
    name: "proposal-answers-overdue",
    description:
      "proposals whose department has not answered by the deadline: flagged once, officers and coordinators notified",
    everyMs: 30 * 60_000,
    async run({ db }, now) {
      const r = await runOverdueAnswers({ db }, now);
      return `${r.flagged} proposals flagged overdue, ${r.notified} people notified`;
    },
  },
  {
    name: "shift-checkouts",
    description:
      "check-ins still open 2 hours after their shift's end: closed at the end, hours flagged 未签退 for the verifier, the volunteer notified",
    everyMs: 5 * 60_000,
    async run({ db }, now) {
      const r = await runShiftCheckouts(db, now);
      return `${r.closed} forgotten check-outs closed, ${r.notified} volunteers notified`;
    },
  },
  {
    name: "points",
    description:
      "points for verified work (hours, tips, mediations, adopted proposals) of the people whose work changed; corrections when it changed back",
    everyMs: 60_000,
    async run({ db }, now) {
      const r = await runPointsJob(db, now);
      return `${r.written} ledger entries for ${r.people ?? "all"} people`;
    },
  },
  {
    name: "grid-risk",
    description:
      "the grid risk index of every grid, once a day (the first run after midnight), and the early warnings of grids that jumped or turned high (their grid workers and coordinators notified)",
    everyMs: 60 * 60_000,
    run: gridRiskJob,
  },
  {
    name: "case-rollups",
    description:
      "counts new case actions into the coordination centre's rollups (KPIs, scorecards, map), a few seconds behind",
    everyMs: 3000,
    async run({ db, events }) {
      const n = await foldCaseRollups(db);
      if (n > 0) events?.publish({ type: "dashboard", topics: ["cases"] });
      return `${n} case actions counted`;
    },
  },
  {
    name: "reports",
    description:
      "district reports by schedule: last week's every Monday, last month's on the 1st, for each area with a schedule (once per area and period); recipients notified",
    everyMs: 15 * 60_000,
    async run({ db, events }, now) {
      const r = await runReportSchedules({ db, events }, now);
      return r.waiting
        ? "waiting: case actions still to be counted"
        : `${r.generated} reports generated`;
    },
  },
  {
    name: "broadcast-delivery",
    description:
      "broadcasts being sent: their audience fixed as delivery rows in batches, delivered in the app and by SMS (SKIP LOCKED), then marked sent",
    everyMs: 5000,
    async run({ db, config, fieldCrypto, log, events }, now) {
      if (!fieldCrypto) return "skipped: no field keys";
      const write = log ?? ((e, m) => console.log(m, JSON.stringify(e)));
      const senders = configuredSenders(config, write);
      try {
        const r = await runBroadcastDelivery({ db, fieldCrypto, senders, log: write, events }, now);
        return `${r.fixed} recipients fixed, ${r.inApp} in the app, ${r.sms} by SMS, ${r.failed} failed, ${r.completed} broadcasts completed`;
      } finally {
        senders.close();
      }
    },
  },
  {
    name: "meeting-agenda",
    description:
      "cases returned or reassigned more than the threshold: onto the next scheduled joint meeting of their area (or its pool), once per case; pool items onto a meeting once one is scheduled",
    everyMs: 10 * 60_000,
    async run({ db }, now) {
      const r = await runMeetingAgenda({ db }, now);
      return `${r.placed} bounced cases put forward (${r.pooled} to the pool), ${r.moved} pool items onto meetings`;
    },
  },
  {
    name: "meeting-actions-overdue",
    description:
      "joint meetings' action items past their deadline: flagged once, their owners and the meeting's organiser notified",
    everyMs: 30 * 60_000,
    async run({ db, events }, now) {
      const r = await runOverdueActionItems({ db }, now);
      if (r.notifiedUsers.length)
        events?.publish({ type: "notifications", userIds: r.notifiedUsers });
      return `${r.flagged} action items flagged overdue, ${r.notified} notifications`;
    },
  },
];

export function findJob(name: string): Job | undefined {
  return JOBS.find((j) => j.name === name);
}

/**
 * Runs every job on its interval until stop() is called; runs of one job
 * never overlap in this process (a slow run skips its next tick). The first
 * time is after `firstRunAfterMs`
 * (the server answers first: a first run over a freshly seeded district, with
 * thousands of deadlines passed, holds the embedded database for seconds).
 */
export function scheduleJobs(
  ctx: JobContext,
  onError: (job: Job, err: unknown) => void,
  firstRunAfterMs = 10_000,
) {
  const timers: NodeJS.Timeout[] = [];
  for (const job of JOBS) {
    let running = false;
    const tick = () => {
      if (running) return;
      running = true;
      job
        .run(ctx, new Date())
        .catch((err: unknown) => onError(job, err))
        .finally(() => {
          running = false;
        });
    };
    const first = setTimeout(() => {
      tick();
      const timer = setInterval(tick, job.everyMs);
      timer.unref();
      timers.push(timer);
    }, firstRunAfterMs);
    first.unref();
    timers.push(first);
  }
  return () => {
    for (const t of timers) clearTimeout(t);
  };
}
