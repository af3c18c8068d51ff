/**
 * /broadcasts. Government staff get 定向广播: the broadcasts issued in their
 * scope with how they went (targeted, delivered, read), a search, status
 * and category filters in the URL, and 发布广播 (the compose drawer with its
 * live reach). Anyone else gets 广播通知: the broadcasts that reached them in
 * the app, unread first marked, as cards that read well on a phone.
 */
import { PlusOutlined } from "@ant-design/icons";
import type { TableColumnsType } from "antd";
import {
  Badge,
  Button,
  Card,
  Empty,
  List,
  Progress,
  Segmented,
  Select,
  Space,
  Typography,
} from "antd";
import { type HTMLAttributes, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import {
  BROADCAST_CATEGORIES,
  BROADCAST_STATUSES,
  type BroadcastSummary,
  type ReceivedBroadcast,
} from "../../../shared/schemas/broadcasts.js";
import { useAuth } from "../../auth/auth-context.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { ListPage, ListTable, param, SearchInput, useListQuery } from "../../ui/list-page.js";
import { useApi } from "../../ui/use-api.js";
import { formatTime } from "../cases/case-bits.js";
import { BroadcastComposeDrawer } from "./broadcast-compose-drawer.js";
import { issuesBroadcasts } from "./broadcasts-access.js";
import { listBroadcasts, myBroadcasts } from "./broadcasts-api.js";
import { BroadcastStatusTag, CategoryTag } from "./broadcasts-bits.js";

export function BroadcastsPage() {
  const { me } = useAuth();
  return issuesBroadcasts(me) ? <IssuedBroadcasts /> : <MyBroadcastsList />;
}

function IssuedBroadcasts() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const query = useListQuery({
    filters: {
      q: param.text(),
      status: param.oneOf(BROADCAST_STATUSES),
      category: param.oneOf(BROADCAST_CATEGORIES),
    },
    sorts: ["newest"] as const,
    defaultSort: "newest",
  });
  const f = query.filters;
  const request = {
    q: f.q || undefined,
    status: f.status,
    category: f.category,
    limit: query.limit,
    offset: query.offset,
  };
  const list = useApi(`broadcasts:${JSON.stringify(request)}`, (signal) =>
    listBroadcasts(request, signal),
  );
  const [composing, setComposing] = useState(false);

  const columns: TableColumnsType<BroadcastSummary> = [
    {
      key: "title",
      title: t("broadcasts.cols.title"),
      width: 300,
      render: (_v, b) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/broadcasts/${b.id}`} onClick={(e) => e.stopPropagation()}>
            {b.title}
          </Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {b.issuer}
          </Typography.Text>
        </Space>
      ),
    },
    {
      key: "category",
      title: t("broadcasts.cols.category"),
      width: 100,
      render: (_v, b) => <CategoryTag category={b.category} />,
    },
    {
      key: "audience",
      title: t("broadcasts.cols.audience"),
      width: 220,
      dataIndex: "audienceLabel",
    },
    {
      key: "status",
      title: t("broadcasts.cols.status"),
      width: 90,
      render: (_v, b) => <BroadcastStatusTag status={b.status} />,
    },
    {
      key: "sentAt",
      title: t("broadcasts.cols.sentAt"),
      width: 150,
      render: (_v, b) => formatTime(b.sentAt, i18n.resolvedLanguage),
    },
    {
      key: "reach",
      title: t("broadcasts.cols.reach"),
      width: 150,
      render: (_v, b) =>
        b.status === "draft" ? (
          "—"
        ) : (
          <Space orientation="vertical" size={0}>
            <span>
              {b.counts.delivered - b.counts.failed} / {b.counts.targeted}
            </span>
            {b.status === "sending" ? (
              <Progress
                percent={
                  b.counts.targeted ? Math.round((b.counts.delivered / b.counts.targeted) * 100) : 0
                }
                size="small"
                status="active"
              />
            ) : null}
          </Space>
        ),
    },
    {
      key: "read",
      title: t("broadcasts.cols.read"),
      width: 110,
      render: (_v, b) =>
        b.status === "draft" || b.counts.inApp === 0 ? "—" : `${b.counts.read} / ${b.counts.inApp}`,
    },
  ];

  return (
    <ListPage
      testId="broadcasts-page"
      title={t("broadcasts.title")}
      intro={t("broadcasts.intro")}
      actions={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setComposing(true)}
          data-testid="broadcast-compose"
        >
          {t("broadcasts.compose")}
        </Button>
      }
      filters={
        <>
          <SearchInput
            value={f.q}
            onSearch={(q) => query.setFilters({ q })}
            placeholder={t("broadcasts.search")}
            testId="broadcasts-search"
          />
          <Select
            allowClear
            value={f.status}
            onChange={(status) => query.setFilters({ status })}
            placeholder={t("broadcasts.allStatuses")}
            style={{ width: 130 }}
            options={BROADCAST_STATUSES.map((s) => ({
              value: s,
              label: t(`broadcasts.statuses.${s}`),
            }))}
            data-testid="broadcasts-status"
          />
          <Select
            allowClear
            value={f.category}
            onChange={(category) => query.setFilters({ category })}
            placeholder={t("broadcasts.allCategories")}
            style={{ width: 130 }}
            options={BROADCAST_CATEGORIES.map((c) => ({
              value: c,
              label: t(`broadcasts.categories.${c}`),
            }))}
            data-testid="broadcasts-category"
          />
        </>
      }
    >
      <ListTable<BroadcastSummary, "newest">
        rowKey="id"
        query={query}
        list={list}
        columns={columns}
        testId="broadcasts"
        scroll={{ x: 1100 }}
        emptyText={t("broadcasts.empty")}
        noMatchText={t("broadcasts.noMatch")}
        onRow={(b) =>
          ({
            onClick: () => navigate(`/broadcasts/${b.id}`),
            style: { cursor: "pointer" },
            "data-testid": "broadcast-row",
            "data-broadcast-id": b.id,
          }) as HTMLAttributes<HTMLElement>
        }
      />
      <BroadcastComposeDrawer
        open={composing}
        onClose={() => setComposing(false)}
        onSaved={(b) => {
          setComposing(false);
          navigate(`/broadcasts/${b.id}`);
        }}
      />
    </ListPage>
  );
}

const STATES = ["all", "unread"] as const;
type State = (typeof STATES)[number];

function MyBroadcastsList() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const query = useListQuery({
    filters: { state: param.oneOf(STATES) },
    sorts: ["newest"] as const,
    defaultSort: "newest",
    pageSize: 10,
  });
  const state: State = query.filters.state ?? "all";
  const request = {
    unread: state === "unread" ? ("true" as const) : undefined,
    limit: query.limit,
    offset: query.offset,
  };
  const list = useApi(`my-broadcasts:${JSON.stringify(request)}`, (signal) =>
    myBroadcasts(request, signal),
  );
  return (
    <div data-testid="my-broadcasts-page">
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 4 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("broadcasts.mine.title")}
        </Typography.Title>
        {list.data?.unread ? (
          <Badge count={list.data.unread} data-testid="my-broadcasts-unread">
            <span style={{ paddingInlineEnd: 8 }}>{t("broadcasts.mine.unread")}</span>
          </Badge>
        ) : null}
      </Space>
      <Typography.Paragraph type="secondary">{t("broadcasts.mine.intro")}</Typography.Paragraph>
      <Segmented<State>
        value={state}
        onChange={(v) => query.setFilters({ state: v === "all" ? undefined : v })}
        options={STATES.map((s) => ({ value: s, label: t(`broadcasts.mine.${s}`) }))}
        style={{ marginBottom: 12 }}
        data-testid="my-broadcasts-state"
      />
      {list.error ? (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert error={list.error} title={t("errors.loadFailed")} onRetry={list.reload} />
        </div>
      ) : null}
      <List<ReceivedBroadcast>
        split={false}
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        locale={{
          emptyText: list.error ? (
            " "
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("broadcasts.mine.empty")} />
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
        renderItem={(b) => {
          const unread = !b.readAt;
          return (
            <List.Item key={b.id} style={{ paddingInline: 0 }}>
              <Card
                size="small"
                hoverable
                style={{ width: "100%", borderLeft: unread ? "3px solid #1668dc" : undefined }}
                onClick={() => navigate(`/broadcasts/${b.id}`)}
                data-testid="my-broadcast"
                data-broadcast-id={b.id}
                data-unread={unread ? "true" : "false"}
              >
                <Space style={{ width: "100%", justifyContent: "space-between" }} align="start">
                  <Typography.Text strong={unread}>{b.title}</Typography.Text>
                  <CategoryTag category={b.category} />
                </Space>
                <Typography.Paragraph
                  type="secondary"
                  ellipsis={{ rows: 2 }}
                  style={{ margin: "4px 0", fontSize: 13 }}
                >
                  {b.body}
                </Typography.Paragraph>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t("broadcasts.mine.from", {
                    issuer: b.issuer,
                    at: formatTime(b.sentAt, i18n.resolvedLanguage),
                  })}
                </Typography.Text>
              </Card>
            </List.Item>
          );
        }}
      />
    </div>
  );
}
