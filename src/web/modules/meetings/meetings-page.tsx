/**
 * 联席会议 (/meetings). The coordination centre sees the meetings of an area
 * (default: its widest) with their agenda and action-item counts, calls new
 * ones (召开会议), follows every action item of its meetings (督办事项:
 * filters, paging, XLSX) and sets the bounce threshold (设置). The invited —
 * departments, enterprises, associations — see the meetings they are
 * invited to and 我的督办事项, where they report their items done. The tab,
 * filters and page are kept in the URL.
 */
import { PlusOutlined } from "@ant-design/icons";
import type { TableColumnsType } from "antd";
import { App, Button, Card, Grid, InputNumber, Select, Space, Tabs, Tag, Typography } from "antd";
import { type HTMLAttributes, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import {
  ACTION_ITEM_STATES,
  type ActionItem,
  BOUNCE_THRESHOLD_MAX,
  BOUNCE_THRESHOLD_MIN,
  MEETING_STATUSES,
  type MeetingSummary,
} from "../../../shared/schemas/meetings.js";
import { useAuth } from "../../auth/auth-context.js";
import { ForbiddenPage } from "../../pages/status-pages.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import {
  ExportButton,
  ListPage,
  ListTable,
  param,
  SearchInput,
  useListQuery,
} from "../../ui/list-page.js";
import { PageLoading } from "../../ui/page-loading.js";
import { useApi } from "../../ui/use-api.js";
import { formatTime } from "../cases/case-bits.js";
import { AreaTreeSelect, areasOnce } from "../organisations/area-tree-select.js";
import { ActionItemCards, ActionItemStepModal, useActionItemColumns } from "./action-items.js";
import { MeetingFormDrawer } from "./meeting-form-drawer.js";
import { canSeeMeetings, runsMeetings } from "./meetings-access.js";
import {
  type ActionItemStep,
  actionItemsXlsxUrl,
  getSettings,
  listActionItems,
  listMeetings,
  saveSettings,
} from "./meetings-api.js";
import { MeetingStatusTag } from "./meetings-bits.js";

const TABS = ["meetings", "actions", "settings"] as const;
type Tab = (typeof TABS)[number];

export function MeetingsPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [params, setParams] = useSearchParams();
  if (!canSeeMeetings(me)) return <ForbiddenPage />;
  const coordinator = runsMeetings(me);
  const tabs = coordinator ? TABS : (["meetings", "actions"] as const);
  const raw = params.get("tab");
  const tab: Tab = (tabs as readonly string[]).includes(raw ?? "") ? (raw as Tab) : "meetings";
  return (
    <div data-testid="meetings-page" data-view={coordinator ? "coordinator" : "participant"}>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t("meetings.title")}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {coordinator ? t("meetings.intro") : t("meetings.introParticipant")}
      </Typography.Paragraph>
      <Tabs
        activeKey={tab}
        // A tab starts with its own filters.
        onChange={(k) => setParams(k === "meetings" ? {} : { tab: k }, { replace: true })}
        items={tabs.map((k) => ({
          key: k,
          label: (
            <span data-testid={`meetings-tab-${k}`}>
              {coordinator || k === "settings"
                ? t(`meetings.tabs.${k}`)
                : t(k === "meetings" ? "meetings.tabs.meetingsMine" : "meetings.tabs.actionsMine")}
            </span>
          ),
        }))}
      />
      {tab === "meetings" ? (
        <MeetingList coordinator={coordinator} />
      ) : tab === "actions" ? (
        <ActionItemList coordinator={coordinator} />
      ) : (
        <SettingsCard />
      )}
    </div>
  );
}

const MEETING_SORTS = ["-scheduledAt", "scheduledAt"] as const;
type MeetingSort = (typeof MEETING_SORTS)[number];

