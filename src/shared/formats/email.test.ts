import { describe, expect, it } from "vitest";
import { emailSchema, maskEmail, parseEmail } from "./email.js";

describe("parseEmail", () => {
  it.each([
    ["zhang.wei@example.com", "zhang.wei@example.com"],
    ["  Zhang.Wei+case@Mail.Example.CN ", "Zhang.Wei+case@Mail.Example.CN"],
    ["li＠example.com", "li@example.com"],
    ["wang@街道.中国", "wang@街道.中国"],
    ["a@b-c.io", "a@b-c.io"],
  ])("accepts %j", (input, normalized) => {
    expect(parseEmail(input)).toEqual({ ok: true, value: { normalized } });
  });

  it.each([
    "zhang",
    "zhang@",
    "@example.com",
    "zhang@example",
    "zhang@@example.com",
    "zhang wei@example.com",
    "zhang@-example.com",
    "zhang@example..com",
    "zhang@example.c",
    "zhang@example.123",
  ])("rejects %j with a bilingual message", (input) => {
    const r = parseEmail(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain("邮箱地址格式不正确");
  });

  it("rejects an empty or overlong address", () => {
    expect(parseEmail("  ")).toMatchObject({ ok: false, error: expect.stringContaining("请输入") });
    const long = `${"a".repeat(64)}@${"b".repeat(190)}.com`;
    expect(parseEmail(long)).toMatchObject({ ok: false, error: expect.stringContaining("过长") });
  });

  it("is a zod schema with the parser's message", () => {
    expect(emailSchema.parse(" li@example.com ")).toBe("li@example.com");
    const r = emailSchema.safeParse("li@example");
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toContain("not a valid e-mail address");
  });
});

describe("maskEmail", () => {
  it("keeps the first character and the domain", () => {
    expect(maskEmail("zhang.wei@example.com")).toBe("z***@example.com");
    expect(maskEmail("王@街道.中国")).toBe("王***@街道.中国");
  });
  it("masks anything else whole", () => {
    expect(maskEmail("not an address")).toBe("************");
    expect(maskEmail("x")).toBe("*");
  });
});
