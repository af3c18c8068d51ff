/**
 * 通知与调解 on the enterprise officer's workspace home: how many notices are
 * unread and how many wait for 确认收到 (the newest of them listed), and the
 * mediation requests still open.
 */
import { NotificationOutlined } from "@ant-design/icons";
import { Card, List, Space, Statistic, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { ErrorAlert } from "../../ui/error-alert.js";
import { useApi } from "../../ui/use-api.js";
import { listMediations, listNotices } from "./liaison-api.js";
import { ImportanceTag } from "./liaison-bits.js";

export function LiaisonHomeCard(props: { enterpriseId: string }) {
  const { t } = useTranslation();
  const id = props.enterpriseId;
  const unread = useApi(`home-notices-unread:${id}`, (signal) =>
    listNotices({ enterpriseId: id, state: "unread", limit: 5, offset: 0 }, signal),
  );
  const toAck = useApi(`home-notices-ack:${id}`, (signal) =>
    listNotices({ enterpriseId: id, state: "to_acknowledge", limit: 5, offset: 0 }, signal),
  );
  const open = useApi(`home-mediations-open:${id}`, (signal) =>
    listMediations({ enterpriseId: id, open: true, limit: 1, offset: 0 }, signal),
  );
  const error = unread.error ?? toAck.error ?? open.error;
  // Unread first, then read ones still waiting for confirmation.
  const shown = [
    ...(unread.data?.items ?? []),
    ...(toAck.data?.items ?? []).filter((n) => !unread.data?.items.some((u) => u.id === n.id)),
  ].slice(0, 5);
  return (
    <Card
      size="small"
      title={
        <Space>
          <NotificationOutlined />
          {t("liaison.home.title")}
        </Space>
      }
      loading={unread.loading && !unread.data}
      data-testid="liaison-home-card"
      extra={<Link to="/notices">{t("liaison.home.allNotices")}</Link>}
    >
      {error ? (
        <ErrorAlert
          error={error}
          onRetry={() => {
            unread.reload();
            toAck.reload();
            open.reload();
          }}
        />
      ) : null}
      <div style={{ display: "grid", gridTemplateColumns: "1fr 1fr 1fr", gap: 8 }}>
        <Link to="/notices?state=unread">
          <Statistic
            title={t("liaison.home.unread")}
            value={unread.data?.total ?? 0}
            styles={{ content: { color: unread.data?.total ? "#1668dc" : undefined } }}
            data-testid="liaison-home-unread"
            data-value={unread.data?.total ?? 0}
          />
        </Link>
        <Link to="/notices?state=to_acknowledge">
          <Statistic
            title={t("liaison.home.toAcknowledge")}
            value={toAck.data?.total ?? 0}
            styles={{ content: { color: toAck.data?.total ? "#d46b08" : undefined } }}
            data-testid="liaison-home-to-ack"
          />
        </Link>
        <Link to="/mediations?show=open">
          <Statistic
            title={t("liaison.home.openMediations")}
            value={open.data?.total ?? 0}
            data-testid="liaison-home-mediations"
          />
        </Link>
      </div>
      {shown.length ? (
        <List
          size="small"
          style={{ marginTop: 8 }}
          dataSource={shown}
          renderItem={(n) => (
            <List.Item key={n.id} style={{ paddingInline: 0 }}>
              <Space size={4} wrap>
                <Link to={`/notices/${n.id}`}>{n.title}</Link>
                <ImportanceTag importance={n.importance} hideNormal />
                {n.receipt?.readAt ? null : <Tag color="blue">{t("liaison.notices.unread")}</Tag>}
                {n.ackRequired && !n.receipt?.acknowledgedAt ? (
                  <Tag color={n.receipt?.overdue ? "red" : "orange"}>
                    {n.receipt?.overdue
                      ? t("liaison.notices.overdue")
                      : t("liaison.notices.toAcknowledge")}
                  </Tag>
                ) : null}
              </Space>
            </List.Item>
          )}
        />
      ) : (
        <Typography.Paragraph type="secondary" style={{ margin: "8px 0 0" }}>
          {t("liaison.home.noUnread")}
        </Typography.Paragraph>
      )}
    </Card>
  );
}
