/**
 * Account administration: list, create, edit, disable or unlock accounts,
 * reset passwords, and give or take role grants. An admin may only grant
 * scopes inside the areas their own admin grants reach.
 */
import type { Kysely, Transaction } from "kysely";
import { maskEmail } from "../../../shared/formats/email.js";
import { maskMobile } from "../../../shared/formats/mobile.js";
import { isEnterpriseRole, ROLE_SCOPE } from "../../../shared/roles.js";
import type { AdminUser, GrantInput } from "../../../shared/schemas/users.js";
import type { FieldCrypto } from "../../crypto/field-crypto.js";
import type { DB } from "../../db/schema.js";
import { conflict, notFound, validation } from "../../errors.js";
import { type Actor, areaScopePaths, pathWithin } from "../access/access.policy.js";
import { recordAudit } from "../audit/audit.service.js";
import { findDepartmentById } from "../departments/departments.service.js";
import { findAreaByCode } from "../geo/areas.service.js";
import { findOrganisationById } from "../organisations/organisations.service.js";
import * as repo from "./auth.repository.js";
import { forgetCachedSessions, presentGrant, toActorGrant } from "./auth.service.js";
import { hashPassword } from "./password.js";

export interface UsersDeps {
  db: Kysely<DB>;
  fieldCrypto: FieldCrypto;
}

/** May the admin hand out a grant reaching `areaPath` (null = self scope)? */
export function canGrantWithin(actor: Actor, areaPath: string | null): boolean {
  const mine = areaScopePaths(actor, ["admin"]);
  if (areaPath === null) return mine.length > 0;
  return mine.some((p) => pathWithin(areaPath, p));
}

type ResolvedGrant = {
  role: string;
  scope_kind: "area" | "department" | "organisation" | "self";
  area_id?: string;
  department_id?: string;
  organisation_id?: string;
};

async function resolveGrant(
  deps: UsersDeps,
  actor: Actor,
  g: GrantInput,
  at: string,
): Promise<ResolvedGrant> {
  const kind = ROLE_SCOPE[g.role];
  const given = [g.areaCode, g.departmentId, g.organisationId].filter(
    (v) => v !== undefined,
  ).length;
  const fail = (zh: string, en: string) =>
    validation(`${zh} / ${en}`, [{ path: at, message: `${zh} / ${en}` }]);
  if (kind === "self") {
    if (given > 0) throw fail("居民角色不需要范围", "the resident role takes no scope");
    if (!canGrantWithin(actor, null)) throw fail("无权授予此范围", "outside your scope");
    return { role: g.role, scope_kind: "self" };
  }
  if (given !== 1) throw fail("请指定且只指定一个范围", "give exactly one scope");
  if (kind === "area") {
    if (!g.areaCode) throw fail("该角色需要区域范围", "this role needs an area (areaCode)");
    const a = await findAreaByCode(deps, g.areaCode);
    if (!a || !canGrantWithin(actor, a.path))
      throw fail("区域不存在或不在您的管辖范围内", "unknown area or outside your scope");
    return { role: g.role, scope_kind: "area", area_id: a.id };
  }
  if (kind === "department") {
    if (!g.departmentId)
      throw fail("该角色需要部门范围", "this role needs a department (departmentId)");
    const d = await findDepartmentById(deps, g.departmentId);
    if (!d || !canGrantWithin(actor, d.area_path))
      throw fail("部门不存在或不在您的管辖范围内", "unknown department or outside your scope");
    return { role: g.role, scope_kind: "department", department_id: d.id };
  }
  if (!g.organisationId)
    throw fail("该角色需要组织范围", "this role needs an organisation (organisationId)");
  const o = await findOrganisationById(deps, g.organisationId);
  const expectedKind = isEnterpriseRole(g.role) ? "enterprise" : "association";
  // Officers and managers are an enterprise's own people: an association has neither.
  if (o && o.kind === "association" && expectedKind === "enterprise")
    throw fail(
      "企业安全员和企业负责人只能授予企业，不能授予协会",
      "enterprise officers and managers are granted on an enterprise, not an association",
    );
  if (!o || o.kind !== expectedKind || !canGrantWithin(actor, o.area_path)) {
    throw fail(
      "组织不存在、类型不符或不在您的管辖范围内",
      "unknown organisation, wrong kind, or outside your scope",
    );
  }
  return { role: g.role, scope_kind: "organisation", organisation_id: o.id };
}

