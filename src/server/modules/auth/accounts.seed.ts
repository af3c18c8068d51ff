/** One demo account per role, with the usernames the README lists. */
import type { Role } from "../../../shared/roles.js";
import type { SeedContext } from "../../seed/seed-context.js";
import type { SeededDepartments } from "../departments/departments.seed.js";
import type { SeededAreas } from "../geo/geo.seed.js";
import type { SeededOrganisations } from "../organisations/organisations.seed.js";
import * as repo from "./auth.repository.js";
import { hashPassword } from "./password.js";

type GrantInput = Omit<Parameters<typeof repo.insertGrant>[1], "user_id">;

export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  scope: string;
}

export async function seedAccounts(
  ctx: SeedContext,
  areas: SeededAreas,
  departments: SeededDepartments,
  orgs: SeededOrganisations,
): Promise<DemoAccount[]> {
  const hash = await hashPassword(ctx.demoPassword);
  const district = areas.district;
  // The demo officer works at the police station of 狮山街道 (320505002);
  // the grid worker keeps the first grid of a community in the same street.
  const police = departments.byKey.get("320505002-PCS");
  const grid = [...areas.byCode.values()]
    .filter((a) => a.level === "grid" && a.code.startsWith("320505002"))
    .sort((a, b) => a.code.localeCompare(b.code))[0];
  const enterprise = orgs.enterprises[0];
  const association = orgs.associations[0];
  if (!police || !grid || !enterprise || !association) throw new Error("demo scopes are missing");
  const gridArea = areas.byCode.get(grid.code);
  const demo: (DemoAccount & { grant: GrantInput })[] = [
    {
      username: "admin",
      displayName: "系统管理员",
      role: "admin",
      scope: district.code,
      grant: { role: "admin", scope_kind: "area", area_id: district.id },
    },
    {
      username: "coordinator",
      displayName: "陈静（区综治中心）",
      role: "coordinator",
      scope: district.code,
      grant: { role: "coordinator", scope_kind: "area", area_id: district.id },
    },
    {
      username: "officer",
      displayName: `王海（${police.name}）`,
      role: "department_officer",
      scope: police.name,
      grant: { role: "department_officer", scope_kind: "department", department_id: police.id },
    },
    {
      username: "gridworker",
      displayName: `李娟（${gridArea?.name ?? grid.code}）`,
      role: "grid_worker",
      scope: grid.code,
      grant: { role: "grid_worker", scope_kind: "area", area_id: grid.id },
    },
    {
      username: "enterprise",
      displayName: `赵磊（${enterprise.name}）`,
      role: "enterprise_officer",
      scope: enterprise.name,
      grant: {
        role: "enterprise_officer",
        scope_kind: "organisation",
        organisation_id: enterprise.id,
      },
    },
    {
      // The enterprise's manager (企业负责人): keeps its staff accounts, signs its payroll.
      username: "enterprise-manager",
      displayName: `王经理（${enterprise.name}）`,
      role: "enterprise_manager",
      scope: enterprise.name,
      grant: {
        role: "enterprise_manager",
        scope_kind: "organisation",
        organisation_id: enterprise.id,
      },
    },
    {
      username: "association",
      displayName: `孙丽（${association.name}）`,
      role: "association_rep",
      scope: association.name,
      grant: {
        role: "association_rep",
        scope_kind: "organisation",
        organisation_id: association.id,
      },
    },
    {
      username: "resident",
      displayName: "刘洋（新市民）",
      role: "resident",
      scope: "本人",
      grant: { role: "resident", scope_kind: "self" },
    },
  ];
  for (const a of demo) {
    const u = await repo.insertUser(ctx.trx, {
      username: a.username,
      password_hash: hash,
      display_name: a.displayName,
      phone_enc: null,
      phone_masked: null,
    });
    await repo.insertGrant(ctx.trx, { ...a.grant, user_id: u.id });
  }
  ctx.log(`accounts: ${demo.map((d) => d.username).join(", ")}`);
  return demo.map(({ grant: _grant, ...d }) => d);
}
