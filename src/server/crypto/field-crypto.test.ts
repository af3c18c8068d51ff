import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  createFieldCrypto,
  FieldCryptoError,
  generateKeyringForDev,
  type Keyring,
  parseKeyring,
} from "./field-crypto.js";

const b64 = (bytes: Buffer) => bytes.toString("base64");
const K1 = randomBytes(32);
const K2 = randomBytes(32);
const INDEX = randomBytes(32);
const INDEX_OTHER = randomBytes(32);

const ring = (dataKeys: string, indexKey = b64(INDEX)) =>
  parseKeyring({ GONGZHI_DATA_KEYS: dataKeys, GONGZHI_INDEX_KEY: indexKey });

const VALUE = /^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]*$/;

/** Every spelling of a secret that could end up in a message: 8-character
 *  windows of its base64, base64url and hex forms. */
function expectNoSecret(text: string, ...secrets: Buffer[]) {
  for (const secret of secrets) {
    for (const form of [
      secret.toString("base64"),
      secret.toString("base64url"),
      secret.toString("hex"),
    ]) {
      for (let i = 0; i + 8 <= form.length; i += 4) {
        expect(text).not.toContain(form.slice(i, i + 8));
      }
    }
  }
}

function thrown(fn: () => unknown): FieldCryptoError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FieldCryptoError);
    return e as FieldCryptoError;
  }
  throw new Error("expected a FieldCryptoError");
}

/** Flips one bit of one part (2 = iv, 3 = tag, 4 = ciphertext) of a value. */
function flip(value: string, part: 2 | 3 | 4, byte = 0): string {
  const parts = value.split(".");
  const bytes = Buffer.from(parts[part] as string, "base64url");
  bytes[byte] = (bytes[byte] as number) ^ 0x01;
  parts[part] = bytes.toString("base64url");
  return parts.join(".");
}

/** The same value with one spare bit set in the tag's last character (16
 *  bytes leave 4 unused bits there): A→B, Q→R, g→h, w→x. */
function withSpareBitSet(value: string): string {
  const parts = value.split(".");
  const tag = parts[3] as string;
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const last = alphabet.indexOf(tag.slice(-1));
  parts[3] = tag.slice(0, -1) + alphabet.charAt(last + 1);
  const same = Buffer.from(parts[3], "base64url").equals(Buffer.from(tag, "base64url"));
  if (!same) throw new Error("test helper: expected the same bytes");
  return parts.join(".");
}

describe("encrypt / decrypt", () => {
  const fc = createFieldCrypto(ring(`k1:${b64(K1)}`));

  it.each([
    ["an ID number", "11010519491231002X"],
    ["Chinese text", "江苏省苏州市虎丘区狮山街道 3 号"],
    ["the empty string", ""],
    ["a long value", "长".repeat(10_000)],
  ])("round-trips %s", (_, plaintext) => {
    const value = fc.encrypt(plaintext);
    expect(value).toMatch(VALUE);
    expect(value.startsWith("v1.k1.")).toBe(true);
    expect(value).not.toContain(plaintext || "\u0000");
    expect(fc.decrypt(value)).toBe(plaintext);
  });

  it("uses a fresh IV each time", () => {
    const a = fc.encrypt("13812345678");
    const b = fc.encrypt("13812345678");
    expect(a).not.toBe(b);
    expect(a.split(".")[2]).not.toBe(b.split(".")[2]);
  });

  it("binds a value to its context when one is given", () => {
    const value = fc.encrypt("13812345678", "residents.phone");
    expect(fc.decrypt(value, "residents.phone")).toBe("13812345678");
    expect(thrown(() => fc.decrypt(value, "employees.phone")).code).toBe("tampered");
    expect(thrown(() => fc.decrypt(value)).code).toBe("tampered");
    expect(thrown(() => fc.decrypt(fc.encrypt("x"), "residents.phone")).code).toBe("tampered");
  });
});