function allowedActions(
  actor: Actor,
  u: { id: string; status: string },
): AdminUser["allowedActions"] {
  const self = actor.userId === u.id;
  const actions: AdminUser["allowedActions"] = ["edit", "reset_password", "grant"];
  if (!self && u.status !== "disabled") actions.push("disable");
  if (u.status !== "active") actions.push("unlock");
  return actions;
}

async function present(
  deps: UsersDeps,
  actor: Actor,
  rows: Awaited<ReturnType<typeof repo.listUsers>>["items"],
) {
  const grants = await repo.grantsOfUsers(
    deps.db,
    rows.map((r) => r.id),
  );
  return rows.map(
    (u): AdminUser => ({
      id: u.id,
      username: u.username,
      displayName: u.display_name,
      status: u.status,
      phone: u.phone_masked,
      email: u.email,
      lockedUntil: u.locked_until?.toISOString() ?? null,
      createdAt: u.created_at.toISOString(),
      grants: grants.filter((g) => g.user_id === u.id).map((g) => presentGrant(toActorGrant(g))),
      allowedActions: allowedActions(actor, u),
    }),
  );
}

export async function listUsers(deps: UsersDeps, actor: Actor, f: repo.UserFilter) {
  const { items, total } = await repo.listUsers(deps.db, f);
  return { items: await present(deps, actor, items), total };
}

export async function getUser(deps: UsersDeps, actor: Actor, id: string): Promise<AdminUser> {
  const u = await repo.findUserById(deps.db, id);
  if (!u) throw notFound("用户", "user");
  const [p] = await present(deps, actor, [u]);
  return p as AdminUser;
}

export async function createUser(
  deps: UsersDeps,
  actor: Actor,
  input: {
    username: string;
    displayName: string;
    password: string;
    phone?: string | undefined;
    email?: string | undefined;
    grants: GrantInput[];
  },
  requestId: string,
) {
  if (await repo.findUserByUsername(deps.db, input.username)) {
    throw conflict(`用户名 ${input.username} 已被使用 / username ${input.username} is taken`, [
      { path: "body.username", message: "已被使用 / taken" },
    ]);
  }
  if (input.email) await ensureEmailFree(deps.db, input.email, null);
  const resolved: ResolvedGrant[] = [];
  for (const [i, g] of input.grants.entries())
    resolved.push(await resolveGrant(deps, actor, g, `body.grants.${i}`));
  const hash = await hashPassword(input.password);
  const id = await deps.db.transaction().execute(async (trx) => {
    const u = await repo.insertUser(trx, {
      username: input.username,
      password_hash: hash,
      display_name: input.displayName,
      phone_enc: input.phone ? deps.fieldCrypto.encrypt(input.phone, "users.phone") : null,
      phone_masked: input.phone ? maskMobile(input.phone) : null,
      email: input.email ?? null,
    });
    for (const g of resolved)
      await repo.insertGrant(trx, { ...g, user_id: u.id, granted_by: actor.userId });
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "user.created",
        subjectType: "user",
        subjectId: u.id,
        details: {
          username: input.username,
          grants: resolved,
          ...(input.email ? { email: maskEmail(input.email) } : {}),
        },
      },
    );
    return u.id;
  });
  return getUser(deps, actor, id);
}

