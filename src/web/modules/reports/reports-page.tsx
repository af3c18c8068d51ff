/**
 * 综治报告 (/coordination/reports): the stored reports of the user's areas
 * (filters in the URL, newest period first; a row opens the report), 生成报告
 * (kind, period and area → preview, or make and save now), and the
 * 定时计划 tab (which areas get a weekly or monthly report, who is told,
 * pause, resume, change recipients, delete). For the coordination centre.
 */
import { FileAddOutlined, PlusOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  type ButtonProps,
  Card,
  DatePicker,
  Form,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Typography,
} from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { type HTMLAttributes, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { todayInChina } from "../../../shared/dates.js";
import {
  lastCompletePeriod,
  periodLabel,
  periodRange,
  REPORT_KINDS,
  type ReportKind,
} from "../../../shared/report-periods.js";
import type { ReportSchedule, ReportSummary } from "../../../shared/schemas/reports.js";
import { ApiError } from "../../api/client.js";
import { useAuth } from "../../auth/auth-context.js";
import { ForbiddenPage } from "../../pages/status-pages.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { ListTable, param, useListQuery } from "../../ui/list-page.js";
import { useApi } from "../../ui/use-api.js";
import { formatTime } from "../cases/case-bits.js";
import { AreaTreeSelect, areasOnce } from "../organisations/area-tree-select.js";
import { canUseReports } from "./reports-access.js";
import {
  createSchedule,
  deleteSchedule,
  generateReport,
  listReports,
  listSchedules,
  previewUrl,
  recipientCandidates,
  updateSchedule,
} from "./reports-api.js";
import { periodOfDay } from "./reports-model.js";

const TABS = ["list", "schedules"] as const;
type Tab = (typeof TABS)[number];

export function ReportsPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  if (!canUseReports(me))
    return (
      <ForbiddenPage
        testId="reports-forbidden"
        title={t("reports.forbiddenTitle")}
        subTitle={t("reports.forbiddenHint")}
      />
    );
  return <Reports />;
}

function Reports() {
  const { t } = useTranslation();
  const [search, setSearch] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(search.get("tab") ?? "")
    ? (search.get("tab") as Tab)
    : "list";
  const [generating, setGenerating] = useState(false);
  return (
    <div data-testid="reports-page">
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 8 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("reports.title")}
        </Typography.Title>
        <Button
          type="primary"
          icon={<FileAddOutlined />}
          onClick={() => setGenerating(true)}
          data-testid="report-generate"
        >
          {t("reports.generate.button")}
        </Button>
      </Space>
      <Typography.Paragraph type="secondary">{t("reports.intro")}</Typography.Paragraph>
      <Tabs
        activeKey={tab}
        onChange={(k) => setSearch(k === "list" ? {} : { tab: k }, { replace: true })}
        items={[
          { key: "list", label: t("reports.tabs.list"), children: <ReportList /> },
          { key: "schedules", label: t("reports.tabs.schedules"), children: <Schedules /> },
        ]}
        data-testid="reports-tabs"
      />
      <GenerateModal open={generating} onClose={() => setGenerating(false)} />
    </div>
  );
}

// ----------------------------------------------------------------- list

