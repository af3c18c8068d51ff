/**
 * 随机抽查 (/spot-checks and /spot-checks/:id): a department officer or
 * coordinator draws a risk-weighted random sample of the enterprises in
 * their area (optionally of one industry or a smaller area); the weighting
 * rule and each drawn enterprise's weight and factors are shown; findings
 * are recorded per enterprise, hazards found becoming hazards.
 */

import {
  ArrowLeftOutlined,
  MinusCircleOutlined,
  PlusOutlined,
  ThunderboltOutlined,
} from "@ant-design/icons";
import type { TableColumnsType } from "antd";
import {
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from "antd";
import type { TFunction } from "i18next";
import { type HTMLAttributes, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router-dom";
import type { SpotCheck, SpotCheckItem } from "../../../shared/schemas/inspections.js";
import { DetailLoadFailed } from "../../ui/detail-load-failed.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { ListPage } from "../../ui/list-page.js";
import { PageLoading } from "../../ui/page-loading.js";
import { useApi } from "../../ui/use-api.js";
import { AreaTreeSelect } from "../organisations/area-tree-select.js";
import { listIndustries } from "../organisations/organisations-api.js";
import { FindingTag } from "./inspection-bits.js";
import { drawSpotCheck, getSpotCheck, listSpotChecks, recordFinding } from "./inspections-api.js";

const PAGE = 20;

export function SpotChecksPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [page, setPage] = useState(1);
  const [drawing, setDrawing] = useState(false);
  const list = useApi(`spot-checks:${page}`, (signal) =>
    listSpotChecks({ limit: PAGE, offset: (page - 1) * PAGE }, signal),
  );
  const columns: TableColumnsType<SpotCheck> = [
    {
      key: "drawnAt",
      title: t("inspections.spot.drawnAt"),
      width: 160,
      render: (_v, s) => (
        <Link to={`/spot-checks/${s.id}`}>{new Date(s.drawnAt).toLocaleString()}</Link>
      ),
    },
    {
      key: "department",
      title: t("inspections.spot.department"),
      width: 200,
      render: (_v, s) => s.department?.name ?? s.drawnBy,
    },
    {
      key: "criteria",
      title: t("inspections.spot.criteria"),
      width: 200,
      render: (_v, s) => criteriaText(t, s),
    },
    {
      key: "sample",
      title: t("inspections.spot.sample"),
      width: 120,
      render: (_v, s) =>
        t("inspections.spot.sampleOf", { n: s.sampleSize, population: s.population }),
    },
    {
      key: "progress",
      title: t("inspections.spot.progress"),
      width: 160,
      render: (_v, s) => (
        <Space size={4}>
          <span>
            {s.checked} / {s.sampleSize}
          </span>
          {s.hazardsFound > 0 ? (
            <Tag color="red">{t("inspections.spot.hazardsFound", { count: s.hazardsFound })}</Tag>
          ) : null}
        </Space>
      ),
    },
    {
      key: "note",
      title: t("inspections.spot.note"),
      width: 200,
      ellipsis: true,
      render: (_v, s) => s.note ?? "—",
    },
  ];
  return (
    <ListPage
      testId="spot-checks-page"
      title={t("inspections.spot.title")}
      intro={t("inspections.spot.intro")}
      actions={
        <Button
          type="primary"
          icon={<ThunderboltOutlined />}
          onClick={() => setDrawing(true)}
          data-testid="spot-check-draw"
        >
          {t("inspections.spot.draw")}
        </Button>
      }
    >
      {list.error ? <ErrorAlert error={list.error} onRetry={list.reload} /> : null}
      <Table
        rowKey="id"
        loading={list.loading}
        columns={columns}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 900 }}
        data-testid="spot-checks-table"
        pagination={{
          current: page,
          pageSize: PAGE,
          total: list.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
          showTotal: (total) => t("common.total", { count: total }),
        }}
      />
      {drawing ? (
        <DrawModal
          onClose={() => setDrawing(false)}
          onDrawn={(id) => {
            setDrawing(false);
            navigate(`/spot-checks/${id}`);
          }}
        />
      ) : null}
    </ListPage>
  );
}

