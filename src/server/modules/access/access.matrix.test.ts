/**
 * The permission matrix: every role × scope level × action, generated, run
 * against the real API. The expectations are stated here independently of
 * the policy code, so a change in either shows up as a failure.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import type { AreaLevel, Role } from "../../../shared/roles.js";
import { hashPassword } from "../auth/password.js";

type Target = "inside" | "outside";
type Action = "areas.list" | "departments.list" | "boundary.edit" | "tokens.list" | "audit.list";
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
  { role: "association_rep", level: "organisation" },
  { role: "resident", level: "self" },
];
const ACTIONS: Action[] = [
  "areas.list",
  "departments.list",
  "boundary.edit",
  "tokens.list",
  "audit.list",
];

/** The policy, as the product defines it. */
function expected(s: Subject, action: Action, target: Target): Expect {
  const staff = s.role !== "resident";
  switch (action) {
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
    .select("id")
    .orderBy("id")
    .executeTakeFirstOrThrow();
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
    (action === "boundary.edit"
      ? (["inside", "outside"] as Target[])
      : (["inside"] as Target[])
    ).map((target) => ({
      s,
      action,
      target,
      want: expected(s, action, target),
    })),
  ),
);

describe("permission matrix", () => {
  it("covers every role", () => {
    expect(new Set(cases.map((c) => c.s.role)).size).toBe(7);
  });

  it.each(cases)(
    "$s.role@$s.level $action ($target) → $want",
    async ({ s, action, target, want }) => {
      const session = sessions.get(key(s));
      if (!session) throw new Error("no session");
      const res = await perform(session, action, target);
      expect(res.statusCode, res.body).toBe(want);
    },
  );
});
