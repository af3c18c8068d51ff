/**
 * 权重设置: the weight of each signal (with its share of the score), the
 * rise threshold and the level lines; 预览排名变化 asks the server how the
 * latest ranking would read under what is in the form, without saving; the
 * changes so far with who and why. District admins and coordinators save
 * (with the version they loaded: a change meanwhile reloads and says so).
 */
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Row,
  Space,
  Table,
  Tag,
  Typography,
} from "antd";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  DEFAULT_GRID_RISK_SETTINGS,
  GRID_RISK_SIGNALS,
  type GridRiskPreview,
  type GridRiskSettings,
  type GridRiskSignal,
} from "../../../shared/schemas/grid-risk.js";
import { ApiError } from "../../api/client.js";
import { describeError, ErrorAlert } from "../../ui/error-alert.js";
import type { ApiState } from "../../ui/use-api.js";
import { formatTime } from "../cases/case-bits.js";
import { previewSettings, saveSettings } from "./grid-risk-api.js";
import { LevelTag } from "./grid-risk-bits.js";
import {
  methodText,
  rankMove,
  settingsFromForm,
  settingsProblem,
  weightShares,
} from "./grid-risk-model.js";

interface FormValues {
  weights: Partial<Record<GridRiskSignal, number | null>>;
  riseThreshold: number | null;
  mediumLevel: number | null;
  highLevel: number | null;
  note?: string;
}

const PREVIEW_ROWS = 20;

const valuesOf = (
  s: Pick<GridRiskSettings, "weights" | "riseThreshold" | "mediumLevel" | "highLevel">,
): FormValues => ({
  weights: { ...s.weights },
  riseThreshold: s.riseThreshold,
  mediumLevel: s.mediumLevel,
  highLevel: s.highLevel,
  note: "",
});

