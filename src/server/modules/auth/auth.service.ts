/**
 * Identity: log in and out, sessions with idle and absolute expiry, lockout
 * after repeated failures, password changes, and API tokens for other systems.
 */
import type { Kysely } from "kysely";
import type { AreaLevel, Role, ScopeKind } from "../../../shared/roles.js";
import type { Grant, MeResponse } from "../../../shared/schemas/auth.js";
import type { Config } from "../../config.js";
import type { DB } from "../../db/schema.js";
import { AppError, notFound, rateLimited, unauthenticated, validation } from "../../errors.js";
import { type Actor, type ActorGrant, permissionsOf } from "../access/access.policy.js";
import { recordAudit } from "../audit/audit.service.js";
import * as repo from "./auth.repository.js";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "./password.js";
import { API_TOKEN_PREFIX, digest, randomSecret } from "./tokens.js";

export interface AuthDeps {
  db: Kysely<DB>;
  config: Config;
}

export interface RequestInfo {
  ip: string;
  userAgent: string | null;
  requestId: string;
}

const WRONG_CREDENTIALS = "用户名或密码错误 / Wrong username or password";

function lockedMessage(until: Date, now: Date): string {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60000));
  return `账户因多次登录失败已锁定，请 ${minutes} 分钟后再试或联系管理员解锁 / Account locked after repeated failed logins; try again in ${minutes} min or ask an administrator`;
}

/** Turns grant rows into the policies' view of them. */
export function toActorGrant(r: repo.GrantRow): ActorGrant {
  const scopeKind = r.scope_kind as ScopeKind;
  const base = { id: r.id, role: r.role as Role, scopeKind };
  switch (scopeKind) {
    case "area":
      return {
        ...base,
        scopeId: r.area_id,
        scopeName: r.area_name,
        scopeCode: r.area_code,
        scopeLevel: r.area_level,
        areaPath: r.area_path,
      };
    case "department":
      return {
        ...base,
        scopeId: r.department_id,
        scopeName: r.department_name,
        scopeCode: r.department_code,
        scopeLevel: null,
        areaPath: r.department_area_path,
      };
    case "organisation":
      return {
        ...base,
        scopeId: r.organisation_id,
        scopeName: r.organisation_name,
        scopeCode: null,
        scopeLevel: null,
        areaPath: r.organisation_area_path,
      };
    default:
      return {
        ...base,
        scopeId: null,
        scopeName: null,
        scopeCode: null,
        scopeLevel: null,
        areaPath: null,
      };
  }
}

export async function loadActor(
  db: Kysely<DB>,
  userId: string,
  label: string,
  displayName?: string,
): Promise<Actor> {
  const rows = await repo.grantsOfUsers(db, [userId]);
  return {
    kind: "user",
    userId,
    tokenId: null,
    label,
    grants: rows.map(toActorGrant),
    tokenScopes: [],
    ...(displayName ? { displayName } : {}),
  };
}

/** The wire shape of a grant. */
export function presentGrant(g: ActorGrant): Grant {
  return {
    id: g.id,
    role: g.role,
    scopeKind: g.scopeKind,
    scope:
      g.scopeId === null
        ? null
        : {
            id: g.scopeId,
            name: g.scopeName ?? "",
            ...(g.scopeCode ? { code: g.scopeCode } : {}),
            ...(g.scopeLevel ? { level: g.scopeLevel as AreaLevel } : {}),
          },
  };
}

export function presentMe(
  user: {
    id: string;
    username: string;
    display_name: string;
    status: "active" | "locked" | "disabled";
  },
  actor: Actor,
  csrfToken: string,
): MeResponse {
  return {
    user: {
      id: user.id,
      username: user.username,
      displayName: user.display_name,
      status: user.status,
    },
    grants: actor.grants.map(presentGrant),
    permissions: permissionsOf(actor),
    csrfToken,
  };
}

export interface LoginResult {
  sessionToken: string;
  me: MeResponse;
}

