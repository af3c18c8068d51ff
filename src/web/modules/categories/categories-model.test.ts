import { describe, expect, it } from "vitest";
import type { Category } from "./categories-api.js";
import { categoryBody, categoryTree, fieldBody, formPathOf } from "./categories-model.js";

const cat = (code: string, name: string, over: Partial<Category> = {}): Category => ({
  code,
  name,
  parent: code.includes(".") ? (code.split(".")[0] ?? null) : null,
  severity: "normal",
  invalid: false,
  redirect: null,
  description: null,
  serviceNotice: null,
  fields: [],
  sensitive: false,
  verify: false,
  acceptHours: 4,
  resolveDays: 10,
  retired: false,
  version: 1,
  ...over,
});

const items = [
  cat("dispute", "矛盾纠纷"),
  cat("dispute.neighbour", "邻里纠纷"),
  cat("dispute.rental", "租赁纠纷", { retired: true }),
  cat("traffic", "交通安全"),
  cat("traffic.order", "交通秩序"),
  cat("old", "旧分类", { retired: true }),
];

describe("categoryTree", () => {
  it("nests categories under their family and hides retired ones unless asked", () => {
    const tree = categoryTree(items, { q: "", showRetired: false });
    expect(tree.map((f) => f.code)).toEqual(["dispute", "traffic"]);
    expect(tree[0]?.children?.map((c) => c.code)).toEqual(["dispute.neighbour"]);
    const all = categoryTree(items, { q: "", showRetired: true });
    expect(all.map((f) => f.code)).toEqual(["dispute", "traffic", "old"]);
    expect(all[0]?.children).toHaveLength(2);
    expect(all[2]?.children).toBeUndefined();
  });

  it("keeps a family whose category matches, and a matching family whole", () => {
    const byChild = categoryTree(items, { q: "邻里", showRetired: false });
    expect(byChild.map((f) => f.code)).toEqual(["dispute"]);
    expect(byChild[0]?.children?.map((c) => c.code)).toEqual(["dispute.neighbour"]);
    const byFamily = categoryTree(items, { q: "TRAFFIC", showRetired: false });
    expect(byFamily[0]?.children?.map((c) => c.code)).toEqual(["traffic.order"]);
    expect(categoryTree(items, { q: "没有", showRetired: true })).toEqual([]);
  });
});

describe("the form's body", () => {
  it("sends only the parts a field's type uses", () => {
    expect(
      fieldBody({
        code: " people ",
        label: "人数",
        type: "integer",
        required: true,
        min: 1,
        max: null,
        maxLength: 50,
        options: [{ value: "a", label: "A" }],
        help: " ",
      }),
    ).toEqual({ code: "people", label: "人数", type: "integer", required: true, min: 1 });
    expect(
      fieldBody({
        code: "k",
        label: "种类",
        type: "select",
        options: [{ value: "a", label: "甲" }],
      }),
    ).toEqual({
      code: "k",
      label: "种类",
      type: "select",
      required: false,
      options: [{ value: "a", label: "甲" }],
    });
  });

  it("drops fields and the redirect where the entry cannot have them", () => {
    const invalid = categoryBody({
      code: "x.y",
      name: "不受理",
      parent: "x",
      invalid: true,
      redirect: "请拨打 110",
      fields: [{ code: "a", label: "A", type: "boolean" }],
      acceptHours: 1,
      resolveDays: 1,
      description: "说明",
      note: "",
    });
    expect(invalid.fields).toEqual([]);
    expect(invalid.redirect).toBe("请拨打 110");
    expect(invalid).not.toHaveProperty("note");
    const valid = categoryBody({ parent: "x", invalid: false, redirect: "leftover" });
    expect(valid.redirect).toBeNull();
  });

  it("maps server paths onto form paths", () => {
    expect(formPathOf("body.fields.0.options")).toEqual(["fields", 0, "options"]);
    expect(formPathOf("body.name")).toEqual(["name"]);
    expect(formPathOf("body")).toBeNull();
  });
});