export function WeightsTab(props: { settings: ApiState<GridRiskSettings>; onSaved: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const s = props.settings.data;
  const editable = s?.editable ?? false;
  const watched = Form.useWatch([], form) as FormValues | undefined;
  const current = useMemo(() => settingsFromForm(watched ?? {}), [watched]);
  const shares = weightShares(current.weights);
  const problem = watched ? settingsProblem(current) : null;
  const [preview, setPreview] = useState<{ data: GridRiskPreview; of: string } | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const [busy, setBusy] = useState<"preview" | "save" | null>(null);
  const key = JSON.stringify(current);

  useEffect(() => {
    if (s) form.setFieldsValue(valuesOf(s));
  }, [s, form]);

  const runPreview = async () => {
    if (problem) return;
    setBusy("preview");
    setPreviewError(null);
    try {
      setPreview({ data: await previewSettings(current, undefined), of: key });
    } catch (err) {
      setPreviewError(err);
    } finally {
      setBusy(null);
    }
  };

  const save = async (v: FormValues) => {
    if (!s || problem) return;
    setBusy("save");
    try {
      const note = v.note?.trim();
      await saveSettings({ ...settingsFromForm(v), version: s.version, ...(note ? { note } : {}) });
      message.success(t("gridRisk.weights.saved"));
      setPreview(null);
      props.settings.reload();
      props.onSaved();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        message.warning(t("gridRisk.weights.stale"));
        props.settings.reload();
      } else message.error(describeError(err, t));
    } finally {
      setBusy(null);
    }
  };

  if (props.settings.error && !s)
    return (
      <ErrorAlert
        error={props.settings.error}
        title={t("gridRisk.loadFailed")}
        onRetry={props.settings.reload}
      />
    );

  const previewRows = (preview?.data.items ?? []).slice(0, PREVIEW_ROWS);
  return (
    <div data-testid="grid-risk-weights">
      <Typography.Paragraph type="secondary">{t("gridRisk.weights.intro")}</Typography.Paragraph>
      {!editable && s ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t("gridRisk.weights.readOnly")}
        />
      ) : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card size="small">
            <Form<FormValues>
              form={form}
              layout="horizontal"
              labelCol={{ flex: "170px" }}
              requiredMark={false}
              disabled={!editable}
              onFinish={save}
              autoComplete="off"
              data-testid="weights-form"
            >
              {GRID_RISK_SIGNALS.map((code) => (
                <Form.Item
                  key={code}
                  label={t(`gridRisk.signals.${code}`)}
                  tooltip={methodText(code, t)}
                  style={{ marginBottom: 10 }}
                >
                  <Space>
                    <Form.Item
                      name={["weights", code]}
                      noStyle
                      rules={[{ required: true, message: t("gridRisk.weights.weight") }]}
                    >
                      <InputNumber
                        min={0}
                        max={100}
                        precision={1}
                        style={{ width: 110 }}
                        aria-label={`${t(`gridRisk.signals.${code}`)} ${t("gridRisk.weights.weight")}`}
                        data-testid={`weight-${code}`}
                      />
                    </Form.Item>
                    <Typography.Text type="secondary" data-testid={`share-${code}`}>
                      {t("gridRisk.weights.share", { share: shares[code] })}
                    </Typography.Text>
                  </Space>
                </Form.Item>
              ))}
              <Form.Item
                name="riseThreshold"
                label={t("gridRisk.weights.riseThreshold")}
                extra={t("gridRisk.weights.riseThresholdHint")}
                rules={[{ required: true, message: t("gridRisk.weights.riseThreshold") }]}
              >
                <InputNumber
                  min={1}
                  max={100}
                  precision={1}
                  style={{ width: 110 }}
                  data-testid="weight-rise"
                />
              </Form.Item>
              <Form.Item
                label={t("gridRisk.weights.mediumLevel")}
                extra={t("gridRisk.weights.levelsHint")}
              >
                <Space wrap>
                  <Form.Item
                    name="mediumLevel"
                    noStyle
                    rules={[{ required: true, message: t("gridRisk.weights.mediumLevel") }]}
                  >
                    <InputNumber
                      min={1}
                      max={100}
                      precision={1}
                      style={{ width: 110 }}
                      data-testid="weight-medium"
                    />
                  </Form.Item>
                  <Typography.Text>{t("gridRisk.weights.highLevel")}</Typography.Text>
                  <Form.Item
                    name="highLevel"
                    noStyle
                    rules={[{ required: true, message: t("gridRisk.weights.highLevel") }]}
                  >
                    <InputNumber
                      min={1}
                      max={100}
                      precision={1}
                      style={{ width: 110 }}
                      data-testid="weight-high"
                    />
                  </Form.Item>
                </Space>
              </Form.Item>
              <Form.Item name="note" label={t("gridRisk.weights.note")}>
                <Input
                  maxLength={200}
                  placeholder={t("gridRisk.weights.notePlaceholder")}
                  data-testid="weight-note"
                />
              </Form.Item>
              {problem ? (
                <Alert
                  type="error"
                  showIcon
                  style={{ marginBottom: 12 }}
                  title={t(`gridRisk.weights.${problem}`)}
                  data-testid="weights-problem"
                />
              ) : null}
              <Space wrap>
                <Button
                  onClick={runPreview}
                  loading={busy === "preview"}
                  disabled={problem !== null}
                  data-testid="weights-preview"
                >
                  {t("gridRisk.weights.preview")}
                </Button>
                {editable ? (
                  <>
                    <Button
                      type="primary"
                      htmlType="submit"
                      loading={busy === "save"}
                      disabled={problem !== null}
                      data-testid="weights-save"
                    >
                      {t("gridRisk.weights.save")}
                    </Button>
                    <Button
                      onClick={() => s && form.setFieldsValue(valuesOf(s))}
                      data-testid="weights-reset"
                    >
                      {t("gridRisk.weights.reset")}
                    </Button>
                    <Button
                      onClick={() => form.setFieldsValue(valuesOf(DEFAULT_GRID_RISK_SETTINGS))}
                    >
                      {t("gridRisk.weights.defaults")}
                    </Button>
                  </>
                ) : null}
              </Space>
            </Form>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card
            size="small"
            title={t("gridRisk.weights.previewTitle", { n: PREVIEW_ROWS })}
            data-testid="weights-preview-card"
          >
            {previewError ? <ErrorAlert error={previewError} onRetry={runPreview} /> : null}
            {preview && preview.of !== key ? (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 8 }}
                title={t("gridRisk.weights.previewStale")}
              />
            ) : null}
            <Table
              size="small"
              rowKey="code"
              pagination={false}
              scroll={{ x: 620 }}
              dataSource={previewRows}
              data-testid="weights-preview-table"
              locale={{
                emptyText: preview
                  ? t("gridRisk.weights.previewEmpty")
                  : t("gridRisk.weights.preview"),
              }}
              columns={[
                {
                  key: "rank",
                  title: t("gridRisk.weights.col.rank"),
                  width: 70,
                  render: (_v, r) => r.previewRank,
                },
                {
                  key: "move",
                  title: t("gridRisk.weights.col.move"),
                  width: 100,
                  render: (_v, r) => {
                    const m = rankMove(r.rank, r.previewRank);
                    return (
                      <Typography.Text
                        type={
                          m.dir === "up" ? "danger" : m.dir === "down" ? "success" : "secondary"
                        }
                        data-testid="preview-move"
                        data-dir={m.dir}
                      >
                        {m.dir === "same"
                          ? t("gridRisk.weights.same")
                          : t(`gridRisk.weights.${m.dir}`, { n: m.n })}
                      </Typography.Text>
                    );
                  },
                },
                {
                  key: "grid",
                  title: t("gridRisk.weights.col.grid"),
                  width: 170,
                  render: (_v, r) => r.name,
                },
                {
                  key: "score",
                  title: t("gridRisk.weights.col.score"),
                  width: 90,
                  render: (_v, r) => r.score.toFixed(1),
                },
                {
                  key: "previewScore",
                  title: t("gridRisk.weights.col.previewScore"),
                  width: 90,
                  render: (_v, r) => (
                    <Typography.Text strong>{r.previewScore.toFixed(1)}</Typography.Text>
                  ),
                },
                {
                  key: "level",
                  title: t("gridRisk.weights.col.level"),
                  width: 90,
                  render: (_v, r) => <LevelTag level={r.previewLevel} />,
                },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t("gridRisk.weights.history")} style={{ marginTop: 16 }}>
        <Table
          size="small"
          rowKey="version"
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          dataSource={s?.history ?? []}
          data-testid="weights-history"
          scroll={{ x: 900 }}
          columns={[
            {
              key: "version",
              title: t("gridRisk.weights.version"),
              width: 70,
              render: (_v, h) => h.version,
            },
            {
              key: "weights",
              title: t("gridRisk.weights.weight"),
              render: (_v, h) => (
                <Space size={[4, 4]} wrap>
                  {GRID_RISK_SIGNALS.map((k) => (
                    <Tag key={k}>
                      {t(`gridRisk.signals.${k}`)} {h.weights[k] ?? 0}
                    </Tag>
                  ))}
                  <Tag color="blue">
                    {t("gridRisk.weights.riseThreshold")} {h.riseThreshold}
                  </Tag>
                  <Tag color="orange">
                    {t("gridRisk.weights.mediumLevel")} {h.mediumLevel}
                  </Tag>
                  <Tag color="red">
                    {t("gridRisk.weights.highLevel")} {h.highLevel}
                  </Tag>
                </Space>
              ),
            },
            {
              key: "note",
              title: t("gridRisk.weights.noteCol"),
              width: 180,
              render: (_v, h) => h.note ?? "—",
            },
            {
              key: "by",
              title: t("gridRisk.weights.changedBy"),
              width: 150,
              render: (_v, h) => h.changedBy ?? t("gridRisk.weights.system"),
            },
            {
              key: "at",
              title: t("gridRisk.weights.changedAt"),
              width: 150,
              render: (_v, h) => formatTime(h.changedAt, i18n.resolvedLanguage),
            },
          ]}
        />
      </Card>
    </div>
  );
}