function criteriaText(t: TFunction, s: SpotCheck): string {
  const parts = [s.criteria.area?.name, s.criteria.industry].filter(Boolean);
  return parts.length ? parts.join(" · ") : t("inspections.spot.wholeArea");
}

function DrawModal(props: { onClose: () => void; onDrawn: (id: string) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{
    sampleSize: number;
    industry?: string;
    areaCode?: string;
    note?: string;
  }>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const industries = useApi("organisation-industries", (signal) => listIndustries(signal));
  const ok = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      const s = await drawSpotCheck({
        sampleSize: v.sampleSize,
        ...(v.industry ? { industry: v.industry } : {}),
        ...(v.areaCode ? { areaCode: v.areaCode } : {}),
        ...(v.note ? { note: v.note } : {}),
      });
      props.onDrawn(s.id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t("inspections.spot.draw")}
      onCancel={props.onClose}
      onOk={() => void ok()}
      confirmLoading={busy}
      okText={t("inspections.spot.drawNow")}
      cancelText={t("common.cancel")}
      okButtonProps={{ "data-testid": "spot-check-draw-ok" } as Record<string, string>}
    >
      <Typography.Paragraph type="secondary">{t("inspections.spot.drawHint")}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ sampleSize: 5 }}>
        <Form.Item
          name="sampleSize"
          label={t("inspections.spot.sampleSize")}
          rules={[{ required: true, type: "number", min: 1, max: 100 }]}
        >
          <InputNumber min={1} max={100} data-testid="spot-check-size" />
        </Form.Item>
        <Form.Item name="industry" label={t("inspections.spot.industry")}>
          <Select
            allowClear
            placeholder={t("inspections.spot.allIndustries")}
            options={(industries.data?.items ?? []).map((i) => ({
              value: i.industry,
              label: i.industry,
            }))}
          />
        </Form.Item>
        <Form.Item name="areaCode" label={t("inspections.spot.area")}>
          <AreaTreeSelect width="100%" placeholder={t("inspections.spot.ownArea")} />
        </Form.Item>
        <Form.Item name="note" label={t("inspections.spot.note")}>
          <Input maxLength={500} />
        </Form.Item>
      </Form>
      {error ? <ErrorAlert error={error} /> : null}
    </Modal>
  );
}

/** What each risk factor adds, in words. */
function factorsText(t: TFunction, f: Record<string, unknown>): string {
  const parts: string[] = [];
  const n = (k: string) => (typeof f[k] === "number" ? (f[k] as number) : 0);
  if (n("openHazards"))
    parts.push(t("inspections.spot.factors.openHazards", { count: n("openHazards") }));
  if (n("overdueHazards"))
    parts.push(t("inspections.spot.factors.overdueHazards", { count: n("overdueHazards") }));
  if (n("majorOpenHazards"))
    parts.push(t("inspections.spot.factors.majorOpenHazards", { count: n("majorOpenHazards") }));
  if (n("missedInspections"))
    parts.push(t("inspections.spot.factors.missedInspections", { count: n("missedInspections") }));
  if (typeof f.rating === "string")
    parts.push(t("inspections.spot.factors.rating", { rating: f.rating }));
  const level = f.warningLevel;
  if (level === "watch" || level === "warning" || level === "alarm")
    parts.push(
      t("inspections.spot.factors.warning", { level: t(`inspections.spot.warning.${level}`) }),
    );
  return parts.length ? parts.join("，") : t("inspections.spot.factors.none");
}

