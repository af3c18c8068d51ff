/**
 * 事件 (/cases). Staff get the inbox: tabs by role (我的待办, 本部门, 辖区,
 * 待分派, 即将超期, 已超期, 督办, 我上报的, 全部), a debounced search over code,
 * description and address, status and category filters, sorting, paging
 * with the total — all in the URL — and due-state and 督办 tags. Residents
 * get 我的上报: their own reports as a list that reads well on a phone.
 * Staff may switch the inbox to a map (列表/地图, `view=map` in the URL) with
 * the same tab and filters, and keep named views of it (保存的筛选) to bring
 * back with a click.
 */
import { EnvironmentOutlined, PlusOutlined, TableOutlined } from "@ant-design/icons";
import type { TableColumnsType } from "antd";
import { Button, Card, Empty, List, Segmented, Select, Space, Tabs, Typography } from "antd";
import type { HTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { CASE_STATUSES, type CaseSummary } from "../../../shared/schemas/cases.js";
import { buildUrl } from "../../api/client.js";
import { useMeta } from "../../api/meta.js";
import { isStaff } from "../../auth/access.js";
import { useAuth } from "../../auth/auth-context.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import {
  ExportButton,
  ListPage,
  ListTable,
  param,
  SearchInput,
  useListQuery,
} from "../../ui/list-page.js";
import { useApi } from "../../ui/use-api.js";
import {
  CaseStatusTag,
  DeadlineText,
  DueStateTag,
  formatTime,
  SupervisedTag,
} from "./case-bits.js";
import { inboxTabs } from "./case-model.js";
import { type CaseSort, type Inbox, listCases, loadCategories } from "./cases-api.js";
import { CasesMap } from "./cases-map.js";
import { CategoryTreeSelect } from "./category-tree-select.js";
import { applyToParams, type InboxState } from "./saved-filter-model.js";
import { SavedFilters } from "./saved-filters.js";

const SORTS: readonly CaseSort[] = ["newest", "oldest", "due"];
type View = "list" | "map";

const openCase = { state: { fromList: true } };

export function CasesPage() {
  const { me } = useAuth();
  return isStaff(me) ? <CaseInbox /> : <MyReports />;
}

function CaseInbox() {
  const { t, i18n } = useTranslation();
  const { me } = useAuth();
  const navigate = useNavigate();
  const meta = useMeta();
  const [params, setParams] = useSearchParams();
  const view: View = params.get("view") === "map" ? "map" : "list";
  const setView = (v: View) => {
    const next = new URLSearchParams(params);
    if (v === "map") next.set("view", "map");
    else next.delete("view");
    setParams(next, { replace: true });
  };
  const tabs = inboxTabs(me);
  const asked = params.get("inbox") as Inbox | null;
  const inbox: Inbox = asked && tabs.includes(asked) ? asked : (tabs[0] ?? "all");
  // ?inbox=&q=&status=&category=&sort=&page=
  const query = useListQuery({
    filters: { q: param.text(), status: param.oneOf(CASE_STATUSES), category: param.text() },
    sorts: SORTS,
    defaultSort: "newest",
  });
  const f = query.filters;
  const request = {
    inbox,
    q: f.q || undefined,
    status: f.status,
    category: f.category || undefined,
    sort: query.sort,
    limit: query.limit,
    offset: query.offset,
  };
  const list = useApi(view === "list" ? `cases:${JSON.stringify(request)}` : null, (signal) =>
    listCases(request, signal),
  );
  const categories = useApi("case-categories", () => loadCategories());
  const categoryName = (code: string) =>
    categories.data?.find((c) => c.code === code)?.name ?? code;
  const inboxState: InboxState = {
    inbox,
    q: f.q,
    status: f.status,
    category: f.category,
    sort: query.sort,
  };

  const switchTab = (key: string) => {
    const next = new URLSearchParams(params);
    next.set("inbox", key);
    next.delete("page");
    setParams(next);
  };

  const lang = i18n.resolvedLanguage;
  const columns: TableColumnsType<CaseSummary> = [
    {
      key: "code",
      title: t("cases.code"),
      width: 190,
      fixed: "left",
      render: (_v, c) => (
        <Space size={4} wrap>
          <Link to={`/cases/${c.id}`} {...openCase} onClick={(e) => e.stopPropagation()}>
            {c.code}
          </Link>
          <SupervisedTag supervised={c.supervised} />
        </Space>
      ),
    },
    { key: "category", title: t("cases.category"), dataIndex: "categoryName", width: 140 },
    {
      key: "description",
      title: t("cases.description"),
      dataIndex: "description",
      ellipsis: { showTitle: true },
      width: 260,
    },
    {
      key: "status",
      title: t("cases.status"),
      width: 130,
      render: (_v, c) => <CaseStatusTag status={c.status} />,
    },
    {
      key: "deadline",
      title: t("cases.deadline"),
      width: 250,
      render: (_v, c) => <DeadlineText c={c} />,
    },
    {
      key: "lead",
      title: t("cases.lead"),
      width: 160,
      ellipsis: { showTitle: true },
      render: (_v, c) => c.lead?.name ?? "—",
    },
    {
      key: "grid",
      title: t("cases.grid"),
      width: 150,
      ellipsis: { showTitle: true },
      render: (_v, c) => c.grid?.name ?? "—",
    },
    {
      key: "createdAt",
      title: t("cases.createdAt"),
      width: 150,
      render: (_v, c) => formatTime(c.createdAt, lang),
    },
  ];

  return (
    <ListPage
      testId="cases-page"
      title={t("cases.title")}
      intro={t("cases.intro")}
      actions={
        <>
          <Segmented<View>
            value={view}
            onChange={setView}
            options={[
              { value: "list", icon: <TableOutlined />, label: t("cases.listView") },
              { value: "map", icon: <EnvironmentOutlined />, label: t("cases.mapView") },
            ]}
            data-testid="cases-view"
          />
          <Link to="/report">
            <Button type="primary" icon={<PlusOutlined />} data-testid="cases-report">
              {t("nav.report")}
            </Button>
          </Link>
        </>
      }
    >
      <Tabs
        activeKey={inbox}
        onChange={switchTab}
        items={tabs.map((k) => ({ key: k, label: t(`cases.inboxes.${k}`) }))}
        style={{ marginTop: -8 }}
        data-testid="cases-tabs"
      />
      <Space wrap style={{ marginBottom: 12 }} align="start">
        <SearchInput
          value={f.q}
          onSearch={(q) => query.setFilters({ q })}
          placeholder={t("cases.search")}
          width={240}
          testId="cases-search"
        />
        <Select
          allowClear
          placeholder={t("cases.allStatuses")}
          aria-label={t("cases.status")}
          value={f.status}
          onChange={(status) => query.setFilters({ status })}
          options={CASE_STATUSES.map((s) => ({ value: s, label: t(`cases.statuses.${s}`) }))}
          style={{ width: 150 }}
          data-testid="cases-status-filter"
        />
        <CategoryTreeSelect
          value={f.category}
          onChange={(category) => query.setFilters({ category: category ?? "" })}
          data-testid="cases-category-filter"
        />
        {view === "list" ? (
          <Select
            aria-label={t("cases.sort")}
            value={query.sort}
            onChange={(s: CaseSort) => query.setSort(s)}
            options={SORTS.map((s) => ({ value: s, label: t(`cases.sorts.${s}`) }))}
            style={{ width: 150 }}
            data-testid="cases-sort"
          />
        ) : null}
        <ExportButton
          href={buildUrl("/api/cases/export.xlsx", {
            inbox,
            q: request.q,
            status: request.status,
            category: request.category,
            sort: request.sort,
          })}
          testId="cases-export"
        />
        <SavedFilters
          current={inboxState}
          categoryName={categoryName}
          onApply={(saved) => setParams(applyToParams(params, saved.query, "newest"))}
        />
      </Space>
      {view === "list" ? (
        <ListTable<CaseSummary, CaseSort>
          rowKey="id"
          testId="cases"
          query={query}
          list={list}
          columns={columns}
          emptyText={t(`cases.empty.${inbox}`)}
          noMatchText={t("cases.noMatch")}
          onRow={(c) =>
            ({
              "data-case-id": c.id,
              "data-case-code": c.code,
              onClick: () => navigate(`/cases/${c.id}`, openCase),
              style: { cursor: "pointer" },
            }) as HTMLAttributes<HTMLElement>
          }
          scroll={{ x: 1430 }}
        />
      ) : (
        <CasesMap
          filter={{
            inbox,
            q: request.q,
            status: request.status,
            category: request.category,
          }}
          tileUrl={meta?.mapTileUrl ?? null}
          tileAttribution={meta?.mapTileAttribution ?? null}
          districtCode={meta?.district?.code ?? null}
          onOpenCase={(id) => navigate(`/cases/${id}`, openCase)}
        />
      )}
    </ListPage>
  );
}

