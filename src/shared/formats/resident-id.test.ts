import { describe, expect, it } from "vitest";
import { PROVINCES } from "./regions.js";
import {
  maskResidentId,
  parseResidentId,
  residentIdCheckChar,
  residentIdSchema,
} from "./resident-id.js";

const CHECK_CHARS = "0123456789X";
const NOW = new Date("2026-03-15T04:00:00Z");

/** A valid number: region + YYYYMMDD + 3-digit sequence + computed check char. */
function makeId(region: string, yyyymmdd: string, seq: string): string {
  const first17 = `${region}${yyyymmdd}${seq}`;
  return first17 + residentIdCheckChar(first17);
}

function errorOf(input: string, now = NOW): string {
  const r = parseResidentId(input, { now });
  if (r.ok) throw new Error(`expected ${input} to be rejected`);
  return r.error;
}

/** Deterministic PRNG (mulberry32), so a failing case can be reproduced. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("residentIdCheckChar", () => {
  it("computes ISO 7064 MOD 11-2, including X for 10", () => {
    // The public sample number from GB 11643 teaching material.
    expect(residentIdCheckChar("11010519491231002")).toBe("X");
    // Sum of weights × 0 is 0 → index 0 → "1".
    expect(residentIdCheckChar("00000000000000000")).toBe("1");
  });

  it.each(["", "1101051949123100", "110105194912310021", "1101051949123100a"])(
    "refuses %j",
    (bad) => {
      expect(() => residentIdCheckChar(bad)).toThrow(RangeError);
    },
  );
});

describe("parseResidentId: valid numbers", () => {
  it("parses the public sample 11010519491231002X", () => {
    expect(parseResidentId("11010519491231002X", { now: NOW })).toEqual({
      ok: true,
      value: {
        normalized: "11010519491231002X",
        regionCode: "110105",
        provinceCode: "11",
        birthDate: "1949-12-31",
        sex: "female",
      },
    });
  });

  it("normalises a lower-case x, full-width characters and surrounding space", () => {
    for (const input of [
      "11010519491231002x",
      "  11010519491231002X\t",
      "１１０１０５１９４９１２３１００２Ｘ",
      "１１０１０５１９４９１２３１００２ｘ",
    ]) {
      const r = parseResidentId(input, { now: NOW });
      expect(r.ok && r.value.normalized).toBe("11010519491231002X");
    }
  });

  it("reads sex from the 17th digit: odd is male", () => {
    const male = parseResidentId(makeId("320505", "19900101", "123"), { now: NOW });
    const female = parseResidentId(makeId("320505", "19900101", "124"), { now: NOW });
    expect(male.ok && male.value.sex).toBe("male");
    expect(female.ok && female.value.sex).toBe("female");
  });

  it("accepts 29 February in a leap year, 1900-01-01, and a birth today in China", () => {
    expect(parseResidentId(makeId("320505", "20000229", "001"), { now: NOW }).ok).toBe(true);
    expect(parseResidentId(makeId("320505", "19000101", "001"), { now: NOW }).ok).toBe(true);
    // 16:30 UTC on 1 June is already 2 June in China.
    const now = new Date("2024-06-01T16:30:00Z");
    const r = parseResidentId(makeId("320505", "20240602", "001"), { now });
    expect(r.ok && r.value.birthDate).toBe("2024-06-02");
  });

  it("accepts every provincial-level code", () => {
    for (const code of Object.keys(PROVINCES)) {
      const r = parseResidentId(makeId(`${code}0101`, "19800101", "001"), { now: NOW });
      expect(r.ok && r.value.provinceCode).toBe(code);
    }
  });

  it("defaults to the real clock for the future rule", () => {
    expect(parseResidentId(makeId("320505", "19900101", "001")).ok).toBe(true);
    expect(parseResidentId(makeId("320505", "29990101", "001")).ok).toBe(false);
  });
});

describe("parseResidentId: errors say exactly what is wrong", () => {
  it("wrong length", () => {
    expect(errorOf("1101051949123100")).toBe(
      "身份证号码应为 18 位，实际为 16 位 / resident ID must be 18 characters, got 16",
    );
    expect(errorOf("11010519491231002X1")).toContain("got 19");
    expect(errorOf("")).toContain("got 0");
    expect(errorOf("   ")).toContain("got 0");
  });

  it("bad character at position N", () => {
    expect(errorOf("1101A519491231002X")).toBe(
      "第 5 位字符无效，应为数字 / bad character at position 5, expected a digit",
    );
    expect(errorOf("1101051949123100X2")).toContain("position 17, expected a digit");
    expect(errorOf("110105 9491231002X")).toContain("position 7");
    // An emoji is one character to the user: the position after it stays right.
    expect(errorOf("😀10105194912310A2X")).toContain("position 1,");
    expect(errorOf("11010519491231002Y")).toBe(
      "第 18 位字符无效，应为数字或 X / bad character at position 18, expected a digit or X",
    );
  });

  it("unknown province", () => {
    for (const code of ["00", "10", "19", "66", "72", "83", "91", "99"]) {
      expect(errorOf(makeId(`${code}0101`, "19800101", "001"))).toBe(
        `前两位省级代码 ${code} 不存在 / unknown province code ${code} (positions 1–2)`,
      );
    }
  });

  it("a date that does not exist", () => {
    const msg =
      "第 7–14 位出生日期不是有效日期 / invalid birth date at positions 7–14 (not a real date)";
    for (const date of ["19900230", "19901301", "19900001", "19900100", "20010229", "19000229"]) {
      expect(errorOf(makeId("320505", date, "001"))).toBe(msg);
    }
  });

  it("a date before 1900 or in the future", () => {
    expect(errorOf(makeId("320505", "18991231", "001"))).toBe(
      "出生日期不能早于 1900 年 / invalid birth date: before 1900",
    );
    expect(errorOf(makeId("320505", "00000101", "001"))).toContain("before 1900");
    // NOW is 15 March 2026 in China.
    expect(errorOf(makeId("320505", "20260316", "001"))).toBe(
      "出生日期不能晚于今天 / invalid birth date: in the future",
    );
    expect(parseResidentId(makeId("320505", "20260315", "001"), { now: NOW }).ok).toBe(true);
  });

  it("wrong check character names the right one", () => {
    expect(errorOf("110105194912310021")).toBe("校验位应为 X / check digit should be X");
    expect(errorOf("320505199001011231")).toBe(
      `校验位应为 ${residentIdCheckChar("32050519900101123")} / check digit should be ${residentIdCheckChar("32050519900101123")}`,
    );
  });

  it("checks in order: length, characters, province, date, check character", () => {
    // Bad character and bad province and bad check: the character wins.
    expect(errorOf("99A10519491231002X")).toContain("position 3");
    // Bad province and bad date: the province wins.
    expect(errorOf("990105194913310021")).toContain("province");
    // Bad date and bad check: the date wins.
    expect(errorOf("110105194913310021")).toContain("not a real date");
  });

  it("never repeats the number's digits (messages are safe to log)", () => {
    const id = makeId("320505", "19900230", "987");
    const msg = errorOf(id);
    expect(msg).not.toContain("19900230");
    expect(msg).not.toContain("320505");
  });
});

describe("parseResidentId: properties over 1,000 random numbers", () => {
  const random = rng(11643);
  const provinces = Object.keys(PROVINCES);
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join("");
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  const start = Date.UTC(1900, 0, 1);
  const end = Date.UTC(2025, 11, 31);
  const samples = Array.from({ length: 1000 }, () => {
    const d = new Date(start + Math.floor(random() * (end - start)));
    const date = d.toISOString().slice(0, 10);
    return `${pick(provinces)}${digits(4)}${date.replace(/-/g, "")}${digits(3)}`;
  });

  it("the computed check character passes, every other one fails with the right message", () => {
    for (const first17 of samples) {
      const check = residentIdCheckChar(first17);
      const r = parseResidentId(first17 + check, { now: NOW });
      expect(r.ok, first17).toBe(true);
      if (!r.ok) continue;
      expect(r.value.sex).toBe(Number(first17[16]) % 2 ? "male" : "female");
      expect(r.value.birthDate.replace(/-/g, "")).toBe(first17.slice(6, 14));
      for (const other of CHECK_CHARS) {
        if (other === check) continue;
        expect(errorOf(first17 + other)).toBe(
          `校验位应为 ${check} / check digit should be ${check}`,
        );
      }
    }
  });

  it("any single changed digit or swap of two adjacent different digits is caught", () => {
    for (const first17 of samples.slice(0, 200)) {
      const id = first17 + residentIdCheckChar(first17);
      const i = Math.floor(random() * 17);
      const d = Number(id[i]);
      const changed = `${id.slice(0, i)}${(d + 1 + Math.floor(random() * 9)) % 10}${id.slice(i + 1)}`;
      expect(parseResidentId(changed, { now: NOW }).ok, changed).toBe(false);
      const j = Math.floor(random() * 16);
      if (id[j] !== id[j + 1]) {
        const swapped = `${id.slice(0, j)}${id[j + 1]}${id[j]}${id.slice(j + 2)}`;
        expect(parseResidentId(swapped, { now: NOW }).ok, swapped).toBe(false);
      }
    }
  });
});

describe("residentIdSchema", () => {
  it("outputs the normalised number", () => {
    expect(residentIdSchema.parse(" 11010519491231002x ")).toBe("11010519491231002X");
  });

  it("reports the parser's message as its only issue", () => {
    const r = residentIdSchema.safeParse("110105194912310021");
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toEqual([
      "校验位应为 X / check digit should be X",
    ]);
    expect(residentIdSchema.safeParse(12345).success).toBe(false);
  });
});

describe("maskResidentId", () => {
  it("keeps the first 6 and the last 4", () => {
    expect(maskResidentId("320505199001011234")).toBe("320505********1234");
    expect(maskResidentId(" 11010519491231002x")).toBe("110105********002X");
  });

  it("masks anything else whole", () => {
    expect(maskResidentId("3205051990")).toBe("**********");
    expect(maskResidentId("")).toBe("");
  });
});
