import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, login, type TestApp } from "../../../../test/test-app.js";
import { TEST_KEYS } from "../../../../test/test-database-config.js";
import { createFieldCrypto, parseKeyring } from "../../crypto/field-crypto.js";
import { keyStatus, reencrypt } from "./keys.service.js";

const NEW_KEY = `t2:${Buffer.alloc(32, 7).toString("base64")}`;
/** The new key first (active), the test key still there to read old values. */
const rotated = createFieldCrypto(
  parseKeyring({ ...TEST_KEYS, GONGZHI_DATA_KEYS: `${NEW_KEY},${TEST_KEYS.GONGZHI_DATA_KEYS}` }),
);
/** Only the new key: what the district runs once the old key is dropped. */
const newOnly = createFieldCrypto(parseKeyring({ ...TEST_KEYS, GONGZHI_DATA_KEYS: NEW_KEY }));

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function residentNumbers() {
  return t.database.db
    .selectFrom("residents")
    .select(["id", "id_number_enc", "id_number_index", "phone_enc"])
    .orderBy("id")
    .execute();
}

describe("data-key rotation", () => {
  it("re-encrypts every value under the new key, keeps indexes, and the old key can go", async () => {
    const before = await residentNumbers();
    const status = await keyStatus({ db: t.database.db, fieldCrypto: rotated });
    const ids = status.find((c) => c.column === "residents.id_number_enc");
    expect(ids?.byKey).toEqual([{ keyId: "t1", count: before.length }]);

    // An import with refused rows holds a sealed error file.
    const sealedBefore = t.fieldCrypto.encrypt('{"header":["姓名"],"rows":[]}', "imports.errors");
    const imported = await t.database.db
      .insertInto("imports")
      .values({
        kind: "residents",
        filename: "居民.csv",
        created_by: null,
        errors: JSON.stringify({ sealed: sealedBefore }),
      })
      .returning("id")
      .executeTakeFirstOrThrow();

    const r = await reencrypt({ db: t.database.db, fieldCrypto: rotated }, { batchSize: 300 });
    expect(r.failures).toEqual([]);
    const rewritten = Object.fromEntries(r.columns.map((c) => [c.column, c.rewritten]));
    expect(rewritten["residents.id_number_enc"]).toBe(before.length);
    expect(rewritten["residents.phone_enc"]).toBe(before.filter((x) => x.phone_enc).length);
    expect(rewritten["imports.errors.sealed"]).toBe(1);
    const sealed = await t.database.db
      .selectFrom("imports")
      .select(sql<string>`errors ->> 'sealed'`.as("v"))
      .where("id", "=", imported.id)
      .executeTakeFirstOrThrow();
    expect(newOnly.decrypt(sealed.v, "imports.errors")).toBe('{"header":["姓名"],"rows":[]}');

    const after = await residentNumbers();
    for (const [i, row] of after.entries()) {
      const old = before[i];
      expect(row.id_number_enc.split(".")[1]).toBe("t2");
      expect(row.id_number_index).toBe(old?.id_number_index);
      // Same person, same number: readable with the new key alone.
      expect(newOnly.decrypt(row.id_number_enc, "residents.id_number")).toBe(
        t.fieldCrypto.decrypt(old?.id_number_enc as string, "residents.id_number"),
      );
    }
    for (const c of await keyStatus({ db: t.database.db, fieldCrypto: rotated })) {
      expect(
        c.byKey.every((k) => k.keyId === "t2"),
        c.column,
      ).toBe(true);
    }
    // The job is recorded, and a second run finds nothing left to do.
    const audit = await t.database.db
      .selectFrom("audit_log")
      .select("action")
      .where("action", "=", "keys.reencrypted")
      .execute();
    expect(audit).toHaveLength(1);
    const again = await reencrypt({ db: t.database.db, fieldCrypto: rotated });
    expect(again.columns.every((c) => c.rewritten === 0)).toBe(true);
  });

  it("leaves a value no configured key can read as it is, and reports it", async () => {
    const stranger = createFieldCrypto(
      parseKeyring({
        ...TEST_KEYS,
        GONGZHI_DATA_KEYS: `x9:${Buffer.alloc(32, 9).toString("base64")}`,
      }),
    );
    const foreign = stranger.encrypt("13900000000", "users.phone");
    const admin = await t.database.db
      .updateTable("users")
      .set({ phone_enc: foreign })
      .where("username", "=", "admin")
      .returning("id")
      .executeTakeFirstOrThrow();
    const r = await reencrypt({ db: t.database.db, fieldCrypto: rotated });
    expect(r.failures).toEqual([
      { column: "users.phone_enc", id: admin.id, reason: expect.any(String) },
    ]);
    const row = await t.database.db
      .selectFrom("users")
      .select("phone_enc")
      .where("id", "=", admin.id)
      .executeTakeFirstOrThrow();
    expect(row.phone_enc).toBe(foreign);
    // The app still works for the people whose numbers were rotated.
    const s = await login(t.app, "gridworker");
    expect((await s.request({ method: "GET", url: "/api/residents?limit=1" })).statusCode).toBe(
      200,
    );
  });
});