/** 我的上报: the resident's own reports, newest first, as cards a thumb can open. */
function MyReports() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const query = useListQuery({ filters: {}, sorts: SORTS, defaultSort: "newest", pageSize: 10 });
  const request = {
    inbox: "reported_by_me" as const,
    sort: query.sort,
    limit: query.limit,
    offset: query.offset,
  };
  const list = useApi(`my-cases:${JSON.stringify(request)}`, (signal) =>
    listCases(request, signal),
  );
  const report = (
    <Link to="/report">
      <Button type="primary" icon={<PlusOutlined />} data-testid="cases-report">
        {t("nav.report")}
      </Button>
    </Link>
  );

  return (
    <ListPage
      testId="my-cases-page"
      title={t("nav.myReports")}
      intro={t("cases.myIntro")}
      actions={report}
    >
      {list.error ? (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert error={list.error} title={t("errors.loadFailed")} onRetry={list.reload} />
        </div>
      ) : null}
      <List<CaseSummary>
        split={false}
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        locale={{
          emptyText: list.error ? (
            " "
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("cases.myEmpty")} />
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
                // Lists stop counting at 1,000, searches at 200 (the server says when).
                showTotal: (total) =>
                  list.data?.totalCapped
                    ? t("common.totalAtLeast", { count: total })
                    : t("common.total", { count: total }),
              }
            : false
        }
        renderItem={(c) => (
          <List.Item key={c.id} style={{ paddingInline: 0 }}>
            <Card
              size="small"
              hoverable
              style={{ width: "100%" }}
              onClick={() => navigate(`/cases/${c.id}`, openCase)}
              data-testid="my-case"
              data-case-id={c.id}
              data-case-code={c.code}
            >
              <Space style={{ width: "100%", justifyContent: "space-between" }} align="start">
                <Typography.Text strong>{c.categoryName}</Typography.Text>
                <Space size={0}>
                  <CaseStatusTag status={c.status} />
                  <DueStateTag dueState={c.dueState} />
                </Space>
              </Space>
              <Typography.Paragraph
                type="secondary"
                ellipsis={{ rows: 2 }}
                style={{ margin: "4px 0" }}
              >
                {c.description}
              </Typography.Paragraph>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {c.code} · {formatTime(c.createdAt, i18n.resolvedLanguage)}
                {c.lead ? ` · ${c.lead.name}` : ""}
              </Typography.Text>
            </Card>
          </List.Item>
        )}
      />
    </ListPage>
  );
}