export async function updateUser(
  deps: UsersDeps,
  actor: Actor,
  id: string,
  patch: {
    displayName?: string | undefined;
    status?: "active" | "disabled" | undefined;
    email?: string | null | undefined;
  },
  requestId: string,
) {
  if (patch.status === "disabled" && actor.userId === id) {
    throw conflict("不能停用自己的账户 / You cannot disable your own account");
  }
  await deps.db.transaction().execute(async (trx) => {
    const before = await repo.findUserById(trx, id);
    if (!before) throw notFound("用户", "user");
    if (patch.email) await ensureEmailFree(trx, patch.email, id);
    await repo.updateUser(trx, id, {
      ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
      ...(patch.email !== undefined ? { email: patch.email } : {}),
    });
    // A disabled account's sessions end at once.
    if (patch.status === "disabled") await repo.deleteOtherSessions(trx, id, null);
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action:
          patch.status === "disabled"
            ? "user.disabled"
            : patch.status === "active"
              ? "user.activated"
              : "user.updated",
        subjectType: "user",
        subjectId: id,
        // The trail is append-only: addresses go into it masked.
        details: {
          from: {
            displayName: before.display_name,
            status: before.status,
            ...(patch.email !== undefined ? { email: maskedOrNull(before.email) } : {}),
          },
          to: {
            ...patch,
            ...(patch.email !== undefined ? { email: maskedOrNull(patch.email) } : {}),
          },
        },
      },
    );
  });
  // The grants and sessions cached by the auth module are stale now.
  forgetCachedSessions();
  return getUser(deps, actor, id);
}

const maskedOrNull = (email: string | null) => (email === null ? null : maskEmail(email));

/** An address belongs to one account at most, whatever its case. */
async function ensureEmailFree(db: Kysely<DB>, email: string, userId: string | null) {
  const holder = await repo.findUserByEmail(db, email);
  if (holder && holder.id !== userId)
    throw conflict("该邮箱地址已被其他账户使用 / this e-mail address is used by another account", [
      { path: "body.email", message: "已被使用 / taken" },
    ]);
}

export async function resetPassword(
  deps: UsersDeps,
  actor: Actor,
  id: string,
  newPassword: string,
  requestId: string,
) {
  const hash = await hashPassword(newPassword);
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.findUserById(trx, id))) throw notFound("用户", "user");
    await repo.setPassword(trx, id, hash);
    await repo.deleteOtherSessions(trx, id, null);
    await recordAudit(
      trx,
      { actor, requestId },
      { action: "user.password_reset", subjectType: "user", subjectId: id },
    );
  });
  // The grants and sessions cached by the auth module are stale now.
  forgetCachedSessions();
}

export async function addGrant(
  deps: UsersDeps,
  actor: Actor,
  id: string,
  input: GrantInput,
  requestId: string,
) {
  if (!(await repo.findUserById(deps.db, id))) throw notFound("用户", "user");
  const g = await resolveGrant(deps, actor, input, "body");
  await deps.db.transaction().execute(async (trx) => {
    const row = await repo.insertGrantReturning(trx, {
      ...g,
      user_id: id,
      granted_by: actor.userId,
    });
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "user.grant_added",
        subjectType: "user",
        subjectId: id,
        details: { grantId: row.id, ...g },
      },
    );
  });
  // The grants and sessions cached by the auth module are stale now.
  forgetCachedSessions();
  return getUser(deps, actor, id);
}

export async function removeGrant(
  deps: UsersDeps,
  actor: Actor,
  id: string,
  grantId: string,
  requestId: string,
) {
  await deps.db.transaction().execute(async (trx) => {
    const g = await repo.findGrant(trx, id, grantId);
    if (!g) throw notFound("授权", "grant");
    if (g.role === "admin" && (await repo.countAdminGrants(trx)) <= 1) {
      throw conflict("不能移除最后一个管理员授权 / The last admin grant cannot be removed");
    }
    await repo.deleteGrant(trx, grantId);
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "user.grant_removed",
        subjectType: "user",
        subjectId: id,
        details: { grantId, role: g.role, scopeKind: g.scope_kind },
      },
    );
  });
  // The grants and sessions cached by the auth module are stale now.
  forgetCachedSessions();
}

