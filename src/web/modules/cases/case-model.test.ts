import { describe, expect, it } from "vitest";
import type { MeResponse } from "../../../shared/schemas/auth.js";
import { ApiError } from "../../api/client.js";
import {
  caseFieldsBody,
  caseFieldText,
  categoryTree,
  checkCaseField,
  familyOf,
  inboxTabs,
  mentionedUsers,
  newIdempotencyKey,
  readableIssues,
  reportChannels,
  stepRefusal,
} from "./case-model.js";
import type { Category, CategoryField } from "./cases-api.js";

function category(code: string, parent: string | null, fields: CategoryField[] = []): Category {
  return {
    code,
    name: code,
    parent,
    severity: "normal",
    invalid: false,
    redirect: null,
    description: null,
    serviceNotice: null,
    fields,
    sensitive: false,
    verify: false,
    acceptHours: 4,
    resolveDays: 10,
    retired: false,
    version: 1,
  };
}

function me(...grants: [MeResponse["grants"][number]["role"], "area" | "department" | "self"][]) {
  return {
    user: { id: "1", username: "u", displayName: "U", status: "active" },
    grants: grants.map(([role, scopeKind], i) => ({
      id: String(i),
      role,
      scopeKind,
      scope: scopeKind === "self" ? null : { id: "9", name: "x", code: "320505" },
    })),
    permissions: [],
    csrfToken: "t",
  } as MeResponse;
}

const amount: CategoryField = {
  code: "amount_lost",
  label: "损失金额（元）",
  type: "number",
  required: false,
  min: 0,
  max: 1000,
};
const source: CategoryField = {
  code: "noise_source",
  label: "噪声来源",
  type: "select",
  required: true,
  options: [
    { value: "construction", label: "建筑施工" },
    { value: "other", label: "其他" },
  ],
};
const night: CategoryField = { code: "at_night", label: "夜间", type: "boolean", required: false };
const plate: CategoryField = {
  code: "plate",
  label: "车牌号",
  type: "text",
  required: false,
  maxLength: 5,
};

describe("categoryTree", () => {
  it("groups leaves under their families, in the server's order", () => {
    const all = [
      category("a", null),
      category("a.x", "a"),
      category("b", null),
      category("a.y", "a"),
    ];
    expect(categoryTree(all).map((f) => [f.family.code, f.leaves.map((l) => l.code)])).toEqual([
      ["a", ["a.x", "a.y"]],
      ["b", []],
    ]);
    expect(familyOf("theft_fraud.theft")).toBe("theft_fraud");
    expect(familyOf("theft_fraud")).toBe("theft_fraud");
  });
});

describe("checkCaseField", () => {
  it("checks one field alone with the shared rules", () => {
    expect(checkCaseField(amount, undefined)).toBeNull();
    expect(checkCaseField(amount, null)).toBeNull();
    expect(checkCaseField(amount, 12.5)).toBeNull();
    expect(checkCaseField(amount, -1)).toMatch(/^损失金额（元）不能小于 0/);
    expect(checkCaseField(amount, 1001)).toMatch(/不能大于 1000/);
    expect(checkCaseField(source, undefined)).toMatch(/^噪声来源为必填项/);
    expect(checkCaseField(source, "construction")).toBeNull();
    expect(checkCaseField(source, "disco")).toMatch(/选项无效/);
    expect(checkCaseField(plate, "苏E12345")).toMatch(/不能超过 5 个字/);
    expect(checkCaseField(night, false)).toBeNull();
  });
});

describe("caseFieldsBody and caseFieldText", () => {
  it("leaves out empty answers and trims text", () => {
    expect(
      caseFieldsBody([amount, source, night, plate], {
        amount_lost: null,
        noise_source: "other",
        at_night: false,
        plate: "  ",
        stray: "x",
      }),
    ).toEqual({ noise_source: "other", at_night: false });
    expect(caseFieldsBody([plate], { plate: " A1 " })).toEqual({ plate: "A1" });
    expect(caseFieldsBody([plate], undefined)).toEqual({});
  });

  it("shows options by label and yes/no in words", () => {
    const words = { yes: "是", no: "否" };
    expect(caseFieldText(source, "construction", words)).toBe("建筑施工");
    expect(caseFieldText(night, true, words)).toBe("是");
    expect(caseFieldText(amount, 300, words)).toBe("300");
    expect(caseFieldText(undefined, "raw", words)).toBe("raw");
  });
});