export function SpotCheckDetailPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const res = useApi(`spot-check:${id}`, (signal) => getSpotCheck(id, signal));
  const [recording, setRecording] = useState<SpotCheckItem | null>(null);
  const back = (
    <Button
      type="link"
      icon={<ArrowLeftOutlined />}
      onClick={() => navigate("/spot-checks")}
      style={{ paddingLeft: 0 }}
    >
      {t("inspections.spot.title")}
    </Button>
  );
  if (res.error && !res.data)
    return (
      <DetailLoadFailed
        testId="spot-check-page"
        back={back}
        error={res.error}
        notFoundText={t("inspections.spot.notFound")}
        onRetry={res.reload}
      />
    );
  const s = res.data;
  if (!s) return <PageLoading />;
  const columns: TableColumnsType<SpotCheckItem> = [
    { key: "rank", title: "#", width: 50, dataIndex: "rank" },
    {
      key: "enterprise",
      title: t("inspections.hazards.enterprise"),
      width: 240,
      render: (_v, x) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/enterprises/${x.organisation.id}`}>{x.organisation.name}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {[x.organisation.industry, x.organisation.address].filter(Boolean).join(" · ")}
          </Typography.Text>
        </Space>
      ),
    },
    {
      key: "weight",
      title: t("inspections.spot.weight"),
      width: 240,
      render: (_v, x) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong data-testid="spot-item-weight">
            {x.weight.toFixed(2)}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {factorsText(t, x.factors)}
          </Typography.Text>
        </Space>
      ),
    },
    {
      key: "finding",
      title: t("inspections.spot.finding"),
      width: 200,
      render: (_v, x) => (
        <Space orientation="vertical" size={0}>
          <Space size={4}>
            <FindingTag finding={x.finding} />
            {x.hazards > 0 ? (
              <Link to={`/hazards?view=all&q=${encodeURIComponent(x.organisation.name)}`}>
                {t("inspections.spot.hazardsFound", { count: x.hazards })}
              </Link>
            ) : null}
          </Space>
          {x.note ? <Typography.Text style={{ fontSize: 12 }}>{x.note}</Typography.Text> : null}
          {x.checkedAt ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {new Date(x.checkedAt).toLocaleDateString()} {x.checkedBy ?? ""}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    {
      key: "actions",
      title: "",
      width: 110,
      render: (_v, x) =>
        x.allowedActions.includes("record") ? (
          <Button
            size="small"
            type="primary"
            onClick={() => setRecording(x)}
            data-testid="spot-item-record"
          >
            {t("inspections.spot.record")}
          </Button>
        ) : null,
    },
  ];
  return (
    <div data-testid="spot-check-page">
      {back}
      <Typography.Title level={4} style={{ marginTop: 4 }}>
        {t("inspections.spot.detailTitle", { date: new Date(s.drawnAt).toLocaleDateString() })}
      </Typography.Title>
      <div
        style={{
          display: "grid",
          gridTemplateColumns: "repeat(auto-fit, minmax(300px, 1fr))",
          gap: 16,
          marginBottom: 16,
        }}
      >
        <Card size="small">
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t("inspections.spot.department")}>
              {s.department?.name ?? "—"}
            </Descriptions.Item>
            <Descriptions.Item label={t("inspections.spot.drawnBy")}>{s.drawnBy}</Descriptions.Item>
            <Descriptions.Item label={t("inspections.spot.criteria")}>
              {criteriaText(t, s)}
            </Descriptions.Item>
            <Descriptions.Item label={t("inspections.spot.sample")}>
              {t("inspections.spot.sampleOf", { n: s.sampleSize, population: s.population })}
            </Descriptions.Item>
            {s.note ? (
              <Descriptions.Item label={t("inspections.spot.note")}>{s.note}</Descriptions.Item>
            ) : null}
          </Descriptions>
        </Card>
        <Card size="small" title={t("inspections.spot.weights")} data-testid="spot-check-weights">
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            {t("inspections.spot.weightsHint")}
          </Typography.Paragraph>
          <Descriptions size="small" column={2}>
            {Object.entries(s.weights).map(([k, v]) => (
              <Descriptions.Item
                key={k}
                label={<Tooltip title={k}>{t(`inspections.spot.weightNames.${k}`, k)}</Tooltip>}
              >
                {k === "countCap" ? v : `+${v}`}
              </Descriptions.Item>
            ))}
          </Descriptions>
        </Card>
      </div>
      <Table
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={s.items}
        pagination={false}
        scroll={{ x: 840 }}
        data-testid="spot-check-items"
        onRow={(x) =>
          ({
            "data-testid": "spot-item",
            "data-finding": x.finding,
            "data-organisation-id": x.organisation.id,
          }) as HTMLAttributes<HTMLElement>
        }
      />
      {recording ? (
        <FindingModal
          spotCheckId={s.id}
          item={recording}
          onClose={() => setRecording(null)}
          onDone={() => {
            setRecording(null);
            res.reload();
          }}
        />
      ) : null}
    </div>
  );
}

interface FindingForm {
  finding: "ok" | "hazards_found" | "closed_down" | "not_found";
  note?: string;
  hazards: { title: string; level: "general" | "major"; description?: string }[];
}

function FindingModal(props: {
  spotCheckId: string;
  item: SpotCheckItem;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FindingForm>();
  const finding = Form.useWatch("finding", form);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const ok = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await recordFinding(props.spotCheckId, props.item.id, {
        finding: v.finding,
        note: v.note || null,
        hazards:
          v.finding === "hazards_found"
            ? (v.hazards ?? []).map((h) => ({
                title: h.title,
                level: h.level,
                description: h.description || null,
              }))
            : [],
      });
      message.success(t("inspections.spot.recorded"));
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
      title={t("inspections.spot.recordTitle", { name: props.item.organisation.name })}
      onCancel={props.onClose}
      onOk={() => void ok()}
      confirmLoading={busy}
      okText={t("inspections.submit")}
      cancelText={t("common.cancel")}
      okButtonProps={{ "data-testid": "spot-finding-submit" } as Record<string, string>}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ finding: "ok", hazards: [{ title: "", level: "general" }] }}
      >
        <Form.Item name="finding" label={t("inspections.spot.finding")}>
          <Radio.Group data-testid="spot-finding">
            {(["ok", "hazards_found", "closed_down", "not_found"] as const).map((f) => (
              <Radio key={f} value={f} data-testid={`spot-finding-${f}`}>
                {t(`inspections.finding.${f}`)}
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item name="note" label={t("inspections.spot.note")}>
          <Input.TextArea
            autoSize={{ minRows: 2 }}
            maxLength={1000}
            data-testid="spot-finding-note"
          />
        </Form.Item>
        {finding === "hazards_found" ? (
          <Form.List name="hazards">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="start" wrap>
                    <Form.Item
                      name={[f.name, "title"]}
                      rules={[
                        { required: true, min: 2, message: t("inspections.hazards.titleRequired") },
                      ]}
                    >
                      <Input
                        placeholder={t("inspections.hazards.title")}
                        style={{ width: 220 }}
                        data-testid="spot-hazard-title"
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, "level"]}>
                      <Select
                        style={{ width: 100 }}
                        options={(["general", "major"] as const).map((l) => ({
                          value: l,
                          label: t(`inspections.level.${l}`),
                        }))}
                      />
                    </Form.Item>
                    {fields.length > 1 ? (
                      <Button
                        type="text"
                        icon={<MinusCircleOutlined />}
                        onClick={() => remove(f.name)}
                      />
                    ) : null}
                  </Space>
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ title: "", level: "general" })}
                >
                  {t("inspections.spot.addHazard")}
                </Button>
              </>
            )}
          </Form.List>
        ) : null}
      </Form>
      {error ? <ErrorAlert error={error} /> : null}
    </Modal>
  );
}
