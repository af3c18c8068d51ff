/** Small pieces the deliberation pages share: tags, the support bar, the answer deadline. */
import { Progress, Space, Tag, Typography } from "antd";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type {
  ProposalAnswer,
  ProposalStatus,
  ProposalSummary,
  ProposalTopic,
} from "../../../shared/schemas/proposals.js";

const STATUS_COLORS: Record<ProposalStatus, string> = {
  open: "blue",
  submitted: "orange",
  answered: "purple",
  in_progress: "cyan",
  done: "green",
  withdrawn: "default",
};

export function ProposalStatusTag(props: { status: ProposalStatus }) {
  const { t } = useTranslation();
  return (
    <Tag
      color={STATUS_COLORS[props.status]}
      data-testid="proposal-status"
      data-status={props.status}
    >
      {t(`proposals.status.${props.status}`)}
    </Tag>
  );
}

const ANSWER_COLORS: Record<ProposalAnswer, string> = {
  accepted: "success",
  partly_accepted: "processing",
  rejected: "error",
};

export function AnswerTag(props: { answer: ProposalAnswer | null }) {
  const { t } = useTranslation();
  if (!props.answer) return null;
  return (
    <Tag color={ANSWER_COLORS[props.answer]} data-testid="proposal-answer">
      {t(`proposals.answer.${props.answer}`)}
    </Tag>
  );
}

export function TopicTag(props: { topic: ProposalTopic }) {
  const { t } = useTranslation();
  return <Tag bordered={false}>{t(`proposals.topic.${props.topic}`)}</Tag>;
}

/** While the department has to answer: how long is left, or that it is late. */
export function DueTag(props: { p: Pick<ProposalSummary, "dueState" | "answerDueAt"> }) {
  const { t, i18n } = useTranslation();
  if (!props.p.dueState || !props.p.answerDueAt) return null;
  const day = formatDay(props.p.answerDueAt, i18n.resolvedLanguage);
  const color =
    props.p.dueState === "overdue" ? "red" : props.p.dueState === "due_soon" ? "gold" : "default";
  return (
    <Tag color={color} data-testid="proposal-due" data-due-state={props.p.dueState}>
      {t(`proposals.due.${props.p.dueState}`, { day })}
    </Tag>
  );
}

/** Supporters from the community against the threshold, and the others apart. */
export function SupportBar(props: {
  p: Pick<ProposalSummary, "localSupportCount" | "supportCount" | "supportThreshold" | "status">;
  compact?: boolean;
}) {
  const { t } = useTranslation();
  const { localSupportCount: local, supportCount: all, supportThreshold: threshold } = props.p;
  const others = all - local;
  const reached = local >= threshold || props.p.status !== "open";
  return (
    <div data-testid="proposal-support" data-local={local} data-total={all}>
      <Space size={8} wrap style={{ width: "100%", justifyContent: "space-between" }}>
        <Typography.Text strong={!props.compact}>
          {t("proposals.support.local", { local, threshold })}
        </Typography.Text>
        {others > 0 ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t("proposals.support.others", { count: others })}
          </Typography.Text>
        ) : null}
      </Space>
      <Progress
        percent={Math.min(100, Math.round((local / Math.max(1, threshold)) * 100))}
        showInfo={false}
        size="small"
        status={reached ? "success" : "active"}
      />
    </div>
  );
}

export function formatDay(iso: string | null, lang: string | undefined): string {
  if (!iso) return "—";
  return new Date(iso).toLocaleDateString(lang, { dateStyle: "medium", timeZone: "Asia/Shanghai" });
}

export function formatDistance(m: number | null, t: TFunction) {
  if (m === null) return null;
  return m < 1000
    ? t("proposals.distanceM", { m })
    : t("proposals.distanceKm", { km: (m / 1000).toFixed(1) });
}
