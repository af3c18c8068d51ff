/**
 * /broadcasts/:id. Its issuers see the broadcast with how it went — targeted,
 * delivered in the app, SMS sent, failed, read, not reachable; progress
 * while the job sends (the page looks again every few seconds) — its text,
 * audience and history; a draft can be edited, deleted or sent (confirmed
 * with the live count). A recipient sees the message itself, on a phone as
 * well as at a desk; opening it marks it read.
 */
import { ArrowLeftOutlined, DeleteOutlined, EditOutlined, SendOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  type ButtonProps,
  Card,
  Col,
  Descriptions,
  Popconfirm,
  Progress,
  Row,
  Space,
  Spin,
  Statistic,
  Tag,
  Timeline,
  Typography,
} from "antd";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router-dom";
import type { BroadcastDetail, ReceivedBroadcast } from "../../../shared/schemas/broadcasts.js";
import { useAuth } from "../../auth/auth-context.js";
import { DetailLoadFailed } from "../../ui/detail-load-failed.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { PageLoading } from "../../ui/page-loading.js";
import { useApi } from "../../ui/use-api.js";
import { formatTime } from "../cases/case-bits.js";
import { audienceOf, BroadcastComposeDrawer } from "./broadcast-compose-drawer.js";
import { issuesBroadcasts } from "./broadcasts-access.js";
import {
  deleteBroadcast,
  getBroadcast,
  previewAudience,
  readBroadcast,
  sendBroadcast,
} from "./broadcasts-api.js";
import { BroadcastStatusTag, CategoryTag, ReachCounts } from "./broadcasts-bits.js";

/** While the job sends, look again this often. */
const SENDING_POLL_MS = 3000;

export function BroadcastDetailPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const [tick, setTick] = useState(0);
  const view = useApi(`broadcast:${id}:${tick}`, (signal) => getBroadcast(id, signal));
  const sending = view.data?.view === "issuer" && view.data.broadcast.status === "sending";
  useEffect(() => {
    // The next look once this one has answered.
    if (!sending || view.loading) return;
    const timer = setTimeout(() => setTick((n) => n + 1), SENDING_POLL_MS);
    return () => clearTimeout(timer);
  }, [sending, view.loading]);
  if (view.error && !view.data)
    return (
      <DetailLoadFailed
        testId="broadcast-load-failed"
        back={<Back />}
        error={view.error}
        notFoundText={t("broadcasts.detail.notFound")}
        onRetry={view.reload}
      />
    );
  if (!view.data) return <PageLoading />;
  return view.data.view === "issuer" ? (
    <IssuerView b={view.data.broadcast} reload={() => setTick((n) => n + 1)} />
  ) : (
    <RecipientView b={view.data.broadcast} />
  );
}

function Back() {
  const { t } = useTranslation();
  const { me } = useAuth();
  return (
    <Link to="/broadcasts">
      <ArrowLeftOutlined />{" "}
      {issuesBroadcasts(me) ? t("broadcasts.detail.back") : t("broadcasts.mine.back")}
    </Link>
  );
}

