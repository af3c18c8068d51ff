import { describe, expect, it } from "vitest";
import { maskMobile, mobileSchema, parseMobile } from "./mobile.js";

function errorOf(input: string): string {
  const r = parseMobile(input);
  if (r.ok) throw new Error(`expected ${input} to be rejected`);
  return r.error;
}

describe("parseMobile", () => {
  it.each([
    "13812345678",
    "138 1234 5678",
    "138-1234-5678",
    " 138 - 1234 - 5678 ",
    "+86 138 1234 5678",
    "+86-138-1234-5678",
    "+8613812345678",
    "8613812345678",
    "86 138 1234 5678",
    "１３８１２３４５６７８",
  ])("normalises %j", (input) => {
    expect(parseMobile(input)).toEqual({ ok: true, value: { normalized: "13812345678" } });
  });

  it("accepts every second digit from 3 to 9", () => {
    for (const d of "3456789") expect(parseMobile(`1${d}012345678`).ok).toBe(true);
  });

  it("rejects characters other than digits, spaces and hyphens", () => {
    const msg =
      "手机号只能包含数字、空格和横线 / mobile number may contain only digits, spaces and hyphens";
    expect(errorOf("138.1234.5678")).toBe(msg);
    expect(errorOf("(138)12345678")).toBe(msg);
    expect(errorOf("+1 415 555 0100")).toBe(msg);
    expect(errorOf("1381234567a")).toBe(msg);
  });

  it("wrong length", () => {
    expect(errorOf("1381234567")).toBe(
      "手机号应为 11 位数字，实际为 10 位 / mobile number must be 11 digits, got 10",
    );
    expect(errorOf("138123456789")).toContain("got 12");
    expect(errorOf("")).toContain("got 0");
    // Without the prefix it is 10 digits: "+86" is stripped whatever follows.
    expect(errorOf("+861381234567")).toContain("got 10");
  });

  it("must start with 1", () => {
    expect(errorOf("23812345678")).toBe("手机号应以 1 开头 / mobile number must start with 1");
    // 11 digits starting 86 is not a prefixed number.
    expect(errorOf("86138123456")).toBe("手机号应以 1 开头 / mobile number must start with 1");
  });

  it("second digit 3–9", () => {
    expect(errorOf("12812345678")).toBe("手机号第 2 位应为 3–9 / second digit must be 3–9");
    expect(errorOf("10812345678")).toContain("second digit");
  });
});

describe("mobileSchema", () => {
  it("outputs 11 digits, or the parser's message", () => {
    expect(mobileSchema.parse("+86 138-1234-5678")).toBe("13812345678");
    const r = mobileSchema.safeParse("12812345678");
    expect(r.error?.issues.map((i) => i.message)).toEqual([
      "手机号第 2 位应为 3–9 / second digit must be 3–9",
    ]);
  });
});

describe("maskMobile", () => {
  it("keeps the first 3 and the last 4", () => {
    expect(maskMobile("13812345678")).toBe("138****5678");
    expect(maskMobile("+86 138-1234-5678")).toBe("138****5678");
  });

  it("masks anything that is not a valid number whole", () => {
    expect(maskMobile("12812345678")).toBe("***********");
    expect(maskMobile("0512-6888 1234")).toBe("**************");
    expect(maskMobile("")).toBe("");
  });
});
