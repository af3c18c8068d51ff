/**
 * An enterprise's staff accounts (员工账号): its managers (企业负责人) list the
 * officers and managers who sign in for it, create officer accounts, and
 * deactivate or reactivate them. Only accounts that belong to this
 * enterprise alone are touched here (one with any other grant is an
 * administrator's to change), and the last active manager stays active.
 * Every step is one transaction with its audit row.
 */
import type { Kysely } from "kysely";
import { maskEmail } from "../../../shared/formats/email.js";
import { ENTERPRISE_ROLES, type EnterpriseRole, isEnterpriseRole } from "../../../shared/roles.js";
import type {
  CreateStaffBody,
  StaffAccount,
  StaffAction,
  StaffList,
} from "../../../shared/schemas/enterprise-staff.js";
import type { DB } from "../../db/schema.js";
import { conflict, notFound } from "../../errors.js";
import type { Actor } from "../access/access.policy.js";
import { recordAudit } from "../audit/audit.service.js";
import { forgetCachedSessions } from "../auth/auth.service.js";
import {
  accountWithGrants,
  activeHoldersOf,
  createAccountWithGrant,
  organisationAccounts,
  setAccountStatus,
  type UsersDeps,
} from "../auth/users.service.js";
import { canManageStaff } from "./enterprises.policy.js";
import * as repo from "./enterprises.repository.js";
import { enterpriseFor } from "./enterprises.service.js";

export type StaffDeps = UsersDeps;

const STAFF_NOT_FOUND = () => notFound("员工账号", "staff account");

/** The enterprise, if the caller sees it (404) and keeps its staff (403). */
const staffEnterprise = (deps: { db: Kysely<DB> }, actor: Actor, id: string) =>
  enterpriseFor(deps, actor, id, canManageStaff);

function actionsFor(
  s: { id: string; status: string; roles: readonly string[] },
  activeManagers: readonly string[],
): StaffAction[] {
  const out: StaffAction[] = [];
  const lastManager =
    s.roles.includes("enterprise_manager") &&
    activeManagers.length === 1 &&
    activeManagers[0] === s.id;
  if (s.status !== "disabled" && !lastManager) out.push("deactivate");
  if (s.status !== "active") out.push("reactivate");
  return out;
}

/** GET /api/enterprises/:id/staff: the enterprise's officers and managers, managers first. */
export async function listStaff(
  deps: StaffDeps,
  actor: Actor,
  id: string,
  f: {
    status?: "active" | "locked" | "disabled" | undefined;
    userId?: string | undefined;
    limit: number;
    offset: number;
  },
): Promise<StaffList> {
  await staffEnterprise(deps, actor, id);
  const [page, managers] = await Promise.all([
    organisationAccounts(deps.db, id, ENTERPRISE_ROLES, f),
    activeHoldersOf(deps.db, id, "enterprise_manager"),
  ]);
  const items = page.items.map(
    (u): StaffAccount => ({
      id: u.id,
      username: u.username,
      displayName: u.display_name,
      role: u.roles.includes("enterprise_manager") ? "enterprise_manager" : "enterprise_officer",
      status: u.status,
      phone: u.phone_masked,
      email: u.email === null ? null : maskEmail(u.email),
      createdAt: u.created_at.toISOString(),
      self: u.id === actor.userId,
      allowedActions: actionsFor(u, managers),
    }),
  );
  return { items, total: page.total, activeManagers: managers.length, mayCreate: true };
}

/** POST /api/enterprises/:id/staff: a new officer account of this enterprise. */
export async function createStaff(
  deps: StaffDeps,
  actor: Actor,
  id: string,
  body: CreateStaffBody,
  requestId: string,
): Promise<StaffAccount> {
  const e = await staffEnterprise(deps, actor, id);
  const role: EnterpriseRole = "enterprise_officer";
  const userId = await createAccountWithGrant(
    deps,
    body,
    { role, organisationId: e.id },
    actor.userId,
    async (trx, newId) => {
      await recordAudit(
        trx,
        { actor, requestId },
        {
          action: "enterprise.staff_created",
          subjectType: "user",
          subjectId: newId,
          details: {
            organisationId: e.id,
            username: body.username,
            role,
            ...(body.email ? { email: maskEmail(body.email) } : {}),
          },
        },
      );
    },
  );
  return staffAccount(deps, actor, e.id, userId);
}

async function staffAccount(
  deps: StaffDeps,
  actor: Actor,
  organisationId: string,
  userId: string,
): Promise<StaffAccount> {
  const list = await listStaff(deps, actor, organisationId, { userId, limit: 1, offset: 0 });
  const one = list.items.find((s) => s.id === userId);
  if (!one) throw STAFF_NOT_FOUND();
  return one;
}

/**
 * Deactivates (disables) or reactivates a staff account of the enterprise.
 * The account must hold a grant on this enterprise (404 otherwise, even if it
 * exists elsewhere) and nothing beyond its grants here (409); the last active
 * manager cannot be deactivated (409). The enterprise's row lock makes two
 * managers deactivating each other at once leave one of them active.
 */
export async function setStaffStatus(
  deps: StaffDeps,
  actor: Actor,
  id: string,
  userId: string,
  to: "active" | "disabled",
  requestId: string,
): Promise<StaffAccount> {
  const e = await staffEnterprise(deps, actor, id);
  await deps.db.transaction().execute(async (trx) => {
    await repo.lockEnterprise(trx, e.id);
    const account = await accountWithGrants(trx, userId);
    const here = account?.grants.filter(
      (g) => g.organisation_id === e.id && isEnterpriseRole(g.role as EnterpriseRole),
    );
    if (!account || !here || here.length === 0) throw STAFF_NOT_FOUND();
    if (here.length !== account.grants.length)
      throw conflict(
        "该账号还有本企业以外的权限，请联系系统管理员处理 / this account holds grants beyond this enterprise; an administrator changes it",
      );
    const before = account.user.status;
    if (to === "disabled" && before === "disabled")
      throw conflict("该账号已停用 / the account is already deactivated");
    if (to === "active" && before === "active")
      throw conflict("该账号已是启用状态 / the account is already active");
    const manager = here.some((g) => g.role === "enterprise_manager");
    if (to === "disabled" && manager && before === "active") {
      const others = (await activeHoldersOf(trx, e.id, "enterprise_manager")).filter(
        (m) => m !== userId,
      );
      if (others.length === 0)
        throw conflict(
          "不能停用本企业最后一位在岗负责人 / the enterprise's last active manager cannot be deactivated",
        );
    }
    await setAccountStatus(trx, userId, to);
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: to === "disabled" ? "enterprise.staff_deactivated" : "enterprise.staff_reactivated",
        subjectType: "user",
        subjectId: userId,
        details: {
          organisationId: e.id,
          username: account.user.username,
          role: manager ? "enterprise_manager" : "enterprise_officer",
          from: before,
          to,
        },
      },
    );
  });
  // The grants and sessions cached by the auth module are stale now.
  forgetCachedSessions();
  return staffAccount(deps, actor, e.id, userId);
}
