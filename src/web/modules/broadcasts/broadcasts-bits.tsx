/** Small pieces the broadcast pages share: category and status tags, the reach counts. */
import { Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type {
  AudienceCounts,
  BroadcastCategory,
  BroadcastStatus,
} from "../../../shared/schemas/broadcasts.js";

const CATEGORY_COLORS: Record<BroadcastCategory, string> = {
  anti_fraud: "red",
  safety: "orange",
  emergency: "magenta",
  policy: "blue",
  other: "default",
};

export function CategoryTag(props: { category: BroadcastCategory }) {
  const { t } = useTranslation();
  return (
    <Tag color={CATEGORY_COLORS[props.category]} data-testid="broadcast-category">
      {t(`broadcasts.categories.${props.category}`)}
    </Tag>
  );
}

const STATUS_COLORS: Record<BroadcastStatus, string> = {
  draft: "default",
  sending: "processing",
  sent: "success",
};

export function BroadcastStatusTag(props: { status: BroadcastStatus }) {
  const { t } = useTranslation();
  return (
    <Tag
      color={STATUS_COLORS[props.status]}
      data-testid="broadcast-status"
      data-status={props.status}
    >
      {t(`broadcasts.statuses.${props.status}`)}
    </Tag>
  );
}

/** How many an audience reaches, by channel (counts only). */
export function ReachCounts(props: { counts: AudienceCounts }) {
  const { t } = useTranslation();
  const c = props.counts;
  return (
    <Space orientation="vertical" size={2} data-testid="broadcast-reach" data-targeted={c.targeted}>
      <Typography.Text strong style={{ fontSize: 16 }} data-testid="broadcast-reach-targeted">
        {t("broadcasts.preview.targeted", { count: c.targeted })}
      </Typography.Text>
      <Typography.Text>
        {t("broadcasts.preview.inApp", { count: c.inApp })}　
        {t("broadcasts.preview.sms", { count: c.sms })}
      </Typography.Text>
      {c.both ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t("broadcasts.preview.both", { count: c.both })}
        </Typography.Text>
      ) : null}
      {c.unreachable ? (
        <Typography.Text type="warning" style={{ fontSize: 12 }}>
          {t("broadcasts.preview.unreachable", { count: c.unreachable })}
        </Typography.Text>
      ) : null}
      {c.targeted === 0 ? (
        <Typography.Text type="danger">{t("broadcasts.preview.nobody")}</Typography.Text>
      ) : null}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t("broadcasts.preview.privacy")}
      </Typography.Text>
    </Space>
  );
}