function ReportList() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const query = useListQuery({
    filters: {
      kind: param.oneOf(REPORT_KINDS),
      source: param.oneOf(["manual", "schedule"] as const),
      area: param.text(),
    },
    sorts: ["newest"] as const,
    defaultSort: "newest",
  });
  const f = query.filters;
  const areas = useApi("areas:all", (signal) => areasOnce(signal));
  const areaId = f.area ? areas.data?.find((a) => a.code === f.area)?.id : undefined;
  const request = {
    kind: f.kind,
    source: f.source,
    areaId,
    limit: query.limit,
    offset: query.offset,
  };
  const list = useApi(f.area && !areaId ? null : `reports:${JSON.stringify(request)}`, (signal) =>
    listReports(request, signal),
  );
  const columns: TableColumnsType<ReportSummary> = [
    {
      key: "period",
      title: t("reports.cols.period"),
      width: 260,
      render: (_v, r) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/coordination/reports/${r.id}`} onClick={(e) => e.stopPropagation()}>
            {r.label}
          </Link>
          {!r.complete ? (
            <Tag color="orange" title={t("reports.incompleteHint")}>
              {t("reports.incomplete")}
            </Tag>
          ) : null}
        </Space>
      ),
    },
    { key: "area", title: t("reports.cols.area"), width: 140, render: (_v, r) => r.area.name },
    {
      key: "kind",
      title: t("reports.cols.kind"),
      width: 80,
      render: (_v, r) => (
        <Tag color={r.kind === "weekly" ? "blue" : "purple"}>{t(`reports.kinds.${r.kind}`)}</Tag>
      ),
    },
    {
      key: "headline",
      title: t("reports.cols.headline"),
      render: (_v, r) => (
        <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }}>
          {r.headline ?? "—"}
        </Typography.Paragraph>
      ),
    },
    {
      key: "source",
      title: t("reports.cols.source"),
      width: 170,
      render: (_v, r) => (
        <Space orientation="vertical" size={0}>
          <span>{t(`reports.sources.${r.source}`)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.generatedBy} · {formatTime(r.generatedAt, i18n.resolvedLanguage)}
          </Typography.Text>
        </Space>
      ),
    },
  ];
  return (
    <Card size="small" data-testid="report-list">
      <Space wrap style={{ marginBottom: 12 }} align="start">
        <Select
          allowClear
          value={f.kind}
          onChange={(kind) => query.setFilters({ kind })}
          placeholder={t("reports.allKinds")}
          style={{ width: 120 }}
          options={REPORT_KINDS.map((k) => ({ value: k, label: t(`reports.kinds.${k}`) }))}
          data-testid="reports-filter-kind"
        />
        <Select
          allowClear
          value={f.source}
          onChange={(source) => query.setFilters({ source })}
          placeholder={t("reports.allSources")}
          style={{ width: 130 }}
          options={(["manual", "schedule"] as const).map((s) => ({
            value: s,
            label: t(`reports.sources.${s}`),
          }))}
          data-testid="reports-filter-source"
        />
        <AreaTreeSelect
          value={f.area || undefined}
          onChange={(code) => query.setFilters({ area: code ?? "" })}
          placeholder={t("reports.allAreas")}
          data-testid="reports-filter-area"
        />
      </Space>
      <ListTable<ReportSummary, "newest">
        rowKey="id"
        query={query}
        list={list}
        columns={columns}
        testId="reports"
        scroll={{ x: 900 }}
        emptyText={t("reports.empty")}
        noMatchText={t("reports.noMatch")}
        onRow={(r) =>
          ({
            onClick: () => navigate(`/coordination/reports/${r.id}`),
            style: { cursor: "pointer" },
            "data-testid": "report-row",
            "data-report-id": r.id,
          }) as HTMLAttributes<HTMLElement>
        }
      />
    </Card>
  );
}

// -------------------------------------------------------------- generate

interface GenerateValues {
  kind: ReportKind;
  day: Dayjs;
  area?: string;
}

function GenerateModal(props: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<GenerateValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [existing, setExisting] = useState<string | null>(null);
  const areas = useApi("areas:all", (signal) => areasOnce(signal));
  const today = todayInChina();
  const kind = (Form.useWatch("kind", form) as ReportKind | undefined) ?? "weekly";
  const day = Form.useWatch("day", form) as Dayjs | undefined;
  const areaCode = Form.useWatch("area", form) as string | undefined;
  const period = day ? periodOfDay(kind, day.format("YYYY-MM-DD")) : undefined;
  const running = period ? (periodRange(kind, period)?.to ?? "") >= today : false;
  const area = areaCode ? areas.data?.find((a) => a.code === areaCode) : undefined;
  const isGrid = area?.level === "grid";
  const initial = useMemo(
    () => ({
      kind: "weekly" as const,
      day: dayjs(periodRange("weekly", lastCompletePeriod("weekly", todayInChina()))?.from),
    }),
    [],
  );

  const ask = () => ({ kind, period, areaId: area?.id });
  const save = async () => {
    setError(null);
    setExisting(null);
    try {
      await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      const r = await generateReport(ask());
      message.success(t("reports.generate.saved"));
      props.onClose();
      navigate(`/coordination/reports/${r.id}`);
    } catch (err) {
      const id = (err as ApiError & { details?: { reportId?: string } }).details?.reportId;
      if (err instanceof ApiError && err.status === 409 && id) setExisting(id);
      else setError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={props.open}
      onCancel={props.onClose}
      title={t("reports.generate.title")}
      destroyOnHidden
      data-testid="report-generate-modal"
      footer={
        <Space wrap>
          <Button onClick={props.onClose}>{t("common.cancel")}</Button>
          <Button
            disabled={!period || isGrid}
            onClick={() => {
              props.onClose();
              navigate(previewUrl(ask()));
            }}
            data-testid="report-preview"
          >
            {t("reports.generate.preview")}
          </Button>
          <Button
            type="primary"
            loading={saving}
            disabled={isGrid}
            onClick={save}
            data-testid="report-save"
          >
            {t("reports.generate.save")}
          </Button>
        </Space>
      }
    >
      <Form<GenerateValues> form={form} layout="vertical" initialValues={initial} preserve={false}>
        <Form.Item name="kind" label={t("reports.generate.kind")}>
          <Radio.Group
            optionType="button"
            options={REPORT_KINDS.map((k) => ({ value: k, label: t(`reports.kinds.${k}`) }))}
            onChange={(e) => {
              const k = e.target.value as ReportKind;
              form.setFieldValue("day", dayjs(periodRange(k, lastCompletePeriod(k, today))?.from));
            }}
            data-testid="report-kind"
          />
        </Form.Item>
        <Form.Item
          name="day"
          label={t("reports.generate.period")}
          rules={[{ required: true, message: t("reports.generate.periodRequired") }]}
          extra={running ? t("reports.generate.runningHint") : undefined}
        >
          <DatePicker
            picker={kind === "weekly" ? "week" : "month"}
            allowClear={false}
            disabledDate={(d) => d.format("YYYY-MM-DD") > today}
            format={(v) => periodLabel(kind, periodOfDay(kind, v.format("YYYY-MM-DD")))}
            style={{ width: 300 }}
            data-testid="report-period"
          />
        </Form.Item>
        <Form.Item
          name="area"
          label={t("reports.generate.area")}
          validateStatus={isGrid ? "error" : undefined}
          help={isGrid ? t("reports.generate.gridNotAllowed") : undefined}
        >
          <AreaTreeSelect
            placeholder={t("reports.generate.areaPlaceholder")}
            width={300}
            data-testid="report-area"
          />
        </Form.Item>
      </Form>
      {existing ? (
        <Alert
          type="info"
          showIcon
          title={t("reports.generate.exists")}
          action={
            <Button
              size="small"
              onClick={() => {
                props.onClose();
                navigate(`/coordination/reports/${existing}`);
              }}
              data-testid="report-open-existing"
            >
              {t("reports.generate.openExisting")}
            </Button>
          }
        />
      ) : null}
      {error ? <ErrorAlert error={error} /> : null}
    </Modal>
  );
}

// ------------------------------------------------------------- schedules

function Schedules() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const list = useApi("report-schedules", (signal) => listSchedules(signal));
  const [editing, setEditing] = useState<ReportSchedule | "new" | null>(null);
  const [error, setError] = useState<unknown>(null);
  const act = async (run: () => Promise<unknown>, done: string) => {
    setError(null);
    try {
      await run();
      message.success(done);
      list.reload();
    } catch (err) {
      setError(err);
    }
  };
  const columns: TableColumnsType<ReportSchedule> = [
    { key: "area", title: t("reports.schedules.cols.area"), render: (_v, s) => s.area.name },
    {
      key: "kind",
      title: t("reports.schedules.cols.kind"),
      width: 80,
      render: (_v, s) => t(`reports.kinds.${s.kind}`),
    },
    {
      key: "recipients",
      title: t("reports.schedules.cols.recipients"),
      render: (_v, s) => s.recipients.map((r) => r.name).join("、"),
    },
    {
      key: "last",
      title: t("reports.schedules.cols.last"),
      render: (_v, s) =>
        s.lastReport ? (
          <Link to={`/coordination/reports/${s.lastReport.id}`}>
            {periodLabel(s.kind, s.lastReport.period)}
          </Link>
        ) : (
          <Typography.Text type="secondary">{t("reports.schedules.notYet")}</Typography.Text>
        ),
    },
    {
      key: "status",
      title: t("reports.schedules.cols.status"),
      width: 90,
      render: (_v, s) =>
        s.active ? (
          <Tag color="green">{t("reports.schedules.active")}</Tag>
        ) : (
          <Tag>{t("reports.schedules.paused")}</Tag>
        ),
    },
    {
      key: "actions",
      title: t("reports.schedules.cols.actions"),
      width: 220,
      render: (_v, s) => (
        <Space size={4} wrap>
          <Button
            size="small"
            onClick={() =>
              act(
                () => updateSchedule(s.id, { version: s.version, active: !s.active }),
                t("reports.schedules.updated"),
              )
            }
            data-testid="schedule-toggle"
          >
            {s.active ? t("reports.schedules.pause") : t("reports.schedules.resume")}
          </Button>
          <Button size="small" onClick={() => setEditing(s)} data-testid="schedule-edit">
            {t("reports.schedules.edit")}
          </Button>
          <Popconfirm
            title={t("reports.schedules.deleteConfirm")}
            onConfirm={() => act(() => deleteSchedule(s.id), t("reports.schedules.deleted"))}
            okText={t("reports.schedules.delete")}
            cancelText={t("common.cancel")}
            okButtonProps={
              { danger: true, "data-testid": "schedule-delete-confirm" } as ButtonProps
            }
          >
            <Button size="small" danger data-testid="schedule-delete">
              {t("reports.schedules.delete")}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];
  return (
    <div data-testid="report-schedules">
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 12 }} wrap>
        <Typography.Text type="secondary">{t("reports.schedules.intro")}</Typography.Text>
        <Button
          icon={<PlusOutlined />}
          onClick={() => setEditing("new")}
          data-testid="schedule-add"
        >
          {t("reports.schedules.add")}
        </Button>
      </Space>
      {list.error ? (
        <ErrorAlert error={list.error} title={t("errors.loadFailed")} onRetry={list.reload} />
      ) : null}
      {error ? (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert error={error} />
        </div>
      ) : null}
      <Table<ReportSchedule>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: 760 }}
        locale={{ emptyText: t("reports.schedules.empty") }}
        onRow={(s) =>
          ({
            "data-testid": "schedule-row",
            "data-schedule-id": s.id,
          }) as HTMLAttributes<HTMLElement>
        }
      />
      <ScheduleModal
        schedule={editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          list.reload();
        }}
      />
    </div>
  );
}

interface ScheduleValues {
  area?: string;
  kind: ReportKind;
  recipientIds: string[];
}

function ScheduleModal(props: {
  schedule: ReportSchedule | "new" | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ScheduleValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const areas = useApi("areas:all", (signal) => areasOnce(signal));
  const s = props.schedule === "new" ? null : props.schedule;
  const areaCode = Form.useWatch("area", form) as string | undefined;
  const areaId = s
    ? s.area.id
    : areaCode
      ? areas.data?.find((a) => a.code === areaCode)?.id
      : undefined;
  const candidates = useApi(areaId ? `report-recipients:${areaId}` : null, (signal) =>
    recipientCandidates(areaId as string, signal),
  );
  const save = async () => {
    setError(null);
    let v: ScheduleValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      if (s) {
        await updateSchedule(s.id, { version: s.version, recipientIds: v.recipientIds });
        message.success(t("reports.schedules.updated"));
      } else {
        await createSchedule({
          areaId: areaId as string,
          kind: v.kind,
          recipientIds: v.recipientIds,
        });
        message.success(t("reports.schedules.created"));
      }
      props.onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={props.schedule !== null}
      onCancel={props.onClose}
      onOk={save}
      okText={t("reports.schedules.save")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      title={
        s
          ? `${t("reports.schedules.edit")} · ${s.area.name} ${t(`reports.kinds.${s.kind}`)}`
          : t("reports.schedules.add")
      }
      destroyOnHidden
      okButtonProps={{ "data-testid": "schedule-save" } as Record<string, string>}
      data-testid="schedule-modal"
    >
      <Form<ScheduleValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          kind: s?.kind ?? "weekly",
          recipientIds: s?.recipients.map((r) => r.id) ?? [],
        }}
      >
        {s ? null : (
          <>
            <Form.Item
              name="area"
              label={t("reports.schedules.area")}
              rules={[{ required: true, message: t("reports.schedules.areaRequired") }]}
            >
              <AreaTreeSelect
                width="100%"
                placeholder={t("reports.schedules.area")}
                data-testid="schedule-area"
              />
            </Form.Item>
            <Form.Item name="kind" label={t("reports.schedules.kind")}>
              <Radio.Group
                optionType="button"
                options={REPORT_KINDS.map((k) => ({ value: k, label: t(`reports.kinds.${k}`) }))}
                data-testid="schedule-kind"
              />
            </Form.Item>
          </>
        )}
        <Form.Item
          name="recipientIds"
          label={t("reports.schedules.recipients")}
          extra={t("reports.schedules.recipientsHint")}
          rules={[
            {
              required: true,
              type: "array",
              min: 1,
              message: t("reports.schedules.recipientsRequired"),
            },
          ]}
        >
          <Select
            mode="multiple"
            disabled={!areaId}
            loading={candidates.loading}
            placeholder={
              areaId
                ? t("reports.schedules.recipientsPlaceholder")
                : t("reports.schedules.chooseAreaFirst")
            }
            options={[
              ...(candidates.data?.items ?? []).map((c) => ({
                value: c.id,
                label: `${c.name}（${c.role}）`,
              })),
              // Recipients no longer among the candidates still show by name.
              ...(s?.recipients ?? [])
                .filter((r) => !candidates.data?.items.some((c) => c.id === r.id))
                .map((r) => ({ value: r.id, label: r.name })),
            ]}
            optionFilterProp="label"
            data-testid="schedule-recipients"
          />
        </Form.Item>
      </Form>
      {candidates.error ? (
        <ErrorAlert error={candidates.error} onRetry={candidates.reload} />
      ) : null}
      {error ? <ErrorAlert error={error} /> : null}
    </Modal>
  );
}
