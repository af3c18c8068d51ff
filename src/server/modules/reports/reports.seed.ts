/**
 * Report schedules of the demo district: the district's weekly and monthly
 * reports for its coordinator and admin, and a weekly one for the street the
 * demo police officer works in. No report is stored here — the rollups are
 * counted after the dated seeds run — the `reports` job makes last week's and
 * last month's on its first run once the server starts.
 */
import type { SeedContext } from "../../seed/seed-context.js";

export async function seedReportSchedules(ctx: SeedContext): Promise<void> {
  const { trx } = ctx;
  const district = await trx
    .selectFrom("areas")
    .select(["id", "path"])
    .where("level", "=", "district")
    .orderBy("code")
    .executeTakeFirst();
  const users = await trx
    .selectFrom("users")
    .select(["id", "username", "display_name"])
    .where("username", "in", ["coordinator", "admin"])
    .execute();
  const coordinator = users.find((u) => u.username === "coordinator");
  if (!district || !coordinator) return;
  const street = await trx
    .selectFrom("role_grants as g")
    .innerJoin("departments as d", "d.id", "g.department_id")
    .innerJoin("areas as a", "a.id", "d.area_id")
    .innerJoin("users as u", "u.id", "g.user_id")
    .select(["a.id", "a.path"])
    .where("u.username", "=", "officer")
    .executeTakeFirst();
  const plans: { area: { id: string; path: string }; kind: "weekly" | "monthly"; to: string[] }[] =
    [
      { area: district, kind: "weekly", to: users.map((u) => u.id) },
      { area: district, kind: "monthly", to: users.map((u) => u.id) },
      ...(street ? [{ area: street, kind: "weekly" as const, to: [coordinator.id] }] : []),
    ];
  for (const p of plans) {
    const s = await trx
      .insertInto("report_schedules")
      .values({
        area_id: p.area.id,
        area_path: p.area.path,
        kind: p.kind,
        created_by: coordinator.id,
        created_label: coordinator.display_name,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("report_schedule_recipients")
      .values(p.to.map((user_id) => ({ schedule_id: s.id, user_id })))
      .execute();
  }
  ctx.log(`report schedules: ${plans.length}`);
}