export async function login(
  deps: AuthDeps,
  input: { username: string; password: string },
  req: RequestInfo,
): Promise<LoginResult> {
  const { db, config } = deps;
  const now = new Date();
  const windowStart = new Date(now.getTime() - config.loginLockMinutes * 60000);
  const ipFailures = await repo.countIpFailuresSince(db, req.ip, windowStart);
  if (ipFailures >= config.loginIpMaxFailures) {
    throw rateLimited(
      `登录失败次数过多，请 ${config.loginLockMinutes} 分钟后再试 / Too many failed logins from this address; try again in ${config.loginLockMinutes} min`,
      config.loginLockMinutes * 60,
    );
  }

  const user = await repo.findUserByUsername(db, input.username);
  if (!user) {
    await verifyAgainstDummy(input.password);
    await repo.recordFailure(db, input.username, req.ip);
    throw unauthenticated(WRONG_CREDENTIALS);
  }
  if (user.status === "locked" && user.locked_until && user.locked_until > now) {
    await repo.recordFailure(db, input.username, req.ip);
    throw new AppError("forbidden", 403, lockedMessage(user.locked_until, now), {
      reason: "locked",
      lockedUntil: user.locked_until.toISOString(),
    });
  }
  const ok = await verifyPassword(user.password_hash, input.password);
  if (!ok) {
    let lockedUntil: Date | null = null;
    await db.transaction().execute(async (trx) => {
      await repo.recordFailure(trx, input.username, req.ip);
      // A lock that has run out starts a fresh count.
      if (user.status === "locked") await repo.resetLoginState(trx, user.id);
      const count = await repo.incrementFailedLogins(trx, user.id);
      if (count >= config.loginMaxFailures) {
        lockedUntil = new Date(now.getTime() + config.loginLockMinutes * 60000);
        await repo.lockUser(trx, user.id, lockedUntil);
        await recordAudit(
          trx,
          { actor: null, requestId: req.requestId },
          {
            action: "user.locked",
            subjectType: "user",
            subjectId: user.id,
            details: { failures: count, ip: req.ip },
          },
        );
      }
    });
    if (lockedUntil) {
      throw new AppError("forbidden", 403, lockedMessage(lockedUntil, now), {
        reason: "locked",
        lockedUntil: (lockedUntil as Date).toISOString(),
      });
    }
    throw unauthenticated(WRONG_CREDENTIALS);
  }
  if (user.status === "disabled") {
    throw new AppError(
      "forbidden",
      403,
      "账户已停用，请联系管理员 / This account is disabled; contact an administrator",
      {
        reason: "disabled",
      },
    );
  }

  const sessionToken = randomSecret();
  const csrfToken = randomSecret();
  await db.transaction().execute(async (trx) => {
    await repo.resetLoginState(trx, user.id);
    await repo.insertSession(trx, {
      id: digest(sessionToken),
      user_id: user.id,
      csrf_token: csrfToken,
      ip: req.ip,
      user_agent: req.userAgent?.slice(0, 300) ?? null,
      expires_at: new Date(now.getTime() + config.sessionAbsoluteHours * 3600000),
    });
    await recordAudit(
      trx,
      { actor: { userId: user.id, tokenId: null, label: user.username }, requestId: req.requestId },
      { action: "auth.login", subjectType: "user", subjectId: user.id, details: { ip: req.ip } },
    );
  });
  const actor = await loadActor(db, user.id, user.username);
  return { sessionToken, me: presentMe({ ...user, status: "active" }, actor, csrfToken) };
}

export interface SessionActor {
  actor: Actor;
  sessionId: string;
  csrfToken: string;
  user: {
    id: string;
    username: string;
    display_name: string;
    status: "active" | "locked" | "disabled";
  };
}

/** The actor behind a session cookie, or null when it is unknown or expired. */
/**
 * Sessions resolved in the last SESSION_CACHE_MS, so a burst of requests
 * reads the session and its grants once. Anything that ends a session or
 * changes an account or its grants on this server forgets them all; another
 * server notices within SESSION_CACHE_MS.
 */
const sessionCache = new Map<string, { value: SessionActor; at: number }>();
const SESSION_CACHE_MAX = 10_000;

export function forgetCachedSessions(): void {
  sessionCache.clear();
}

export async function resolveSession(
  deps: AuthDeps,
  rawToken: string,
): Promise<SessionActor | null> {
  const { db, config } = deps;
  const id = digest(rawToken);
  const cached = sessionCache.get(id);
  if (cached && Date.now() - cached.at < config.sessionCacheMs) return cached.value;
  const s = await repo.findSession(db, id);
  if (!s) return null;
  const now = new Date();
  const idleLimit = new Date(now.getTime() - config.sessionIdleMinutes * 60000);
  const lockedNow = s.status === "locked" && s.locked_until !== null && s.locked_until > now;
  if (s.expires_at <= now || s.last_seen_at <= idleLimit || s.status === "disabled" || lockedNow) {
    await repo.deleteSession(db, id);
    return null;
  }
  // One write a minute at most keeps the idle clock without a write per request.
  if (now.getTime() - s.last_seen_at.getTime() > 60000) await repo.touchSession(db, id, now);
  const actor = await loadActor(db, s.user_id, s.username, s.display_name);
  const value: SessionActor = {
    actor,
    sessionId: id,
    csrfToken: s.csrf_token,
    user: { id: s.user_id, username: s.username, display_name: s.display_name, status: s.status },
  };
  if (config.sessionCacheMs > 0) {
    if (sessionCache.size >= SESSION_CACHE_MAX) sessionCache.clear();
    sessionCache.set(id, { value, at: now.getTime() });
  }
  return value;
}