function MeetingList(props: { coordinator: boolean }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const query = useListQuery({
    filters: { q: param.text(), status: param.oneOf(MEETING_STATUSES), area: param.text() },
    sorts: MEETING_SORTS,
    defaultSort: "-scheduledAt" as MeetingSort,
  });
  const f = query.filters;
  const areas = useApi(props.coordinator ? "areas:all" : null, (signal) => areasOnce(signal));
  const areaId = f.area ? areas.data?.find((a) => a.code === f.area)?.id : undefined;
  const request = {
    q: f.q || undefined,
    status: f.status,
    areaId,
    sort: query.sort,
    limit: query.limit,
    offset: query.offset,
  };
  const ready = !f.area || areaId !== undefined;
  const list = useApi(ready ? `meetings:${JSON.stringify(request)}` : null, (signal) =>
    listMeetings(request, signal),
  );
  const [creating, setCreating] = useState(false);

  const columns: TableColumnsType<MeetingSummary> = [
    {
      key: "title",
      title: t("meetings.list.colTitle"),
      dataIndex: "title",
      render: (v: string, m) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/meetings/${m.id}`} onClick={(e) => e.stopPropagation()}>
            {v}
          </Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {m.area.name} · {m.place}
          </Typography.Text>
        </Space>
      ),
    },
    {
      key: "scheduledAt",
      title: t("meetings.list.colTime"),
      width: 160,
      sorter: true,
      render: (_v, m) => formatTime(m.scheduledAt, i18n.resolvedLanguage),
    },
    {
      key: "status",
      title: t("meetings.list.colStatus"),
      width: 90,
      render: (_v, m) => <MeetingStatusTag status={m.status} />,
    },
    {
      key: "participants",
      title: t("meetings.list.colParticipants"),
      width: 90,
      render: (_v, m) => m.participantCount,
    },
    {
      key: "agenda",
      title: t("meetings.list.colAgenda"),
      width: 120,
      render: (_v, m) =>
        m.openAgendaCount > 0 && m.status !== "closed"
          ? t("meetings.list.agendaOpen", { open: m.openAgendaCount, total: m.agendaCount })
          : m.agendaCount,
    },
    {
      key: "actions",
      title: t("meetings.list.colActions"),
      width: 170,
      render: (_v, m) =>
        m.actionItems.total === 0 ? (
          "—"
        ) : (
          <Space size={0} wrap>
            <Tag>
              {t("meetings.list.actionsDone", {
                done: m.actionItems.done,
                total: m.actionItems.total,
              })}
            </Tag>
            {m.actionItems.overdue ? (
              <Tag color="red">
                {t("meetings.list.actionsOverdue", { count: m.actionItems.overdue })}
              </Tag>
            ) : null}
          </Space>
        ),
    },
  ];

  return (
    <ListPage
      testId="meetings-list"
      title={null}
      actions={
        props.coordinator ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="meeting-create"
          >
            {t("meetings.list.create")}
          </Button>
        ) : null
      }
      filters={
        <>
          {props.coordinator ? (
            <AreaTreeSelect
              value={f.area || undefined}
              onChange={(code) => query.setFilters({ area: code ?? "" })}
              placeholder={t("meetings.list.areaPlaceholder")}
              width={200}
              data-testid="meetings-area"
            />
          ) : null}
          <SearchInput
            value={f.q}
            onSearch={(q) => query.setFilters({ q })}
            placeholder={t("meetings.list.search")}
            testId="meetings-search"
          />
          <Select
            allowClear
            value={f.status}
            onChange={(status) => query.setFilters({ status })}
            placeholder={t("meetings.list.allStatuses")}
            style={{ width: 130 }}
            options={MEETING_STATUSES.map((s) => ({ value: s, label: t(`meetings.status.${s}`) }))}
            data-testid="meetings-status"
          />
        </>
      }
    >
      <ListTable<MeetingSummary, MeetingSort>
        rowKey="id"
        query={query}
        list={list}
        columns={columns}
        testId="meetings"
        scroll={{ x: 860 }}
        emptyText={props.coordinator ? t("meetings.list.empty") : t("meetings.list.emptyMine")}
        noMatchText={t("meetings.list.noMatch")}
        onRow={(m) =>
          ({
            onClick: () => navigate(`/meetings/${m.id}`),
            style: { cursor: "pointer" },
            "data-testid": "meeting-row",
            "data-meeting-id": m.id,
            "data-status": m.status,
          }) as HTMLAttributes<HTMLElement>
        }
      />
      <MeetingFormDrawer
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(m) => {
          setCreating(false);
          navigate(`/meetings/${m.id}`);
        }}
      />
    </ListPage>
  );
}

const ITEM_SORTS = ["dueOn", "-dueOn", "newest"] as const;
type ItemSort = (typeof ITEM_SORTS)[number];

function ActionItemList(props: { coordinator: boolean }) {
  const { t } = useTranslation();
  const query = useListQuery({
    filters: { q: param.text(), state: param.oneOf(ACTION_ITEM_STATES), mine: param.flag() },
    sorts: ITEM_SORTS,
    defaultSort: "dueOn" as ItemSort,
  });
  const f = query.filters;
  const filter = {
    q: f.q || undefined,
    state: f.state,
    mine: f.mine ? ("true" as const) : undefined,
    sort: query.sort,
  };
  const request = { ...filter, limit: query.limit, offset: query.offset };
  const list = useApi(`action-items:${JSON.stringify(request)}`, (signal) =>
    listActionItems(request, signal),
  );
  const [pending, setPending] = useState<{ item: ActionItem; step: ActionItemStep } | null>(null);
  // On a phone each item is a card: the officer reads and answers it there.
  const narrow = Grid.useBreakpoint().md === false;
  const columns = useActionItemColumns({
    showMeeting: true,
    onStep: (item, step) => setPending({ item, step }),
  }).map((c) => (c.key === "dueOn" ? { ...c, sorter: true } : c));

  return (
    <ListPage
      testId="action-items-page"
      title={null}
      intro={props.coordinator ? t("meetings.actions.intro") : undefined}
      filters={
        <>
          <SearchInput
            value={f.q}
            onSearch={(q) => query.setFilters({ q })}
            placeholder={t("meetings.actions.search")}
            testId="action-items-search"
          />
          <Select
            allowClear
            value={f.state}
            onChange={(state) => query.setFilters({ state })}
            placeholder={t("meetings.actions.allStates")}
            style={{ width: 130 }}
            options={ACTION_ITEM_STATES.map((s) => ({
              value: s,
              label: t(`meetings.actionStates.${s}`),
            }))}
            data-testid="action-items-state"
          />
          {props.coordinator ? null : (
            <Typography.Text type="secondary">{t("meetings.actions.onlyMine")}</Typography.Text>
          )}
          <ExportButton href={actionItemsXlsxUrl(filter)} testId="action-items-export" />
        </>
      }
    >
      {narrow ? (
        <ActionItemCards
          list={list}
          page={query.page}
          pageSize={query.pageSize}
          onPage={query.setPage}
          emptyText={
            query.filtered
              ? t("meetings.actions.noMatch")
              : props.coordinator
                ? t("meetings.actions.empty")
                : t("meetings.actions.emptyMine")
          }
          onStep={(item, step) => setPending({ item, step })}
        />
      ) : (
        <ListTable<ActionItem, ItemSort>
          rowKey="id"
          query={query}
          list={list}
          columns={columns}
          testId="action-items"
          scroll={{ x: 980 }}
          emptyText={
            props.coordinator ? t("meetings.actions.empty") : t("meetings.actions.emptyMine")
          }
          noMatchText={t("meetings.actions.noMatch")}
          onRow={(i) =>
            ({
              "data-testid": "action-item-row",
              "data-state": i.state,
              "data-item-id": i.id,
            }) as HTMLAttributes<HTMLElement>
          }
        />
      )}
      <ActionItemStepModal
        pending={pending}
        onClose={() => setPending(null)}
        onDone={() => {
          setPending(null);
          list.reload();
        }}
        onStale={list.reload}
      />
    </ListPage>
  );
}

function SettingsCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const res = useApi("meeting-settings", (signal) => getSettings(signal));
  const [value, setValue] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => setValue(res.data?.bounceThreshold ?? null), [res.data]);
  if (res.error) return <ErrorAlert error={res.error} onRetry={res.reload} />;
  if (!res.data) return <PageLoading />;
  const s = res.data;
  const save = async () => {
    if (value === null) return;
    setBusy(true);
    setError(null);
    try {
      await saveSettings({ version: s.version ?? undefined, bounceThreshold: value });
      message.success(t("meetings.settings.saved"));
      res.reload();
    } catch (err) {
      setError(err);
      res.reload();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title={t("meetings.settings.title")} data-testid="meeting-settings">
      <Typography.Paragraph>
        {t("meetings.settings.explain", { n: s.bounceThreshold })}
      </Typography.Paragraph>
      <Space wrap>
        <span>{t("meetings.settings.label")}</span>
        <InputNumber
          min={BOUNCE_THRESHOLD_MIN}
          max={BOUNCE_THRESHOLD_MAX}
          precision={0}
          value={value}
          onChange={(v) => setValue(v)}
          disabled={!s.editable}
          data-testid="meeting-threshold"
        />
        <span>{t("meetings.settings.unit")}</span>
        {s.editable ? (
          <Button
            type="primary"
            loading={busy}
            disabled={value === null || value === s.bounceThreshold}
            onClick={save}
            data-testid="meeting-threshold-save"
          >
            {t("common.save")}
          </Button>
        ) : null}
      </Space>
      {!s.editable ? (
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
          {t("meetings.settings.readOnly")}
        </Typography.Paragraph>
      ) : null}
      {error ? (
        <div style={{ marginTop: 12 }}>
          <ErrorAlert error={error} />
        </div>
      ) : null}
    </Card>
  );
}
