import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../../test/test-app.js";
import { deliverPending } from "./notifications.service.js";
import { LogSender, type MessageSender, type OutgoingMessage } from "./senders.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

class RecordingSender implements MessageSender {
  readonly name = "test";
  readonly sent: OutgoingMessage[] = [];
  async send(m: OutgoingMessage) {
    this.sent.push(m);
  }
}

describe("notification delivery", () => {
  it("texts users with a phone once, marks the rest as in-app only, and never logs a number", async () => {
    const db = t.database.db;
    const [withPhone, without] = await db
      .selectFrom("users")
      .select("id")
      .where("username", "in", ["officer", "gridworker"])
      .orderBy("username", "desc")
      .execute();
    if (!withPhone || !without) throw new Error("demo users missing");
    await db
      .updateTable("users")
      .set({
        phone_enc: t.fieldCrypto.encrypt("13912345678", "users.phone"),
        phone_masked: "139****5678",
      })
      .where("id", "=", withPhone.id)
      .execute();
    await db.updateTable("users").set({ phone_enc: null }).where("id", "=", without.id).execute();
    await db
      .insertInto("notifications")
      .values([
        {
          user_id: withPhone.id,
          kind: "case.dispatched",
          title: "新派单 SJ1：盗窃",
          body: "电瓶被偷",
        },
        { user_id: without.id, kind: "case.dispatched", title: "新派单 SJ2：噪声", body: null },
      ])
      .execute();
    const sender = new RecordingSender();
    const deps = { db, fieldCrypto: t.fieldCrypto, sender };
    const [a, b] = await Promise.all([deliverPending(deps), deliverPending(deps)]);
    expect(a.sent + b.sent).toBe(1);
    expect(sender.sent).toEqual([
      { channel: "sms", to: "13912345678", title: "新派单 SJ1：盗窃", body: "电瓶被偷" },
    ]);
    expect((await deliverPending(deps)).sent).toBe(0);
    const rows = await db
      .selectFrom("notifications")
      .select(["user_id", "delivery"])
      .where("title", "like", "新派单 SJ_：%")
      .execute();
    expect(rows.find((r) => r.user_id === withPhone.id)?.delivery).toBe("sms:test");
    expect(rows.find((r) => r.user_id === without.id)?.delivery).toBe("app");

    const logged: string[] = [];
    await new LogSender((e) => logged.push(JSON.stringify(e))).send({
      channel: "sms",
      to: "13912345678",
      title: "x",
      body: null,
    });
    expect(logged.join()).not.toContain("13912345678");
    expect(logged.join()).toContain("139****5678");
  });
});
