/**
 * One joint meeting (/meetings/:id). The coordination centre runs it: edits
 * time, place and participants while it is scheduled (or cancels it with a
 * reason), builds the agenda from the data, marks it held, rules on bounced
 * cases (裁定), concludes or drops items, records the minutes and who came,
 * decides action items, and closes it — what was not dealt with carries over
 * to the next meeting. The invited departments and organisations read it and
 * answer for their own action items. Every step sends the version shown; a
 * 409 reloads the meeting and says why.
 */
import {
  ArrowLeftOutlined,
  CheckSquareOutlined,
  EditOutlined,
  FileDoneOutlined,
  PlayCircleOutlined,
  PlusOutlined,
  StopOutlined,
} from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  type ButtonProps,
  Card,
  Checkbox,
  Descriptions,
  Empty,
  Input,
  List,
  Popconfirm,
  Space,
  Tag,
  Timeline,
  Typography,
} from "antd";
import { type ReactNode, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import type { AgendaItem, MeetingDetail } from "../../../shared/schemas/meetings.js";
import { ApiError } from "../../api/client.js";
import { DetailLoadFailed } from "../../ui/detail-load-failed.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { PageLoading } from "../../ui/page-loading.js";
import { useApi } from "../../ui/use-api.js";
import { formatTime } from "../cases/case-bits.js";
import { MeetingActionItems, NewActionItemModal } from "./action-items.js";
import { AgendaDrawer } from "./agenda-drawer.js";
import { MeetingFormDrawer } from "./meeting-form-drawer.js";
import {
  cancelMeeting,
  closeMeeting,
  concludeAgendaItem,
  dropAgendaItem,
  getMeeting,
  holdMeeting,
  saveMinutes,
} from "./meetings-api.js";
import {
  AgendaKindTag,
  AgendaLink,
  AgendaStatusTag,
  MeetingStatusTag,
  TextStepModal,
} from "./meetings-bits.js";
import { RulingModal } from "./ruling-modal.js";

export function MeetingDetailPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const res = useApi(`meeting:${id}`, (signal) => getMeeting(id, signal));
  const [m, setM] = useState<MeetingDetail | null>(null);
  useEffect(() => setM(res.data ?? null), [res.data]);
  const back = (
    <Link to="/meetings">
      <Button type="link" icon={<ArrowLeftOutlined />} style={{ paddingInline: 0 }}>
        {t("meetings.detail.back")}
      </Button>
    </Link>
  );
  if (res.error && !m)
    return (
      <DetailLoadFailed
        testId="meeting-detail"
        back={back}
        error={res.error}
        notFoundText={t("meetings.detail.notFound")}
        onRetry={res.reload}
      />
    );
  if (!m) return <PageLoading />;
  return <Meeting m={m} back={back} onChanged={setM} reload={res.reload} />;
}

type ItemStep = "conclude" | "drop";

