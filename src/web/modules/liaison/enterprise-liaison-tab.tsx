/**
 * 通知与调解 on an enterprise's profile: the notices sent to it with its
 * read and confirmation state (government sees those in its scope; the
 * enterprise's own officer its inbox), and its mediation requests.
 */
import { Card, Empty, List, Space, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import type { NoticeSummary } from "../../../shared/schemas/liaison.js";
import { useAuth } from "../../auth/auth-context.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { useApi } from "../../ui/use-api.js";
import { formatTime } from "../cases/case-bits.js";
import { canUseMediations, canUseNotices } from "./liaison-access.js";
import { listMediations, listNotices } from "./liaison-api.js";
import { ImportanceTag, ReceiptTags } from "./liaison-bits.js";
import { MediationList } from "./mediations-page.js";

const PAGE = 10;

export function EnterpriseLiaisonTab(props: { enterpriseId: string }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { me } = useAuth();
  // A grid worker may open an enterprise's page but takes no part in liaison.
  const showNotices = canUseNotices(me);
  const showMediations = canUseMediations(me);
  const [noticePage, setNoticePage] = useState(1);
  const [mediationPage, setMediationPage] = useState(1);
  const nq = {
    enterpriseId: props.enterpriseId,
    limit: PAGE,
    offset: (noticePage - 1) * PAGE,
  };
  const notices = useApi(
    showNotices ? `enterprise-notices:${JSON.stringify(nq)}` : null,
    (signal) => listNotices(nq, signal),
  );
  const mq = { enterpriseId: props.enterpriseId, limit: PAGE, offset: (mediationPage - 1) * PAGE };
  const mediations = useApi(
    showMediations ? `enterprise-mediations:${JSON.stringify(mq)}` : null,
    (signal) => listMediations(mq, signal),
  );
  return (
    <div data-testid="enterprise-liaison-tab">
      {showNotices ? (
        <Card
          size="small"
          title={t("liaison.tab.notices")}
          style={{ marginBottom: 16 }}
          extra={<Link to="/notices">{t("liaison.tab.allNotices")}</Link>}
        >
          {notices.error ? <ErrorAlert error={notices.error} onRetry={notices.reload} /> : null}
          <List<NoticeSummary>
            size="small"
            loading={notices.loading}
            dataSource={notices.data?.items ?? []}
            locale={{
              emptyText: (
                <Empty
                  image={Empty.PRESENTED_IMAGE_SIMPLE}
                  description={t("liaison.tab.noNotices")}
                />
              ),
            }}
            pagination={
              (notices.data?.total ?? 0) > PAGE
                ? {
                    current: noticePage,
                    pageSize: PAGE,
                    total: notices.data?.total ?? 0,
                    onChange: setNoticePage,
                    size: "small",
                  }
                : false
            }
            renderItem={(n) => (
              <List.Item
                key={n.id}
                data-testid="enterprise-notice"
                data-notice-id={n.id}
                style={{ cursor: "pointer" }}
                onClick={() => navigate(`/notices/${n.id}`)}
              >
                <Space orientation="vertical" size={0} style={{ width: "100%" }}>
                  <Space wrap size={4}>
                    <Typography.Text strong={n.status === "sent" && !n.receipt?.readAt}>
                      {n.title}
                    </Typography.Text>
                    <ImportanceTag importance={n.importance} hideNormal />
                    <ReceiptTags n={n} />
                  </Space>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {n.issuer} · {formatTime(n.sentAt, i18n.resolvedLanguage)}
                    {n.receipt?.readAt
                      ? ` · ${t("liaison.tab.readBy", {
                          who: n.receipt.readBy ?? "",
                          time: formatTime(n.receipt.readAt, i18n.resolvedLanguage),
                        })}`
                      : ""}
                  </Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        </Card>
      ) : null}
      {showMediations ? (
        <Card
          size="small"
          title={t("liaison.tab.mediations")}
          extra={<Link to="/mediations">{t("liaison.tab.allMediations")}</Link>}
        >
          {mediations.error ? (
            <ErrorAlert error={mediations.error} onRetry={mediations.reload} />
          ) : null}
          <MediationList
            items={mediations.data?.items ?? []}
            loading={mediations.loading}
            empty={t("liaison.tab.noMediations")}
            onOpen={(m) => navigate(`/mediations/${m.id}`)}
            pagination={
              (mediations.data?.total ?? 0) > PAGE
                ? {
                    current: mediationPage,
                    pageSize: PAGE,
                    total: mediations.data?.total ?? 0,
                    onChange: setMediationPage,
                  }
                : false
            }
          />
        </Card>
      ) : null}
      {showNotices || showMediations ? null : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("liaison.tab.notYours")} />
      )}
    </div>
  );
}