describe("reportChannels and inboxTabs", () => {
  it("offers channels by role, preferring what the server would pick", () => {
    expect(reportChannels(me(["resident", "self"]))).toEqual({
      options: ["web"],
      preferred: "web",
    });
    expect(reportChannels(me(["grid_worker", "area"]))).toEqual({
      options: ["patrol", "hotline", "web"],
      preferred: "patrol",
    });
    expect(reportChannels(me(["department_officer", "department"])).preferred).toBe("hotline");
    expect(reportChannels(null).options).toEqual(["web"]);
  });

  it("shows each role its tabs", () => {
    expect(inboxTabs(me(["department_officer", "department"]))).toEqual([
      "mine",
      "department",
      "due_soon",
      "overdue",
      "supervised",
      "reported_by_me",
      "all",
    ]);
    expect(inboxTabs(me(["coordinator", "area"]))).toEqual([
      "mine",
      "area",
      "queue",
      "due_soon",
      "overdue",
      "supervised",
      "reported_by_me",
      "all",
    ]);
    expect(inboxTabs(me(["grid_worker", "area"]))).toContain("area");
    expect(inboxTabs(me(["grid_worker", "area"]))).not.toContain("queue");
  });
});

describe("stepRefusal and readableIssues", () => {
  it("tells a stale version from a state that moved on", () => {
    expect(stepRefusal(new ApiError(409, "conflict", "x", null, { currentVersion: 3 }))).toBe(
      "stale",
    );
    expect(stepRefusal(new ApiError(409, "conflict", "x", null, { allowed: ["comment"] }))).toBe(
      "state",
    );
    expect(stepRefusal(new ApiError(403, "forbidden", "x", null))).toBe("forbidden");
    expect(stepRefusal(new ApiError(400, "validation", "x", null))).toBeNull();
    expect(stepRefusal(new Error("x"))).toBeNull();
  });

  it("gives bare-word field issues the error's sentence", () => {
    const err = new ApiError(400, "validation", "请填写办理结果 / the outcome is required", null, [
      { path: "body.note", message: "required" },
      { path: "body.x", message: "太短 / too short" },
    ]);
    const out = readableIssues(err) as ApiError;
    expect(out.fieldIssues).toEqual([
      { path: "body.note", message: "请填写办理结果 / the outcome is required" },
      { path: "body.x", message: "太短 / too short" },
    ]);
    expect(out.status).toBe(400);
  });
});

describe("newIdempotencyKey", () => {
  it("makes a fresh v4 UUID each time", () => {
    const a = newIdempotencyKey();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newIdempotencyKey()).not.toBe(a);
  });
});

describe("mentionedUsers", () => {
  const users = [
    { id: "1", displayName: "张伟（狮山派出所）", organisation: "狮山派出所", staff: true },
    { id: "2", displayName: "陈静（区综治中心）", organisation: "综治中心（虎丘区）", staff: true },
    { id: "3", displayName: "李明", organisation: "消防站", staff: true },
    { id: "4", displayName: "李明", organisation: "派出所", staff: true },
  ];
  it("names whom the text still mentions, chosen or typed in full", () => {
    const text = "@张伟（狮山派出所） 请看一下，@陈静（区综治中心） 知悉";
    expect(mentionedUsers(text, users, new Set(["1"])).map((u) => u.id)).toEqual(["1", "2"]);
    // A mention chosen and then deleted from the text is gone.
    expect(mentionedUsers("请看一下", users, new Set(["1", "2"]))).toEqual([]);
    // Two people of one name: only the one chosen.
    expect(mentionedUsers("@李明 请协助", users, new Set(["4"])).map((u) => u.id)).toEqual(["4"]);
    expect(mentionedUsers("@李明 请协助", users, new Set())).toEqual([]);
  });
});
