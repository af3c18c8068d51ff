/**
 * 隐患详情 (/hazards/:id): what was found, the rectification plan and its
 * evidence, supervision, the timeline, and the buttons for the actions the
 * server says this user may take now (plan, complete, verify, supervise).
 * A major hazard no department supervises yet says so (待挂牌: it cannot be
 * accepted until one does), and a hazard sent back shows why at the top.
 */
import { ArrowLeftOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Radio,
  Space,
  Timeline,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router-dom";
import type {
  EnterpriseFile,
  HazardAction,
  HazardDetail,
} from "../../../shared/schemas/inspections.js";
import { useAuth } from "../../auth/auth-context.js";
import { DetailLoadFailed } from "../../ui/detail-load-failed.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { PageLoading } from "../../ui/page-loading.js";
import { useApi } from "../../ui/use-api.js";
import {
  EvidenceUpload,
  HazardLevelTag,
  HazardStatusTag,
  OverdueTag,
  PhotoList,
  SourceTag,
} from "./inspection-bits.js";
import { canSeeHazards, isGovernment } from "./inspections-access.js";
import { actOnHazard, getHazard } from "./inspections-api.js";

const STEP_COLORS: Record<string, string> = {
  created: "red",
  plan: "orange",
  complete: "blue",
  return: "orange",
  accept: "green",
  supervise: "volcano",
};

export function HazardDetailPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const { me } = useAuth();
  const res = useApi(`hazard:${id}`, (signal) => getHazard(id, signal));
  const [action, setAction] = useState<HazardAction | null>(null);
  const back = (
    <Button
      type="link"
      icon={<ArrowLeftOutlined />}
      onClick={() => navigate(-1)}
      style={{ paddingLeft: 0 }}
    >
      {t("common.back")}
    </Button>
  );
  if (res.error && !res.data)
    return (
      <DetailLoadFailed
        testId="hazard-page"
        back={back}
        error={res.error}
        notFoundText={t("inspections.hazards.notFound")}
        onRetry={res.reload}
      />
    );
  const h = res.data;
  if (!h) return <PageLoading />;
  const gov = isGovernment(me);
  // Sent back and not yet resubmitted: the reason belongs at the top.
  const latest = h.timeline[h.timeline.length - 1];
  const lastReturn =
    h.status === "rectifying" && latest?.kind === "return" && latest.note ? latest : null;
  return (
    <div
      data-testid="hazard-page"
      data-hazard-id={h.id}
      data-status={h.status}
      style={{ maxWidth: 960 }}
    >
      {back}
      <Space wrap align="center" style={{ marginBottom: 8 }}>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="hazard-title">
          {h.title}
        </Typography.Title>
        <HazardLevelTag level={h.level} />
        <HazardStatusTag status={h.status} />
        <OverdueTag overdue={h.overdue} />
      </Space>
      {h.awaitingSupervision ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="hazard-awaiting-supervision-alert"
          title={t("inspections.hazards.awaitingTitle")}
          description={
            gov ? t("inspections.hazards.awaitingGov") : t("inspections.hazards.awaitingEnterprise")
          }
        />
      ) : null}
      {lastReturn ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="hazard-last-return"
          title={t("inspections.hazards.lastReturn")}
          description={
            <>
              <Typography.Paragraph style={{ margin: 0 }} data-testid="hazard-last-return-reason">
                {lastReturn.note}
              </Typography.Paragraph>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {new Date(lastReturn.at).toLocaleString()} · {lastReturn.actor}
              </Typography.Text>
            </>
          }
        />
      ) : null}
      <Space wrap style={{ marginBottom: 16 }} data-testid="hazard-actions">
        {h.allowedActions.map((a) => (
          <Button
            key={a}
            type={a === "verify" || a === "complete" || a === "plan" ? "primary" : "default"}
            danger={a === "supervise"}
            onClick={() => setAction(a)}
            data-testid={`hazard-action-${a}`}
          >
            {t(`inspections.hazards.actions.${a}`)}
          </Button>
        ))}
      </Space>
      <div
        style={{
          display: "grid",
          gridTemplateColumns: "repeat(auto-fit, minmax(320px, 1fr))",
          gap: 16,
        }}
      >
        <Space orientation="vertical" size={16} style={{ width: "100%" }}>
          <Card size="small" title={t("inspections.hazards.facts")}>
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t("inspections.hazards.enterprise")}>
                {gov && canSeeHazards(me) ? (
                  <Link to={`/enterprises/${h.organisation.id}`}>{h.organisation.name}</Link>
                ) : (
                  h.organisation.name
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t("inspections.hazards.source")}>
                <SourceTag source={h.source} />{" "}
                {h.inspectionId ? (
                  <Link to={`/inspections/${h.inspectionId}`}>
                    {t("inspections.hazards.viewInspection")}
                  </Link>
                ) : null}
                {h.spotCheckId && gov ? (
                  <Link to={`/spot-checks/${h.spotCheckId}`}>
                    {t("inspections.hazards.viewSpotCheck")}
                  </Link>
                ) : null}
              </Descriptions.Item>
              <Descriptions.Item label={t("inspections.hazards.deadline")}>
                <span data-testid="hazard-deadline">{h.deadline}</span>
              </Descriptions.Item>
              {h.address ? (
                <Descriptions.Item label={t("inspections.hazards.address")}>
                  {h.address}
                </Descriptions.Item>
              ) : null}
              {h.description ? (
                <Descriptions.Item label={t("inspections.hazards.description")}>
                  {h.description}
                </Descriptions.Item>
              ) : null}
              <Descriptions.Item label={t("inspections.hazards.createdAt")}>
                {new Date(h.createdAt).toLocaleString()}
              </Descriptions.Item>
            </Descriptions>
            <PhotoList files={h.foundEvidence} testId="hazard-found-photos" />
          </Card>
          {h.supervisingDepartment ? (
            <Card
              size="small"
              title={t("inspections.hazards.supervision")}
              data-testid="hazard-supervision"
            >
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t("inspections.hazards.supervisingDepartment")}>
                  {h.supervisingDepartment.name}
                </Descriptions.Item>
                <Descriptions.Item label={t("inspections.hazards.supervisionNote")}>
                  {h.supervisionNote}
                </Descriptions.Item>
              </Descriptions>
            </Card>
          ) : null}
          <Card size="small" title={t("inspections.hazards.rectification")}>
            {h.plan || h.completionNote ? (
              <Descriptions size="small" column={1}>
                {h.plan ? (
                  <Descriptions.Item label={t("inspections.hazards.plan")}>
                    {h.plan}
                  </Descriptions.Item>
                ) : null}
                {h.completionNote ? (
                  <Descriptions.Item label={t("inspections.hazards.completion")}>
                    {h.completionNote}
                  </Descriptions.Item>
                ) : null}
                {h.closedAt ? (
                  <Descriptions.Item label={t("inspections.hazards.closedAt")}>
                    {new Date(h.closedAt).toLocaleString()}
                  </Descriptions.Item>
                ) : null}
              </Descriptions>
            ) : (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={t("inspections.hazards.noPlanYet")}
              />
            )}
            <PhotoList files={h.evidence} testId="hazard-evidence-photos" />
          </Card>
        </Space>
        <Card size="small" title={t("inspections.hazards.timeline")} data-testid="hazard-timeline">
          <Timeline
            items={h.timeline.map((s) => ({
              key: s.id,
              color: STEP_COLORS[s.kind] ?? "gray",
              content: (
                <div data-testid="hazard-step" data-kind={s.kind}>
                  <Space wrap size={6}>
                    <Typography.Text strong>
                      {t(`inspections.hazards.steps.${s.kind}`, s.kind)}
                    </Typography.Text>
                    {s.toStatus && s.toStatus !== s.fromStatus ? (
                      <HazardStatusTag status={s.toStatus} />
                    ) : null}
                  </Space>
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {new Date(s.at).toLocaleString()} · {s.actor}
                    </Typography.Text>
                  </div>
                  {s.note ? (
                    <Typography.Paragraph style={{ margin: 0 }}>{s.note}</Typography.Paragraph>
                  ) : null}
                </div>
              ),
            }))}
          />
        </Card>
      </div>
      {action ? (
        <HazardActionModal
          hazard={h}
          action={action}
          onClose={() => setAction(null)}
          onDone={() => {
            setAction(null);
            res.reload();
          }}
        />
      ) : null}
    </div>
  );
}

