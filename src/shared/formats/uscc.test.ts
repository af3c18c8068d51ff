import { describe, expect, it } from "vitest";
import { parseUscc, USCC_CHARSET, usccCheckChar, usccSchema } from "./uscc.js";

function errorOf(input: string): string {
  const r = parseUscc(input);
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

describe("usccCheckChar", () => {
  it("matches the example in GB 32100-2015 and published enterprise codes", () => {
    expect(usccCheckChar("91350100M000100Y4")).toBe("3");
    // Huawei Technologies Co., Ltd. and Tencent (Shenzhen), from their business licences.
    expect(usccCheckChar("91440300192203821")).toBe("6");
    expect(usccCheckChar("9144030071526726X")).toBe("G");
  });

  it("maps 31 to 0", () => {
    // All zeros: the sum is 0, 31 - 0 = 31, which wraps to 0.
    expect(usccCheckChar("00000000000000000")).toBe("0");
  });

  it.each(["", "91350100M000100Y", "91350100M000100Y43", "91350100M000100I4", "91350100m000100y4"])(
    "refuses %j",
    (bad) => {
      expect(() => usccCheckChar(bad)).toThrow(RangeError);
    },
  );
});

describe("parseUscc", () => {
  it("splits a valid code into its parts", () => {
    expect(parseUscc("91350100M000100Y43")).toEqual({
      ok: true,
      value: {
        normalized: "91350100M000100Y43",
        registrationAuthority: "9",
        organisationType: "1",
        regionCode: "350100",
        subjectCode: "M000100Y4",
      },
    });
  });

  it("normalises case, full-width characters and surrounding space", () => {
    for (const input of [
      "91350100m000100y43",
      " 91350100M000100Y43\n",
      "９１３５０１００Ｍ０００１００Ｙ４３",
    ]) {
      const r = parseUscc(input);
      expect(r.ok && r.value.normalized).toBe("91350100M000100Y43");
    }
  });

  it("wrong length", () => {
    expect(errorOf("91350100M000100Y4")).toBe(
      "统一社会信用代码应为 18 位，实际为 17 位 / credit code must be 18 characters, got 17",
    );
    expect(errorOf("")).toContain("got 0");
    expect(errorOf("91350100M000100Y433")).toContain("got 19");
  });

  it("bad character at position N, including the letters the code never uses", () => {
    for (const [letter, pos] of [
      ["I", 9],
      ["O", 10],
      ["S", 11],
      ["V", 12],
      ["Z", 13],
      ["-", 14],
    ] as const) {
      const code = `${"91350100M000100Y43".slice(0, pos - 1)}${letter}${"91350100M000100Y43".slice(pos)}`;
      expect(errorOf(code)).toBe(
        `第 ${pos} 位字符无效（不可用 I、O、S、V、Z）/ bad character at position ${pos} (I, O, S, V and Z are not used)`,
      );
    }
  });

  it("a letter in the region code (positions 3–8)", () => {
    const first17 = "913501A0M000100Y4";
    expect(errorOf(first17 + usccCheckChar(first17))).toBe(
      "第 7 位字符无效，行政区划码应为数字 / bad character at position 7, the region code (positions 3–8) is digits",
    );
  });

  it("wrong check character names the right one", () => {
    expect(errorOf("91350100M000100Y44")).toBe("校验位应为 3 / check digit should be 3");
    expect(errorOf("9144030071526726X0")).toBe("校验位应为 G / check digit should be G");
  });

  describe("properties over 1,000 random codes", () => {
    const random = rng(32100);
    const char = () => USCC_CHARSET.charAt(Math.floor(random() * 31));
    const digit = () => String(Math.floor(random() * 10));
    const samples = Array.from({ length: 1000 }, () => {
      const head = char() + char();
      const region = Array.from({ length: 6 }, digit).join("");
      const subject = Array.from({ length: 9 }, char).join("");
      return head + region + subject;
    });

    it("the computed check character passes, every other one fails with the right message", () => {
      for (const first17 of samples) {
        const check = usccCheckChar(first17);
        const r = parseUscc(first17 + check);
        expect(r.ok, first17).toBe(true);
        for (const other of USCC_CHARSET) {
          if (other === check) continue;
          expect(errorOf(first17 + other)).toBe(
            `校验位应为 ${check} / check digit should be ${check}`,
          );
        }
      }
    });

    it("any single changed character is caught", () => {
      for (const first17 of samples.slice(0, 300)) {
        const code = first17 + usccCheckChar(first17);
        const i = Math.floor(random() * 17);
        const old = USCC_CHARSET.indexOf(code.charAt(i));
        const replacement = USCC_CHARSET.charAt((old + 1 + Math.floor(random() * 30)) % 31);
        const changed = `${code.slice(0, i)}${replacement}${code.slice(i + 1)}`;
        expect(parseUscc(changed).ok, changed).toBe(false);
      }
    });
  });
});

describe("usccSchema", () => {
  it("outputs the normalised code, or the parser's message", () => {
    expect(usccSchema.parse("91350100m000100y43")).toBe("91350100M000100Y43");
    const r = usccSchema.safeParse("91350100M000100Y44");
    expect(r.error?.issues.map((i) => i.message)).toEqual([
      "校验位应为 3 / check digit should be 3",
    ]);
  });
});
