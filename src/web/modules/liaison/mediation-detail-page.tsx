/**
 * One mediation request (/mediations/:id): the dispute, who asked whom, the
 * linked case, the outcome, and the timeline of every step. The buttons are
 * exactly the caller's allowed actions — 受理 / 婉拒 (with a reason) for the
 * association, 撤回申请 (confirmed) for the enterprise, then 记录调解 and
 * 结束调解 (with the outcome). Every step sends the version shown; a 409
 * (someone acted first) reloads the request and says so.
 */
import {
  ArrowLeftOutlined,
  CheckOutlined,
  CloseOutlined,
  FileDoneOutlined,
  FormOutlined,
  RollbackOutlined,
} from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  type ButtonProps,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Space,
  Timeline,
  Typography,
} from "antd";
import { type ReactNode, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import {
  MEDIATION_OUTCOMES,
  type MediationAction,
  type MediationDetail,
} from "../../../shared/schemas/liaison.js";
import { ApiError } from "../../api/client.js";
import { DetailLoadFailed } from "../../ui/detail-load-failed.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { PageLoading } from "../../ui/page-loading.js";
import { applyServerErrors } from "../../ui/server-errors.js";
import { useApi } from "../../ui/use-api.js";
import { formatTime } from "../cases/case-bits.js";
import { getMediation, type MediationStepBody, mediationStep } from "./liaison-api.js";
import { MediationStatusTag, OutcomeTag } from "./liaison-bits.js";

const ICONS: Record<MediationAction, ReactNode> = {
  accept: <CheckOutlined />,
  decline: <CloseOutlined />,
  withdraw: <RollbackOutlined />,
  record_session: <FormOutlined />,
  close: <FileDoneOutlined />,
};

export function MediationDetailPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { id = "" } = useParams();
  const res = useApi(`mediation:${id}`, (signal) => getMediation(id, signal));
  const [m, setM] = useState<MediationDetail | null>(null);
  useEffect(() => setM(res.data ?? null), [res.data]);
  const [action, setAction] = useState<MediationAction | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const back = (
    <Link to="/mediations">
      <Button type="link" icon={<ArrowLeftOutlined />} style={{ paddingInline: 0 }}>
        {t("liaison.mediation.detail.back")}
      </Button>
    </Link>
  );
  if (res.error && !m)
    return (
      <DetailLoadFailed
        testId="mediation-detail"
        back={back}
        error={res.error}
        notFoundText={t("liaison.mediation.detail.notFound")}
        onRetry={res.reload}
      />
    );
  if (!m) return <PageLoading />;

  const danger = (a: MediationAction) => a === "decline" || a === "withdraw";
  return (
    <div data-testid="mediation-detail" data-mediation-id={m.id} data-status={m.status}>
      <div>{back}</div>
      <Space wrap style={{ margin: "8px 0 4px" }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {m.subject}
        </Typography.Title>
        <MediationStatusTag status={m.status} />
        <OutcomeTag outcome={m.outcome} />
      </Space>
      <Typography.Paragraph type="secondary">
        {m.enterprise.name} → {m.association.name}
      </Typography.Paragraph>
      {notice ? (
        <Alert type="warning" showIcon closable title={notice} style={{ marginBottom: 12 }} />
      ) : null}
      {m.allowedActions.length ? (
        <Space wrap style={{ marginBottom: 16 }} data-testid="mediation-actions">
          {m.allowedActions.map((a, i) => (
            <Button
              key={a}
              type={i === 0 && !danger(a) ? "primary" : "default"}
              danger={danger(a)}
              icon={ICONS[a]}
              onClick={() => setAction(a)}
              data-testid={`mediation-action-${a}`}
            >
              {t(`liaison.mediation.actions.${a}`)}
            </Button>
          ))}
        </Space>
      ) : null}
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, md: 2 }}
        style={{ marginBottom: 16 }}
        items={[
          {
            key: "e",
            label: t("liaison.mediation.detail.enterprise"),
            children: m.enterprise.name,
          },
          {
            key: "a",
            label: t("liaison.mediation.detail.association"),
            children: m.association.name,
          },
          {
            key: "p",
            label: t("liaison.mediation.detail.people"),
            children: t("liaison.mediation.people", { count: m.peopleInvolved }),
          },
          {
            key: "prov",
            label: t("liaison.mediation.detail.provinces"),
            children: m.workerProvinces.join("、") || "—",
          },
          {
            key: "case",
            label: t("liaison.mediation.detail.case"),
            children: m.case ? <Link to={`/cases/${m.case.id}`}>{m.case.code}</Link> : "—",
          },
          {
            key: "by",
            label: t("liaison.mediation.detail.createdBy"),
            children: `${m.createdBy} · ${formatTime(m.createdAt, i18n.resolvedLanguage)}`,
          },
          ...(m.declineReason
            ? [
                {
                  key: "decline",
                  label: t("liaison.mediation.detail.declineReason"),
                  span: 2,
                  children: m.declineReason,
                },
              ]
            : []),
          ...(m.outcome
            ? [
                {
                  key: "outcome",
                  label: t("liaison.mediation.detail.outcome"),
                  span: 2,
                  children: (
                    <span data-testid="mediation-outcome">
                      <OutcomeTag outcome={m.outcome} />
                      {m.outcomeNote ?? ""}
                    </span>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Card
        size="small"
        title={t("liaison.mediation.detail.description")}
        style={{ marginBottom: 16 }}
      >
        <Typography.Paragraph style={{ whiteSpace: "pre-wrap", marginBottom: 0 }}>
          {m.description}
        </Typography.Paragraph>
      </Card>
      <Card
        size="small"
        title={t("liaison.mediation.detail.timeline")}
        data-testid="mediation-timeline"
      >
        <Timeline
          items={m.timeline.map((e) => ({
            key: e.id,
            color:
              e.action === "decline" || e.action === "withdraw"
                ? "gray"
                : e.action === "close"
                  ? "green"
                  : "blue",
            content: (
              <div data-testid="mediation-timeline-entry" data-action={e.action}>
                <Space wrap size={6}>
                  <Typography.Text strong>
                    {t(`liaison.mediation.actions.${e.action}`, { defaultValue: e.action })}
                  </Typography.Text>
                  {e.toStatus && e.toStatus !== e.fromStatus ? (
                    <MediationStatusTag status={e.toStatus} />
                  ) : null}
                </Space>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {e.actor} · {formatTime(e.createdAt, i18n.resolvedLanguage)}
                    {e.action === "record_session" && typeof e.details.place === "string"
                      ? ` · ${e.details.place}`
                      : ""}
                  </Typography.Text>
                </div>
                {e.note ? (
                  <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: "pre-wrap" }}>
                    {e.note}
                  </Typography.Paragraph>
                ) : null}
              </div>
            ),
          }))}
        />
      </Card>
      <StepModal
        m={m}
        action={action}
        onClose={() => setAction(null)}
        onDone={(updated, a) => {
          setAction(null);
          setNotice(null);
          setM(updated);
          message.success(
            t("liaison.mediation.step.done", { action: t(`liaison.mediation.actions.${a}`) }),
          );
        }}
        onStale={() => {
          setAction(null);
          setNotice(t("liaison.mediation.step.stale"));
          res.reload();
        }}
      />
    </div>
  );
}

interface StepValues {
  note?: string;
  reason?: string;
  outcome?: "success" | "partial" | "failed";
  place?: string;
  attendees?: number;
  heldAt?: string;
}

function StepModal(props: {
  m: MediationDetail;
  action: MediationAction | null;
  onClose: () => void;
  onDone: (m: MediationDetail, action: MediationAction) => void;
  onStale: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<StepValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const a = props.action;
  const submit = async () => {
    if (!a) return;
    let v: StepValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const body: MediationStepBody = {
        version: props.m.version,
        note: v.note?.trim() || undefined,
        reason: v.reason?.trim() || undefined,
        outcome: v.outcome,
        place: v.place?.trim() || undefined,
        attendees: v.attendees ?? undefined,
        heldAt: v.heldAt ? new Date(v.heldAt).toISOString() : undefined,
      };
      const updated = await mediationStep(props.m.id, a, body);
      form.resetFields();
      props.onDone(updated, a);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        form.resetFields();
        props.onStale();
      } else
        setError(
          applyServerErrors(form, err, (p) => {
            const name = p.replace(/^body\./, "");
            return ["note", "reason", "outcome", "place", "attendees", "heldAt"].includes(name)
              ? [name]
              : null;
          }),
        );
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={a !== null}
      title={a ? t(`liaison.mediation.actions.${a}`) : ""}
      onCancel={() => {
        setError(null);
        props.onClose();
      }}
      onOk={submit}
      okText={a ? t(`liaison.mediation.actions.${a}`) : ""}
      okButtonProps={
        {
          danger: a === "decline" || a === "withdraw",
          loading: saving,
          "data-testid": "mediation-step-submit",
        } as ButtonProps
      }
      cancelText={t("common.cancel")}
      destroyOnHidden
      data-testid="mediation-step-modal"
    >
      <Form<StepValues> form={form} layout="vertical" preserve={false}>
        {a === "withdraw" ? (
          <Typography.Paragraph>{t("liaison.mediation.step.withdrawConfirm")}</Typography.Paragraph>
        ) : null}
        {a === "accept" ? (
          <Typography.Paragraph type="secondary">
            {props.m.case
              ? t("liaison.mediation.step.acceptWithCase", { code: props.m.case.code })
              : t("liaison.mediation.step.acceptHint")}
          </Typography.Paragraph>
        ) : null}
        {a === "decline" ? (
          <Form.Item
            name="reason"
            label={t("liaison.mediation.step.reason")}
            rules={[
              {
                required: true,
                whitespace: true,
                message: t("liaison.mediation.step.reasonRequired"),
              },
            ]}
          >
            <Input.TextArea rows={3} maxLength={1000} data-testid="mediation-step-reason" />
          </Form.Item>
        ) : null}
        {a === "close" ? (
          <Form.Item
            name="outcome"
            label={t("liaison.mediation.step.outcome")}
            rules={[{ required: true, message: t("liaison.mediation.step.outcomeRequired") }]}
          >
            <Radio.Group
              optionType="button"
              options={MEDIATION_OUTCOMES.map((o) => ({
                value: o,
                label: t(`liaison.mediation.outcomes.${o}`),
              }))}
              data-testid="mediation-step-outcome"
            />
          </Form.Item>
        ) : null}
        {a === "record_session" ? (
          <Space wrap align="start">
            <Form.Item name="heldAt" label={t("liaison.mediation.step.heldAt")}>
              <Input type="datetime-local" style={{ width: 220 }} />
            </Form.Item>
            <Form.Item name="place" label={t("liaison.mediation.step.place")}>
              <Input maxLength={100} style={{ width: 180 }} />
            </Form.Item>
            <Form.Item name="attendees" label={t("liaison.mediation.step.attendees")}>
              <InputNumber min={1} max={100000} precision={0} style={{ width: 120 }} />
            </Form.Item>
          </Space>
        ) : null}
        {a && a !== "decline" ? (
          <Form.Item
            name="note"
            label={
              a === "record_session"
                ? t("liaison.mediation.step.sessionNote")
                : a === "close"
                  ? t("liaison.mediation.step.outcomeNote")
                  : t("liaison.mediation.step.note")
            }
            rules={
              a === "record_session"
                ? [
                    {
                      required: true,
                      whitespace: true,
                      message: t("liaison.mediation.step.sessionNoteRequired"),
                    },
                  ]
                : []
            }
          >
            <Input.TextArea rows={3} maxLength={4000} data-testid="mediation-step-note" />
          </Form.Item>
        ) : null}
      </Form>
      {error ? <ErrorAlert error={error} /> : null}
    </Modal>
  );
}
