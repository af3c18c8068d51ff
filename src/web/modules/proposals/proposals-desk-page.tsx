/**
 * 议事协商 desk (/proposals/desk), for staff at a desk: the proposals sent to
 * my department (to answer, soonest due first), those in my area, the
 * overdue answers, or all — with status, topic and search filters in the URL
 * and an XLSX export. Coordinators also set the district's threshold and
 * answer deadline, and turn recurring cases into a proposal (pick cases from
 * the case list, then 转为提案).
 */
import { BranchesOutlined, EnvironmentOutlined } from "@ant-design/icons";
import type { TableColumnsType } from "antd";
import {
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Row,
  Segmented,
  Select,
  Space,
  Table,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import type { CaseSummary } from "../../../shared/schemas/cases.js";
import {
  PROPOSAL_STATUSES,
  PROPOSAL_TOPICS,
  type ProposalSummary,
} from "../../../shared/schemas/proposals.js";
import { api, buildUrl } from "../../api/client.js";
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
import { useDebounced } from "../../ui/use-debounced.js";
import { CaseStatusTag, formatTime } from "../cases/case-bits.js";
import { AnswerTag, DueTag, formatDay, ProposalStatusTag } from "./proposal-bits.js";
import { answersProposals, coordinatesProposals } from "./proposals-access.js";
import { listProposals, loadSettings, saveSettings } from "./proposals-api.js";

const VIEWS = ["department", "area", "overdue", "all"] as const;
type DeskView = (typeof VIEWS)[number];
const SORTS = ["newest", "deadline", "support"] as const;
type Sort = (typeof SORTS)[number];

function SettingsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const settings = useApi("proposal-settings", (signal) => loadSettings(signal));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const s = settings.data;
  if (!s)
    return settings.error ? <ErrorAlert error={settings.error} onRetry={settings.reload} /> : null;
  return (
    <Card size="small" title={t("proposals.desk.settings")} data-testid="proposal-settings">
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t("proposals.desk.settingsHelp", { district: s.district.name })}
      </Typography.Paragraph>
      <Form
        layout="inline"
        key={`${s.version ?? 0}`}
        initialValues={{
          supportThreshold: s.supportThreshold,
          answerWorkingDays: s.answerWorkingDays,
        }}
        style={{ rowGap: 8 }}
        disabled={!s.mayEdit}
        onFinish={async (v: { supportThreshold: number; answerWorkingDays: number }) => {
          setBusy(true);
          setError(null);
          try {
            await saveSettings({ ...v, ...(s.version ? { version: s.version } : {}) });
            settings.reload();
            void message.success(t("proposals.desk.settingsSaved"));
          } catch (err) {
            setError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item
          name="supportThreshold"
          label={t("proposals.desk.threshold")}
          rules={[{ required: true }]}
        >
          <InputNumber min={1} max={10000} data-testid="proposal-settings-threshold" />
        </Form.Item>
        <Form.Item
          name="answerWorkingDays"
          label={t("proposals.desk.answerDays")}
          rules={[{ required: true }]}
        >
          <InputNumber min={1} max={60} data-testid="proposal-settings-days" />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          loading={busy}
          data-testid="proposal-settings-save"
        >
          {t("common.save")}
        </Button>
      </Form>
      {error ? (
        <div style={{ marginTop: 8 }}>
          <ErrorAlert error={error} />
        </div>
      ) : null}
    </Card>
  );
}

/** Pick cases (search the case list), then 转为提案. */
function CasesToProposal() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [q, setQ] = useState("");
  const term = useDebounced(q, 300);
  const [picked, setPicked] = useState<string[]>([]);
  const cases = useApi(`proposal-case-pick:${term}`, (signal) =>
    api<{ items: CaseSummary[]; total: number }>("/api/cases", {
      query: { q: term || undefined, limit: 10, sort: "newest" },
      signal,
    }),
  );
  return (
    <Card size="small" title={t("proposals.desk.fromCases")} data-testid="proposal-cases-picker">
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t("proposals.desk.fromCasesHelp")}
      </Typography.Paragraph>
      <Input.Search
        value={q}
        onChange={(e) => setQ(e.target.value)}
        placeholder={t("proposals.desk.caseSearch")}
        allowClear
        style={{ marginBottom: 8 }}
        data-testid="proposal-case-search"
      />
      <Table<CaseSummary>
        size="small"
        rowKey="id"
        pagination={false}
        loading={cases.loading}
        dataSource={cases.data?.items ?? []}
        rowSelection={{
          selectedRowKeys: picked,
          preserveSelectedRowKeys: true,
          onChange: (keys) => setPicked(keys.map(String)),
        }}
        columns={[
          {
            key: "code",
            title: t("proposals.desk.caseCode"),
            render: (_v, c) => <Link to={`/cases/${c.id}`}>{c.code}</Link>,
          },
          { key: "category", title: t("proposals.desk.caseCategory"), dataIndex: "categoryName" },
          {
            key: "status",
            title: t("proposals.desk.caseStatus"),
            render: (_v, c) => <CaseStatusTag status={c.status} />,
          },
          {
            key: "place",
            title: t("proposals.desk.casePlace"),
            render: (_v, c) => c.address ?? c.grid?.name ?? "—",
          },
          {
            key: "at",
            title: t("proposals.desk.caseAt"),
            render: (_v, c) => formatTime(c.createdAt, i18n.resolvedLanguage),
          },
        ]}
        data-testid="proposal-case-table"
      />
      <Button
        type="primary"
        icon={<BranchesOutlined />}
        disabled={picked.length === 0}
        style={{ marginTop: 8 }}
        onClick={() => navigate(`/proposals/from-cases?caseIds=${picked.join(",")}`)}
        data-testid="proposal-cases-convert"
      >
        {t("proposals.desk.convert", { count: picked.length })}
      </Button>
    </Card>
  );
}

