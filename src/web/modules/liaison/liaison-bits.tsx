/**
 * Small pieces the liaison screens show the same way: importance, notice and
 * receipt state, mediation status and outcome tags, and a notice's read rate.
 */
import { Progress, Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type {
  MediationOutcome,
  MediationStatus,
  NoticeImportance,
  NoticeStatus,
  NoticeSummary,
} from "../../../shared/schemas/liaison.js";

const IMPORTANCE_COLORS: Record<NoticeImportance, string> = {
  normal: "default",
  important: "orange",
  urgent: "red",
};

export function ImportanceTag(props: { importance: NoticeImportance; hideNormal?: boolean }) {
  const { t } = useTranslation();
  if (props.hideNormal && props.importance === "normal") return null;
  return (
    <Tag color={IMPORTANCE_COLORS[props.importance]} data-importance={props.importance}>
      {t(`liaison.importance.${props.importance}`)}
    </Tag>
  );
}

const STATUS_COLORS: Record<NoticeStatus, string> = {
  draft: "default",
  sent: "blue",
  withdrawn: "default",
};

export function NoticeStatusTag(props: { status: NoticeStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[props.status]} data-testid="notice-status" data-status={props.status}>
      {t(`liaison.noticeStatus.${props.status}`)}
    </Tag>
  );
}

/** An enterprise's receipt: 未读 / 已读, 待确认 / 已确认 / 逾期未确认, or 已撤回. */
export function ReceiptTags(props: { n: NoticeSummary }) {
  const { t } = useTranslation();
  const r = props.n.receipt;
  if (!r) return null;
  if (props.n.status === "withdrawn")
    return <Tag data-receipt="withdrawn">{t("liaison.notices.withdrawn")}</Tag>;
  return (
    <Space size={0} wrap>
      {r.readAt ? (
        <Tag data-receipt="read">{t("liaison.notices.read")}</Tag>
      ) : (
        <Tag color="blue" data-receipt="unread">
          {t("liaison.notices.unread")}
        </Tag>
      )}
      {props.n.ackRequired ? (
        r.acknowledgedAt ? (
          <Tag color="green" data-receipt="acknowledged">
            {t("liaison.notices.acknowledged")}
          </Tag>
        ) : r.overdue ? (
          <Tag color="red" data-receipt="overdue">
            {t("liaison.notices.overdue")}
          </Tag>
        ) : (
          <Tag color="orange" data-receipt="to_acknowledge">
            {t("liaison.notices.toAcknowledge")}
          </Tag>
        )
      ) : null}
    </Space>
  );
}

/** "12/30 已读" with a thin bar. */
export function ReadRate(props: { read: number; total: number }) {
  const { t } = useTranslation();
  const pct = props.total ? Math.round((props.read / props.total) * 100) : 0;
  return (
    <div style={{ minWidth: 110 }} data-testid="notice-read-rate" data-read={props.read}>
      <Typography.Text style={{ fontSize: 12 }}>
        {t("liaison.notices.readRate", { read: props.read, total: props.total })}
      </Typography.Text>
      <Progress percent={pct} size="small" showInfo={false} style={{ margin: 0 }} />
    </div>
  );
}

const MEDIATION_COLORS: Record<MediationStatus, string> = {
  pending: "gold",
  accepted: "processing",
  declined: "default",
  withdrawn: "default",
  closed: "success",
};

export function MediationStatusTag(props: { status: MediationStatus }) {
  const { t } = useTranslation();
  return (
    <Tag
      color={MEDIATION_COLORS[props.status]}
      data-testid="mediation-status"
      data-status={props.status}
    >
      {t(`liaison.mediation.statuses.${props.status}`)}
    </Tag>
  );
}

const OUTCOME_COLORS: Record<MediationOutcome, string> = {
  success: "green",
  partial: "gold",
  failed: "red",
};

export function OutcomeTag(props: { outcome: MediationOutcome | null }) {
  const { t } = useTranslation();
  if (!props.outcome) return null;
  return (
    <Tag color={OUTCOME_COLORS[props.outcome]} data-outcome={props.outcome}>
      {t(`liaison.mediation.outcomes.${props.outcome}`)}
    </Tag>
  );
}

/** A calendar day ("2026-12-05") as the reader writes it. */
export function formatDay(day: string | null, lang: string | undefined): string {
  if (!day) return "—";
  return new Date(`${day}T12:00:00+08:00`).toLocaleDateString(lang, {
    dateStyle: "medium",
    timeZone: "Asia/Shanghai",
  });
}
