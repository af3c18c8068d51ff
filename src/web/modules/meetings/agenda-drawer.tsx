/**
 * 添加议题: what the data puts forward for the meeting's area — cases bounced
 * between departments (with each return and reassignment), overdue
 * supervised cases, the most supported proposals awaiting an answer,
 * enterprises' wage warnings — each with why it is there and, when it is on
 * an agenda already, where; the area's pool (items waiting for a meeting);
 * and a topic of the coordinator's own.
 */
import { PlusOutlined } from "@ant-design/icons";
import {
  App,
  Badge,
  Button,
  Card,
  Drawer,
  Empty,
  Form,
  Grid,
  Input,
  List,
  Segmented,
  Space,
  Spin,
  Tabs,
  Tag,
  Timeline,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type AgendaCandidate,
  CANDIDATE_KINDS,
  type CandidateKind,
  type MeetingDetail,
} from "../../../shared/schemas/meetings.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { useApi } from "../../ui/use-api.js";
import { formatTime } from "../cases/case-bits.js";
import { addAgendaItem, loadCandidates, loadPool } from "./meetings-api.js";
import { AgendaKindTag, AgendaLink } from "./meetings-bits.js";

interface Step {
  label: string;
  actor: string;
  note: string | null;
  at: string;
}

export function AgendaDrawer(props: {
  open: boolean;
  meeting: MeetingDetail;
  onClose: () => void;
  onChanged: (m: MeetingDetail) => void;
}) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const [tab, setTab] = useState<"data" | "pool" | "own">("data");
  return (
    <Drawer
      open={props.open}
      onClose={props.onClose}
      title={t("meetings.agenda.addTitle", { area: props.meeting.area.name })}
      size={screens.md === false ? "100%" : 720}
      destroyOnHidden
      data-testid="agenda-drawer"
    >
      <Tabs
        activeKey={tab}
        onChange={(k) => setTab(k as typeof tab)}
        items={[
          {
            key: "data",
            label: t("meetings.agenda.fromData"),
            children: <Candidates {...props} />,
          },
          { key: "pool", label: t("meetings.agenda.pool"), children: <Pool {...props} /> },
          { key: "own", label: t("meetings.agenda.own"), children: <OwnTopic {...props} /> },
        ]}
      />
    </Drawer>
  );
}

function Candidates(props: { meeting: MeetingDetail; onChanged: (m: MeetingDetail) => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [kind, setKind] = useState<CandidateKind>("bounced_case");
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const areaId = props.meeting.area.id;
  const res = useApi(`meeting-candidates:${areaId}`, (signal) =>
    loadCandidates({ areaId }, signal),
  );
  const items = (res.data?.items ?? []).filter((c) => c.kind === kind);
  const keyOf = (c: AgendaCandidate) =>
    c.ref.caseId ?? c.ref.proposalId ?? c.ref.organisationId ?? c.title;

  const add = async (c: AgendaCandidate) => {
    setBusy(keyOf(c));
    setError(null);
    try {
      props.onChanged(await addAgendaItem(props.meeting.id, { kind: c.kind, ...c.ref }));
      message.success(t("meetings.agenda.added"));
      res.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div data-testid="agenda-candidates">
      <Segmented<CandidateKind>
        value={kind}
        onChange={setKind}
        options={CANDIDATE_KINDS.map((k) => ({
          value: k,
          label: (
            <span data-testid={`candidate-kind-${k}`}>
              {t(`meetings.kinds.${k}`)}{" "}
              <Badge count={res.data?.totals[k] ?? 0} showZero color="#999" size="small" />
            </span>
          ),
        }))}
        style={{ marginBottom: 12 }}
      />
      {kind === "bounced_case" && res.data ? (
        <Typography.Paragraph type="secondary">
          {t("meetings.agenda.bounceRule", { n: res.data.bounceThreshold })}
        </Typography.Paragraph>
      ) : null}
      {res.error ? <ErrorAlert error={res.error} onRetry={res.reload} /> : null}
      {error ? <ErrorAlert error={error} /> : null}
      <Spin spinning={res.loading}>
        <List<AgendaCandidate>
          dataSource={items}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={t(`meetings.agenda.noCandidates.${kind}`)}
              />
            ),
          }}
          renderItem={(c) => {
            const steps = (c.details.steps as Step[] | undefined) ?? [];
            const onThis = c.onAgenda?.meetingId === props.meeting.id;
            return (
              <List.Item key={keyOf(c)} data-testid="agenda-candidate" data-kind={c.kind}>
                <Card size="small" style={{ width: "100%" }}>
                  <Space style={{ width: "100%", justifyContent: "space-between" }} align="start">
                    <Space orientation="vertical" size={2}>
                      <Space wrap size={4}>
                        <AgendaKindTag kind={c.kind} />
                        <Typography.Text strong>{c.title}</Typography.Text>
                        <AgendaLink link={c.link} />
                      </Space>
                      <Typography.Text type="danger" data-testid="candidate-reason">
                        {c.reason}
                      </Typography.Text>
                      {c.onAgenda ? (
                        <Tag color="blue" data-testid="candidate-on-agenda">
                          {c.onAgenda.meetingId
                            ? t("meetings.agenda.onMeeting", {
                                title: onThis
                                  ? t("meetings.agenda.thisMeeting")
                                  : (c.onAgenda.meetingTitle ?? ""),
                              })
                            : t("meetings.agenda.inPool")}
                        </Tag>
                      ) : null}
                    </Space>
                    <Button
                      icon={<PlusOutlined />}
                      disabled={c.onAgenda?.meetingId != null}
                      loading={busy === keyOf(c)}
                      onClick={() => add(c)}
                      data-testid="candidate-add"
                    >
                      {t("meetings.agenda.add")}
                    </Button>
                  </Space>
                  {steps.length ? (
                    <Timeline
                      style={{ marginTop: 12, marginBottom: -16 }}
                      items={steps.map((s, i) => ({
                        key: `${s.at}-${i}`,
                        color: s.label === "退回" ? "red" : "blue",
                        content: (
                          <Typography.Text style={{ fontSize: 12 }}>
                            {formatTime(s.at, i18n.resolvedLanguage)} · {s.label} · {s.actor}
                            {s.note ? `：${s.note}` : ""}
                          </Typography.Text>
                        ),
                      }))}
                    />
                  ) : null}
                </Card>
              </List.Item>
            );
          }}
        />
      </Spin>
    </div>
  );
}