export function ProposalsDeskPage() {
  const { t, i18n } = useTranslation();
  const { me } = useAuth();
  const [params, setParams] = useSearchParams();
  const officer = answersProposals(me);
  const coordinator = coordinatesProposals(me);
  const rawView = params.get("view");
  const view: DeskView = (VIEWS as readonly string[]).includes(rawView ?? "")
    ? (rawView as DeskView)
    : officer
      ? "department"
      : "area";
  const query = useListQuery({
    filters: {
      q: param.text(),
      status: param.oneOf(PROPOSAL_STATUSES),
      topic: param.oneOf(PROPOSAL_TOPICS),
    },
    sorts: SORTS,
    defaultSort: (view === "department" || view === "overdue" ? "deadline" : "newest") as Sort,
  });
  const f = query.filters;
  const apiFilter = {
    view: view === "overdue" ? (officer ? "department" : "area") : view,
    overdue: view === "overdue" ? "true" : undefined,
    q: f.q || undefined,
    status: f.status,
    topic: f.topic,
    sort: query.sort,
  };
  const request = { ...apiFilter, limit: query.limit, offset: query.offset };
  const list = useApi(`proposal-desk:${JSON.stringify(request)}`, (signal) =>
    listProposals(request, signal),
  );
  const lang = i18n.resolvedLanguage;

  const columns: TableColumnsType<ProposalSummary> = [
    {
      key: "title",
      title: t("proposals.desk.colTitle"),
      width: 300,
      render: (_v, p) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/proposals/${p.id}`} data-testid="proposal-desk-link">
            {p.title}
          </Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`proposals.topic.${p.topic}`)} · {p.proposer}
            {p.fromCases ? ` · ${t("proposals.list.fromCases")}` : ""}
          </Typography.Text>
        </Space>
      ),
    },
    {
      key: "community",
      title: t("proposals.desk.colCommunity"),
      width: 160,
      render: (_v, p) => p.community.name,
    },
    {
      key: "status",
      title: t("proposals.desk.colStatus"),
      width: 150,
      render: (_v, p) => (
        <Space size={0} wrap>
          <ProposalStatusTag status={p.status} />
          <AnswerTag answer={p.answer} />
        </Space>
      ),
    },
    {
      key: "support",
      title: t("proposals.desk.colSupport"),
      width: 110,
      render: (_v, p) => (
        <span>
          {p.localSupportCount}/{p.supportThreshold}
          {p.supportCount > p.localSupportCount ? (
            <Typography.Text type="secondary">
              {" "}
              +{p.supportCount - p.localSupportCount}
            </Typography.Text>
          ) : null}
        </span>
      ),
    },
    {
      key: "department",
      title: t("proposals.desk.colDepartment"),
      width: 200,
      render: (_v, p) => p.department?.name ?? "—",
    },
    {
      key: "deadline",
      title: t("proposals.desk.colDue"),
      width: 170,
      render: (_v, p) =>
        p.dueState ? <DueTag p={p} /> : p.answeredAt ? formatDay(p.answeredAt, lang) : "—",
    },
    {
      key: "newest",
      title: t("proposals.desk.colCreated"),
      width: 150,
      render: (_v, p) => formatTime(p.createdAt, lang),
    },
  ];

  const setView = (v: string) => {
    const next = new URLSearchParams(params);
    next.set("view", v);
    next.delete("page");
    next.delete("sort");
    setParams(next, { replace: true });
  };

  return (
    <Space orientation="vertical" style={{ width: "100%" }} size={16}>
      <ListPage
        testId="proposals-desk"
        title={t("proposals.desk.title")}
        intro={t("proposals.desk.intro")}
        actions={
          <Link to="/proposals">
            <EnvironmentOutlined /> {t("proposals.desk.toMap")}
          </Link>
        }
        filters={
          <>
            <Segmented
              value={view}
              onChange={(v) => setView(String(v))}
              options={VIEWS.filter((v) => v !== "department" || officer).map((v) => ({
                value: v,
                label: t(`proposals.desk.views.${v}`),
              }))}
              data-testid="proposals-desk-views"
            />
            <SearchInput
              value={f.q}
              onSearch={(q) => query.setFilters({ q })}
              placeholder={t("proposals.desk.search")}
              testId="proposals-desk-search"
            />
            <Select
              allowClear
              style={{ width: 130 }}
              placeholder={t("proposals.list.anyStatus")}
              value={f.status}
              onChange={(status) => query.setFilters({ status })}
              options={PROPOSAL_STATUSES.map((s) => ({
                value: s,
                label: t(`proposals.status.${s}`),
              }))}
              data-testid="proposals-desk-status"
            />
            <Select
              allowClear
              style={{ width: 130 }}
              placeholder={t("proposals.desk.anyTopic")}
              value={f.topic}
              onChange={(topic) => query.setFilters({ topic })}
              options={PROPOSAL_TOPICS.map((x) => ({ value: x, label: t(`proposals.topic.${x}`) }))}
            />
            <Select
              style={{ width: 140 }}
              value={query.sort}
              onChange={(v: Sort) => query.setSort(v)}
              options={SORTS.map((x) => ({ value: x, label: t(`proposals.desk.sorts.${x}`) }))}
              data-testid="proposals-desk-sort"
            />
            <ExportButton
              href={buildUrl("/api/proposals/export.xlsx", apiFilter)}
              testId="proposals-desk-export"
            />
          </>
        }
      >
        <ListTable<ProposalSummary, Sort>
          rowKey="id"
          query={query}
          list={list}
          columns={columns}
          scroll={{ x: 1100 }}
          testId="proposals-desk"
          emptyText={t("proposals.desk.empty")}
          noMatchText={t("proposals.desk.noMatch")}
          rowClassName={(p) => (p.dueState === "overdue" ? "gz-row-overdue" : "")}
        />
      </ListPage>
      {coordinator ? (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={9}>
            <SettingsCard />
          </Col>
          <Col xs={24} xl={15}>
            <CasesToProposal />
          </Col>
        </Row>
      ) : null}
    </Space>
  );
}