// ------------------------------------------------- accounts kept by delegates
// An enterprise manager keeps the accounts of their enterprise's staff: the
// enterprises module checks that right and writes the audit row; these
// functions only touch accounts, inside the caller's transaction.

/** The accounts holding one of `roles` on an organisation, with those roles. */
export function organisationAccounts(
  db: Kysely<DB>,
  organisationId: string,
  roles: readonly string[],
  f: Parameters<typeof repo.organisationAccounts>[3],
) {
  return repo.organisationAccounts(db, organisationId, roles, f);
}

/** Ids of the active accounts holding `role` on an organisation. */
export function activeHoldersOf(
  db: Kysely<DB> | Transaction<DB>,
  organisationId: string,
  role: string,
) {
  return repo.activeHolders(db, organisationId, role);
}

/** One account with all of its grants, or undefined. */
export async function accountWithGrants(db: Kysely<DB> | Transaction<DB>, id: string) {
  const u = await repo.findUserById(db, id);
  if (!u) return undefined;
  return { user: u, grants: await repo.grantsOfUsers(db, [id]) };
}

/**
 * Creates an account holding exactly one organisation grant the caller has
 * already checked the right to give, in one transaction with whatever
 * `alsoInTransaction` writes (the caller's audit row). Refuses a username or
 * e-mail address in use (409). Returns the new account's id.
 */
export async function createAccountWithGrant(
  deps: UsersDeps,
  input: {
    username: string;
    displayName: string;
    password: string;
    phone?: string | undefined;
    email?: string | undefined;
  },
  grant: { role: string; organisationId: string },
  grantedBy: string | null,
  alsoInTransaction: (trx: Transaction<DB>, userId: string) => Promise<void>,
): Promise<string> {
  // Hashing is slow: never while the transaction holds (PGlite's one) connection.
  const hash = await hashPassword(input.password);
  return deps.db.transaction().execute(async (trx) => {
    if (await repo.findUserByUsername(trx, input.username)) {
      throw conflict(`用户名 ${input.username} 已被使用 / username ${input.username} is taken`, [
        { path: "body.username", message: "已被使用 / taken" },
      ]);
    }
    if (input.email) await ensureEmailFree(trx, input.email, null);
    const u = await repo.insertUser(trx, {
      username: input.username,
      password_hash: hash,
      display_name: input.displayName,
      phone_enc: input.phone ? deps.fieldCrypto.encrypt(input.phone, "users.phone") : null,
      phone_masked: input.phone ? maskMobile(input.phone) : null,
      email: input.email ?? null,
    });
    await repo.insertGrant(trx, {
      user_id: u.id,
      role: grant.role,
      scope_kind: "organisation",
      organisation_id: grant.organisationId,
      granted_by: grantedBy,
    });
    await alsoInTransaction(trx, u.id);
    return u.id;
  });
}

/**
 * Disables or (re)activates an account inside `trx`; a disabled account's
 * sessions end at once. Call forgetCachedSessions after the commit.
 */
export async function setAccountStatus(
  trx: Transaction<DB>,
  id: string,
  status: "active" | "disabled",
): Promise<void> {
  await repo.updateUser(trx, id, { status });
  if (status === "disabled") await repo.deleteOtherSessions(trx, id, null);
}

/**
 * For other modules' notices (a grid's risk warning): the active accounts
 * holding one of `roles` on an area that covers `areaPath` — the grid's own
 * grid workers, the coordinators of its community, street and district.
 */
export async function areaRoleHolders(
  db: Kysely<DB> | Transaction<DB>,
  roles: readonly string[],
  areaPath: string,
): Promise<{ userId: string; role: string }[]> {
  const rows = await repo.activeAreaRoleHolders(db, roles, areaPath);
  return rows.map((r) => ({ userId: r.user_id, role: r.role }));
}
