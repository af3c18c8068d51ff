/**
 * Senders for notifications beyond the bell: one interface for SMS and
 * e-mail gateways. The default writes to the log (with the number masked),
 * so nothing leaves the machine until an operator plugs a real gateway in.
 */
import { maskMobile } from "../../../shared/formats/mobile.js";

export interface OutgoingMessage {
  channel: "sms" | "email";
  /** the phone number or address, in clear: for the gateway only, never logged */
  to: string;
  title: string;
  body: string | null;
}

export interface MessageSender {
  /** A short name recorded with each delivery ("log", "sms-gateway" …). */
  readonly name: string;
  send(message: OutgoingMessage): Promise<void>;
}

export class LogSender implements MessageSender {
  readonly name = "log";
  constructor(private readonly log: (entry: Record<string, unknown>, msg: string) => void) {}

  async send(m: OutgoingMessage) {
    this.log(
      {
        channel: m.channel,
        to: m.channel === "sms" ? maskMobile(m.to) : "(e-mail)",
        title: m.title,
      },
      "notification sent (log sender)",
    );
  }
}