function IssuerView(props: { b: BroadcastDetail; reload: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const b = props.b;
  const lang = i18n.resolvedLanguage;
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState<"send" | "delete" | null>(null);
  const [error, setError] = useState<unknown>(null);
  const draft = b.status === "draft";
  const audience = audienceOf({
    kind: b.audience.kind,
    ...(b.audience.areaCode ? { areaCode: b.audience.areaCode } : {}),
    enterpriseIds: b.audience.enterprises.map((e) => e.id),
    volunteerScope: b.audience.teamId ? "team" : "area",
    ...(b.audience.teamId ? { teamId: b.audience.teamId } : {}),
  });
  const reach = useApi(draft ? `broadcast-reach:${b.id}:${b.version}` : null, (signal) =>
    previewAudience(audience, b.sms, signal),
  );
  const c = b.counts;

  const send = async () => {
    setBusy("send");
    setError(null);
    try {
      await sendBroadcast(b.id, b.version);
      message.success(t("broadcasts.detail.sent"));
      props.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  const remove = async () => {
    setBusy("delete");
    setError(null);
    try {
      await deleteBroadcast(b.id);
      message.success(t("broadcasts.detail.deleted"));
      navigate("/broadcasts");
    } catch (err) {
      setError(err);
      setBusy(null);
    }
  };

  const stat = (key: keyof typeof c, color?: string) => (
    <Col xs={12} sm={8} md={4} key={key}>
      <Card size="small" data-testid={`broadcast-count-${key}`} data-value={c[key]}>
        <Statistic
          title={t(`broadcasts.detail.counts.${key}`)}
          value={c[key]}
          styles={color ? { content: { color } } : undefined}
        />
      </Card>
    </Col>
  );

  return (
    <div data-testid="broadcast-detail-page" data-status={b.status}>
      <Back />
      <Space style={{ width: "100%", justifyContent: "space-between", margin: "8px 0" }} wrap>
        <Space wrap align="center">
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="broadcast-title-text">
            {b.title}
          </Typography.Title>
          <CategoryTag category={b.category} />
          <BroadcastStatusTag status={b.status} />
        </Space>
        {draft ? (
          <Space wrap>
            <Button
              icon={<EditOutlined />}
              onClick={() => setEditing(true)}
              data-testid="broadcast-edit"
            >
              {t("broadcasts.detail.edit")}
            </Button>
            <Popconfirm
              title={t("broadcasts.detail.deleteConfirm")}
              onConfirm={remove}
              okText={t("broadcasts.detail.delete")}
              cancelText={t("common.cancel")}
              okButtonProps={
                { danger: true, "data-testid": "broadcast-delete-confirm" } as ButtonProps
              }
            >
              <Button
                danger
                icon={<DeleteOutlined />}
                loading={busy === "delete"}
                data-testid="broadcast-delete"
              >
                {t("broadcasts.detail.delete")}
              </Button>
            </Popconfirm>
            <Popconfirm
              title={t("broadcasts.detail.sendConfirm", { count: reach.data?.targeted ?? 0 })}
              onConfirm={send}
              okText={t("broadcasts.detail.send")}
              cancelText={t("common.cancel")}
              okButtonProps={{ "data-testid": "broadcast-send-confirm" } as ButtonProps}
              disabled={!reach.data || reach.data.targeted === 0}
            >
              <Button
                type="primary"
                icon={<SendOutlined />}
                loading={busy === "send"}
                disabled={!reach.data || reach.data.targeted === 0}
                data-testid="broadcast-send"
              >
                {t("broadcasts.detail.send")}
              </Button>
            </Popconfirm>
          </Space>
        ) : null}
      </Space>
      {error ? (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert error={error} />
        </div>
      ) : null}

      {draft ? (
        <Card size="small" style={{ marginBottom: 12 }} data-testid="broadcast-draft-reach">
          <Alert
            type="info"
            showIcon
            title={t("broadcasts.detail.draftHint")}
            style={{ marginBottom: 8 }}
          />
          {reach.error ? (
            <ErrorAlert error={reach.error} onRetry={reach.reload} />
          ) : reach.data ? (
            <ReachCounts counts={reach.data} />
          ) : (
            <Spin size="small" />
          )}
        </Card>
      ) : (
        <>
          <Row gutter={[12, 12]} style={{ marginBottom: 12 }} data-testid="broadcast-counts">
            {stat("targeted")}
            {stat("inApp", "#1668dc")}
            {stat("smsSent", "#1668dc")}
            {stat("failed", c.failed ? "#cf1322" : undefined)}
            {stat("read", "#389e0d")}
            {stat("unreachable")}
          </Row>
          <Card size="small" style={{ marginBottom: 12 }}>
            <Space orientation="vertical" style={{ width: "100%" }}>
              <Typography.Text>{t("broadcasts.detail.progress")}</Typography.Text>
              <Progress
                percent={
                  c.targeted
                    ? Math.round((c.delivered / c.targeted) * 100)
                    : b.status === "sent"
                      ? 100
                      : 0
                }
                status={b.status === "sending" ? "active" : "success"}
                data-testid="broadcast-progress"
              />
              {b.status === "sending" ? (
                <Typography.Text type="secondary">
                  {t("broadcasts.detail.sendingHint")}
                </Typography.Text>
              ) : null}
              {c.inApp > 0 ? (
                <>
                  <Typography.Text>{t("broadcasts.detail.readRate")}</Typography.Text>
                  <Progress percent={Math.round((c.read / c.inApp) * 100)} strokeColor="#389e0d" />
                </>
              ) : null}
            </Space>
          </Card>
        </>
      )}

      <Row gutter={[12, 12]}>
        <Col xs={24} lg={14}>
          <Card size="small" title={t("broadcasts.detail.body")}>
            <Typography.Paragraph
              style={{ whiteSpace: "pre-wrap", margin: 0 }}
              data-testid="broadcast-body-text"
            >
              {b.body}
            </Typography.Paragraph>
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small">
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t("broadcasts.detail.issuer")}>
                {b.issuer}
              </Descriptions.Item>
              <Descriptions.Item label={t("broadcasts.detail.audience")}>
                <Space orientation="vertical" size={0}>
                  <span data-testid="broadcast-audience">{b.audienceLabel}</span>
                  {b.audience.enterprises.length > 2 ? (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {b.audience.enterprises.map((e) => e.name).join("、")}
                    </Typography.Text>
                  ) : null}
                </Space>
              </Descriptions.Item>
              <Descriptions.Item label={t("broadcasts.detail.channels")}>
                {b.sms ? t("broadcasts.detail.smsOn") : t("broadcasts.detail.smsOff")}
              </Descriptions.Item>
              <Descriptions.Item label={t("broadcasts.detail.createdBy")}>
                {b.createdBy}
              </Descriptions.Item>
              {b.sentBy ? (
                <Descriptions.Item label={t("broadcasts.detail.sentBy")}>
                  {b.sentBy} · {formatTime(b.sentAt, lang)}
                </Descriptions.Item>
              ) : null}
              {b.completedAt ? (
                <Descriptions.Item label={t("broadcasts.detail.completedAt")}>
                  {formatTime(b.completedAt, lang)}
                </Descriptions.Item>
              ) : null}
            </Descriptions>
          </Card>
          <Card size="small" title={t("broadcasts.detail.log")} style={{ marginTop: 12 }}>
            <Timeline
              items={b.log.map((l) => ({
                key: l.id,
                content: (
                  <span>
                    {t(
                      `broadcasts.detail.actions.${l.action}` as "broadcasts.detail.actions.create",
                      {
                        defaultValue: l.action,
                      },
                    )}{" "}
                    · {l.actor} · {formatTime(l.createdAt, lang)}
                  </span>
                ),
              }))}
            />
          </Card>
        </Col>
      </Row>
      {draft ? (
        <BroadcastComposeDrawer
          open={editing}
          broadcast={b}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            props.reload();
          }}
        />
      ) : null}
    </div>
  );
}