interface ActionForm {
  plan?: string;
  note?: string;
  evidence?: EnterpriseFile[];
  decision?: "accept" | "return";
  reason?: string;
}

/** One action's form; a refusal (409, 403) is shown in place, the page reloads after success. */
function HazardActionModal(props: {
  hazard: HazardDetail;
  action: HazardAction;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ActionForm>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const h = props.hazard;
  const decision = Form.useWatch("decision", form);

  const ok = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      const version = h.version;
      if (props.action === "plan")
        await actOnHazard(h.id, { action: "plan", body: { version, plan: v.plan ?? "" } });
      else if (props.action === "complete")
        await actOnHazard(h.id, {
          action: "complete",
          body: { version, note: v.note ?? "", evidence: (v.evidence ?? []).map((f) => f.id) },
        });
      else if (props.action === "verify")
        await actOnHazard(h.id, {
          action: "verify",
          body: { version, decision: v.decision ?? "accept", reason: v.reason ?? null },
        });
      else await actOnHazard(h.id, { action: "supervise", body: { version, note: v.note ?? "" } });
      message.success(t(`inspections.hazards.done.${props.action}`));
      props.onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t(`inspections.hazards.actions.${props.action}`)}
      onCancel={props.onClose}
      onOk={() => void ok()}
      confirmLoading={busy}
      okText={t("inspections.submit")}
      cancelText={t("common.cancel")}
      okButtonProps={{ "data-testid": "hazard-action-ok" } as Record<string, string>}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ decision: h.awaitingSupervision ? "return" : "accept", evidence: [] }}
      >
        {props.action === "plan" ? (
          <Form.Item
            name="plan"
            label={t("inspections.hazards.plan")}
            rules={[{ required: true, min: 4, message: t("inspections.hazards.planRequired") }]}
            extra={t("inspections.hazards.deadlineHint", { deadline: h.deadline })}
          >
            <Input.TextArea
              autoSize={{ minRows: 3 }}
              maxLength={2000}
              data-testid="hazard-plan-input"
            />
          </Form.Item>
        ) : null}
        {props.action === "complete" ? (
          <>
            <Form.Item
              name="note"
              label={t("inspections.hazards.completion")}
              rules={[
                { required: true, min: 2, message: t("inspections.hazards.completionRequired") },
              ]}
            >
              <Input.TextArea
                autoSize={{ minRows: 3 }}
                maxLength={2000}
                data-testid="hazard-complete-note"
              />
            </Form.Item>
            <Form.Item
              name="evidence"
              label={t("inspections.hazards.evidence")}
              rules={[
                {
                  validator: (_r, v: EnterpriseFile[] | undefined) =>
                    v && v.length > 0
                      ? Promise.resolve()
                      : Promise.reject(new Error(t("inspections.form.photoRequired"))),
                },
              ]}
            >
              <EvidenceUpload
                organisationId={h.organisation.id}
                max={9}
                testId="hazard-complete-photos"
              />
            </Form.Item>
          </>
        ) : null}
        {props.action === "verify" ? (
          <>
            <PhotoList files={h.evidence} />
            {h.completionNote ? (
              <Typography.Paragraph>{h.completionNote}</Typography.Paragraph>
            ) : null}
            <Form.Item name="decision" label={t("inspections.hazards.decision")}>
              <Radio.Group data-testid="hazard-decision">
                <Radio
                  value="accept"
                  disabled={h.awaitingSupervision}
                  data-testid="hazard-decision-accept"
                >
                  {t("inspections.hazards.accept")}
                </Radio>
                <Radio value="return" data-testid="hazard-decision-return">
                  {t("inspections.hazards.return")}
                </Radio>
              </Radio.Group>
            </Form.Item>
            {h.awaitingSupervision ? (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 12 }}
                title={t("inspections.hazards.awaitingAcceptDisabled")}
              />
            ) : null}
            {decision === "return" ? (
              <Form.Item
                name="reason"
                label={t("inspections.hazards.returnReason")}
                rules={[
                  {
                    required: true,
                    min: 2,
                    message: t("inspections.hazards.returnReasonRequired"),
                  },
                ]}
              >
                <Input.TextArea
                  autoSize={{ minRows: 2 }}
                  maxLength={1000}
                  data-testid="hazard-return-reason"
                />
              </Form.Item>
            ) : null}
          </>
        ) : null}
        {props.action === "supervise" ? (
          <Form.Item
            name="note"
            label={t("inspections.hazards.supervisionNote")}
            rules={[
              { required: true, min: 2, message: t("inspections.hazards.supervisionRequired") },
            ]}
            extra={t("inspections.hazards.superviseHint")}
          >
            <Input.TextArea
              autoSize={{ minRows: 2 }}
              maxLength={1000}
              data-testid="hazard-supervise-note"
            />
          </Form.Item>
        ) : null}
      </Form>
      {error ? <ErrorAlert error={error} /> : null}
    </Modal>
  );
}
