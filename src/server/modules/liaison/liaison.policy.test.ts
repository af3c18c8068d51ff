import { describe, expect, it } from "vitest";
import { MEDIATION_ACTIONS, MEDIATION_STATUSES } from "../../../shared/schemas/liaison.js";
import type { Actor, ActorGrant } from "../access/access.policy.js";
import {
  checkMediationAction,
  chinaToday,
  governmentNoticeActions,
  mediationAllowedActions,
  mediationRelationOf,
  nextReminderAt,
  noticeInScope,
  noticeIssuerOf,
  noticeScopeOf,
  receiptOverdue,
  recipientNoticeActions,
} from "./liaison.policy.js";

const grant = (g: Partial<ActorGrant> & Pick<ActorGrant, "role">): ActorGrant => ({
  id: "1",
  scopeKind: "area",
  scopeId: null,
  scopeName: null,
  scopeCode: null,
  scopeLevel: null,
  areaPath: null,
  ...g,
});
const actor = (...grants: ActorGrant[]): Actor => ({
  kind: "user",
  userId: "7",
  tokenId: null,
  label: "u",
  grants,
  tokenScopes: [],
});

const DISTRICT = "/320505/";
const STREET = "/320505/320505002/";
const coordinator = actor(
  grant({ role: "coordinator", scopeId: "1", scopeName: "虎丘区", areaPath: DISTRICT }),
);
const police = actor(
  grant({
    role: "department_officer",
    scopeKind: "department",
    scopeId: "42",
    scopeName: "狮山派出所",
    areaPath: STREET,
  }),
);
const enterprise = actor(
  grant({
    role: "enterprise_officer",
    scopeKind: "organisation",
    scopeId: "100",
    areaPath: STREET,
  }),
);
const association = actor(
  grant({ role: "association_rep", scopeKind: "organisation", scopeId: "200", areaPath: STREET }),
);

describe("notice issuer and scope", () => {
  it("issues as the coordination centre of the widest area, else as the department", () => {
    expect(noticeIssuerOf(coordinator)).toEqual({
      areaPath: DISTRICT,
      departmentId: null,
      name: "虎丘区综治中心",
    });
    const both = actor(police.grants[0] as ActorGrant, coordinator.grants[0] as ActorGrant);
    expect(noticeIssuerOf(both)?.areaPath).toBe(DISTRICT);
    expect(noticeIssuerOf(police)).toEqual({
      areaPath: STREET,
      departmentId: "42",
      name: "狮山派出所",
    });
    expect(noticeIssuerOf(enterprise)).toBeNull();
    expect(noticeIssuerOf(association)).toBeNull();
  });

  it("sees notices issued inside the area, by the department, or by oneself", () => {
    const mine = { area_path: STREET, department_id: "42", created_by: "9" };
    expect(noticeInScope(noticeScopeOf(coordinator), mine)).toBe(true);
    expect(noticeInScope(noticeScopeOf(police), mine)).toBe(true);
    const centre = { area_path: DISTRICT, department_id: null, created_by: "3" };
    expect(noticeInScope(noticeScopeOf(police), centre)).toBe(false);
    expect(noticeInScope(noticeScopeOf(police), { ...centre, created_by: "7" })).toBe(true);
    // An enterprise officer's own user id does not make a notice theirs.
    expect(noticeInScope(noticeScopeOf(enterprise), { ...centre, created_by: "7" })).toBe(false);
  });
});

