/**
 * The deadline jobs. `escalation`: warns the lead department of cases due
 * soon, and when a case is overdue escalates it up the area ladder
 * (community → street → district) at the configured working hours past the
 * deadline. `case-autoclose`: closes resolved cases whose reporter gave no
 * rating within the configured days.
 *
 * Both run in batches, each in its own transaction with its rows locked
 * (SKIP LOCKED: a second server skips them), and record what they did per
 * case, kind, level and deadline, so every warning and escalation happens
 * exactly once even when the job runs twice or again after a crash.
 */

import type { Kysely } from "kysely";
import { workingMsBetween } from "../../../shared/working-time.js";
import type { Config } from "../../config.js";
import type { DB } from "../../db/schema.js";
import { recordAudit } from "../audit/audit.service.js";
import { departmentOfficers } from "../departments/departments.service.js";
import * as repo from "./cases.repository.js";

const BATCH = 200;
const LEVEL_AREAS = ["community", "street", "district"] as const;
const LEVEL_NAMES = ["社区", "街道", "区"] as const;

export interface DeadlineDeps {
  db: Kysely<DB>;
  config: Config;
}

/** The escalation level a case overdue by `overdueHours` working hours has reached (0: none). */
export function escalationLevelFor(overdueHours: number, thresholds: readonly number[]): number {
  let level = 0;
  thresholds.forEach((h, i) => {
    if (overdueHours >= h) level = i + 1;
  });
  return level;
}

export async function runEscalation(deps: DeadlineDeps, now = new Date()) {
  const soon = new Date(now.getTime() + deps.config.caseDueSoonHours * 3600_000);
  let afterId = "0";
  const done = { warned: 0, escalated: 0 };
  for (;;) {
    const n = await deps.db.transaction().execute(async (trx) => {
      const rows = await repo.lockCasesDueBefore(trx, soon, afterId, BATCH);
      for (const c of rows) {
        afterId = c.id;
        const leadOfficers = c.lead_department_id
          ? await departmentOfficers(trx, [c.lead_department_id])
          : [];
        if (c.due_at.getTime() >= now.getTime()) {
          if (
            await repo.recordEscalation(trx, {
              case_id: c.id,
              kind: "due_soon",
              level: 0,
              due_at: c.due_at,
            })
          ) {
            await repo.insertNotifications(
              trx,
              leadOfficers.map((u) => ({
                user_id: u,
                kind: "case.due_soon",
                case_id: c.id,
                title: `即将超期 ${c.code}：${c.category_name}`,
                body: `期限 ${c.due_at.toISOString()}`,
              })),
            );
            done.warned++;
          }
          continue;
        }
        const overdueHours = workingMsBetween(c.due_at, now, deps.config.workCalendar) / 3600_000;
        const level = escalationLevelFor(overdueHours, deps.config.caseEscalationHours);
        // Each level not yet reached for this deadline, in order.
        for (let l = 1; l <= level; l++) {
          const fresh = await repo.recordEscalation(trx, {
            case_id: c.id,
            kind: "overdue",
            level: l,
            due_at: c.due_at,
          });
          if (!fresh) continue;
          const areaLevel = LEVEL_AREAS[l - 1] as (typeof LEVEL_AREAS)[number];
          const coordinators = await repo.coordinatorsAt(trx, c.area_path, areaLevel);
          const note = `已超期 ${Math.floor(overdueHours)} 个工作小时，升级至${LEVEL_NAMES[l - 1]}级督促`;
          await repo.insertAction(trx, {
            case_id: c.id,
            action: "escalate",
            from_status: c.status,
            to_status: null,
            actor_user_id: null,
            actor_label: "系统（期限监控）",
            note,
            visibility: "internal",
            details: { level: l, dueAt: c.due_at.toISOString(), overdueHours },
          });
          await repo.insertNotifications(
            trx,
            [...new Set([...leadOfficers, ...coordinators])].map((u) => ({
              user_id: u,
              kind: "case.overdue",
              case_id: c.id,
              title: `超期${l > 1 ? `（升级至${LEVEL_NAMES[l - 1]}级）` : ""} ${c.code}：${c.category_name}`,
              body: note,
            })),
          );
          await recordAudit(
            trx,
            { actor: null },
            {
              action: "case.escalated",
              subjectType: "case",
              subjectId: c.id,
              details: { code: c.code, level: l },
            },
          );
          done.escalated++;
        }
        if (level > c.escalation_level) await repo.setEscalationLevel(trx, c.id, level);
      }
      return rows.length;
    });
    if (n < BATCH) break;
  }
  return done;
}

export async function runAutoClose(deps: DeadlineDeps, now = new Date()) {
  const before = new Date(now.getTime() - deps.config.caseFeedbackDays * 86_400_000);
  let afterId = "0";
  let closed = 0;
  for (;;) {
    const n = await deps.db.transaction().execute(async (trx) => {
      const rows = await repo.lockResolvedBefore(trx, before, afterId, BATCH);
      for (const c of rows) {
        afterId = c.id;
        const updated = await repo.updateCase(trx, c.id, c.version, {
          status: "closed",
          closed_at: now,
        });
        if (!updated) continue;
        await repo.insertAction(trx, {
          case_id: c.id,
          action: "close",
          from_status: "resolved",
          to_status: "closed",
          actor_user_id: null,
          actor_label: "系统",
          note: `${deps.config.caseFeedbackDays} 日内未评价，自动结案`,
          visibility: "public",
        });
        await recordAudit(
          trx,
          { actor: null },
          {
            action: "case.auto_closed",
            subjectType: "case",
            subjectId: c.id,
            details: { code: c.code },
          },
        );
        closed++;
      }
      return rows.length;
    });
    if (n < BATCH) break;
  }
  return { closed };
}
