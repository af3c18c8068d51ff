/**
 * 通知公告 (/notices). Government staff get the notices they issued or that
 * are in their scope, with read rates, confirmations and overdue counts, a
 * search, status and importance filters (in the URL), and 发布通知 (the
 * compose drawer with its live audience preview). An enterprise officer gets
 * the inbox: unread first, a search and 全部/未读/待确认, as cards that read
 * well on a phone.
 */
import { PlusOutlined } from "@ant-design/icons";
import type { TableColumnsType } from "antd";
import { Button, Card, Empty, List, Segmented, Select, Space, Typography } from "antd";
import { type HTMLAttributes, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import {
  NOTICE_IMPORTANCES,
  NOTICE_STATUSES,
  type NoticeSummary,
} from "../../../shared/schemas/liaison.js";
import { useAuth } from "../../auth/auth-context.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { ListPage, ListTable, param, SearchInput, useListQuery } from "../../ui/list-page.js";
import { useApi } from "../../ui/use-api.js";
import { formatTime } from "../cases/case-bits.js";
import { issuesNotices } from "./liaison-access.js";
import { listNotices } from "./liaison-api.js";
import { ImportanceTag, NoticeStatusTag, ReadRate, ReceiptTags } from "./liaison-bits.js";
import { NoticeComposeDrawer } from "./notice-compose-drawer.js";

const SORTS = ["newest", "oldest"] as const;
type Sort = (typeof SORTS)[number];

export function NoticesPage() {
  const { me } = useAuth();
  return issuesNotices(me) ? <GovernmentNotices /> : <NoticeInbox />;
}

function GovernmentNotices() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const query = useListQuery({
    filters: {
      q: param.text(),
      status: param.oneOf(NOTICE_STATUSES),
      importance: param.oneOf(NOTICE_IMPORTANCES),
    },
    sorts: SORTS,
    defaultSort: "newest" as Sort,
  });
  const f = query.filters;
  const request = {
    q: f.q || undefined,
    status: f.status,
    importance: f.importance,
    sort: query.sort,
    limit: query.limit,
    offset: query.offset,
  };
  const list = useApi(`notices:${JSON.stringify(request)}`, (signal) =>
    listNotices(request, signal),
  );
  const [composing, setComposing] = useState(false);

  const columns: TableColumnsType<NoticeSummary> = [
    {
      key: "title",
      title: t("liaison.notices.colTitle"),
      dataIndex: "title",
      width: 320,
      render: (v: string, n) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/notices/${n.id}`} onClick={(e) => e.stopPropagation()}>
            {v}
          </Link>
          <Space size={0} wrap>
            <ImportanceTag importance={n.importance} hideNormal />
            {n.ackRequired ? (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t("liaison.notices.ackRequired")}
              </Typography.Text>
            ) : null}
          </Space>
        </Space>
      ),
    },
    {
      key: "status",
      title: t("liaison.notices.colStatus"),
      width: 90,
      render: (_v, n) => <NoticeStatusTag status={n.status} />,
    },
    { key: "issuer", title: t("liaison.notices.colIssuer"), dataIndex: "issuer", width: 200 },
    {
      key: "sentAt",
      title: t("liaison.notices.colSent"),
      width: 150,
      render: (_v, n) => formatTime(n.sentAt, i18n.resolvedLanguage),
    },
    {
      key: "read",
      title: t("liaison.notices.colReadRate"),
      width: 150,
      render: (_v, n) =>
        n.counts && n.status !== "draft" ? (
          <ReadRate read={n.counts.read} total={n.counts.recipients} />
        ) : (
          "—"
        ),
    },
    {
      key: "ack",
      title: t("liaison.notices.colAck"),
      width: 110,
      render: (_v, n) =>
        n.ackRequired && n.counts && n.status !== "draft" ? (
          <Space orientation="vertical" size={0}>
            <span>
              {n.counts.acknowledged}/{n.counts.recipients}
            </span>
            {n.counts.overdue ? (
              <Typography.Text type="danger" style={{ fontSize: 12 }}>
                {t("liaison.notices.overdueCount", { count: n.counts.overdue })}
              </Typography.Text>
            ) : null}
          </Space>
        ) : (
          "—"
        ),
    },
  ];

  return (
    <ListPage
      testId="notices-page"
      title={t("liaison.notices.title")}
      intro={t("liaison.notices.intro")}
      actions={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setComposing(true)}
          data-testid="notice-compose"
        >
          {t("liaison.notices.compose")}
        </Button>
      }
      filters={
        <>
          <SearchInput
            value={f.q}
            onSearch={(q) => query.setFilters({ q })}
            placeholder={t("liaison.notices.search")}
            testId="notices-search"
          />
          <Select
            allowClear
            value={f.status}
            onChange={(status) => query.setFilters({ status })}
            placeholder={t("liaison.notices.allStatuses")}
            style={{ width: 130 }}
            options={NOTICE_STATUSES.map((s) => ({
              value: s,
              label: t(`liaison.noticeStatus.${s}`),
            }))}
            data-testid="notices-status"
          />
          <Select
            allowClear
            value={f.importance}
            onChange={(importance) => query.setFilters({ importance })}
            placeholder={t("liaison.notices.allImportance")}
            style={{ width: 130 }}
            options={NOTICE_IMPORTANCES.map((s) => ({
              value: s,
              label: t(`liaison.importance.${s}`),
            }))}
          />
        </>
      }
    >
      <ListTable<NoticeSummary, Sort>
        rowKey="id"
        query={query}
        list={list}
        columns={columns}
        testId="notices"
        scroll={{ x: 980 }}
        emptyText={t("liaison.notices.empty")}
        noMatchText={t("liaison.notices.noMatch")}
        onRow={(n) =>
          ({
            onClick: () => navigate(`/notices/${n.id}`),
            style: { cursor: "pointer" },
            "data-testid": "notice-row",
            "data-notice-id": n.id,
          }) as HTMLAttributes<HTMLElement>
        }
      />
      <NoticeComposeDrawer
        open={composing}
        onClose={() => setComposing(false)}
        onSaved={(n) => {
          setComposing(false);
          navigate(`/notices/${n.id}`);
        }}
      />
    </ListPage>
  );
}

const INBOX_STATES = ["all", "unread", "to_acknowledge"] as const;
type InboxState = (typeof INBOX_STATES)[number];

function NoticeInbox() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const query = useListQuery({
    filters: { q: param.text(), state: param.oneOf(INBOX_STATES) },
    sorts: ["unreadFirst"] as const,
    defaultSort: "unreadFirst",
    pageSize: 10,
  });
  const f = query.filters;
  const state: InboxState = f.state ?? "all";
  const request = {
    q: f.q || undefined,
    state: state === "all" ? undefined : state,
    sort: "unreadFirst" as const,
    limit: query.limit,
    offset: query.offset,
  };
  const list = useApi(`notice-inbox:${JSON.stringify(request)}`, (signal) =>
    listNotices(request, signal),
  );
  return (
    <ListPage
      testId="notice-inbox"
      title={t("liaison.notices.title")}
      intro={t("liaison.notices.inboxIntro")}
      filters={
        <>
          <Segmented<InboxState>
            value={state}
            onChange={(v) => query.setFilters({ state: v === "all" ? undefined : v })}
            options={INBOX_STATES.map((s) => ({
              value: s,
              label: t(`liaison.notices.states.${s}`),
            }))}
            data-testid="notice-inbox-state"
          />
          <SearchInput
            value={f.q}
            onSearch={(q) => query.setFilters({ q })}
            placeholder={t("liaison.notices.search")}
            testId="notice-inbox-search"
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
      <List<NoticeSummary>
        split={false}
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        locale={{
          emptyText: list.error ? (
            " "
          ) : (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={
                query.filtered ? t("liaison.notices.noMatch") : t("liaison.notices.inboxEmpty")
              }
            />
          ),
        }}
        pagination={
          (list.data?.total ?? 0) > query.pageSize
            ? {
                current: query.page,
                pageSize: query.pageSize,
                total: list.data?.total ?? 0,
                onChange: query.setPage,
                size: "small",
                showTotal: (total) => t("common.total", { count: total }),
              }
            : false
        }
        renderItem={(n) => {
          const unread = n.status === "sent" && !n.receipt?.readAt;
          return (
            <List.Item key={n.id} style={{ paddingInline: 0 }}>
              <Card
                size="small"
                hoverable
                style={{ width: "100%", borderLeft: unread ? "3px solid #1668dc" : undefined }}
                onClick={() => navigate(`/notices/${n.id}`)}
                data-testid="inbox-notice"
                data-notice-id={n.id}
                data-unread={unread ? "true" : "false"}
              >
                <Space style={{ width: "100%", justifyContent: "space-between" }} align="start">
                  <Typography.Text strong={unread}>{n.title}</Typography.Text>
                  <ImportanceTag importance={n.importance} hideNormal />
                </Space>
                <div>
                  <ReceiptTags n={n} />
                </div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {n.issuer} · {formatTime(n.sentAt, i18n.resolvedLanguage)}
                </Typography.Text>
              </Card>
            </List.Item>
          );
        }}
      />
    </ListPage>
  );
}
