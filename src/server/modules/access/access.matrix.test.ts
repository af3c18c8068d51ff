/**
 * The permission matrix: every role × scope level × action, generated, run
 * against the real API. The expectations are stated here independently of
 * the policy code, so a change in either shows up as a failure.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import { type AreaLevel, ROLES, type Role } from "../../../shared/roles.js";
import { hashPassword } from "../auth/password.js";

type Target = "inside" | "outside";
type Action =
  | "areas.list"
  | "departments.list"
  | "boundary.edit"
  | "tokens.list"
  | "audit.list"
  | "staff.list";
type Expect = 200 | 403 | 404;

interface Subject {
  role: Role;
  level: AreaLevel | "department" | "organisation" | "self";
}

const AREA_ROLES: Role[] = ["admin", "coordinator", "grid_worker"];
const LEVELS: AreaLevel[] = ["district", "street", "community", "grid"];
const SUBJECTS: Subject[] = [
  ...AREA_ROLES.flatMap((role) => LEVELS.map((level) => ({ role, level }))),
  { role: "department_officer", level: "department" },
  { role: "enterprise_officer", level: "organisation" },
  { role: "enterprise_manager", level: "organisation" },
  { role: "association_rep", level: "organisation" },
  { role: "resident", level: "self" },
];
const ACTIONS: Action[] = [
  "areas.list",
  "departments.list",
  "boundary.edit",
  "tokens.list",
  "audit.list",
  "staff.list",
];

/** The area paths each scope reaches, and the enterprises' (filled in beforeAll). */
const scopePaths = new Map<string, string>();
const enterprisePaths: Record<Target, string> = { inside: "", outside: "" };

/** Does the subject see the enterprise at all (its area, or its own)? */
function seesEnterprise(s: Subject, target: Target): boolean {
  if (!enterprisePaths[target]) throw new Error("the enterprises are not known yet");
  if (s.role === "enterprise_officer" || s.role === "enterprise_manager")
    return target === "inside";
  if (s.role === "association_rep" || s.role === "resident") return false;
  return enterprisePaths[target].startsWith(scopePaths.get(s.level) ?? "/none/");
}

/** The policy, as the product defines it. */
function expected(s: Subject, action: Action, target: Target): Expect {
  const staff = s.role !== "resident";
  switch (action) {
    case "staff.list":
      // An enterprise's staff accounts: its managers, and admins whose area holds it.
      if (!seesEnterprise(s, target)) return 404;
      return s.role === "enterprise_manager" || s.role === "admin" ? 200 : 403;
    case "areas.list":
    case "departments.list":
      return staff ? 200 : 403;
    case "tokens.list":
      return s.role === "admin" ? 200 : 403;
    case "audit.list":
      return s.role === "admin" || s.role === "coordinator" ? 200 : 403;
    case "boundary.edit":
      if (s.role !== "admin" && s.role !== "coordinator") return 403;
      // A grant on the whole district reaches every grid; a narrower one
      // does not see the grid in another street at all.
      return target === "inside" || s.level === "district" ? 200 : 404;
  }
}

let t: TestApp;
const sessions = new Map<string, Session>();
// A grid inside every scope used below, and one outside all but the district.
let insideGrid = "";
let outsideGrid = "";
const enterpriseIds: Record<Target, string> = { inside: "", outside: "" };

