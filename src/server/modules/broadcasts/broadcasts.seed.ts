/**
 * Broadcasts of the demo district: an anti-fraud warning from the district's
 * coordination centre to the residents of the street the demo `resident`
 * lives in (five days ago; unread in their app and bell), a cold-snap safety
 * tip from the demo officer's police station to the employees of three
 * enterprises of its street (twelve days ago) — both delivered with
 * realistic outcomes: a few numbers refused by the gateway, about six in
 * ten app users having read it — and a typhoon warning to a community's
 * volunteers still in draft.
 *
 * The audience is fixed with the same batched statement the delivery job
 * uses; outcomes are drawn from md5 of the row id (deterministic).
 */
import { sql } from "kysely";
import type { SeedContext } from "../../seed/seed-context.js";
import { notifyUsers } from "../notifications/notifications.service.js";
import * as repo from "./broadcasts.repository.js";

const MINUTE = 60_000;
const DAY = 86_400_000;

/** A byte 0–255 of md5(row id, salt): the row's deterministic draw. */
const draw = (salt: string, byte: number) =>
  sql<number>`get_byte(decode(md5(d.id::text || ${salt}), 'hex'), ${byte})`;

export async function seedBroadcasts(ctx: SeedContext, now: Date): Promise<void> {
  const { trx } = ctx;
  const officer = await trx
    .selectFrom("role_grants as g")
    .innerJoin("users as u", "u.id", "g.user_id")
    .innerJoin("departments as d", "d.id", "g.department_id")
    .innerJoin("areas as a", "a.id", "d.area_id")
    .select([
      "u.id as user_id",
      "u.display_name",
      "d.id as department_id",
      "d.name as department_name",
      "a.code as street_code",
      "a.name as street_name",
      "a.path as street_path",
    ])
    .where("u.username", "=", "officer")
    .executeTakeFirst();
  const coordinator = await trx
    .selectFrom("users")
    .select(["id", "display_name"])
    .where("username", "=", "coordinator")
    .executeTakeFirst();
  const district = await trx
    .selectFrom("areas")
    .select(["code", "name", "path"])
    .where("level", "=", "district")
    .executeTakeFirst();
  const demoResident = await trx
    .selectFrom("users")
    .select("id")
    .where("username", "=", "resident")
    .executeTakeFirst();
  // The street the demo resident lives in (else the officer's).
  const home = await trx
    .selectFrom("residents as r")
    .innerJoin("users as u", "u.id", "r.user_id")
    .innerJoin("areas as a", (j) =>
      j.on(sql<boolean>`r.area_path LIKE a.path || '%'`).on("a.level", "=", "street"),
    )
    .select(["a.code", "a.name", "a.path"])
    .where("u.username", "=", "resident")
    .executeTakeFirst();
  if (!officer || !coordinator || !district) return;
  const fraudStreet = home ?? {
    code: officer.street_code,
    name: officer.street_name,
    path: officer.street_path,
  };
  const centre = { name: `${district.name}综治中心`, areaPath: district.path, departmentId: null };

  const sendOne = async (b: {
    title: string;
    body: string;
    category: "anti_fraud" | "safety";
    audience: Record<string, unknown>;
    resolved: repo.ResolvedAudience;
    issuer: { name: string; areaPath: string; departmentId: string | null };
    by: { id: string; label: string };
    sentAt: Date;
    salt: string;
  }) => {
    const id = await repo.insertBroadcast(trx, {
      title: b.title,
      body: b.body,
      category: b.category,
      audience: b.audience,
      sms: true,
      issuer_name: b.issuer.name,
      area_path: b.issuer.areaPath,
      department_id: b.issuer.departmentId,
      created_by: b.by.id,
      created_label: b.by.label,
    });
    let cursor: string | null = null;
    let done = false;
    while (!done) {
      const r = await repo.materialiseBatch(trx, id, b.resolved, true, cursor, 5000);
      await repo.advanceCursor(trx, id, {
        cursor: r.last ?? cursor,
        done: r.scanned < 5000,
        inserted: r.inserted,
        unreachable: r.unreachable,
      });
      cursor = r.last ?? cursor;
      done = r.scanned < 5000;
    }
    const sent = b.sentAt;
    const inApp = new Date(sent.getTime() + MINUTE);
    const delivered = new Date(sent.getTime() + 3 * MINUTE);
    // About 3 % of numbers refused; about 62 % of app users read it within two days.
    await sql`
      UPDATE broadcast_deliveries d SET
        delivered_at = ${delivered},
        in_app_at = CASE WHEN d.in_app THEN ${inApp}::timestamptz END,
        sms_status = CASE WHEN NOT d.sms THEN NULL
          WHEN ${draw(b.salt, 0)} % 100 < 3 THEN 'failed' ELSE 'sent' END,
        sms_sender = CASE WHEN d.sms THEN 'log' END,
        read_at = CASE WHEN d.in_app AND d.user_id IS DISTINCT FROM ${demoResident?.id ?? null}::bigint
            AND ${draw(b.salt, 1)} % 100 < 62
          THEN least(${inApp}::timestamptz + make_interval(mins => ${draw(b.salt, 2)} * 11), ${now}::timestamptz) END
      WHERE d.broadcast_id = ${id}`.execute(trx);
    await sql`
      UPDATE broadcasts b SET
        status = 'sent', sent_at = ${sent}, sent_by = ${b.by.id}, sent_label = ${b.by.label},
        completed_at = ${delivered}, materialised = true,
        delivered_count = x.delivered, in_app_count = x.in_app, sms_sent_count = x.sms_sent,
        failed_count = x.failed, read_count = x.read, created_at = ${new Date(sent.getTime() - 20 * MINUTE)}
      FROM (SELECT count(*)::int AS delivered,
          count(*) FILTER (WHERE in_app_at IS NOT NULL)::int AS in_app,
          count(*) FILTER (WHERE sms_status = 'sent')::int AS sms_sent,
          count(*) FILTER (WHERE sms_status = 'failed'
            OR (in_app_at IS NULL AND sms_status IS DISTINCT FROM 'sent'))::int AS failed,
          count(*) FILTER (WHERE read_at IS NOT NULL)::int AS read
        FROM broadcast_deliveries WHERE broadcast_id = ${id}) x
      WHERE b.id = ${id}`.execute(trx);
    const counts = await repo.findBroadcast(trx, id);
    for (const [action, at, details] of [
      ["create", new Date(sent.getTime() - 20 * MINUTE), {}],
      ["send", sent, { targeted: counts?.targeted_count ?? 0 }],
      [
        "complete",
        delivered,
        {
          targeted: counts?.targeted_count ?? 0,
          inApp: counts?.in_app_count ?? 0,
          smsSent: counts?.sms_sent_count ?? 0,
          failed: counts?.failed_count ?? 0,
          unreachable: counts?.unreachable_count ?? 0,
        },
      ],
    ] as const)
      await trx
        .insertInto("broadcast_actions")
        .values({
          broadcast_id: id,
          action,
          actor_user_id: action === "complete" ? null : b.by.id,
          actor_label: action === "complete" ? "定向广播发送任务" : b.by.label,
          details: JSON.stringify(details),
          created_at: at,
        })
        .execute();
    // The bell of those who have it unread (the read ones opened it from there).
    const unread = await trx
      .selectFrom("broadcast_deliveries")
      .select("user_id")
      .where("broadcast_id", "=", id)
      .where("in_app_at", "is not", null)
      .where("read_at", "is", null)
      .execute();
    await notifyUsers(
      trx,
      unread.flatMap((u) => (u.user_id ? [u.user_id] : [])),
      {
        kind: "broadcast",
        title: `【${b.category === "anti_fraud" ? "反诈提醒" : "安全提示"}】${b.title}`,
        body: b.body,
        link: `/broadcasts/${id}`,
      },
      { appOnly: { at: inApp } },
    );
    return counts;
  };

  const fraud = await sendOne({
    title: "警惕“冒充客服退款”诈骗",
    body: "近期辖区多名居民接到自称网购平台客服的电话，以“商品质量问题退款”“取消会员扣费”为由诱导下载会议软件、共享屏幕并转账。请牢记：正规客服不会要求共享屏幕或向“安全账户”转账。接到可疑电话请立即挂断，拨打 96110 或 110 咨询。",
    category: "anti_fraud",
    audience: {
      kind: "residents",
      areaCode: fraudStreet.code,
      enterpriseIds: [],
      teamId: null,
      label: `${fraudStreet.name} 居民`,
    },
    resolved: { kind: "residents", areaPath: fraudStreet.path },
    issuer: centre,
    by: { id: coordinator.id, label: coordinator.display_name },
    sentAt: new Date(now.getTime() - 5 * DAY - 3 * 3_600_000),
    salt: "fraud",
  });

  const enterprises = await trx
    .selectFrom("organisations as o")
    .select(["o.id", "o.name"])
    .where("o.kind", "=", "enterprise")
    .where("o.area_path", "like", `${officer.street_path}%`)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom("employments as e")
          .select("e.id")
          .whereRef("e.organisation_id", "=", "o.id")
          .where("e.left_on", "is", null),
      ),
    )
    .orderBy("o.id")
    .limit(3)
    .execute();
  let safety: Awaited<ReturnType<typeof sendOne>> | undefined;
  if (enterprises.length)
    safety = await sendOne({
      title: "寒潮来袭，宿舍用电和取暖安全提醒",
      body: "本周将有强冷空气过境，最低气温降至零下。请在宿舍内不使用大功率电器取暖，不私拉电线给电动车充电，离开时关闭电源；使用燃气取暖请保持通风，谨防一氧化碳中毒。如发现消防隐患，请向企业安全员或拨打 12345 反映。",
      category: "safety",
      audience: {
        kind: "employees",
        areaCode: null,
        enterpriseIds: enterprises.map((e) => e.id),
        teamId: null,
        label:
          enterprises.length <= 2
            ? `${enterprises.map((e) => e.name).join("、")} 员工`
            : `${enterprises
                .slice(0, 2)
                .map((e) => e.name)
                .join("、")}等 ${enterprises.length} 家企业员工`,
      },
      resolved: {
        kind: "employees",
        enterpriseIds: enterprises.map((e) => e.id),
        today: new Date(now.getTime() - 12 * DAY + 8 * 3_600_000).toISOString().slice(0, 10),
      },
      issuer: {
        name: officer.department_name,
        areaPath: officer.street_path,
        departmentId: officer.department_id,
      },
      by: { id: officer.user_id, label: officer.display_name },
      sentAt: new Date(now.getTime() - 12 * DAY),
      salt: "cold",
    });

  // A draft: the coordination centre's typhoon warning to a community's volunteers.
  const community = await trx
    .selectFrom("volunteers as v")
    .innerJoin("areas as a", "a.id", "v.area_id")
    .select(["a.code", "a.name"])
    .where("v.status", "=", "active")
    .groupBy(["a.code", "a.name"])
    .orderBy(sql`count(*)`, "desc")
    .orderBy("a.code")
    .limit(1)
    .executeTakeFirst();
  if (community) {
    const id = await repo.insertBroadcast(trx, {
      title: "台风“海燕”防御准备：请志愿者待命",
      body: "气象台预计台风将于后天影响本区。请各位志愿者保持手机畅通，协助社区检查低洼地带、工地围挡和广告牌，劝导群租房住户做好防风准备。具体分工以社区通知为准。",
      category: "emergency",
      audience: {
        kind: "volunteers",
        areaCode: community.code,
        enterpriseIds: [],
        teamId: null,
        label: `${community.name} 志愿者`,
      },
      sms: true,
      issuer_name: centre.name,
      area_path: centre.areaPath,
      department_id: null,
      created_by: coordinator.id,
      created_label: coordinator.display_name,
    });
    await repo.insertAction(trx, {
      broadcast_id: id,
      action: "create",
      actor_user_id: coordinator.id,
      actor_label: coordinator.display_name,
    });
  }
  const words = (c: typeof fraud) =>
    c ? `${c.targeted_count} targeted, ${c.read_count} read` : "none";
  ctx.log(
    `broadcasts: anti-fraud (${words(fraud)}), safety (${words(safety)}), ${community ? 1 : 0} draft`,
  );
}
