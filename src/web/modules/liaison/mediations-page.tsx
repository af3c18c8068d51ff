/**
 * 调解申请 (/mediations). An enterprise officer asks an association to
 * mediate a dispute among its workers (申请调解) and follows its requests; an
 * association representative sees the requests made to it, those waiting
 * first; government staff read those of enterprises in their area. Cards
 * that read well on a phone; search and status in the URL.
 */
import { PlusOutlined } from "@ant-design/icons";
import { Button, Card, Empty, List, Segmented, Space, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { MEDIATION_STATUSES, type MediationSummary } from "../../../shared/schemas/liaison.js";
import { useAuth } from "../../auth/auth-context.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { ListPage, param, SearchInput, useListQuery } from "../../ui/list-page.js";
import { useApi } from "../../ui/use-api.js";
import { formatTime } from "../cases/case-bits.js";
import { isAssociationRep, isEnterpriseOfficer } from "./liaison-access.js";
import { listMediations } from "./liaison-api.js";
import { MediationStatusTag, OutcomeTag } from "./liaison-bits.js";
import { MediationRequestDrawer } from "./mediation-request-drawer.js";

const FILTERS = ["open", "all", ...MEDIATION_STATUSES] as const;
type Filter = (typeof FILTERS)[number];

export function MediationsPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const navigate = useNavigate();
  const enterprise = isEnterpriseOfficer(me);
  const association = isAssociationRep(me);
  const query = useListQuery({
    filters: { q: param.text(), show: param.oneOf(FILTERS) },
    sorts: ["default"] as const,
    defaultSort: "default",
    pageSize: 10,
  });
  const f = query.filters;
  const show: Filter = f.show ?? "all";
  const request = {
    q: f.q || undefined,
    open: show === "open" ? true : undefined,
    status: show === "open" || show === "all" ? undefined : show,
    limit: query.limit,
    offset: query.offset,
  };
  const list = useApi(`mediations:${JSON.stringify(request)}`, (signal) =>
    listMediations(request, signal),
  );
  const [asking, setAsking] = useState(false);
  const intro = enterprise
    ? t("liaison.mediation.introEnterprise")
    : association
      ? t("liaison.mediation.introAssociation")
      : t("liaison.mediation.introGovernment");

  return (
    <ListPage
      testId="mediations-page"
      title={t("liaison.mediation.title")}
      intro={intro}
      actions={
        enterprise ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setAsking(true)}
            data-testid="mediation-new"
          >
            {t("liaison.mediation.newRequest")}
          </Button>
        ) : null
      }
      filters={
        <>
          <Segmented<Filter>
            value={show}
            onChange={(v) => query.setFilters({ show: v === "all" ? undefined : v })}
            options={(["all", "open", "pending", "accepted", "closed"] as const).map((s) => ({
              value: s,
              label: t(`liaison.mediation.filters.${s}`),
            }))}
            data-testid="mediations-filter"
          />
          <SearchInput
            value={f.q}
            onSearch={(q) => query.setFilters({ q })}
            placeholder={t("liaison.mediation.search")}
            testId="mediations-search"
            width={200}
          />
        </>
      }
    >
      {list.error ? (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert error={list.error} title={t("errors.loadFailed")} onRetry={list.reload} />
        </div>
      ) : null}
      <MediationList
        items={list.data?.items ?? []}
        loading={list.loading}
        empty={
          list.error
            ? " "
            : query.filtered
              ? t("liaison.mediation.noMatch")
              : t("liaison.mediation.empty")
        }
        onOpen={(m) => navigate(`/mediations/${m.id}`)}
        pagination={
          (list.data?.total ?? 0) > query.pageSize
            ? {
                current: query.page,
                pageSize: query.pageSize,
                total: list.data?.total ?? 0,
                onChange: query.setPage,
              }
            : false
        }
      />
      {enterprise ? (
        <MediationRequestDrawer
          open={asking}
          onClose={() => setAsking(false)}
          onCreated={(m) => {
            setAsking(false);
            navigate(`/mediations/${m.id}`);
          }}
        />
      ) : null}
    </ListPage>
  );
}

/** Requests as cards: the dispute, its status and outcome, who asked whom. */
export function MediationList(props: {
  items: MediationSummary[];
  loading: boolean;
  empty: string;
  onOpen: (m: MediationSummary) => void;
  pagination:
    | false
    | { current: number; pageSize: number; total: number; onChange: (p: number) => void };
}) {
  const { t, i18n } = useTranslation();
  return (
    <List<MediationSummary>
      split={false}
      loading={props.loading}
      dataSource={props.items}
      locale={{
        emptyText:
          props.empty === " " ? (
            " "
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={props.empty} />
          ),
      }}
      pagination={
        props.pagination
          ? {
              ...props.pagination,
              size: "small",
              showTotal: (total) => t("common.total", { count: total }),
            }
          : false
      }
      renderItem={(m) => (
        <List.Item key={m.id} style={{ paddingInline: 0 }}>
          <Card
            size="small"
            hoverable
            style={{ width: "100%" }}
            onClick={() => props.onOpen(m)}
            data-testid="mediation-card"
            data-mediation-id={m.id}
            data-status={m.status}
          >
            <Space style={{ width: "100%", justifyContent: "space-between" }} align="start">
              <Typography.Text strong>{m.subject}</Typography.Text>
              <Space size={0}>
                <MediationStatusTag status={m.status} />
                <OutcomeTag outcome={m.outcome} />
              </Space>
            </Space>
            <div>
              <Typography.Text type="secondary">
                {m.enterprise.name} → {m.association.name}
              </Typography.Text>
            </div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {[
                t("liaison.mediation.people", { count: m.peopleInvolved }),
                m.sessions ? t("liaison.mediation.sessions", { count: m.sessions }) : null,
                m.case ? m.case.code : null,
                formatTime(m.createdAt, i18n.resolvedLanguage),
              ]
                .filter(Boolean)
                .join(" · ")}
            </Typography.Text>
          </Card>
        </List.Item>
      )}
    />
  );
}