describe("key rotation", () => {
  const before = createFieldCrypto(ring(`k1:${b64(K1)}`));
  const after = createFieldCrypto(ring(`k2:${b64(K2)},k1:${b64(K1)}`));

  it("encrypts with the first key and decrypts with whichever key a value names", () => {
    const old = before.encrypt("320505199001011234");
    expect(after.activeKeyId).toBe("k2");
    expect(after.decrypt(old)).toBe("320505199001011234");
    const fresh = after.encrypt("320505199001011234");
    expect(fresh.startsWith("v1.k2.")).toBe(true);
    expect(after.decrypt(fresh)).toBe("320505199001011234");
  });

  it("needsReencrypt is true only for values under a key that is not active", () => {
    const old = before.encrypt("a");
    expect(before.needsReencrypt(old)).toBe(false);
    expect(after.needsReencrypt(old)).toBe(true);
    const rewritten = after.encrypt(after.decrypt(old));
    expect(after.needsReencrypt(rewritten)).toBe(false);
    expect(thrown(() => after.needsReencrypt("not a value")).code).toBe("malformed");
  });

  it("once the old key is removed its values name an unknown key", () => {
    const old = before.encrypt("a");
    const without = createFieldCrypto(ring(`k2:${b64(K2)}`));
    const e = thrown(() => without.decrypt(old));
    expect(e.code).toBe("unknown_key");
    expect(e.message).toBe("encrypted field names a key id that is not in the keyring");
  });
});

describe("tampering", () => {
  const fc = createFieldCrypto(ring(`k1:${b64(K1)},k2:${b64(K2)}`));
  const plaintext = "11010519491231002X";
  const value = fc.encrypt(plaintext);
  const TAMPERED =
    "encrypted field failed authentication (altered, or not encrypted with this key)";

  it.each([
    ["the IV", 2, 0],
    ["the IV (last byte)", 2, 11],
    ["the tag", 3, 0],
    ["the tag (last byte)", 3, 15],
    ["the ciphertext", 4, 0],
    ["the ciphertext (last byte)", 4, 17],
  ] as const)("detects a flipped bit in %s", (_, part, byte) => {
    const e = thrown(() => fc.decrypt(flip(value, part, byte)));
    expect(e.code).toBe("tampered");
    expect(e.message).toBe(TAMPERED);
    expect(e.message).not.toContain(plaintext);
    expectNoSecret(`${e.message} ${e.stack}`, K1, K2);
  });

  it("detects a value relabelled with another key id of the keyring", () => {
    const e = thrown(() => fc.decrypt(value.replace("v1.k1.", "v1.k2.")));
    expect(e.code).toBe("tampered");
  });

  it("detects truncated or extended ciphertext", () => {
    const parts = value.split(".");
    const ct = Buffer.from(parts[4] as string, "base64url");
    for (const changed of [ct.subarray(0, ct.length - 1), Buffer.concat([ct, Buffer.from([0])])]) {
      parts[4] = changed.toString("base64url");
      expect(thrown(() => fc.decrypt(parts.join("."))).code).toBe("tampered");
    }
  });

  it.each([
    ["empty", ""],
    ["plaintext", plaintext],
    ["another version", value.replace(/^v1\./, "v2.")],
    ["too few parts", value.split(".").slice(0, 4).join(".")],
    ["too many parts", `${value}.x`],
    ["a bad key id", value.replace("v1.k1.", "v1.k 1.")],
    ["a short IV", value.replace(/^(v1\.k1\.)[^.]{4}/, "$1")],
    ["a short tag", value.replace(/^(v1\.k1\.[^.]+\.)[^.]{4}/, "$1")],
    ["non-base64url characters", value.replace(/\.([^.]+)$/, ".+/+/")],
    // A last character whose spare bits are set decodes to the same bytes: refused.
    ["a non-canonical spelling", withSpareBitSet(value)],
  ])("calls %s malformed", (_, bad) => {
    const e = thrown(() => fc.decrypt(bad));
    expect(e.code).toBe("malformed");
    expect(e.message).toBe("encrypted field is malformed");
  });

  it("calls an unknown key id unknown, with a message that names no id", () => {
    const e = thrown(() => fc.decrypt(value.replace("v1.k1.", "v1.k9.")));
    expect(e.code).toBe("unknown_key");
    expect(e.message).not.toContain("k9");
  });
});

