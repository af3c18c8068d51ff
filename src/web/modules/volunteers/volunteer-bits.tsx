/** Small pieces the volunteering screens share: tags, times, hours, the browser's position. */
import { Tag } from "antd";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type {
  CheckoutSource,
  HOURS_STATUSES,
  SHIFT_KINDS,
  SIGNUP_STATUSES,
} from "../../../shared/schemas/volunteers.js";
import type { Position } from "./volunteers-api.js";

const KIND_COLORS: Record<(typeof SHIFT_KINDS)[number], string> = {
  patrol: "blue",
  mediation: "purple",
  publicity: "cyan",
  visit: "gold",
};

export function ShiftKindTag(props: { kind: (typeof SHIFT_KINDS)[number] }) {
  const { t } = useTranslation();
  return <Tag color={KIND_COLORS[props.kind]}>{t(`volunteers.kinds.${props.kind}`)}</Tag>;
}

const SIGNUP_COLORS: Record<(typeof SIGNUP_STATUSES)[number], string> = {
  signed_up: "processing",
  checked_in: "green",
  checked_out: "default",
  cancelled: "default",
};

export function SignupStatusTag(props: { status: (typeof SIGNUP_STATUSES)[number] }) {
  const { t } = useTranslation();
  return (
    <Tag color={SIGNUP_COLORS[props.status]} data-testid="signup-status">
      {t(`volunteers.signupStatus.${props.status}`)}
    </Tag>
  );
}

const HOURS_COLORS: Record<(typeof HOURS_STATUSES)[number], string> = {
  pending: "orange",
  verified: "success",
  rejected: "error",
};

export function HoursStatusTag(props: { status: (typeof HOURS_STATUSES)[number] | null }) {
  const { t } = useTranslation();
  if (!props.status) return null;
  return (
    <Tag color={HOURS_COLORS[props.status]} data-testid="hours-status">
      {t(`volunteers.hoursStatus.${props.status}`)}
    </Tag>
  );
}

const CHINA = { timeZone: "Asia/Shanghai" } as const;

/** "11月29日 周六 19:00–21:00" (or across days, both dates), in China time. */
export function shiftTimeText(startsAt: string, endsAt: string, lang: string | undefined): string {
  const locale = lang === "en-US" ? "en-US" : "zh-CN";
  const day = new Intl.DateTimeFormat(locale, {
    ...CHINA,
    month: "short",
    day: "numeric",
    weekday: "short",
  });
  const time = new Intl.DateTimeFormat(locale, {
    ...CHINA,
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  });
  const s = new Date(startsAt);
  const e = new Date(endsAt);
  const sameDay = day.format(s) === day.format(e);
  return sameDay
    ? `${day.format(s)} ${time.format(s)}–${time.format(e)}`
    : `${day.format(s)} ${time.format(s)} – ${day.format(e)} ${time.format(e)}`;
}

/** Minutes as hours with one decimal ("2.5"). */
export const hoursOf = (minutes: number) => (Math.round(minutes / 6) / 10).toString();

/** The browser's position, or a reason it could not be had (already translated). */
export function currentPosition(t: TFunction): Promise<Position> {
  return new Promise((resolve, reject) => {
    if (!("geolocation" in navigator)) {
      reject(new Error(t("volunteers.geo.unsupported")));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (pos) =>
        resolve({
          lat: pos.coords.latitude,
          lng: pos.coords.longitude,
          accuracy: Math.round(pos.coords.accuracy),
        }),
      (err) =>
        reject(
          new Error(
            err.code === err.PERMISSION_DENIED
              ? t("volunteers.geo.denied")
              : err.code === err.TIMEOUT
                ? t("volunteers.geo.timeout")
                : t("volunteers.geo.unavailable"),
          ),
        ),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 0 },
    );
  });
}

/**
 * Who closed an attendance, when it was not the volunteer: the system (未签退
 * — for the verifier a flag to act on) or the verifier who set the time.
 */
export function CheckoutSourceTag(props: {
  source: CheckoutSource | null;
  audience: "volunteer" | "verifier";
}) {
  const { t } = useTranslation();
  if (props.source === "auto")
    return (
      <Tag color="orange" data-testid="checkout-auto">
        {t(
          props.audience === "verifier"
            ? "volunteers.checkout.unclosedFlag"
            : "volunteers.checkout.autoTag",
        )}
      </Tag>
    );
  if (props.source === "verifier")
    return <Tag data-testid="checkout-verifier">{t("volunteers.checkout.verifierTag")}</Tag>;
  return null;
}

/** A time as "YYYY-MM-DDTHH:mm" in China time, for a datetime-local input. */
export function chinaLocalInput(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16);
}

/** A datetime-local value read as China time, as an ISO instant. */
export function fromChinaLocalInput(v: string): string {
  return new Date(`${v}:00+08:00`).toISOString();
}

/** "11/29 19:40" style date and time, in China time. */
export function clockText(iso: string, lang: string | undefined): string {
  return new Intl.DateTimeFormat(lang === "en-US" ? "en-US" : "zh-CN", {
    ...CHINA,
    month: "numeric",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).format(new Date(iso));
}