function Meeting(props: {
  m: MeetingDetail;
  back: ReactNode;
  onChanged: (m: MeetingDetail) => void;
  reload: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const m = props.m;
  const coordinator = m.view === "coordinator";
  const can = (a: MeetingDetail["allowedActions"][number]) => m.allowedActions.includes(a);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [addingAgenda, setAddingAgenda] = useState(false);
  const [deciding, setDeciding] = useState(false);
  const [ruling, setRuling] = useState<AgendaItem | null>(null);
  const [itemStep, setItemStep] = useState<{ item: AgendaItem; step: ItemStep } | null>(null);

  /** A 409 means someone acted first: show the meeting as it is now. */
  const run = async (what: string, step: () => Promise<void>) => {
    setBusy(what);
    setError(null);
    try {
      await step();
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.status === 409) props.reload();
    } finally {
      setBusy(null);
    }
  };

  const actions = coordinator ? (
    <Space wrap data-testid="meeting-actions">
      {can("edit") ? (
        <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="meeting-edit">
          {t("meetings.detail.edit")}
        </Button>
      ) : null}
      {can("hold") ? (
        <Popconfirm
          title={t("meetings.detail.holdConfirm")}
          onConfirm={() =>
            run("hold", async () => {
              props.onChanged(await holdMeeting(m.id, m.version));
              message.success(t("meetings.detail.heldDone"));
            })
          }
          okText={t("meetings.detail.hold")}
          cancelText={t("common.cancel")}
          okButtonProps={{ "data-testid": "meeting-hold-confirm" } as ButtonProps}
        >
          <Button
            type="primary"
            icon={<PlayCircleOutlined />}
            loading={busy === "hold"}
            data-testid="meeting-hold"
          >
            {t("meetings.detail.hold")}
          </Button>
        </Popconfirm>
      ) : null}
      {can("close") ? (
        <Popconfirm
          title={
            m.openAgendaCount > 0
              ? t("meetings.detail.closeConfirmOpen", { count: m.openAgendaCount })
              : t("meetings.detail.closeConfirm")
          }
          onConfirm={() =>
            run("close", async () => {
              props.onChanged(await closeMeeting(m.id, m.version));
              message.success(t("meetings.detail.closedDone"));
            })
          }
          okText={t("meetings.detail.close")}
          cancelText={t("common.cancel")}
          okButtonProps={{ "data-testid": "meeting-close-confirm" } as ButtonProps}
        >
          <Button
            type="primary"
            icon={<FileDoneOutlined />}
            loading={busy === "close"}
            disabled={!m.minutes?.trim()}
            data-testid="meeting-close"
          >
            {t("meetings.detail.close")}
          </Button>
        </Popconfirm>
      ) : null}
      {can("cancel") ? (
        <Button
          danger
          icon={<StopOutlined />}
          onClick={() => setCancelling(true)}
          data-testid="meeting-cancel"
        >
          {t("meetings.detail.cancel")}
        </Button>
      ) : null}
    </Space>
  ) : null;

  return (
    <div
      data-testid="meeting-detail"
      data-meeting-id={m.id}
      data-status={m.status}
      data-view={m.view}
    >
      <div>{props.back}</div>
      <Space style={{ width: "100%", justifyContent: "space-between" }} align="start" wrap>
        <div>
          <Space wrap style={{ margin: "8px 0 4px" }}>
            <Typography.Title level={3} style={{ margin: 0 }} data-testid="meeting-title-text">
              {m.title}
            </Typography.Title>
            <MeetingStatusTag status={m.status} />
          </Space>
          <Typography.Paragraph type="secondary">
            {m.area.name} · {formatTime(m.scheduledAt, i18n.resolvedLanguage)} · {m.place}
          </Typography.Paragraph>
        </div>
        {actions}
      </Space>
      {m.status === "cancelled" ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t("meetings.detail.cancelledNote", {
            time: formatTime(m.cancelledAt, i18n.resolvedLanguage),
            reason: m.cancelReason ?? "",
          })}
          data-testid="meeting-cancelled"
        />
      ) : null}
      {m.status === "held" && coordinator ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t("meetings.detail.heldHint")}
        />
      ) : null}
      {!coordinator ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t("meetings.detail.participantHint")}
        />
      ) : null}
      {error ? (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert error={error} />
        </div>
      ) : null}

      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, md: 2 }}
        style={{ marginBottom: 16 }}
        items={[
          { key: "area", label: t("meetings.detail.area"), children: m.area.name },
          {
            key: "time",
            label: t("meetings.detail.time"),
            children: formatTime(m.scheduledAt, i18n.resolvedLanguage),
          },
          { key: "place", label: t("meetings.detail.place"), children: m.place },
          { key: "organiser", label: t("meetings.detail.organiser"), children: m.createdBy },
          {
            key: "participants",
            label: t("meetings.detail.participants"),
            span: 2,
            children: (
              <Space wrap size={[4, 4]} data-testid="meeting-participants-list">
                {m.participants.map((p) => (
                  <Tag
                    key={p.id}
                    color={
                      p.attended === true ? "green" : p.attended === false ? "default" : "blue"
                    }
                    data-testid="meeting-participant"
                  >
                    {p.name}
                    {p.attended === false ? `（${t("meetings.detail.absent")}）` : ""}
                  </Tag>
                ))}
              </Space>
            ),
          },
        ]}
      />

      <Card
        size="small"
        title={t("meetings.detail.agenda", {
          count: m.agenda.filter((g) => g.status !== "dropped").length,
        })}
        style={{ marginBottom: 16 }}
        extra={
          can("agenda") ? (
            <Button
              icon={<PlusOutlined />}
              onClick={() => setAddingAgenda(true)}
              data-testid="agenda-add"
            >
              {t("meetings.detail.addAgenda")}
            </Button>
          ) : null
        }
      >
        <List<AgendaItem>
          dataSource={m.agenda}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={
                  can("agenda")
                    ? t("meetings.detail.agendaEmptyCoord")
                    : t("meetings.detail.agendaEmpty")
                }
              />
            ),
          }}
          renderItem={(g, i) => (
            <List.Item
              key={g.id}
              data-testid="agenda-item"
              data-kind={g.kind}
              data-status={g.ruling ? "ruled" : g.status}
              actions={[
                ...(g.allowedActions.includes("rule")
                  ? [
                      <Button
                        key="rule"
                        type="primary"
                        size="small"
                        icon={<CheckSquareOutlined />}
                        onClick={() => setRuling(g)}
                        data-testid="agenda-rule"
                      >
                        {t("meetings.agenda.rule")}
                      </Button>,
                    ]
                  : []),
                ...(g.allowedActions.includes("conclude")
                  ? [
                      <Button
                        key="conclude"
                        size="small"
                        onClick={() => setItemStep({ item: g, step: "conclude" })}
                        data-testid="agenda-conclude"
                      >
                        {t("meetings.agenda.conclude")}
                      </Button>,
                    ]
                  : []),
                ...(g.allowedActions.includes("drop")
                  ? [
                      <Button
                        key="drop"
                        size="small"
                        danger
                        type="text"
                        onClick={() => setItemStep({ item: g, step: "drop" })}
                        data-testid="agenda-drop"
                      >
                        {t("meetings.agenda.drop")}
                      </Button>,
                    ]
                  : []),
              ]}
            >
              <List.Item.Meta
                title={
                  <Space wrap size={4}>
                    <Typography.Text type="secondary">{i + 1}.</Typography.Text>
                    <AgendaKindTag kind={g.kind} />
                    <Typography.Text
                      delete={g.status === "dropped"}
                      data-testid="agenda-item-title"
                    >
                      {g.title}
                    </Typography.Text>
                    <AgendaLink link={g.link} />
                    <AgendaStatusTag item={g} />
                    {g.source === "detector" ? (
                      <Tag color="purple">{t("meetings.agenda.automatic")}</Tag>
                    ) : null}
                  </Space>
                }
                description={
                  <Space orientation="vertical" size={2}>
                    {g.reason ? <Typography.Text type="danger">{g.reason}</Typography.Text> : null}
                    {g.ruling ? (
                      <Typography.Text data-testid="agenda-ruling">
                        {t("meetings.agenda.rulingText", {
                          lead: g.ruling.lead.name,
                          assist: g.ruling.assist.map((a) => a.name).join("、") || "—",
                          note: g.ruling.note,
                        })}
                        {g.ruling.rule ? (
                          <Tag
                            color="green"
                            style={{ marginLeft: 8 }}
                            data-testid="agenda-ruling-rule"
                          >
                            {t("meetings.agenda.ruleSaved")}
                          </Tag>
                        ) : null}
                      </Typography.Text>
                    ) : g.outcome ? (
                      <Typography.Text>
                        {g.status === "dropped"
                          ? t("meetings.agenda.droppedText", { reason: g.outcome })
                          : t("meetings.agenda.outcomeText", { outcome: g.outcome })}
                      </Typography.Text>
                    ) : null}
                  </Space>
                }
              />
            </List.Item>
          )}
        />
      </Card>

      <MinutesCard m={m} onChanged={props.onChanged} reload={props.reload} />

      <Card
        size="small"
        title={t("meetings.detail.actionItems")}
        style={{ marginBottom: 16 }}
        extra={
          can("decide") ? (
            <Button
              icon={<PlusOutlined />}
              onClick={() => setDeciding(true)}
              data-testid="action-item-add"
            >
              {t("meetings.actions.new")}
            </Button>
          ) : null
        }
      >
        <MeetingActionItems items={m.actionItemList} onChanged={props.reload} />
      </Card>

      {coordinator ? (
        <Card size="small" title={t("meetings.detail.log")}>
          <Timeline
            items={m.log.map((l) => ({
              key: l.id,
              content: (
                <div data-testid="meeting-log-entry" data-action={l.action}>
                  <Typography.Text strong>
                    {t(`meetings.logActions.${l.action}`, { defaultValue: l.action })}
                  </Typography.Text>
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {l.actor} · {formatTime(l.createdAt, i18n.resolvedLanguage)}
                    </Typography.Text>
                  </div>
                  {l.note ? (
                    <Typography.Paragraph style={{ marginBottom: 0 }}>
                      {l.note}
                    </Typography.Paragraph>
                  ) : null}
                </div>
              ),
            }))}
          />
        </Card>
      ) : null}

      <MeetingFormDrawer
        open={editing}
        meeting={m}
        onClose={() => setEditing(false)}
        onSaved={(saved) => {
          setEditing(false);
          props.onChanged(saved);
        }}
      />
      <TextStepModal
        open={cancelling}
        title={t("meetings.detail.cancelTitle")}
        label={t("meetings.detail.cancelReason")}
        placeholder={t("meetings.detail.cancelPlaceholder")}
        okText={t("meetings.detail.cancel")}
        danger
        testId="meeting-cancel-form"
        onCancel={() => setCancelling(false)}
        onSubmit={async (reason) => {
          try {
            props.onChanged(await cancelMeeting(m.id, m.version, reason));
            setCancelling(false);
            message.success(t("meetings.detail.cancelledDone"));
          } catch (err) {
            if (err instanceof ApiError && err.status === 409) props.reload();
            throw err;
          }
        }}
      />
      <TextStepModal
        open={itemStep !== null}
        title={
          itemStep?.step === "drop"
            ? t("meetings.agenda.dropTitle", { title: itemStep.item.title })
            : t("meetings.agenda.concludeTitle", { title: itemStep?.item.title ?? "" })
        }
        label={
          itemStep?.step === "drop" ? t("meetings.agenda.dropReason") : t("meetings.agenda.outcome")
        }
        okText={
          itemStep?.step === "drop" ? t("meetings.agenda.drop") : t("meetings.agenda.conclude")
        }
        danger={itemStep?.step === "drop"}
        testId="agenda-step"
        onCancel={() => setItemStep(null)}
        onSubmit={async (text) => {
          if (!itemStep) return;
          try {
            if (itemStep.step === "drop")
              await dropAgendaItem(itemStep.item.id, itemStep.item.version, text);
            else await concludeAgendaItem(itemStep.item.id, itemStep.item.version, text);
            setItemStep(null);
            props.reload();
          } catch (err) {
            if (err instanceof ApiError && err.status === 409) props.reload();
            throw err;
          }
        }}
      />
      {addingAgenda ? (
        <AgendaDrawer
          open
          meeting={m}
          onClose={() => setAddingAgenda(false)}
          onChanged={props.onChanged}
        />
      ) : null}
      {ruling ? (
        <RulingModal
          item={ruling}
          meetingTitle={m.title}
          onClose={() => setRuling(null)}
          onRuled={() => {
            setRuling(null);
            props.reload();
          }}
        />
      ) : null}
      <NewActionItemModal
        open={deciding}
        meetingId={m.id}
        agenda={m.agenda}
        onClose={() => setDeciding(false)}
        onCreated={() => {
          setDeciding(false);
          props.reload();
        }}
      />
    </div>
  );
}