describe("blind index", () => {
  const fc = createFieldCrypto(ring(`k1:${b64(K1)}`));

  it("is deterministic, hex, and per kind", () => {
    const a = fc.blindIndex("resident_id", "11010519491231002X");
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(fc.blindIndex("resident_id", "11010519491231002X")).toBe(a);
    expect(fc.blindIndex("resident_id", "11010519491231002x")).not.toBe(a);
    expect(fc.blindIndex("phone", "11010519491231002X")).not.toBe(a);
    expect(fc.blindIndex("phone", "13812345678")).not.toBe(
      fc.blindIndex("resident_id", "13812345678"),
    );
  });

  it("depends on the index key and not on the data keys", () => {
    const otherIndex = createFieldCrypto(ring(`k1:${b64(K1)}`, b64(INDEX_OTHER)));
    const rotatedData = createFieldCrypto(ring(`k2:${b64(K2)}`));
    const v = "13812345678";
    expect(otherIndex.blindIndex("phone", v)).not.toBe(fc.blindIndex("phone", v));
    expect(rotatedData.blindIndex("phone", v)).toBe(fc.blindIndex("phone", v));
  });

  it("is not a plain hash of the value", async () => {
    const { createHash } = await import("node:crypto");
    const v = "13812345678";
    expect(fc.blindIndex("phone", v)).not.toBe(createHash("sha256").update(v).digest("hex"));
  });

  it.each(["", "Phone", "phone-number", "1phone", "x".repeat(41)])(
    "refuses the kind %j",
    (kind) => {
      expect(thrown(() => fc.blindIndex(kind, "v")).code).toBe("config");
    },
  );
});

