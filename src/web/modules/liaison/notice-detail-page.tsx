/**
 * One notice (/notices/:id). Government staff see how it is being received
 * (recipients, read, confirmed, overdue), who it went to (filter by read
 * state, search, export), what happened to it, and act on it: edit, delete
 * (confirmed) or send a draft; remind the unread (once a day); withdraw with
 * a reason. A recipient enterprise's officer reads it — opening marks it read
 * — and confirms receipt where asked; the page reads well on a phone.
 */
import {
  ArrowLeftOutlined,
  BellOutlined,
  CheckCircleOutlined,
  DeleteOutlined,
  EditOutlined,
  RollbackOutlined,
  SendOutlined,
} from "@ant-design/icons";
import type { TableColumnsType } from "antd";
import {
  Alert,
  App,
  Button,
  type ButtonProps,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  Modal,
  Popconfirm,
  Row,
  Segmented,
  Space,
  Statistic,
  Table,
  Tag,
  Timeline,
  Typography,
} from "antd";
import type { TFunction } from "i18next";
import { type HTMLAttributes, type ReactNode, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router-dom";
import type { NoticeDetail, NoticeRecipient } from "../../../shared/schemas/liaison.js";
import { ApiError, buildUrl } from "../../api/client.js";
import { DetailLoadFailed } from "../../ui/detail-load-failed.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { ExportButton, SearchInput } from "../../ui/list-page.js";
import { PageLoading } from "../../ui/page-loading.js";
import { useApi } from "../../ui/use-api.js";
import { formatTime } from "../cases/case-bits.js";
import {
  acknowledgeNotice,
  deleteNotice,
  getNotice,
  listRecipients,
  type RecipientState,
  readNotice,
  recipientsExportUrl,
  remindNotice,
  sendNotice,
  withdrawNotice,
} from "./liaison-api.js";
import { formatDay, ImportanceTag, NoticeStatusTag, ReceiptTags } from "./liaison-bits.js";
import { NoticeComposeDrawer } from "./notice-compose-drawer.js";

export function NoticeDetailPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const res = useApi(`notice:${id}`, (signal) => getNotice(id, signal));
  const [shown, setShown] = useState<NoticeDetail | null>(null);
  useEffect(() => setShown(res.data ?? null), [res.data]);
  const back = (
    <Link to="/notices">
      <Button type="link" icon={<ArrowLeftOutlined />} style={{ paddingInline: 0 }}>
        {t("liaison.detail.back")}
      </Button>
    </Link>
  );
  if (res.error && !shown)
    return (
      <DetailLoadFailed
        testId="notice-detail"
        back={back}
        error={res.error}
        notFoundText={t("liaison.detail.notFound")}
        onRetry={res.reload}
      />
    );
  if (!shown) return <PageLoading />;
  return shown.audience ? (
    <GovernmentNotice n={shown} back={back} onChanged={setShown} reload={res.reload} />
  ) : (
    <RecipientNotice n={shown} back={back} onChanged={setShown} />
  );
}

function NoticeHeader(props: { n: NoticeDetail }) {
  const { t, i18n } = useTranslation();
  const n = props.n;
  return (
    <>
      <Space wrap style={{ margin: "8px 0 4px" }}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="notice-title-text">
          {n.title}
        </Typography.Title>
        <ImportanceTag importance={n.importance} hideNormal />
        {n.counts ? <NoticeStatusTag status={n.status} /> : <ReceiptTags n={n} />}
      </Space>
      <Typography.Paragraph type="secondary">
        {n.issuer}
        {n.sentAt ? ` · ${formatTime(n.sentAt, i18n.resolvedLanguage)}` : ""}
        {n.ackRequired
          ? ` · ${
              n.ackDueOn
                ? t("liaison.notices.ackBy", { date: formatDay(n.ackDueOn, i18n.resolvedLanguage) })
                : t("liaison.notices.ackRequired")
            }`
          : ""}
      </Typography.Paragraph>
      {n.status === "withdrawn" ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t("liaison.detail.withdrawnNote", {
            time: formatTime(n.withdrawnAt, i18n.resolvedLanguage),
            reason: n.withdrawReason ?? "",
          })}
          data-testid="notice-withdrawn"
        />
      ) : null}
    </>
  );
}