/** 会议纪要: read; while the meeting is held, written with who attended. */
function MinutesCard(props: {
  m: MeetingDetail;
  onChanged: (m: MeetingDetail) => void;
  reload: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const m = props.m;
  const editable = m.allowedActions.includes("minutes");
  const [text, setText] = useState(m.minutes ?? "");
  const [present, setPresent] = useState<Record<string, boolean>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setText(m.minutes ?? "");
    setPresent(Object.fromEntries(m.participants.map((p) => [p.id, p.attended ?? true])));
  }, [m.minutes, m.participants]);
  if (!editable && !m.minutes) {
    if (m.status === "scheduled" || m.status === "cancelled") return null;
    return (
      <Card size="small" title={t("meetings.detail.minutes")} style={{ marginBottom: 16 }}>
        <Typography.Text type="secondary">{t("meetings.detail.noMinutes")}</Typography.Text>
      </Card>
    );
  }
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      props.onChanged(
        await saveMinutes(m.id, {
          version: m.version,
          minutes: text,
          attendance: m.participants.map((p) => ({
            participantId: p.id,
            attended: present[p.id] ?? true,
          })),
        }),
      );
      message.success(t("meetings.detail.minutesSaved"));
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.status === 409) props.reload();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card
      size="small"
      title={t("meetings.detail.minutes")}
      style={{ marginBottom: 16 }}
      data-testid="meeting-minutes"
    >
      {editable ? (
        <Space orientation="vertical" style={{ width: "100%" }}>
          <Typography.Text>{t("meetings.detail.attendance")}</Typography.Text>
          <Space wrap>
            {m.participants.map((p) => (
              <Checkbox
                key={p.id}
                checked={present[p.id] ?? true}
                onChange={(e) => setPresent((s) => ({ ...s, [p.id]: e.target.checked }))}
              >
                {p.name}
              </Checkbox>
            ))}
          </Space>
          <Input.TextArea
            rows={8}
            value={text}
            onChange={(e) => setText(e.target.value)}
            maxLength={20_000}
            showCount
            placeholder={t("meetings.detail.minutesPlaceholder")}
            data-testid="meeting-minutes-input"
          />
          {error ? <ErrorAlert error={error} /> : null}
          <Button type="primary" loading={busy} onClick={save} data-testid="meeting-minutes-save">
            {t("meetings.detail.saveMinutes")}
          </Button>
        </Space>
      ) : (
        <Typography.Paragraph
          style={{ whiteSpace: "pre-wrap", marginBottom: 0 }}
          data-testid="meeting-minutes-text"
        >
          {m.minutes}
        </Typography.Paragraph>
      )}
    </Card>
  );
}