describe("notice actions", () => {
  const now = new Date("2026-11-29T04:00:00Z");
  it("offers edit, delete and send on a draft; withdraw and (with unread, once a day) remind when sent", () => {
    expect(governmentNoticeActions({ status: "draft", unread: 0 }, null)).toEqual([
      "edit",
      "delete",
      "send",
    ]);
    expect(governmentNoticeActions({ status: "sent", unread: 3 }, null)).toEqual([
      "remind",
      "withdraw",
    ]);
    expect(governmentNoticeActions({ status: "sent", unread: 0 }, null)).toEqual(["withdraw"]);
    expect(governmentNoticeActions({ status: "sent", unread: 3 }, now)).toEqual(["withdraw"]);
    expect(governmentNoticeActions({ status: "withdrawn", unread: 3 }, null)).toEqual([]);
  });

  it("waits a day between reminders", () => {
    expect(nextReminderAt(null, now)).toBeNull();
    const last = new Date(now.getTime() - 23 * 3600_000);
    expect(nextReminderAt(last, now)?.toISOString()).toBe("2026-11-29T05:00:00.000Z");
    expect(nextReminderAt(new Date(now.getTime() - 25 * 3600_000), now)).toBeNull();
  });

  it("lets a recipient read and confirm while the notice stands", () => {
    const n = { status: "sent" as const, ack_required: true };
    expect(recipientNoticeActions(n, { read_at: null, acknowledged_at: null })).toEqual([
      "read",
      "acknowledge",
    ]);
    expect(recipientNoticeActions(n, { read_at: now, acknowledged_at: now })).toEqual([]);
    expect(
      recipientNoticeActions(
        { ...n, status: "withdrawn" },
        { read_at: null, acknowledged_at: null },
      ),
    ).toEqual([]);
    expect(
      recipientNoticeActions(
        { ...n, ack_required: false },
        { read_at: now, acknowledged_at: null },
      ),
    ).toEqual([]);
  });

  it("reads deadlines on China's calendar and counts a receipt overdue after its day", () => {
    expect(chinaToday(new Date("2026-11-29T15:59:00Z"))).toBe("2026-11-29");
    expect(chinaToday(new Date("2026-11-29T16:00:00Z"))).toBe("2026-11-30");
    const n = { status: "sent" as const, ack_required: true, ack_due_on: "2026-11-29" };
    expect(receiptOverdue(n, null, "2026-11-29")).toBe(false);
    expect(receiptOverdue(n, null, "2026-11-30")).toBe(true);
    expect(receiptOverdue(n, now, "2026-11-30")).toBe(false);
    expect(receiptOverdue({ ...n, status: "withdrawn" }, null, "2026-11-30")).toBe(false);
    expect(receiptOverdue({ ...n, ack_due_on: null }, null, "2030-01-01")).toBe(false);
  });
});

describe("the mediation state machine", () => {
  const m = { enterprise_id: "100", association_id: "200", area_path: `${STREET}x/` };
  const rel = {
    enterprise: mediationRelationOf(enterprise, m),
    association: mediationRelationOf(association, m),
    coordinator: mediationRelationOf(coordinator, m),
    police: mediationRelationOf(police, m),
    other: mediationRelationOf(
      actor(grant({ role: "association_rep", scopeKind: "organisation", scopeId: "201" })),
      m,
    ),
  };

  it("relates each party and government of the area, and no one else", () => {
    expect(rel.enterprise).toEqual({ enterprise: true, association: false, government: false });
    expect(rel.association).toEqual({ enterprise: false, association: true, government: false });
    expect(rel.coordinator.government).toBe(true);
    expect(rel.police.government).toBe(true);
    expect(rel.other).toEqual({ enterprise: false, association: false, government: false });
  });

  // The whole matrix: who × status × action, against the table below.
  const EXPECTED: Record<string, Record<string, string[]>> = {
    association: {
      pending: ["accept", "decline"],
      accepted: ["record_session", "close"],
      declined: [],
      withdrawn: [],
      closed: [],
    },
    enterprise: { pending: ["withdraw"], accepted: [], declined: [], withdrawn: [], closed: [] },
    coordinator: { pending: [], accepted: [], declined: [], withdrawn: [], closed: [] },
  };
  for (const who of ["association", "enterprise", "coordinator"] as const)
    for (const status of MEDIATION_STATUSES)
      it(`${who} on ${status}: ${EXPECTED[who]?.[status]?.join(", ") || "nothing"}`, () => {
        const r = rel[who];
        const expected = EXPECTED[who]?.[status] ?? [];
        expect(mediationAllowedActions(status, r)).toEqual(expected);
        for (const action of MEDIATION_ACTIONS) {
          const c = checkMediationAction(action, status, r);
          if (expected.includes(action)) expect(c.ok).toBe(true);
          else expect(c.ok).toBe(false);
          if (!c.ok && c.reason === "state") expect(c.allowed).toEqual(expected);
        }
      });

  it("says where a step leads", () => {
    expect(checkMediationAction("accept", "pending", rel.association)).toEqual({
      ok: true,
      to: "accepted",
    });
    expect(checkMediationAction("record_session", "accepted", rel.association)).toEqual({
      ok: true,
      to: null,
    });
    expect(checkMediationAction("accept", "pending", rel.enterprise)).toEqual({
      ok: false,
      reason: "forbidden",
    });
    expect(checkMediationAction("close", "pending", rel.association)).toEqual({
      ok: false,
      reason: "state",
      allowed: ["accept", "decline"],
    });
  });
});
