/**
 * An enterprise's hazards and their rectification, for its profile page:
 * counts by state, the list, and 登记隐患 (staff of its area) or 上报隐患 (its
 * own officer).
 */
import { PlusOutlined } from "@ant-design/icons";
import {
  App,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Radio,
  Segmented,
  Space,
  Statistic,
  Table,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import type { EnterpriseFile } from "../../../shared/schemas/inspections.js";
import { useAuth } from "../../auth/auth-context.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { useApi } from "../../ui/use-api.js";
import { hazardColumns } from "./hazard-list.js";
import { EvidenceUpload } from "./inspection-bits.js";
import { canSeeHazards, isGovernment } from "./inspections-access.js";
import { addDays, createHazard, listHazards, todayInChina } from "./inspections-api.js";

const VIEWS = ["active", "overdue", "submitted", "closed", "all"] as const;
const PAGE = 10;

const viewFilter = (v: (typeof VIEWS)[number]) =>
  v === "active"
    ? { status: "open,rectifying,submitted" }
    : v === "overdue"
      ? { overdue: "true" as const }
      : v === "all"
        ? {}
        : { status: v };

export function EnterpriseHazardsTab(props: { enterpriseId: string }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const id = props.enterpriseId;
  const [view, setView] = useState<(typeof VIEWS)[number]>("active");
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [nonce, setNonce] = useState(0);
  const counts = useApi(`hazard-counts:${id}:${nonce}`, async (signal) => {
    const count = (f: Record<string, string>) =>
      listHazards({ organisationId: id, ...f, limit: 1, offset: 0 }, signal).then((r) => r.total);
    const [open, rectifying, submitted, overdue] = await Promise.all([
      count({ status: "open" }),
      count({ status: "rectifying" }),
      count({ status: "submitted" }),
      count({ overdue: "true" }),
    ]);
    return { open, rectifying, submitted, overdue };
  });
  const request = {
    organisationId: id,
    ...viewFilter(view),
    sort: "deadline" as const,
    limit: PAGE,
    offset: (page - 1) * PAGE,
  };
  const list = useApi(`hazards:${JSON.stringify(request)}:${nonce}`, (signal) =>
    listHazards(request, signal),
  );
  const c = counts.data;
  const gov = isGovernment(me);
  return (
    <div data-testid="enterprise-hazards-tab">
      <Card size="small" style={{ marginBottom: 12 }}>
        <div
          style={{
            display: "grid",
            gridTemplateColumns: "repeat(auto-fit, minmax(110px, 1fr))",
            gap: 12,
          }}
        >
          <Statistic title={t("inspections.hazardStatus.open")} value={c?.open ?? "—"} />
          <Statistic
            title={t("inspections.hazardStatus.rectifying")}
            value={c?.rectifying ?? "—"}
          />
          <Statistic title={t("inspections.hazardStatus.submitted")} value={c?.submitted ?? "—"} />
          <Statistic
            title={t("inspections.overdue")}
            value={c?.overdue ?? "—"}
            styles={{ content: { color: c?.overdue ? "#cf1322" : undefined } }}
          />
        </div>
      </Card>
      <Space style={{ marginBottom: 12, width: "100%", justifyContent: "space-between" }} wrap>
        <Segmented
          value={view}
          onChange={(v) => {
            setView(v as (typeof VIEWS)[number]);
            setPage(1);
          }}
          options={VIEWS.map((v) => ({
            value: v,
            label:
              v === "active" || v === "all"
                ? t(`inspections.hazards.${v}`)
                : v === "overdue"
                  ? t("inspections.overdue")
                  : t(`inspections.hazardStatus.${v}`),
          }))}
        />
        {canSeeHazards(me) ? (
          <Button
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="hazard-create"
          >
            {gov ? t("inspections.hazards.create") : t("inspections.hazards.report")}
          </Button>
        ) : null}
      </Space>
      {list.error ? <ErrorAlert error={list.error} onRetry={list.reload} /> : null}
      <Table
        rowKey="id"
        size="small"
        loading={list.loading}
        columns={hazardColumns(t, { showEnterprise: false }).map((col) => ({
          ...col,
          sorter: false,
        }))}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 760 }}
        data-testid="enterprise-hazards-table"
        pagination={{
          current: page,
          pageSize: PAGE,
          total: list.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
          showTotal: (total) => t("common.total", { count: total }),
        }}
      />
      {creating ? (
        <CreateHazardModal
          enterpriseId={id}
          onClose={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            setNonce((n) => n + 1);
          }}
        />
      ) : null}
    </div>
  );
}

interface CreateForm {
  title: string;
  level: "general" | "major";
  description?: string;
  deadline?: string;
  evidence: EnterpriseFile[];
}

function CreateHazardModal(props: {
  enterpriseId: string;
  onClose: () => void;
  onCreated: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<CreateForm>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const today = todayInChina();
  const level = Form.useWatch("level", form) ?? "general";
  const ok = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      const h = await createHazard({
        organisationId: props.enterpriseId,
        title: v.title,
        level: v.level,
        description: v.description || null,
        ...(v.deadline ? { deadline: v.deadline } : {}),
        evidence: (v.evidence ?? []).map((f) => f.id),
      });
      message.success(t("inspections.hazards.created"));
      props.onCreated();
      navigate(`/hazards/${h.id}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t("inspections.hazards.create")}
      onCancel={props.onClose}
      onOk={() => void ok()}
      confirmLoading={busy}
      okText={t("inspections.submit")}
      cancelText={t("common.cancel")}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ level: "general", evidence: [] }}>
        <Form.Item
          name="title"
          label={t("inspections.hazards.title")}
          rules={[{ required: true, min: 2, message: t("inspections.hazards.titleRequired") }]}
        >
          <Input maxLength={120} data-testid="hazard-title-input" />
        </Form.Item>
        <Form.Item name="level" label={t("inspections.hazards.level")}>
          <Radio.Group>
            <Radio value="general">{t("inspections.level.general")}</Radio>
            <Radio value="major">{t("inspections.level.major")}</Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="description" label={t("inspections.hazards.description")}>
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} />
        </Form.Item>
        <Form.Item
          name="deadline"
          label={t("inspections.hazards.deadline")}
          extra={t("inspections.hazards.defaultDeadline", {
            deadline: addDays(today, level === "major" ? 60 : 30),
          })}
          rules={[
            {
              validator: (_r, v?: string) =>
                !v || v >= today
                  ? Promise.resolve()
                  : Promise.reject(new Error(t("inspections.hazards.deadlinePast"))),
            },
          ]}
        >
          <Input type="date" min={today} />
        </Form.Item>
        <Form.Item name="evidence" label={t("inspections.hazards.photos")}>
          <EvidenceUpload organisationId={props.enterpriseId} max={9} />
        </Form.Item>
      </Form>
      {error ? <ErrorAlert error={error} /> : null}
    </Modal>
  );
}