function RecipientView(props: { b: ReceivedBroadcast }) {
  const { t, i18n } = useTranslation();
  const [readAt, setReadAt] = useState(props.b.readAt);
  const asked = useRef(false);
  useEffect(() => {
    if (readAt || asked.current) return;
    asked.current = true;
    readBroadcast(props.b.id).then(
      (r) => setReadAt(r.readAt),
      () => {
        // Not marked this time: it will be the next time it is opened.
        asked.current = false;
      },
    );
  }, [props.b.id, readAt]);
  const b = props.b;
  return (
    <div data-testid="received-broadcast-page" style={{ maxWidth: 720 }}>
      <Back />
      <Card style={{ marginTop: 8 }}>
        <Space orientation="vertical" size={8} style={{ width: "100%" }}>
          <Space wrap>
            <CategoryTag category={b.category} />
            {readAt ? (
              <Tag color="default" data-testid="received-broadcast-read">
                {t("broadcasts.mine.readAt", { at: formatTime(readAt, i18n.resolvedLanguage) })}
              </Tag>
            ) : null}
          </Space>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="received-broadcast-title">
            {b.title}
          </Typography.Title>
          <Typography.Text type="secondary">
            {t("broadcasts.mine.from", {
              issuer: b.issuer,
              at: formatTime(b.sentAt, i18n.resolvedLanguage),
            })}
          </Typography.Text>
          <Typography.Paragraph
            style={{ whiteSpace: "pre-wrap", fontSize: 16, lineHeight: 1.8, margin: 0 }}
            data-testid="received-broadcast-body"
          >
            {b.body}
          </Typography.Paragraph>
        </Space>
      </Card>
    </div>
  );
}
