/**
 * Joint meetings of the demo district: one held three weeks ago and closed,
 * with minutes, attendance, concluded items and decisions (one done, one
 * still open, one overdue — the police station's, so the demo officer finds
 * it in 我的督办事项), and one district-wide scheduled for next week with an
 * agenda built from the seeded data (overdue supervised cases, the most
 * supported proposal awaiting an answer, the worst wage warning) and a topic
 * of the centre's own; the demo enterprise and association are invited to
 * both.
 *
 * Bounced cases: the case history returns a case at most once, so no seeded
 * case is over the threshold; the `meeting-agenda` job (and each new
 * meeting) puts them on the agenda once they bounce for real.
 */
import { sql } from "kysely";
import type { SeedContext } from "../../seed/seed-context.js";
import { chinaToday } from "./meetings.policy.js";
import * as repo from "./meetings.repository.js";

const DAY = 86_400_000;

/** 09:30 China time, `days` from today (China). */
function morning(now: Date, days: number): Date {
  const day = chinaToday(new Date(now.getTime() + days * DAY));
  return new Date(`${day}T09:30:00+08:00`);
}
const dayOf = (now: Date, days: number) => chinaToday(new Date(now.getTime() + days * DAY));

export async function seedMeetings(ctx: SeedContext, now = new Date()) {
  const trx = ctx.trx;
  const district = await repo.district(trx);
  if (!district) return;
  const coordinator = await trx
    .selectFrom("users")
    .select(["id", "display_name"])
    .where("username", "=", "coordinator")
    .executeTakeFirst();
  const depts = new Map(
    (
      await trx
        .selectFrom("departments")
        .select(["id", "code", "name"])
        .where("code", "in", [
          "320505-LD",
          "320505-ZJ",
          "320505-XF",
          "320505002-PCS",
          "320505002-BSC",
          "320505002-SFS",
        ])
        .execute()
    ).map((d) => [d.code, d]),
  );
  const orgs = await trx
    .selectFrom("role_grants as g")
    .innerJoin("users as u", "u.id", "g.user_id")
    .innerJoin("organisations as o", "o.id", "g.organisation_id")
    .select(["u.username", "o.id", "o.name"])
    .where("u.username", "in", ["enterprise", "association"])
    .execute();
  const enterprise = orgs.find((o) => o.username === "enterprise");
  const association = orgs.find((o) => o.username === "association");
  const police = depts.get("320505002-PCS");
  const office = depts.get("320505002-BSC");
  const labour = depts.get("320505-LD");
  const housing = depts.get("320505-ZJ");
  const fire = depts.get("320505-XF");
  const justice = depts.get("320505002-SFS");
  if (!coordinator || !police || !office || !labour || !housing || !fire) return;
  const by = { id: coordinator.id, label: coordinator.display_name };
  const orgIds = [enterprise?.id, association?.id].filter((x): x is string => !!x);

  // ------------------------------------------- held three weeks ago, closed
  const heldAt = morning(now, -21);
  const past = await repo.insertMeeting(trx, {
    area_id: district.id,
    area_path: district.path,
    title: "第四季度平安建设联席会议",
    scheduled_at: heldAt,
    place: "区综治中心三楼会议室",
    created_by: by.id,
    created_label: by.label,
  });
  await repo.insertParticipants(trx, past, {
    departmentIds: [police.id, office.id, labour.id, housing.id, fire.id],
    organisationIds: orgIds,
  });
  await sql`UPDATE meeting_participants SET attended = (organisation_id IS NULL OR ${ctx.random.chance(0.8)})
    WHERE meeting_id = ${past}`.execute(trx);
  const minutes = [
    "一、会议通报了本季度全区事件受理、办结和群众满意度情况，狮山街道出租房屋群租问题反映集中。",
    "二、会议就冬季消防安全形势进行了研判，要求各部门对电动车飞线充电、消防通道堵塞开展联合整治。",
    "三、会议听取了劳动保障监察大队关于春节前欠薪风险的报告，确定对预警企业逐一约谈。",
    "四、会议明确了以下督办事项，由综治中心跟踪落实，逾期未完成的纳入部门考核。",
  ].join("\n");
  const topics = [
    {
      title: "出租房屋群租集中整治",
      outcome: "由狮山街道办事处牵头、住建局和派出所配合，开展为期一个月的集中整治。",
    },
    {
      title: "冬季消防安全联合检查",
      outcome: "消防救援大队牵头，12 月底前完成重点区域电动车充电设施检查。",
    },
    {
      title: "春节前欠薪风险排查",
      outcome: "劳动保障监察大队对预警企业逐一约谈，企业负责人签署按时发放承诺书。",
    },
  ];
  const agendaIds: string[] = [];
  for (const t of topics) {
    const g = await repo.insertAgendaItem(trx, {
      meeting_id: past,
      area_path: district.path,
      kind: "other",
      case_id: null,
      proposal_id: null,
      organisation_id: null,
      subject_key: null,
      title: t.title,
      reason: null,
      details: {},
      source: "manual",
      created_by: by.id,
      created_label: by.label,
    });
    if (!g) continue;
    agendaIds.push(g.id);
    await repo.updateAgendaItem(trx, g.id, 1, {
      status: "concluded",
      outcome: t.outcome,
      settled_at: new Date(heldAt.getTime() + 2 * 3600_000),
      settled_by: by.id,
      settled_label: by.label,
    });
  }
  const decisions = [
    {
      title: "完成狮山街道群租房屋排查并建立台账",
      owner: { department: office.id },
      due: dayOf(now, -7),
      done: "已排查出租房屋 326 套，发现群租 18 处，台账已报综治中心。",
    },
    {
      title: "对群租线索逐户核查，依法处置涉及治安问题的房屋",
      owner: { department: police.id },
      due: dayOf(now, -2),
      done: null,
    },
    {
      title: "组织辖区企业开展消防安全自查并上报结果",
      owner: { organisation: enterprise?.id ?? null },
      due: dayOf(now, 10),
      done: null,
    },
    {
      title: "约谈欠薪预警企业负责人，督促签署承诺书",
      owner: { department: labour.id },
      due: dayOf(now, 14),
      done: null,
    },
  ];
  for (const [i, d] of decisions.entries()) {
    const deptId = "department" in d.owner ? (d.owner.department ?? null) : null;
    const orgId = "organisation" in d.owner ? (d.owner.organisation ?? null) : null;
    if (!deptId && !orgId) continue;
    const id = await repo.insertActionItem(trx, {
      meeting_id: past,
      agenda_item_id: agendaIds[Math.min(i, agendaIds.length - 1)] ?? null,
      title: d.title,
      owner_department_id: deptId,
      owner_organisation_id: orgId,
      due_on: d.due,
      created_by: by.id,
      created_label: by.label,
    });
    if (d.done)
      await repo.updateActionItem(trx, id, 1, {
        status: "done",
        done_note: d.done,
        done_at: new Date(now.getTime() - 9 * DAY),
        done_label: office.name,
      });
  }
  await sql`UPDATE meetings SET status = 'closed', minutes = ${minutes},
    held_at = ${heldAt}, closed_at = ${new Date(heldAt.getTime() + 3 * 3600_000)},
    created_at = ${new Date(heldAt.getTime() - 7 * DAY)}, version = 4
    WHERE id = ${past}`.execute(trx);
  for (const [action, hours] of [
    ["created", -7 * 24],
    ["held", 0],
    ["minutes_saved", 2.5],
    ["closed", 3],
  ] as const)
    await repo.insertLog(trx, {
      meeting_id: past,
      action,
      actor_user_id: by.id,
      actor_label: by.label,
      created_at: new Date(heldAt.getTime() + hours * 3600_000),
    });

  // ------------------------------------------------ scheduled for next week
  const next = await repo.insertMeeting(trx, {
    area_id: district.id,
    area_path: district.path,
    title: "全区平安建设联席会议（月度）",
    scheduled_at: morning(now, 6),
    place: "区综治中心三楼会议室",
    created_by: by.id,
    created_label: by.label,
  });
  await repo.insertParticipants(trx, next, {
    departmentIds: [police.id, office.id, labour.id, ...(justice ? [justice.id] : [])],
    organisationIds: orgIds,
  });
  await repo.insertLog(trx, {
    meeting_id: next,
    action: "created",
    actor_user_id: by.id,
    actor_label: by.label,
  });
  const add = async (
    v: Omit<repo.AgendaValues, "meeting_id" | "source" | "created_by" | "created_label">,
  ) => {
    const g = await repo.insertAgendaItem(trx, {
      ...v,
      meeting_id: next,
      source: "manual",
      created_by: by.id,
      created_label: by.label,
    });
    if (g)
      await repo.insertLog(trx, {
        meeting_id: next,
        action: "agenda_added",
        actor_user_id: by.id,
        actor_label: by.label,
        note: v.title,
        details: { itemId: g.id, kind: v.kind },
      });
  };
  const supervised = await repo.supervisedOverdue(trx, district.path, now, 2);
  for (const c of supervised.items)
    await add({
      area_path: district.path,
      kind: "supervised_case",
      case_id: c.id,
      proposal_id: null,
      organisation_id: null,
      subject_key: `case:${c.id}`,
      title: `${c.code}：${c.category_name}（督办超期）`,
      reason: `督办后仍超期${c.lead_name ? `（牵头：${c.lead_name}）` : ""}`,
      details: { dueAt: new Date(c.due_at).toISOString(), lead: c.lead_name },
    });
  const proposal = await trx
    .selectFrom("proposals")
    .select(["id", "title", "support_count", "area_path"])
    .where("status", "=", "submitted")
    .orderBy("support_count", "desc")
    .orderBy("id")
    .executeTakeFirst();
  if (proposal)
    await add({
      area_path: proposal.area_path,
      kind: "proposal",
      case_id: null,
      proposal_id: proposal.id,
      organisation_id: null,
      subject_key: `proposal:${proposal.id}`,
      title: `提案：${proposal.title}`,
      reason: `${proposal.support_count} 人支持，待政府答复`,
      details: { supportCount: proposal.support_count },
    });
  const warning = await trx
    .selectFrom("enterprise_scores as s")
    .innerJoin("organisations as o", "o.id", "s.organisation_id")
    .select(["o.id", "o.name", "o.area_path", "s.warning_score", "s.warning_level"])
    .where("s.warning_level", "in", ["warning", "alarm"])
    .orderBy("s.warning_score", "desc")
    .orderBy("o.id")
    .executeTakeFirst();
  if (warning)
    await add({
      area_path: warning.area_path,
      kind: "warning",
      case_id: null,
      proposal_id: null,
      organisation_id: warning.id,
      subject_key: `warning:${warning.id}`,
      title: `欠薪预警：${warning.name}`,
      reason: `欠薪预警分 ${warning.warning_score}（${warning.warning_level}）`,
      details: { score: warning.warning_score, level: warning.warning_level },
    });
  await add({
    area_path: district.path,
    kind: "other",
    case_id: null,
    proposal_id: null,
    organisation_id: null,
    subject_key: null,
    title: "上月督办事项落实情况通报",
    reason: null,
    details: {},
  });
  ctx.log("meetings: 2 (one closed with 4 action items, one scheduled)");
}
