/**
 * The shift-checkouts job: a volunteer who forgets to check out would stay
 * checked in for ever and nobody could decide on their hours. Two hours
 * after a shift's end, every check-in still open on it is closed at the
 * shift's end by the system (checkout_source 'auto'). The hours stay pending
 * and are flagged for the verifier (未签退), who sets the real check-out time
 * before verifying; the volunteer is told, with a link to the shift.
 *
 * Safe to run twice or on two servers at once: a row is only closed while it
 * is still checked in, and rows another run holds are skipped (SKIP LOCKED).
 */
import type { Kysely } from "kysely";
import { SHIFT_RULES } from "../../../shared/schemas/volunteers.js";
import type { DB } from "../../db/schema.js";
import { recordAudit } from "../audit/audit.service.js";
import { notifyUsers } from "../notifications/notifications.service.js";
import { clock, serviceMinutes } from "./shift-rules.js";
import * as repo from "./shifts.repository.js";

const BATCH = 200;
const SYSTEM_REASON = `班次结束 ${SHIFT_RULES.autoCheckoutAfterHours} 小时后仍未签退，系统按班次结束时间自动签退 / not checked out ${SHIFT_RULES.autoCheckoutAfterHours} hours after the shift's end: closed at the end by the system`;

export async function runShiftCheckouts(
  db: Kysely<DB>,
  now = new Date(),
): Promise<{ closed: number; notified: number }> {
  const endedBefore = new Date(now.getTime() - SHIFT_RULES.autoCheckoutAfterHours * 3_600_000);
  const done = { closed: 0, notified: 0 };
  let afterId = "0";
  for (;;) {
    const n = await db.transaction().execute(async (trx) => {
      const rows = await repo.lockForgottenCheckIns(trx, endedBefore, afterId, BATCH);
      const closed: typeof rows = [];
      for (const g of rows) {
        afterId = g.id;
        const checkedIn = new Date(g.checked_in_at as Date);
        const ends = new Date(g.ends_at);
        // Check-in closes at the end, so it precedes it; never close before it anyway.
        const at = checkedIn > ends ? checkedIn : ends;
        const minutes = serviceMinutes(checkedIn, at, new Date(g.starts_at), ends);
        const updated = await repo.updateSignup(trx, g.id, g.version, {
          status: "checked_out",
          checked_out_at: at,
          minutes,
          hours_status: "pending",
          checkout_source: "auto",
        });
        if (!updated) continue;
        await repo.insertSignupAction(trx, {
          signup_id: g.id,
          action: "auto_check_out",
          actor_user_id: null,
          new_minutes: minutes,
          new_checked_out_at: at,
          reason: SYSTEM_REASON,
        });
        await notifyUsers(trx, [g.volunteer_user_id], {
          kind: "shift.auto_checkout",
          title: `您未签退：${g.shift_title}`,
          body: `系统已按班次结束时间（${clock(ends)}）为您签退。服务时长待核验人确认实际签退时间后核验。`,
          link: `/shifts/${g.shift_id}`,
        });
        closed.push(g);
      }
      if (closed.length)
        await recordAudit(
          trx,
          { actor: null, requestId: "job:shift-checkouts" },
          {
            action: "shift.auto_checked_out",
            subjectType: "shift_signup",
            details: { ids: closed.map((g) => g.id) },
          },
        );
      done.closed += closed.length;
      done.notified += closed.length;
      return rows.length;
    });
    if (n < BATCH) break;
  }
  return done;
}
