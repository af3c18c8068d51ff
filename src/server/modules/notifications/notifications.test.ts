import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerAddress } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../../test/test-app.js";
import { findJob } from "../../jobs/registry.js";
import { deliverPending } from "./notifications.service.js";
import {
  LogSender,
  type MessageSender,
  type OutgoingMessage,
  PermanentSendError,
  type Senders,
  SmtpSender,
} from "./senders.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

class RecordingSender implements MessageSender {
  readonly name = "test";
  readonly sent: OutgoingMessage[] = [];
  constructor(private readonly fail?: (m: OutgoingMessage) => Error | undefined) {}
  async send(m: OutgoingMessage) {
    const err = this.fail?.(m);
    if (err) throw err;
    this.sent.push(m);
  }
}

function sendersOf(sender: MessageSender): Senders {
  return { sms: sender, email: sender, close: () => {} };
}

/** Demo users by username, with the phone and address given (null clears them). */
async function contactable(list: Record<string, { phone: string | null; email: string | null }>) {
  const db = t.database.db;
  const ids: Record<string, string> = {};
  for (const [username, c] of Object.entries(list)) {
    const u = await db
      .updateTable("users")
      .set({
        phone_enc: c.phone ? t.fieldCrypto.encrypt(c.phone, "users.phone") : null,
        phone_masked: c.phone ? `${c.phone.slice(0, 3)}****${c.phone.slice(7)}` : null,
        email: c.email,
      })
      .where("username", "=", username)
      .returning("id")
      .executeTakeFirstOrThrow();
    ids[username] = u.id;
  }
  return ids;
}

async function notify(userId: string, title: string, body: string | null = null) {
  await t.database.db
    .insertInto("notifications")
    .values({ user_id: userId, kind: "case.dispatched", title, body })
    .execute();
}

async function deliveryOf(titleLike: string) {
  const rows = await t.database.db
    .selectFrom("notifications")
    .select(["title", "delivery", "delivered_at"])
    .where("title", "like", titleLike)
    .orderBy("id")
    .execute();
  return Object.fromEntries(rows.map((r) => [r.title, r.delivered_at ? r.delivery : null]));
}