function Pool(props: { meeting: MeetingDetail; onChanged: (m: MeetingDetail) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const res = useApi(`meeting-pool:${props.meeting.area.id}`, (signal) =>
    loadPool(props.meeting.area.id, signal),
  );
  return (
    <div data-testid="agenda-pool">
      <Typography.Paragraph type="secondary">{t("meetings.agenda.poolHint")}</Typography.Paragraph>
      {res.error ? <ErrorAlert error={res.error} onRetry={res.reload} /> : null}
      {error ? <ErrorAlert error={error} /> : null}
      <List
        loading={res.loading}
        dataSource={res.data?.items ?? []}
        locale={{ emptyText: <Empty description={t("meetings.agenda.poolEmpty")} /> }}
        renderItem={(g) => (
          <List.Item
            key={g.id}
            actions={[
              <Button
                key="add"
                icon={<PlusOutlined />}
                loading={busy === g.id}
                onClick={async () => {
                  setBusy(g.id);
                  setError(null);
                  try {
                    props.onChanged(
                      await addAgendaItem(props.meeting.id, { kind: g.kind, poolItemId: g.id }),
                    );
                    message.success(t("meetings.agenda.added"));
                    res.reload();
                  } catch (err) {
                    setError(err);
                  } finally {
                    setBusy(null);
                  }
                }}
                data-testid="pool-add"
              >
                {t("meetings.agenda.add")}
              </Button>,
            ]}
          >
            <List.Item.Meta
              title={
                <Space wrap size={4}>
                  <AgendaKindTag kind={g.kind} />
                  {g.title}
                </Space>
              }
              description={g.reason}
            />
          </List.Item>
        )}
      />
    </div>
  );
}

function OwnTopic(props: { meeting: MeetingDetail; onChanged: (m: MeetingDetail) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ title: string; reason?: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      props.onChanged(
        await addAgendaItem(props.meeting.id, {
          kind: "other",
          title: v.title.trim(),
          ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}),
        }),
      );
      message.success(t("meetings.agenda.added"));
      form.resetFields();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} layout="vertical" data-testid="agenda-own">
      <Form.Item
        name="title"
        label={t("meetings.agenda.ownTitle")}
        rules={[
          { required: true, whitespace: true, message: t("meetings.agenda.ownTitleRequired") },
          { min: 2, message: t("meetings.agenda.ownTitleRequired") },
          { max: 200 },
        ]}
      >
        <Input placeholder={t("meetings.agenda.ownTitlePlaceholder")} />
      </Form.Item>
      <Form.Item name="reason" label={t("meetings.agenda.ownReason")}>
        <Input.TextArea rows={3} maxLength={1000} showCount />
      </Form.Item>
      {error ? <ErrorAlert error={error} /> : null}
      <Button type="primary" loading={busy} onClick={submit} data-testid="agenda-own-add">
        {t("meetings.agenda.add")}
      </Button>
    </Form>
  );
}