const key = (s: Subject) => `m_${s.role}_${s.level}`.replace(/_/g, "-").slice(0, 39);

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const grid = await db
    .selectFrom("areas")
    .select(["id", "code", "path"])
    .where("level", "=", "grid")
    .where("code", "like", "320505002%")
    .orderBy("code")
    .executeTakeFirstOrThrow();
  const other = await db
    .selectFrom("areas")
    .select(["code"])
    .where("level", "=", "grid")
    .where("code", "like", "320505400%")
    .orderBy("code")
    .executeTakeFirstOrThrow();
  insideGrid = grid.code;
  outsideGrid = other.code;
  const codes = grid.path.split("/").filter(Boolean);
  const areaIdByLevel = new Map<string, string>();
  for (const [i, level] of LEVELS.entries()) {
    const a = await db
      .selectFrom("areas")
      .select("id")
      .where("code", "=", codes[i] as string)
      .executeTakeFirstOrThrow();
    areaIdByLevel.set(level, a.id);
  }
  const dept = await db
    .selectFrom("departments")
    .select("id")
    .orderBy("id")
    .executeTakeFirstOrThrow();
  const org = await db
    .selectFrom("organisations")
    .select(["id", "area_path"])
    .where("kind", "=", "enterprise")
    .orderBy("id")
    .executeTakeFirstOrThrow();
  // Another enterprise, in another street than the first one's.
  const street = org.area_path.split("/").slice(0, 3).join("/");
  const otherOrg = await db
    .selectFrom("organisations")
    .select(["id", "area_path"])
    .where("kind", "=", "enterprise")
    .where("area_path", "not like", `${street}/%`)
    .orderBy("id")
    .executeTakeFirstOrThrow();
  enterpriseIds.inside = org.id;
  enterpriseIds.outside = otherOrg.id;
  enterprisePaths.inside = org.area_path;
  enterprisePaths.outside = otherOrg.area_path;
  const deptPath = await db
    .selectFrom("departments as d")
    .innerJoin("areas as a", "a.id", "d.area_id")
    .select("a.path")
    .where("d.id", "=", dept.id)
    .executeTakeFirstOrThrow();
  scopePaths.set("department", deptPath.path);
  for (const level of LEVELS)
    scopePaths.set(level, `/${codes.slice(0, LEVELS.indexOf(level) + 1).join("/")}/`);
  const hash = await hashPassword("Matrix-pass-2026");
  for (const s of SUBJECTS) {
    const u = await db
      .insertInto("users")
      .values({
        username: key(s),
        password_hash: hash,
        display_name: key(s),
        phone_enc: null,
        phone_masked: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const scope =
      s.level === "department"
        ? { scope_kind: "department" as const, department_id: dept.id }
        : s.level === "organisation"
          ? { scope_kind: "organisation" as const, organisation_id: org.id }
          : s.level === "self"
            ? { scope_kind: "self" as const }
            : { scope_kind: "area" as const, area_id: areaIdByLevel.get(s.level) as string };
    await db
      .insertInto("role_grants")
      .values({ user_id: u.id, role: s.role, ...scope })
      .execute();
    sessions.set(key(s), await login(t.app, key(s), "Matrix-pass-2026"));
  }
});
afterAll(() => t.close());

async function perform(session: Session, action: Action, target: Target) {
  switch (action) {
    case "areas.list":
      return session.request({ method: "GET", url: "/api/areas?limit=5" });
    case "departments.list":
      return session.request({ method: "GET", url: "/api/departments?limit=5" });
    case "tokens.list":
      return session.request({ method: "GET", url: "/api/admin/tokens" });
    case "audit.list":
      return session.request({ method: "GET", url: "/api/audit?limit=5" });
    case "staff.list":
      return session.request({
        method: "GET",
        url: `/api/enterprises/${enterpriseIds[target]}/staff`,
      });
    case "boundary.edit": {
      const code = target === "inside" ? insideGrid : outsideGrid;
      const detail = await t.database.db
        .selectFrom("areas")
        .select(["boundary"])
        .where("code", "=", code)
        .executeTakeFirstOrThrow();
      return session.request({
        method: "PUT",
        url: `/api/areas/${code}/boundary`,
        payload: { boundary: detail.boundary },
      });
    }
  }
}

const cases = SUBJECTS.flatMap((s) =>
  ACTIONS.flatMap((action) =>
    (action === "boundary.edit" || action === "staff.list"
      ? (["inside", "outside"] as Target[])
      : (["inside"] as Target[])
    ).map((target) => ({
      s,
      action,
      target,
      // staff.list depends on where the enterprises lie: known once beforeAll ran.
      want: action === "staff.list" ? "by the enterprise's area" : expected(s, action, target),
    })),
  ),
);

describe("permission matrix", () => {
  it("covers every role", () => {
    expect(new Set(cases.map((c) => c.s.role)).size).toBe(ROLES.length);
  });

  it.each(cases)("$s.role@$s.level $action ($target) → $want", async ({ s, action, target }) => {
    const want = expected(s, action, target);
    const session = sessions.get(key(s));
    if (!session) throw new Error("no session");
    const res = await perform(session, action, target);
    expect(res.statusCode, res.body).toBe(want);
  });
});