describe("notification delivery", () => {
  it("texts users with a phone once, marks the rest as in-app only, and never logs a number", async () => {
    const ids = await contactable({
      officer: { phone: "13912345678", email: null },
      gridworker: { phone: null, email: null },
    });
    await notify(ids.officer as string, "新派单 SJ1：盗窃", "电瓶被偷");
    await notify(ids.gridworker as string, "新派单 SJ2：噪声");
    const sender = new RecordingSender();
    const deps = { db: t.database.db, fieldCrypto: t.fieldCrypto, senders: sendersOf(sender) };
    const [a, b] = await Promise.all([deliverPending(deps), deliverPending(deps)]);
    expect(a.sms + b.sms).toBe(1);
    expect(sender.sent).toEqual([
      { channel: "sms", to: "13912345678", title: "新派单 SJ1：盗窃", body: "电瓶被偷" },
    ]);
    expect((await deliverPending(deps)).sms).toBe(0);
    expect(await deliveryOf("新派单 SJ_：%")).toEqual({
      "新派单 SJ1：盗窃": ["sms:test"],
      "新派单 SJ2：噪声": ["app"],
    });

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

  it("e-mails users with an address, texts and e-mails those with both, and records each channel", async () => {
    const ids = await contactable({
      officer: { phone: "13912345678", email: "Officer.Li@Example.com" },
      gridworker: { phone: null, email: "grid@example.com" },
      coordinator: { phone: null, email: null },
    });
    await t.database.db
      .updateTable("users")
      .set({ email: "gone@example.com", status: "disabled" })
      .where("username", "=", "association")
      .execute();
    const disabled = await t.database.db
      .selectFrom("users")
      .select("id")
      .where("username", "=", "association")
      .executeTakeFirstOrThrow();
    await notify(ids.officer as string, "邮件 M1：两个渠道", "正文");
    await notify(ids.gridworker as string, "邮件 M2：只有邮箱");
    await notify(ids.coordinator as string, "邮件 M3：只在应用内");
    await notify(disabled.id, "邮件 M4：停用账户");
    const sender = new RecordingSender();
    const deps = { db: t.database.db, fieldCrypto: t.fieldCrypto, senders: sendersOf(sender) };
    const [a, b] = await Promise.all([deliverPending(deps), deliverPending(deps)]);
    // Each message once, though two runs raced for them.
    expect({ sms: a.sms + b.sms, email: a.email + b.email }).toEqual({ sms: 1, email: 2 });
    expect(sender.sent.filter((m) => m.channel === "email")).toEqual([
      { channel: "email", to: "Officer.Li@Example.com", title: "邮件 M1：两个渠道", body: "正文" },
      { channel: "email", to: "grid@example.com", title: "邮件 M2：只有邮箱", body: null },
    ]);
    expect(await deliveryOf("邮件 M_：%")).toEqual({
      "邮件 M1：两个渠道": ["sms:test", "email:test"],
      "邮件 M2：只有邮箱": ["email:test"],
      "邮件 M3：只在应用内": ["app"],
      "邮件 M4：停用账户": ["app"],
    });
    await t.database.db
      .updateTable("users")
      .set({ email: null, status: "active" })
      .where("id", "=", disabled.id)
      .execute();
  });

  it("logs an e-mail address masked", async () => {
    const logged: Array<{ entry: Record<string, unknown>; msg: string }> = [];
    await new LogSender((entry, msg) => logged.push({ entry, msg })).send({
      channel: "email",
      to: "zhang.wei@example.com",
      title: "新派单 SJ9",
      body: "正文",
    });
    expect(logged).toEqual([
      {
        entry: { channel: "email", to: "z***@example.com", title: "新派单 SJ9" },
        msg: "notification sent (log sender)",
      },
    ]);
    expect(JSON.stringify(logged)).not.toContain("zhang.wei");
  });

  it("records a refused address as failed without retrying it, and keeps the SMS", async () => {
    const ids = await contactable({
      officer: { phone: "13912345678", email: "nobody@example.com" },
    });
    await notify(ids.officer as string, "拒收 R1");
    const logged: string[] = [];
    const sender = new RecordingSender((m) =>
      m.channel === "email" ? new PermanentSendError("550 no such mailbox") : undefined,
    );
    const deps = {
      db: t.database.db,
      fieldCrypto: t.fieldCrypto,
      senders: sendersOf(sender),
      log: (e: Record<string, unknown>) => logged.push(JSON.stringify(e)),
    };
    expect(await deliverPending(deps)).toMatchObject({ sms: 1, email: 0, failed: 1 });
    expect(await deliveryOf("拒收 R1")).toEqual({ "拒收 R1": ["sms:test", "email:test:failed"] });
    expect(logged.join()).toContain("n***@example.com");
    expect(logged.join()).not.toContain("nobody@");
    expect(await deliverPending(deps)).toMatchObject({ sms: 0, failed: 0 });
  });

  it("stops at a gateway that fails for a while, keeps what was sent, and sends the rest later", async () => {
    const ids = await contactable({
      officer: { phone: null, email: "officer@example.com" },
      gridworker: { phone: null, email: "grid@example.com" },
    });
    await notify(ids.officer as string, "暂停 P1");
    await notify(ids.gridworker as string, "暂停 P2");
    await notify(ids.officer as string, "暂停 P3");
    const down = new RecordingSender((m) =>
      m.to === "grid@example.com" ? new Error("connection refused") : undefined,
    );
    const deps = { db: t.database.db, fieldCrypto: t.fieldCrypto };
    await expect(deliverPending({ ...deps, senders: sendersOf(down) })).rejects.toThrow(
      "connection refused",
    );
    expect(await deliveryOf("暂停 P_")).toEqual({
      "暂停 P1": ["email:test"],
      "暂停 P2": null,
      "暂停 P3": null,
    });
    const up = new RecordingSender();
    expect((await deliverPending({ ...deps, senders: sendersOf(up) })).email).toBe(2);
    expect(up.sent.map((m) => m.title)).toEqual(["暂停 P2", "暂停 P3"]);
  });
});

/** A local SMTP server that keeps what it receives; it wants a login, and refuses `rejected@…`. */
async function startSmtp() {
  const received: Array<{ from: string; rcptTo: string[]; raw: string }> = [];
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    onAuth(auth, _session, cb) {
      if (auth.username === "mailer" && auth.password === "s3cret pass")
        cb(null, { user: "mailer" });
      else cb(new Error("535 authentication failed"));
    },
    onRcptTo(address: SMTPServerAddress, _session, cb) {
      if (address.address.startsWith("rejected@"))
        cb(
          Object.assign(new Error(`<${address.address}>: Recipient address rejected`), {
            responseCode: 550,
          }),
        );
      else cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://mailer:${encodeURIComponent("s3cret pass")}@127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A header of a raw message, unfolded, with RFC 2047 encoded words decoded. */
function header(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0]?.replace(/\r?\n[ \t]+/g, " ") ?? "";
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name}:`));
  return (line?.slice(name.length + 1).trim() ?? "")
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_m, enc: string, text: string) =>
      enc.toLowerCase() === "b"
        ? Buffer.from(text, "base64").toString("utf8")
        : Buffer.from(
            text
              .replace(/_/g, " ")
              .replace(/=([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
            "latin1",
          ).toString("utf8"),
    );
}

describe("SmtpSender", () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    smtp = await startSmtp();
  });
  afterAll(() => smtp.close());

  it("delivers to a local SMTP server with the subject and recipient, logging in from SMTP_URL", async () => {
    const sender = new SmtpSender({ url: smtp.url, from: "共治平台 <noreply@gongzhi.example>" });
    try {
      await sender.send({
        channel: "email",
        to: "zhang.wei@example.com",
        title: "新派单 SJ20260001：盗窃",
        body: "狮山街道 车棚电瓶被偷",
      });
    } finally {
      sender.close();
    }
    const m = smtp.received.at(-1);
    expect(m?.rcptTo).toEqual(["zhang.wei@example.com"]);
    expect(m?.from).toBe("noreply@gongzhi.example");
    expect(header(m?.raw ?? "", "subject")).toBe("新派单 SJ20260001：盗窃");
    expect(header(m?.raw ?? "", "to")).toBe("zhang.wei@example.com");
    expect(header(m?.raw ?? "", "from")).toBe("共治平台 <noreply@gongzhi.example>");
  });

  it("reports a refused recipient as permanent, with the address masked", async () => {
    const sender = new SmtpSender({ url: smtp.url, from: "noreply@gongzhi.example" });
    try {
      const err = await sender
        .send({ channel: "email", to: "rejected@example.com", title: "x", body: null })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PermanentSendError);
      expect((err as Error).message).toContain("550");
      expect((err as Error).message).not.toContain("rejected@example.com");
    } finally {
      sender.close();
    }
  });

  it("treats a refused login as a failure of the gateway, not of the message", async () => {
    const wrong = smtp.url.replace(encodeURIComponent("s3cret pass"), "wrong");
    const sender = new SmtpSender({ url: wrong, from: "noreply@gongzhi.example" });
    try {
      const err = await sender
        .send({ channel: "email", to: "li@example.com", title: "x", body: null })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toBeInstanceOf(PermanentSendError);
    } finally {
      sender.close();
    }
  });

  it("is what the notification-delivery job uses when SMTP_URL is set", async () => {
    const app = await createTestApp({
      env: { SMTP_URL: smtp.url, SMTP_FROM: "noreply@gongzhi.example" },
    });
    try {
      const db = app.database.db;
      const u = await db
        .updateTable("users")
        .set({ email: "coordinator@example.com", phone_enc: null })
        .where("username", "=", "coordinator")
        .returning("id")
        .executeTakeFirstOrThrow();
      // Only this notification is waiting: the clone's earlier ones count as delivered.
      await db
        .updateTable("notifications")
        .set({ delivered_at: new Date(), delivery: ["app"] })
        .where("delivered_at", "is", null)
        .execute();
      await db
        .insertInto("notifications")
        .values({ user_id: u.id, kind: "case.escalated", title: "事件升级 SJ7", body: "已超期" })
        .execute();
      const logged: string[] = [];
      const job = findJob("notification-delivery");
      const summary = await job?.run(
        {
          db,
          config: app.config,
          fieldCrypto: app.fieldCrypto,
          log: (e, msg) => logged.push(`${msg} ${JSON.stringify(e)}`),
        },
        new Date(),
      );
      expect(summary).toBe("0 by SMS, 1 by e-mail, 0 refused, 0 in the app only");
      const m = smtp.received.at(-1);
      expect(m?.rcptTo).toEqual(["coordinator@example.com"]);
      expect(header(m?.raw ?? "", "subject")).toBe("事件升级 SJ7");
      const row = await db
        .selectFrom("notifications")
        .select("delivery")
        .where("title", "=", "事件升级 SJ7")
        .executeTakeFirstOrThrow();
      expect(row.delivery).toEqual(["email:smtp"]);
    } finally {
      await app.close();
    }
  });
});