export async function resolveApiToken(deps: AuthDeps, raw: string): Promise<Actor | null> {
  if (!raw.startsWith(API_TOKEN_PREFIX)) return null;
  const t = await repo.findTokenByHash(deps.db, digest(raw));
  if (!t) return null;
  const now = new Date();
  if (!t.last_used_at || now.getTime() - t.last_used_at.getTime() > 60000) {
    await repo.touchToken(deps.db, t.id, now);
  }
  return {
    kind: "token",
    userId: null,
    tokenId: t.id,
    label: `token:${t.name}`,
    grants: [],
    tokenScopes: t.scopes,
  };
}

export async function logout(deps: AuthDeps, s: SessionActor, requestId: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await repo.deleteSession(trx, s.sessionId);
    await recordAudit(
      trx,
      { actor: s.actor, requestId },
      { action: "auth.logout", subjectType: "user", subjectId: s.user.id },
    );
  });
  forgetCachedSessions();
}

export async function changePassword(
  deps: AuthDeps,
  s: SessionActor,
  input: { currentPassword: string; newPassword: string },
  requestId: string,
): Promise<void> {
  const user = await repo.findUserById(deps.db, s.user.id);
  if (!user) throw unauthenticated();
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw validation("当前密码不正确 / The current password is wrong", [
      { path: "body.currentPassword", message: "当前密码不正确 / wrong password" },
    ]);
  }
  if (input.currentPassword === input.newPassword) {
    throw validation(
      "新密码不能与当前密码相同 / The new password must differ from the current one",
      [{ path: "body.newPassword", message: "与当前密码相同 / same as current" }],
    );
  }
  const hashed = await hashPassword(input.newPassword);
  await deps.db.transaction().execute(async (trx) => {
    await repo.setPassword(trx, user.id, hashed);
    await repo.deleteOtherSessions(trx, user.id, s.sessionId);
    await recordAudit(
      trx,
      { actor: s.actor, requestId },
      { action: "user.password_changed", subjectType: "user", subjectId: user.id },
    );
  });
  forgetCachedSessions();
}

export function presentToken(t: {
  id: string;
  name: string;
  token_prefix: string;
  scopes: string[];
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}) {
  return {
    id: t.id,
    name: t.name,
    prefix: t.token_prefix,
    scopes: t.scopes,
    createdAt: t.created_at.toISOString(),
    lastUsedAt: t.last_used_at?.toISOString() ?? null,
    revokedAt: t.revoked_at?.toISOString() ?? null,
  };
}

export async function createApiToken(
  deps: AuthDeps,
  actor: Actor,
  input: { name: string; scopes: string[] },
  requestId: string,
) {
  const token = `${API_TOKEN_PREFIX}${randomSecret()}`;
  const scopes = [...new Set(input.scopes)];
  return deps.db.transaction().execute(async (trx) => {
    const row = await repo.insertToken(trx, {
      name: input.name,
      token_hash: digest(token),
      token_prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
      scopes,
      created_by: actor.userId,
    });
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "token.created",
        subjectType: "api_token",
        subjectId: row.id,
        details: { name: input.name, scopes },
      },
    );
    return { id: row.id, name: row.name, scopes: row.scopes, prefix: row.token_prefix, token };
  });
}

export async function listApiTokens(deps: AuthDeps, limit: number, offset: number) {
  const { items, total } = await repo.listTokens(deps.db, limit, offset);
  return { items: items.map(presentToken), total };
}

export async function revokeApiToken(deps: AuthDeps, actor: Actor, id: string, requestId: string) {
  await deps.db.transaction().execute(async (trx) => {
    const existing = await repo.findToken(trx, id);
    if (!existing) throw notFound("令牌", "token");
    if (existing.revoked_at) return;
    await repo.revokeToken(trx, id, new Date());
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "token.revoked",
        subjectType: "api_token",
        subjectId: id,
        details: { name: existing.name },
      },
    );
  });
}

/** Forgets sessions past their expiry and login failures past the lock window. */
export async function pruneAuthState(deps: AuthDeps, now: Date) {
  const idleBefore = new Date(now.getTime() - deps.config.sessionIdleMinutes * 60000);
  const failuresBefore = new Date(now.getTime() - deps.config.loginLockMinutes * 60000);
  const sessions = await repo.deleteExpiredSessions(deps.db, now, idleBefore);
  const failures = await repo.pruneFailures(deps.db, failuresBefore);
  return { sessions, failures };
}

/** Usernames, names and roles of the given accounts (for the start banner). */
export async function describeAccounts(db: Kysely<DB>, usernames: readonly string[]) {
  const users = await Promise.all(usernames.map((u) => repo.findUserByUsername(db, u)));
  const found = users.filter((u): u is NonNullable<typeof u> => u !== undefined);
  const grants = await repo.grantsOfUsers(
    db,
    found.map((u) => u.id),
  );
  return found.map((u) => ({
    username: u.username,
    displayName: u.display_name,
    role: grants
      .filter((g) => g.user_id === u.id)
      .map((g) => g.role)
      .join(", "),
  }));
}

export function findUserByName(db: Kysely<DB>, username: string) {
  return repo.findUserByUsername(db, username);
}