function BodyCard(props: { n: NoticeDetail }) {
  return (
    <Card size="small" style={{ marginBottom: 16 }}>
      <Typography.Paragraph
        style={{ whiteSpace: "pre-wrap", marginBottom: 0, fontSize: 15 }}
        data-testid="notice-body-text"
      >
        {props.n.body}
      </Typography.Paragraph>
    </Card>
  );
}

// ---------------------------------------------------------------- recipient

function RecipientNotice(props: {
  n: NoticeDetail;
  back: ReactNode;
  onChanged: (n: NoticeDetail) => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const n = props.n;
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const marking = useRef(false);
  const onChanged = useRef(props.onChanged);
  onChanged.current = props.onChanged;
  // Opening the notice is reading it.
  const needsRead = n.allowedActions.includes("read");
  useEffect(() => {
    if (!needsRead || marking.current) return;
    marking.current = true;
    readNotice(n.id).then(
      (updated) => onChanged.current(updated),
      (err: unknown) => setError(err),
    );
  }, [needsRead, n.id]);

  const acknowledge = async () => {
    setBusy(true);
    setError(null);
    try {
      props.onChanged(await acknowledgeNotice(n.id));
      message.success(t("liaison.detail.acknowledgedDone"));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const r = n.receipt;
  return (
    <div data-testid="notice-detail" data-view="recipient" data-notice-id={n.id}>
      <div>{props.back}</div>
      <NoticeHeader n={n} />
      {error ? <ErrorAlert error={error} /> : null}
      <BodyCard n={n} />
      <Card size="small">
        <Space orientation="vertical" style={{ width: "100%" }}>
          {r?.readAt ? (
            <Typography.Text type="secondary" data-testid="notice-read-at">
              {t("liaison.detail.readAt", {
                time: formatTime(r.readAt, i18n.resolvedLanguage),
                who: r.readBy ?? "",
              })}
            </Typography.Text>
          ) : null}
          {r?.acknowledgedAt ? (
            <Typography.Text type="success" data-testid="notice-acknowledged-at">
              <CheckCircleOutlined />{" "}
              {t("liaison.detail.acknowledgedAt", {
                time: formatTime(r.acknowledgedAt, i18n.resolvedLanguage),
                who: r.acknowledgedBy ?? "",
              })}
            </Typography.Text>
          ) : null}
          {n.allowedActions.includes("acknowledge") ? (
            <Button
              type="primary"
              size="large"
              block
              icon={<CheckCircleOutlined />}
              loading={busy}
              onClick={acknowledge}
              data-testid="notice-acknowledge"
            >
              {t("liaison.detail.acknowledge")}
            </Button>
          ) : null}
        </Space>
      </Card>
    </div>
  );
}

// --------------------------------------------------------------- government

function audienceText(n: NoticeDetail, t: TFunction): string {
  const a = n.audience;
  if (!a) return "—";
  if (a.mode === "all") return t("liaison.detail.audienceAll");
  if (a.mode === "list")
    return t("liaison.detail.audienceList", {
      count: a.enterpriseIds.length,
      names: a.enterpriseNames.slice(0, 10).join("、"),
    });
  const parts: string[] = [];
  if (a.industries.length)
    parts.push(`${t("liaison.compose.industries")}：${a.industries.join("、")}`);
  if (a.areaNames.length) parts.push(`${t("liaison.compose.areas")}：${a.areaNames.join("、")}`);
  if (a.ratings.length)
    parts.push(
      `${t("liaison.compose.ratings")}：${a.ratings.map((r) => t(`liaison.compose.ratingNames.${r}`)).join("、")}`,
    );
  if (a.warningLevels.length)
    parts.push(
      `${t("liaison.compose.warningLevels")}：${a.warningLevels.map((w) => t(`liaison.compose.warningNames.${w}`)).join("、")}`,
    );
  return parts.join("；");
}

const RECIPIENT_STATES = [
  "all",
  "read",
  "unread",
  "acknowledged",
  "unacknowledged",
  "overdue",
] as const;

function GovernmentNotice(props: {
  n: NoticeDetail;
  back: ReactNode;
  onChanged: (n: NoticeDetail) => void;
  reload: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const n = props.n;
  const c = n.counts ?? { recipients: 0, read: 0, acknowledged: 0, overdue: 0 };
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [withdrawing, setWithdrawing] = useState(false);
  const [reminding, setReminding] = useState(false);
  const [recipientsNonce, setRecipientsNonce] = useState(0);
  const can = (a: NoticeDetail["allowedActions"][number]) => n.allowedActions.includes(a);

  /** A 409 means someone else acted first: show the notice as it is now. */
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

  const send = () =>
    run("send", async () => {
      const sent = await sendNotice(n.id, n.version);
      props.onChanged(sent);
      setRecipientsNonce((x) => x + 1);
      message.success(t("liaison.compose.sent", { count: sent.counts?.recipients ?? 0 }));
    });
  const remove = () =>
    run("delete", async () => {
      await deleteNotice(n.id);
      message.success(t("liaison.detail.deleted"));
      navigate("/notices");
    });

  const actions = (
    <Space wrap>
      {can("edit") ? (
        <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="notice-edit">
          {t("liaison.detail.edit")}
        </Button>
      ) : null}
      {can("delete") ? (
        <Popconfirm
          title={t("liaison.detail.deleteConfirm")}
          onConfirm={remove}
          okText={t("liaison.detail.delete")}
          okButtonProps={{ danger: true, "data-testid": "notice-delete-confirm" } as ButtonProps}
          cancelText={t("common.cancel")}
        >
          <Button
            danger
            icon={<DeleteOutlined />}
            loading={busy === "delete"}
            data-testid="notice-delete"
          >
            {t("liaison.detail.delete")}
          </Button>
        </Popconfirm>
      ) : null}
      {can("send") ? (
        <Popconfirm
          title={t("liaison.detail.sendConfirm")}
          onConfirm={send}
          okText={t("liaison.detail.send")}
          okButtonProps={{ "data-testid": "notice-send-confirm" } as ButtonProps}
          cancelText={t("common.cancel")}
        >
          <Button
            type="primary"
            icon={<SendOutlined />}
            loading={busy === "send"}
            data-testid="notice-send"
          >
            {t("liaison.detail.send")}
          </Button>
        </Popconfirm>
      ) : null}
      {n.status === "sent" ? (
        <Button
          icon={<BellOutlined />}
          disabled={!can("remind")}
          onClick={() => setReminding(true)}
          data-testid="notice-remind"
        >
          {t("liaison.detail.remind")}
        </Button>
      ) : null}
      {can("withdraw") ? (
        <Button
          danger
          icon={<RollbackOutlined />}
          onClick={() => setWithdrawing(true)}
          data-testid="notice-withdraw"
        >
          {t("liaison.detail.withdraw")}
        </Button>
      ) : null}
    </Space>
  );

  return (
    <div
      data-testid="notice-detail"
      data-view="government"
      data-notice-id={n.id}
      data-status={n.status}
    >
      <div>{props.back}</div>
      <Space style={{ width: "100%", justifyContent: "space-between" }} align="start" wrap>
        <div>
          <NoticeHeader n={n} />
        </div>
        {actions}
      </Space>
      {n.status === "sent" && n.nextReminderAt ? (
        <Typography.Paragraph type="secondary" data-testid="notice-next-reminder">
          {t("liaison.detail.nextReminder", {
            time: formatTime(n.nextReminderAt, i18n.resolvedLanguage),
          })}
        </Typography.Paragraph>
      ) : null}
      {error ? (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert error={error} />
        </div>
      ) : null}
      {n.status !== "draft" ? (
        <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
          {(
            [
              ["recipients", c.recipients],
              ["read", c.read],
              ["acknowledged", n.ackRequired ? c.acknowledged : null],
              ["overdue", n.ackRequired ? c.overdue : null],
            ] as const
          ).map(([k, v]) =>
            v === null ? null : (
              <Col xs={12} sm={6} key={k}>
                <Card size="small">
                  <Statistic
                    title={t(`liaison.detail.counts.${k}`)}
                    value={v}
                    suffix={
                      k === "read" && c.recipients
                        ? `(${Math.round((c.read / c.recipients) * 100)}%)`
                        : undefined
                    }
                    styles={{
                      content: { color: k === "overdue" && v > 0 ? "#cf1322" : undefined },
                    }}
                    data-testid={`notice-count-${k}`}
                    data-value={v}
                  />
                </Card>
              </Col>
            ),
          )}
        </Row>
      ) : null}
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, md: 2 }}
        style={{ marginBottom: 16 }}
        items={[
          { key: "issuer", label: t("liaison.detail.issuer"), children: n.issuer },
          { key: "createdBy", label: t("liaison.detail.createdBy"), children: n.createdBy },
          {
            key: "sent",
            label: t("liaison.detail.sentAt"),
            children: n.sentAt
              ? `${formatTime(n.sentAt, i18n.resolvedLanguage)}（${n.sentBy ?? ""}）`
              : "—",
          },
          {
            key: "ack",
            label: t("liaison.detail.ackDueOn"),
            children: n.ackRequired
              ? n.ackDueOn
                ? formatDay(n.ackDueOn, i18n.resolvedLanguage)
                : t("liaison.notices.ackRequired")
              : "—",
          },
          {
            key: "audience",
            label: t("liaison.detail.audience"),
            span: 2,
            children: <span data-testid="notice-audience">{audienceText(n, t)}</span>,
          },
        ]}
      />
      <BodyCard n={n} />
      {n.status !== "draft" ? <RecipientsCard n={n} nonce={recipientsNonce} /> : null}
      <Card size="small" title={t("liaison.detail.log")} style={{ marginTop: 16 }}>
        <Timeline
          items={n.log.map((l) => ({
            key: l.id,
            content: (
              <div data-testid="notice-log-entry" data-action={l.action}>
                <Typography.Text strong>
                  {t(`liaison.detail.logActions.${l.action}`, { defaultValue: l.action })}
                </Typography.Text>
                {l.action === "send" && typeof l.details.recipients === "number" ? (
                  <Tag style={{ marginLeft: 8 }}>
                    {t("liaison.detail.logRecipients", { count: l.details.recipients })}
                  </Tag>
                ) : null}
                {l.action === "remind" && typeof l.details.enterprises === "number" ? (
                  <Tag style={{ marginLeft: 8 }}>
                    {t("liaison.detail.logReminded", { count: l.details.enterprises })}
                  </Tag>
                ) : null}
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {l.actor} · {formatTime(l.createdAt, i18n.resolvedLanguage)}
                  </Typography.Text>
                </div>
                {l.note ? (
                  <Typography.Paragraph style={{ marginBottom: 0 }}>{l.note}</Typography.Paragraph>
                ) : null}
              </div>
            ),
          }))}
        />
      </Card>
      <NoticeComposeDrawer
        open={editing}
        notice={n}
        onClose={() => setEditing(false)}
        onSaved={(saved) => {
          setEditing(false);
          props.onChanged(saved);
          setRecipientsNonce((x) => x + 1);
        }}
      />
      <WithdrawModal
        n={n}
        open={withdrawing}
        onClose={() => setWithdrawing(false)}
        onDone={(updated) => {
          setWithdrawing(false);
          props.onChanged(updated);
          message.success(t("liaison.detail.withdrawnDone"));
        }}
        onStale={props.reload}
      />
      <RemindModal
        n={n}
        open={reminding}
        onClose={() => setReminding(false)}
        onDone={(count) => {
          setReminding(false);
          message.success(t("liaison.detail.reminded", { count }));
          props.reload();
          setRecipientsNonce((x) => x + 1);
        }}
      />
    </div>
  );
}

function RecipientsCard(props: { n: NoticeDetail; nonce: number }) {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState<(typeof RECIPIENT_STATES)[number]>("all");
  const [q, setQ] = useState("");
  const [page, setPage] = useState(1);
  const pageSize = 20;
  const filter = {
    state: state === "all" ? undefined : (state as RecipientState),
    q: q || undefined,
  };
  const request = { ...filter, limit: pageSize, offset: (page - 1) * pageSize };
  const list = useApi(
    `notice-recipients:${props.n.id}:${props.n.version}:${props.nonce}:${JSON.stringify(request)}`,
    (signal) => listRecipients(props.n.id, request, signal),
  );
  const states = RECIPIENT_STATES.filter(
    (s) => props.n.ackRequired || !["acknowledged", "unacknowledged", "overdue"].includes(s),
  );
  const columns: TableColumnsType<NoticeRecipient> = [
    {
      key: "name",
      title: t("liaison.detail.colEnterprise"),
      width: 260,
      render: (_v, r) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/enterprises/${r.organisationId}`}>{r.name}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {[r.industry, r.safetyOfficer].filter(Boolean).join(" · ")}
          </Typography.Text>
        </Space>
      ),
    },
    { key: "grid", title: t("liaison.detail.colGrid"), width: 180, render: (_v, r) => r.grid.name },
    {
      key: "read",
      title: t("liaison.detail.colRead"),
      width: 180,
      render: (_v, r) =>
        r.readAt ? (
          <Space orientation="vertical" size={0} data-testid="recipient-read" data-read="true">
            <Tag>{t("liaison.notices.read")}</Tag>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatTime(r.readAt, i18n.resolvedLanguage)} {r.readBy ?? ""}
            </Typography.Text>
          </Space>
        ) : (
          <Tag color="blue" data-testid="recipient-read" data-read="false">
            {t("liaison.notices.unread")}
          </Tag>
        ),
    },
    ...(props.n.ackRequired
      ? [
          {
            key: "ack",
            title: t("liaison.detail.colAck"),
            width: 170,
            render: (_v: unknown, r: NoticeRecipient) =>
              r.acknowledgedAt ? (
                <Space orientation="vertical" size={0}>
                  <Tag color="green">{t("liaison.notices.acknowledged")}</Tag>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatTime(r.acknowledgedAt, i18n.resolvedLanguage)}
                  </Typography.Text>
                </Space>
              ) : r.overdue ? (
                <Tag color="red">{t("liaison.notices.overdue")}</Tag>
              ) : (
                <Tag color="orange">{t("liaison.notices.toAcknowledge")}</Tag>
              ),
          },
        ]
      : []),
    {
      key: "reminded",
      title: t("liaison.detail.colReminded"),
      width: 140,
      render: (_v, r) => formatTime(r.lastRemindedAt, i18n.resolvedLanguage),
    },
  ];
  return (
    <Card
      size="small"
      title={t("liaison.detail.recipients")}
      data-testid="notice-recipients"
      extra={
        <ExportButton
          href={buildUrl(recipientsExportUrl(props.n.id), filter)}
          label={t("liaison.detail.exportRecipients")}
          testId="notice-recipients-export"
        />
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented
          value={state}
          onChange={(v) => {
            setState(v as (typeof RECIPIENT_STATES)[number]);
            setPage(1);
          }}
          options={states.map((s) => ({
            value: s,
            label: t(`liaison.detail.recipientStates.${s}`),
          }))}
          data-testid="notice-recipient-state"
        />
        <SearchInput
          value={q}
          onSearch={(v) => {
            setQ(v);
            setPage(1);
          }}
          placeholder={t("liaison.detail.recipientSearch")}
          width={220}
        />
      </Space>
      {list.error ? <ErrorAlert error={list.error} onRetry={list.reload} /> : null}
      <Table<NoticeRecipient>
        rowKey="organisationId"
        size="small"
        loading={list.loading}
        columns={columns}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 800 }}
        data-testid="notice-recipients-table"
        onRow={(r) =>
          ({
            "data-testid": "notice-recipient-row",
            "data-organisation-id": r.organisationId,
          }) as HTMLAttributes<HTMLElement>
        }
        pagination={{
          current: page,
          pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          onChange: setPage,
          showTotal: (total) => (
            <span data-testid="notice-recipients-total">{t("common.total", { count: total })}</span>
          ),
        }}
      />
    </Card>
  );
}

function WithdrawModal(props: {
  n: NoticeDetail;
  open: boolean;
  onClose: () => void;
  onDone: (n: NoticeDetail) => void;
  onStale: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    const v = await form.validateFields();
    setSaving(true);
    setError(null);
    try {
      props.onDone(await withdrawNotice(props.n.id, props.n.version, v.reason));
      form.resetFields();
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.status === 409) props.onStale();
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={props.open}
      title={t("liaison.detail.withdrawTitle")}
      onCancel={props.onClose}
      onOk={submit}
      okText={t("liaison.detail.withdraw")}
      okButtonProps={
        { danger: true, loading: saving, "data-testid": "notice-withdraw-submit" } as ButtonProps
      }
      cancelText={t("common.cancel")}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {t("liaison.detail.withdrawHint")}
      </Typography.Paragraph>
      <Form form={form} layout="vertical">
        <Form.Item
          name="reason"
          label={t("liaison.detail.withdrawReason")}
          rules={[
            {
              required: true,
              whitespace: true,
              min: 2,
              message: t("liaison.detail.withdrawReasonRequired"),
            },
          ]}
        >
          <Input.TextArea rows={3} maxLength={500} data-testid="notice-withdraw-reason" />
        </Form.Item>
      </Form>
      {error ? <ErrorAlert error={error} /> : null}
    </Modal>
  );
}

function RemindModal(props: {
  n: NoticeDetail;
  open: boolean;
  onClose: () => void;
  onDone: (count: number) => void;
}) {
  const { t } = useTranslation();
  const [note, setNote] = useState("");
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const unread = (props.n.counts?.recipients ?? 0) - (props.n.counts?.read ?? 0);
  const submit = async () => {
    setSaving(true);
    setError(null);
    try {
      const r = await remindNotice(props.n.id, note.trim() || undefined);
      setNote("");
      props.onDone(r.enterprises);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={props.open}
      title={t("liaison.detail.remindTitle")}
      onCancel={props.onClose}
      onOk={submit}
      okText={t("liaison.detail.remindSend")}
      okButtonProps={{ loading: saving, "data-testid": "notice-remind-submit" } as ButtonProps}
      cancelText={t("common.cancel")}
      destroyOnHidden
    >
      <Typography.Paragraph>
        {t("liaison.detail.remindHint", { count: unread })}
      </Typography.Paragraph>
      <Input.TextArea
        rows={2}
        maxLength={200}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        placeholder={t("liaison.detail.remindNote")}
        data-testid="notice-remind-note"
      />
      {error ? (
        <div style={{ marginTop: 12 }}>
          <ErrorAlert error={error} />
        </div>
      ) : null}
    </Modal>
  );
}
