/**
 * Small pieces every case screen shows the same way: the status, severity,
 * due-state and 督办 tags, the deadline that applies now, times in the
 * reader's language, and the wide send button of the phone forms.
 */
import { ClockCircleOutlined, FlagOutlined } from "@ant-design/icons";
import { Button, Tag } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { CaseSummary } from "../../../shared/schemas/cases.js";
import type { CaseStatus } from "./cases-api.js";

const STATUS_COLORS: Record<CaseStatus, string> = {
  reported: "gold",
  verified: "cyan",
  dispatched: "blue",
  accepted: "geekblue",
  in_progress: "processing",
  resolved: "purple",
  returned: "orange",
  closed: "success",
  withdrawn: "default",
  merged: "default",
};

const SEVERITY_COLORS: Record<CaseSummary["severity"], string> = {
  low: "default",
  normal: "blue",
  high: "orange",
  urgent: "red",
};

export function CaseStatusTag(props: { status: CaseStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[props.status]} data-testid="case-status" data-status={props.status}>
      {t(`cases.statuses.${props.status}`)}
    </Tag>
  );
}

export function SeverityTag(props: { severity: CaseSummary["severity"] }) {
  const { t } = useTranslation();
  return (
    <Tag color={SEVERITY_COLORS[props.severity]} data-severity={props.severity}>
      {t(`cases.severities.${props.severity}`)}
    </Tag>
  );
}

/** Red when overdue, orange when due soon; on time only when asked (`showOnTime`). */
export function DueStateTag(props: { dueState: CaseSummary["dueState"]; showOnTime?: boolean }) {
  const { t } = useTranslation();
  const s = props.dueState;
  if (s === null || (s === "on_time" && !props.showOnTime)) return null;
  const color = s === "overdue" ? "red" : s === "due_soon" ? "orange" : "green";
  return (
    <Tag color={color} icon={<ClockCircleOutlined />} data-testid="case-due-state" data-due={s}>
      {t(`cases.dueStates.${s}`)}
    </Tag>
  );
}

export function SupervisedTag(props: { supervised: boolean }) {
  const { t } = useTranslation();
  if (!props.supervised) return null;
  return (
    <Tag color="magenta" icon={<FlagOutlined />} data-testid="case-supervised">
      {t("cases.supervised")}
    </Tag>
  );
}

/**
 * "2026/11/29 11:24" in the UI language, on the district's clock (China
 * Standard Time): deadlines run on its working hours, whatever the reader's
 * own time zone.
 */
export function formatTime(iso: string | null, lang: string | undefined): string {
  if (!iso) return "—";
  return new Date(iso).toLocaleString(lang, {
    dateStyle: "short",
    timeStyle: "short",
    timeZone: "Asia/Shanghai",
  });
}

/**
 * The deadline running now: to accept while dispatched, to resolve while
 * being handled; null when no clock runs.
 */
export function currentDeadline(
  c: Pick<CaseSummary, "status" | "acceptDueAt" | "resolveDueAt">,
): { kind: "accept" | "resolve"; at: string } | null {
  if (c.status === "dispatched" && c.acceptDueAt) return { kind: "accept", at: c.acceptDueAt };
  if ((c.status === "accepted" || c.status === "in_progress") && c.resolveDueAt)
    return { kind: "resolve", at: c.resolveDueAt };
  return null;
}

/** "办结期限 12/08 17:30" with its due-state tag, or nothing when no clock runs. */
export function DeadlineText(props: { c: CaseSummary }) {
  const { t, i18n } = useTranslation();
  const d = currentDeadline(props.c);
  if (!d) return <span>—</span>;
  return (
    <span data-testid="case-deadline">
      {t(d.kind === "accept" ? "cases.acceptDue" : "cases.resolveDue")}{" "}
      {formatTime(d.at, i18n.resolvedLanguage)} <DueStateTag dueState={props.c.dueState} />
    </span>
  );
}

/** The one big send button at the foot of a phone form (上报, 查询). */
export function WideSubmitButton(props: {
  icon: ReactNode;
  loading: boolean;
  testId: string;
  children: ReactNode;
}) {
  return (
    <Button
      type="primary"
      htmlType="submit"
      size="large"
      block
      icon={props.icon}
      loading={props.loading}
      data-testid={props.testId}
    >
      {props.children}
    </Button>
  );
}