describe("parseKeyring", () => {
  it("reads the keys, first one active, tolerating spaces and url-safe base64", () => {
    const k = parseKeyring({
      GONGZHI_DATA_KEYS: ` k2 : ${K2.toString("base64url")} , k1:${b64(K1)} `,
      GONGZHI_INDEX_KEY: ` ${b64(randomBytes(64))}\n`,
    });
    expect(k.activeKeyId).toBe("k2");
    expect([...k.keys.keys()]).toEqual(["k2", "k1"]);
    expect(k.keys.get("k2")?.equals(K2)).toBe(true);
    expect(k.keys.get("k1")?.equals(K1)).toBe(true);
    expect(k.indexSecret.length).toBe(64);
  });

  it("works with process.env as it is typed", () => {
    const env: NodeJS.ProcessEnv = {
      GONGZHI_DATA_KEYS: `k1:${b64(K1)}`,
      GONGZHI_INDEX_KEY: b64(INDEX),
    };
    expect(parseKeyring(env).activeKeyId).toBe("k1");
  });

  const cases: [string, string | undefined, string | undefined, RegExp][] = [
    ["no data keys", undefined, b64(INDEX), /^GONGZHI_DATA_KEYS is not set$/],
    ["blank data keys", "  ", b64(INDEX), /^GONGZHI_DATA_KEYS is not set$/],
    ["no index key", `k1:${b64(K1)}`, undefined, /^GONGZHI_INDEX_KEY is not set$/],
    ["a key without an id", b64(K1), b64(INDEX), /entry 1 of 1 is not of the form/],
    ["a trailing comma", `k1:${b64(K1)},`, b64(INDEX), /entry 2 of 2 is not of the form/],
    ["key and id swapped", `${b64(K1)}:k1`, b64(INDEX), /entry 1 of 1 has an invalid key id/],
    ["an empty id", `:${b64(K1)}`, b64(INDEX), /invalid key id/],
    ["an id with a dot", `k.1:${b64(K1)}`, b64(INDEX), /invalid key id/],
    [
      "a duplicate id",
      `k1:${b64(K1)},k1:${b64(K2)}`,
      b64(INDEX),
      /entry 2 of 2: key id "k1" is used more than once/,
    ],
    [
      "bad base64",
      `k1:${b64(K1).slice(0, 20)}!${b64(K1).slice(21)}`,
      b64(INDEX),
      /entry 1 of 1 \(key id "k1"\): the key is not valid base64/,
    ],
    [
      "base64 with a dangling character",
      `k1:${b64(K1).replace(/=+$/, "")}AA`,
      b64(INDEX),
      /not valid base64/,
    ],
    [
      // Spare bits set in the last character: Node would decode it, silently.
      "a non-canonical spelling",
      `k1:${b64(Buffer.alloc(32, 0x41)).slice(0, 42)}F=`,
      b64(INDEX),
      /not valid base64/,
    ],
    [
      "a 31-byte key",
      `k1:${b64(K1.subarray(0, 31))}`,
      b64(INDEX),
      /\(key id "k1"\): the key is 31 bytes, expected 32/,
    ],
    [
      "a 33-byte key",
      `k1:${b64(Buffer.concat([K1, Buffer.from([1])]))}`,
      b64(INDEX),
      /the key is 33 bytes, expected 32/,
    ],
    [
      "a bad index key",
      `k1:${b64(K1)}`,
      `${b64(INDEX).slice(0, 10)}*${b64(INDEX).slice(11)}`,
      /^GONGZHI_INDEX_KEY is not valid base64$/,
    ],
    [
      "a short index key",
      `k1:${b64(K1)}`,
      b64(INDEX.subarray(0, 31)),
      /^GONGZHI_INDEX_KEY is 31 bytes, expected at least 32$/,
    ],
    [
      "an index key equal to a data key",
      `k1:${b64(K1)}`,
      b64(K1),
      /^GONGZHI_INDEX_KEY must differ from data key "k1"$/,
    ],
  ];

  it.each(cases)("explains %s without printing key material", (_, dataKeys, indexKey, message) => {
    const e = thrown(() =>
      parseKeyring({ GONGZHI_DATA_KEYS: dataKeys, GONGZHI_INDEX_KEY: indexKey }),
    );
    expect(e.code).toBe("config");
    expect(e.message).toMatch(message);
    expectNoSecret(`${e.message}\n${e.stack}`, K1, K2, INDEX);
  });

  it("keeps key material out of console.log and JSON", () => {
    const k = ring(`k2:${b64(K2)},k1:${b64(K1)}`);
    const shown = `${inspect(k, { depth: 10 })}\n${JSON.stringify(k)}\n${String(k)}`;
    expect(shown).toContain("k2");
    expect(shown).not.toContain("Buffer");
    expectNoSecret(shown, K1, K2, INDEX);
  });

  it("createFieldCrypto refuses a hand-made keyring without its active key", () => {
    const k: Keyring = { activeKeyId: "k3", keys: new Map([["k1", K1]]), indexSecret: INDEX };
    expect(thrown(() => createFieldCrypto(k)).code).toBe("config");
  });
});

describe("generateKeyringForDev", () => {
  it("gives fresh settings that parse and work", () => {
    const a = generateKeyringForDev();
    const b = generateKeyringForDev();
    expect(a.GONGZHI_DATA_KEYS).toMatch(/^k1:[A-Za-z0-9+/]{43}=$/);
    expect(a.GONGZHI_INDEX_KEY).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(a.GONGZHI_DATA_KEYS).not.toBe(b.GONGZHI_DATA_KEYS);
    expect(a.GONGZHI_INDEX_KEY).not.toBe(b.GONGZHI_INDEX_KEY);
    const fc = createFieldCrypto(parseKeyring(a));
    expect(fc.decrypt(fc.encrypt("新市民"))).toBe("新市民");
    expect(fc.blindIndex("phone", "13812345678")).not.toBe(
      createFieldCrypto(parseKeyring(b)).blindIndex("phone", "13812345678"),
    );
  });
});
