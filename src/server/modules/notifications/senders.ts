/**
 * Senders for notifications beyond the bell: one interface for SMS and
 * e-mail gateways. The default writes to the log (with the number or address
 * masked), so nothing leaves the machine until an operator plugs a real
 * gateway in; SMTP_URL plugs in an SMTP server for e-mail.
 */
import nodemailer, { type Transporter } from "nodemailer";
import { maskEmail } from "../../../shared/formats/email.js";
import { maskMobile } from "../../../shared/formats/mobile.js";

export const CHANNELS = ["sms", "email"] as const;
export type Channel = (typeof CHANNELS)[number];

export interface OutgoingMessage {
  channel: Channel;
  /** the phone number or address, in clear: for the gateway only, never logged */
  to: string;
  title: string;
  body: string | null;
}

export interface MessageSender {
  /** A short name recorded with each delivery ("log", "smtp" …). */
  readonly name: string;
  /** Rejects with PermanentSendError when this message can never go (a refused address). */
  send(message: OutgoingMessage): Promise<void>;
}

/** One sender per channel, for the delivery job. */
export type Senders = Record<Channel, MessageSender> & {
  /** Ends pooled connections; the senders are not used after it. */
  close(): void;
};

/**
 * The gateway refused this one message for good (an SMTP 5xx for its
 * recipient, say): it is recorded as failed and not tried again. Any other
 * error means the gateway may take it later.
 */
export class PermanentSendError extends Error {
  override readonly name = "PermanentSendError";
}

export type LogFn = (entry: Record<string, unknown>, msg: string) => void;

/** The recipient as logs may show it: 139****5678, z***@example.com. */
export function maskRecipient(m: Pick<OutgoingMessage, "channel" | "to">): string {
  return m.channel === "sms" ? maskMobile(m.to) : maskEmail(m.to);
}

export class LogSender implements MessageSender {
  readonly name = "log";
  constructor(private readonly log: LogFn) {}

  async send(m: OutgoingMessage) {
    this.log(
      { channel: m.channel, to: maskRecipient(m), title: m.title },
      "notification sent (log sender)",
    );
  }
}

/** Unless the URL says otherwise: one pooled connection per run, and no long hangs. */
const SMTP_DEFAULTS = {
  pool: "true",
  maxConnections: "1",
  connectionTimeout: "10000",
  greetingTimeout: "10000",
  socketTimeout: "30000",
};

/** E-mail through an SMTP server (SMTP_URL, e.g. smtp://user:pass@host:587), from SMTP_FROM. */
export class SmtpSender implements MessageSender {
  readonly name = "smtp";
  private readonly transport: Transporter;

  constructor(options: { url: string; from: string }) {
    const url = new URL(options.url);
    for (const [k, v] of Object.entries(SMTP_DEFAULTS))
      if (!url.searchParams.has(k)) url.searchParams.set(k, v);
    this.transport = nodemailer.createTransport(url.toString(), { from: options.from });
  }

  async send(m: OutgoingMessage) {
    if (m.channel !== "email") throw new Error(`the SMTP sender sends e-mail, not ${m.channel}`);
    try {
      await this.transport.sendMail({
        to: m.to,
        subject: m.title,
        text: `${m.body ?? m.title}\n\n-- \n共治 Gongzhi`,
      });
    } catch (err) {
      const e = err as { code?: string; responseCode?: number; message?: string };
      // Servers quote the address in their replies: the logs get it masked.
      const detail = `${e.responseCode ?? e.code ?? ""} ${e.message ?? ""}`
        .trim()
        .split(m.to)
        .join(maskEmail(m.to));
      // A refused recipient or message is this message's fault; a refused
      // login, a lost connection or a 4xx ("try later") is not.
      const refused =
        e.code === "EENVELOPE" ||
        (e.responseCode !== undefined && e.responseCode >= 500 && e.code !== "EAUTH");
      if (refused) throw new PermanentSendError(`SMTP refused the message: ${detail}`);
      throw Object.assign(new Error(`SMTP send failed: ${detail}`), { code: e.code });
    }
  }

  close() {
    this.transport.close();
  }
}

/** The senders the configuration asks for: SMTP for e-mail when SMTP_URL is set, else the log. */
export function configuredSenders(
  config: { smtp: { url: string; from: string } | undefined },
  log: LogFn,
): Senders {
  const logSender = new LogSender(log);
  const smtp = config.smtp ? new SmtpSender(config.smtp) : undefined;
  return {
    sms: logSender,
    email: smtp ?? logSender,
    close: () => smtp?.close(),
  };
}
