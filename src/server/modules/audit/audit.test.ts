import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/test-database.js";
import type { Database } from "../../db/database.js";
import { linkAuditChain, recordAudit, verifyAuditChain } from "./audit.service.js";
import { canonicalJson } from "./audit-hash.js";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase("empty");
});
afterAll(() => database.close());

const write = (action: string, details: Record<string, unknown> = {}) =>
  database.db.transaction().execute((trx) =>
    recordAudit(
      trx,
      { actor: { userId: null, tokenId: null, label: "test" }, requestId: "r1" },
      {
        action,
        subjectType: "thing",
        subjectId: "1",
        details,
      },
    ),
  );

describe("canonicalJson", () => {
  it("sorts keys at every level and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });
});

describe("audit chain", () => {
  it("verifies an empty chain and a growing one", async () => {
    expect(await verifyAuditChain(database.db)).toEqual({ ok: true, rows: 0 });
    await write("a.one", { zeta: "末", alpha: [1, 2, { k: "v" }], n: 1.5 });
    await write("a.two");
    await write("a.three", { nested: { b: true, a: null } });
    expect(await verifyAuditChain(database.db, 2)).toEqual({ ok: true, rows: 3 });
  });

  it("a rolled-back change leaves no audit row", async () => {
    const before = await verifyAuditChain(database.db);
    await expect(
      database.db.transaction().execute(async (trx) => {
        await recordAudit(trx, { actor: null }, { action: "x", subjectType: "y" });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await verifyAuditChain(database.db)).toEqual(before);
  });

  it("the database rejects UPDATE, DELETE and TRUNCATE", async () => {
    await expect(sql`UPDATE audit_log SET action = 'forged'`.execute(database.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM audit_log`.execute(database.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_log`.execute(database.db)).rejects.toThrow(/append-only/);
  });

  it("lets writers run at once and links their rows once, in one chain", async () => {
    await linkAuditChain(database.db);
    await Promise.all(Array.from({ length: 20 }, (_, i) => write(`c.parallel.${i}`)));
    const unlinked = await database.db
      .selectFrom("audit_log")
      .select("id")
      .where("chain_seq", "is", null)
      .execute();
    expect(unlinked).toHaveLength(20);
    const [a, b] = await Promise.all([linkAuditChain(database.db), linkAuditChain(database.db)]);
    expect(a + b).toBe(20);
    expect(await linkAuditChain(database.db)).toBe(0);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it("allows only the link itself as an update, never a change of content or of a link", async () => {
    await write("d.one");
    const row = await database.db
      .selectFrom("audit_log")
      .select("id")
      .where("chain_seq", "is", null)
      .executeTakeFirstOrThrow();
    // Linking while changing the content is refused.
    await expect(
      sql`UPDATE audit_log SET hash = 'x', prev_hash = 'y', chain_seq = 999999, action = 'forged' WHERE id = ${row.id}`.execute(
        database.db,
      ),
    ).rejects.toThrow(/append-only/);
    await linkAuditChain(database.db);
    // A linked row cannot be relinked.
    await expect(
      sql`UPDATE audit_log SET hash = 'x' WHERE id = ${row.id}`.execute(database.db),
    ).rejects.toThrow(/append-only/);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it("names the first altered row, and a removed one", async () => {
    await write("b.four");
    await write("b.five");
    const rows = await database.db
      .selectFrom("audit_log")
      .select(["id", "action"])
      .orderBy("id")
      .execute();
    const second = rows[1];
    const fourth = rows[3];
    if (!second || !fourth) throw new Error("rows missing");
    // Only the owner can get past the trigger, and it leaves a trace in the chain.
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete`.execute(
      database.db,
    );
    await sql`UPDATE audit_log SET details = '{"tampered": true}' WHERE id = ${second.id}`.execute(
      database.db,
    );
    let r = await verifyAuditChain(database.db);
    expect(r).toMatchObject({ ok: false, brokenAt: second.id });
    if (!r.ok) expect(r.reason).toContain("altered");
    await sql`UPDATE audit_log SET details = '{}' WHERE id = ${second.id}`.execute(database.db);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
    await sql`DELETE FROM audit_log WHERE id = ${fourth.id}`.execute(database.db);
    r = await verifyAuditChain(database.db);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain("removed");
    await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_delete`.execute(database.db);
  });
});
