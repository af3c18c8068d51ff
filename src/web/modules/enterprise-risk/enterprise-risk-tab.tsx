/**
 * 预警与信用, a tab of the enterprise profile: the wage-arrears warning (a
 * gauge and the signals behind the score: value, weight, points, source), the
 * safety credit rating (factors and 如何提升), the history of both, and the
 * monthly payroll declarations with the declare / correct form for the
 * enterprise's own officer. Cards stack to one column on a phone.
 */
import { EditOutlined, PlusOutlined } from "@ant-design/icons";
import type { TableColumnsType } from "antd";
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  List,
  Progress,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from "antd";
import { GaugeChart } from "echarts/charts";
import { MarkAreaComponent } from "echarts/components";
import { use } from "echarts/core";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import {
  DECLARE_MONTHS_BACK,
  type EnterpriseRisk,
  type PayrollDeclaration,
  type PayrollList,
  RATINGS,
  shiftPeriod,
  type WarningLevel,
} from "../../../shared/schemas/enterprise-risk.js";
import { EChart, type EChartsCoreOption } from "../../ui/echart.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { useApi } from "../../ui/use-api.js";
import { formatTime } from "../cases/case-bits.js";
import { PayrollFormModal } from "./payroll-form.js";
import { PayrollSignature } from "./payroll-sign.js";
import { getRisk, listPayroll } from "./risk-api.js";
import {
  factorValueText,
  formatYuan,
  GradeTag,
  improvementText,
  LEVEL_HEX,
  LevelTag,
  RATING_HEX,
  signalValueText,
} from "./risk-bits.js";

use([GaugeChart, MarkAreaComponent]);

export function EnterpriseRiskTab(props: { enterpriseId: string }) {
  const id = props.enterpriseId;
  const [nonce, setNonce] = useState(0);
  const risk = useApi(`enterprise-risk:${id}:${nonce}`, (signal) => getRisk(id, signal));
  const payroll = useApi(`enterprise-payroll:${id}:${nonce}`, (signal) =>
    listPayroll(id, { limit: 24, offset: 0 }, signal),
  );
  const reload = () => setNonce((n) => n + 1);
  const r = risk.data;
  return (
    <div data-testid="enterprise-risk">
      {risk.error && !r ? <ErrorAlert error={risk.error} onRetry={risk.reload} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <WarningCard risk={r} loading={risk.loading && !r} />
        </Col>
        <Col xs={24} lg={12}>
          <RatingCard risk={r} loading={risk.loading && !r} />
        </Col>
        <Col xs={24}>
          <PayrollCard
            enterpriseId={id}
            list={payroll.data}
            loading={payroll.loading && !payroll.data}
            error={payroll.error}
            onRetry={payroll.reload}
            onChanged={reload}
          />
        </Col>
        <Col xs={24}>
          <HistoryCard risk={r} loading={risk.loading && !r} />
        </Col>
      </Row>
    </div>
  );
}

// ------------------------------------------------------------------ warning

function gaugeOption(
  score: number,
  level: WarningLevel,
  th: EnterpriseRisk["warning"]["thresholds"],
) {
  const stop = (v: number) => v / 100;
  return {
    series: [
      {
        type: "gauge",
        min: 0,
        max: 100,
        startAngle: 200,
        endAngle: -20,
        radius: "95%",
        center: ["50%", "62%"],
        axisLine: {
          lineStyle: {
            width: 14,
            color: [
              [stop(th.watch), LEVEL_HEX.none],
              [stop(th.warning), LEVEL_HEX.watch],
              [stop(th.alarm), LEVEL_HEX.warning],
              [1, LEVEL_HEX.alarm],
            ],
          },
        },
        pointer: { width: 5, itemStyle: { color: LEVEL_HEX[level] } },
        axisTick: { show: false },
        splitLine: { length: 10, lineStyle: { width: 2, color: "#fff" } },
        // The bands say enough; numbers round a small gauge only crowd it.
        axisLabel: { show: false },
        detail: {
          valueAnimation: false,
          fontSize: 28,
          offsetCenter: [0, "35%"],
          color: LEVEL_HEX[level],
          formatter: "{value}",
        },
        data: [{ value: score }],
      },
    ],
  } satisfies EChartsCoreOption;
}

function WarningCard(props: { risk: EnterpriseRisk | undefined; loading: boolean }) {
  const { t, i18n } = useTranslation();
  const w = props.risk?.warning;
  const option = useMemo(() => (w ? gaugeOption(w.score, w.level, w.thresholds) : null), [w]);
  const signals = w ? [...w.signals].sort((a, b) => b.points - a.points) : [];
  return (
    <Card
      size="small"
      title={t("enterpriseRisk.warning.title")}
      loading={props.loading}
      data-testid="risk-warning"
      extra={w ? <LevelTag level={w.level} testId="risk-warning-level" /> : null}
    >
      {w ? (
        <>
          <Row gutter={12} align="middle">
            <Col xs={12} sm={10}>
              {option ? (
                <EChart
                  option={option}
                  height={150}
                  renderer="svg"
                  ariaLabel={t("enterpriseRisk.warning.gaugeLabel", {
                    score: w.score,
                    level: t(`enterpriseRisk.levels.${w.level}`),
                  })}
                  testId="risk-gauge"
                />
              ) : null}
            </Col>
            <Col xs={12} sm={14}>
              <Statistic
                title={t("enterpriseRisk.warning.score")}
                value={w.score}
                suffix="/ 100"
                styles={{ content: { color: LEVEL_HEX[w.level] } }}
                data-testid="risk-warning-score"
                data-score={w.score}
              />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {w.computedAt
                  ? t("enterpriseRisk.warning.computedAt", {
                      time: formatTime(w.computedAt, i18n.resolvedLanguage),
                    })
                  : t("enterpriseRisk.warning.notComputed")}
              </Typography.Text>
              {w.openCase ? (
                <div style={{ marginTop: 6 }}>
                  <Typography.Text type="secondary">
                    {t("enterpriseRisk.warning.openCase")}：
                  </Typography.Text>
                  <Link to={`/cases/${w.openCase.id}`} data-testid="risk-open-case">
                    {w.openCase.code}
                  </Link>
                </div>
              ) : null}
            </Col>
          </Row>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: "4px 0 8px" }}>
            {t("enterpriseRisk.warning.thresholds", w.thresholds)}
          </Typography.Paragraph>
          <Typography.Text strong>{t("enterpriseRisk.warning.signals")}</Typography.Text>
          <Table
            size="small"
            rowKey="code"
            pagination={false}
            dataSource={signals}
            data-testid="risk-signals"
            style={{ marginTop: 8 }}
            onRow={(s) => ({ "data-signal": s.code, "data-points": s.points }) as object}
            columns={[
              {
                key: "signal",
                title: t("enterpriseRisk.warning.signal"),
                render: (_v, s) => (
                  <div>
                    <Typography.Text strong={s.points > 0}>
                      {t(`enterpriseRisk.signals.${s.code}`)}
                    </Typography.Text>
                    <div data-testid={`risk-signal-${s.code}`}>
                      {signalValueText(s, t, i18n.resolvedLanguage)}
                    </div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t(`enterpriseRisk.signalSources.${s.code}`)}
                    </Typography.Text>
                  </div>
                ),
              },
              {
                key: "points",
                title: t("enterpriseRisk.warning.points"),
                width: 96,
                align: "right",
                render: (_v, s) => (
                  <Space direction="vertical" size={0} style={{ alignItems: "flex-end" }}>
                    <Typography.Text
                      strong
                      style={{ color: s.points > 0 ? LEVEL_HEX.warning : undefined }}
                    >
                      {s.points}
                    </Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t("enterpriseRisk.warning.weight")} {s.weight}
                    </Typography.Text>
                  </Space>
                ),
              },
            ]}
          />
        </>
      ) : null}
    </Card>
  );
}

// ------------------------------------------------------------------- rating

function RatingCard(props: { risk: EnterpriseRisk | undefined; loading: boolean }) {
  const { t, i18n } = useTranslation();
  const r = props.risk?.rating;
  return (
    <Card
      size="small"
      title={t("enterpriseRisk.rating.title")}
      loading={props.loading}
      data-testid="risk-rating"
      extra={r ? <GradeTag rating={r.rating} testId="risk-rating-grade" /> : null}
    >
      {r ? (
        <>
          <Space align="baseline" wrap style={{ marginBottom: 4 }}>
            <Typography.Text
              style={{
                fontSize: 40,
                fontWeight: 600,
                lineHeight: 1,
                color: r.rating ? RATING_HEX[r.rating] : undefined,
              }}
              data-testid="risk-rating-letter"
            >
              {r.rating ?? "—"}
            </Typography.Text>
            <Typography.Text>
              {t("enterpriseRisk.rating.score")} <strong>{r.score ?? "—"}</strong> / 100
            </Typography.Text>
            <Typography.Text type="secondary" data-testid="risk-rating-next">
              {r.next
                ? r.next.pointsNeeded > 0
                  ? t("enterpriseRisk.rating.next", {
                      rating: r.next.rating,
                      points: r.next.pointsNeeded,
                    })
                  : t("enterpriseRisk.rating.nextReached", { rating: r.next.rating })
                : r.rating
                  ? t("enterpriseRisk.rating.top")
                  : ""}
            </Typography.Text>
          </Space>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
            {t("enterpriseRisk.rating.thresholds", r.thresholds)}
            {r.computedAt
              ? ` · ${t("enterpriseRisk.rating.computedAt", {
                  time: formatTime(r.computedAt, i18n.resolvedLanguage),
                })}`
              : ""}
          </Typography.Paragraph>
          {r.cappedBy ? (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 8 }}
              message={t("enterpriseRisk.rating.cappedBy")}
            />
          ) : null}
          <List
            dataSource={r.factors}
            data-testid="risk-factors"
            renderItem={(f) => (
              <List.Item data-factor={f.code} style={{ display: "block" }}>
                <Space style={{ width: "100%", justifyContent: "space-between" }}>
                  <Typography.Text strong>{t(`enterpriseRisk.factors.${f.code}`)}</Typography.Text>
                  <Typography.Text>
                    {t("enterpriseRisk.pointsOf", { points: f.points, weight: f.weight })}
                  </Typography.Text>
                </Space>
                <Progress
                  percent={Math.round((f.points / f.weight) * 100)}
                  showInfo={false}
                  size="small"
                  strokeColor={
                    f.points >= f.weight * 0.9
                      ? RATING_HEX.A
                      : f.points >= f.weight * 0.6
                        ? RATING_HEX.B
                        : RATING_HEX.D
                  }
                />
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  {factorValueText(f, t)}
                </Typography.Text>
                {f.improvements.length ? (
                  <div style={{ marginTop: 4 }} data-testid={`risk-improve-${f.code}`}>
                    <Typography.Text style={{ fontSize: 13 }}>
                      {t("enterpriseRisk.rating.howToImprove")}：
                    </Typography.Text>
                    <ul style={{ margin: "2px 0 0", paddingInlineStart: 20, fontSize: 13 }}>
                      {f.improvements.map((i) => (
                        <li key={`${i.code}-${i.params.count ?? ""}`}>{improvementText(i, t)}</li>
                      ))}
                    </ul>
                  </div>
                ) : null}
              </List.Item>
            )}
          />
        </>
      ) : null}
    </Card>
  );
}

// ------------------------------------------------------------------ payroll

function PayrollCard(props: {
  enterpriseId: string;
  list: PayrollList | undefined;
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  onChanged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage;
  const l = props.list;
  const [form, setForm] = useState<{ open: boolean; correcting: PayrollDeclaration | null }>({
    open: false,
    correcting: null,
  });
  const mayDeclare = l?.allowedActions.includes("declare") ?? false;
  const maySign = l?.allowedActions.includes("sign") ?? false;
  // Kept stable between renders: the form resets when it changes.
  const declarable = useMemo(() => {
    if (!l) return [];
    const declared = new Set(l.items.map((d) => d.period));
    return Array.from({ length: DECLARE_MONTHS_BACK + 1 }, (_, i) =>
      shiftPeriod(l.currentPeriod, -i),
    ).filter((p) => !declared.has(p));
  }, [l]);
  const money = (v: number) => formatYuan(v, lang);

  const columns: TableColumnsType<PayrollDeclaration> = [
    {
      key: "period",
      title: t("enterpriseRisk.payroll.period"),
      dataIndex: "period",
      width: 90,
      fixed: "left",
    },
    {
      key: "paidOnTime",
      title: t("enterpriseRisk.payroll.paidOnTime"),
      width: 90,
      render: (_v, d) =>
        d.paidOnTime ? (
          <Tag color="green">{t("enterpriseRisk.payroll.yes")}</Tag>
        ) : (
          <Tag color="orange">{t("enterpriseRisk.payroll.no")}</Tag>
        ),
    },
    {
      key: "paidOn",
      title: t("enterpriseRisk.payroll.paidOn"),
      width: 110,
      render: (_v, d) => d.paidOn ?? t("enterpriseRisk.payroll.notPaid"),
    },
    {
      key: "headcount",
      title: t("enterpriseRisk.payroll.headcount"),
      dataIndex: "headcountPaid",
      width: 90,
      align: "right",
    },
    {
      key: "due",
      title: t("enterpriseRisk.payroll.amountDue"),
      width: 140,
      align: "right",
      render: (_v, d) => money(d.amountDue),
    },
    {
      key: "paid",
      title: t("enterpriseRisk.payroll.amountPaid"),
      width: 140,
      align: "right",
      render: (_v, d) => money(d.amountPaid),
    },
    {
      key: "arrears",
      title: t("enterpriseRisk.payroll.arrears"),
      width: 130,
      align: "right",
      render: (_v, d) =>
        d.arrears > 0 ? (
          <Typography.Text type="danger" strong data-testid={`payroll-arrears-${d.period}`}>
            {money(d.arrears)}
          </Typography.Text>
        ) : (
          "0"
        ),
    },
    {
      key: "declaredAt",
      title: t("enterpriseRisk.payroll.declaredAt"),
      width: 200,
      render: (_v, d) => (
        <Space size={4} wrap>
          <span>{formatTime(d.declaredAt, lang)}</span>
          {d.late ? <Tag color="gold">{t("enterpriseRisk.payroll.lateFiled")}</Tag> : null}
          {d.correctedAt ? <Tag>{t("enterpriseRisk.payroll.corrected")}</Tag> : null}
        </Space>
      ),
    },
    {
      key: "signed",
      title: t("enterpriseRisk.payroll.signature"),
      width: 150,
      render: (_v, d) => (
        <PayrollSignature
          enterpriseId={props.enterpriseId}
          declaration={d}
          maySign={maySign}
          onSigned={props.onChanged}
        />
      ),
    },
    {
      key: "note",
      title: t("enterpriseRisk.payroll.note"),
      dataIndex: "note",
      width: 180,
      ellipsis: true,
    },
  ];
  if (mayDeclare)
    columns.push({
      key: "actions",
      title: "",
      width: 90,
      fixed: "right",
      render: (_v, d) => (
        <Button
          size="small"
          icon={<EditOutlined />}
          onClick={() => setForm({ open: true, correcting: d })}
          data-testid={`payroll-correct-${d.period}`}
        >
          {t("enterpriseRisk.payroll.correct")}
        </Button>
      ),
    });

  return (
    <Card
      size="small"
      title={t("enterpriseRisk.payroll.title")}
      loading={props.loading}
      data-testid="risk-payroll"
      extra={
        mayDeclare && declarable.length > 0 ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setForm({ open: true, correcting: null })}
            data-testid="payroll-declare"
          >
            {l && !l.currentDeclared
              ? t("enterpriseRisk.payroll.declareCurrent")
              : t("enterpriseRisk.payroll.declare")}
          </Button>
        ) : null
      }
    >
      {props.error && !l ? <ErrorAlert error={props.error} onRetry={props.onRetry} /> : null}
      {l ? (
        <>
          {mayDeclare ? (
            <Typography.Paragraph type="secondary">
              {t("enterpriseRisk.payroll.intro")}
            </Typography.Paragraph>
          ) : null}
          <Space wrap style={{ marginBottom: 8 }}>
            {l.currentDeclared ? (
              <Tag color="green" data-testid="payroll-current-state" data-declared="true">
                {t("enterpriseRisk.payroll.declared", { period: l.currentPeriod })}
              </Tag>
            ) : (
              <Tag color="gold" data-testid="payroll-current-state" data-declared="false">
                {t("enterpriseRisk.payroll.due", { period: l.currentPeriod })}
              </Tag>
            )}
            {l.missingPeriods.length ? (
              <Tag color="red" data-testid="payroll-missing">
                {t("enterpriseRisk.payroll.missing", { periods: l.missingPeriods.join("、") })}
              </Tag>
            ) : null}
          </Space>
          <Table
            size="small"
            rowKey="id"
            columns={columns}
            dataSource={l.items}
            pagination={false}
            scroll={{ x: 1250 }}
            locale={{ emptyText: <Empty description={t("enterpriseRisk.payroll.empty")} /> }}
            data-testid="payroll-table"
            onRow={(d) => ({ "data-period": d.period }) as object}
          />
          <PayrollFormModal
            enterpriseId={props.enterpriseId}
            open={form.open}
            correcting={form.correcting}
            declarable={declarable}
            currentPeriod={l.currentPeriod}
            onClose={() => setForm({ open: false, correcting: null })}
            onDone={() => {
              setForm({ open: false, correcting: null });
              props.onChanged();
            }}
          />
        </>
      ) : null}
    </Card>
  );
}

// ------------------------------------------------------------------ history

/** The day in China of an instant. */
const day = (iso: string) =>
  new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

function HistoryCard(props: { risk: EnterpriseRisk | undefined; loading: boolean }) {
  const { t, i18n } = useTranslation();
  const r = props.risk;
  const warningOption = useMemo(() => {
    if (!r) return null;
    // Changes oldest first, then where it stands now: a step line of the score.
    const points = [...r.warningHistory]
      .reverse()
      .map((h) => [day(h.at), h.score] as [string, number]);
    if (r.warning.computedAt) points.push([day(r.warning.computedAt), r.warning.score]);
    const th = r.warning.thresholds;
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 36, right: 12, top: 24, bottom: 28 },
      xAxis: { type: "time" },
      yAxis: { type: "value", min: 0, max: 100 },
      series: [
        {
          name: t("enterpriseRisk.history.warning"),
          type: "line",
          step: "end",
          data: points,
          itemStyle: { color: LEVEL_HEX[r.warning.level] },
          markArea: {
            silent: true,
            data: [
              [
                { yAxis: th.watch, itemStyle: { color: "rgba(250,173,20,0.08)" } },
                { yAxis: th.warning },
              ],
              [
                { yAxis: th.warning, itemStyle: { color: "rgba(250,140,22,0.12)" } },
                { yAxis: th.alarm },
              ],
              [{ yAxis: th.alarm, itemStyle: { color: "rgba(245,34,45,0.12)" } }, { yAxis: 100 }],
            ],
          },
        },
      ],
    } satisfies EChartsCoreOption;
  }, [r, t]);
  const ratingOption = useMemo(() => {
    if (!r) return null;
    const th = r.rating.thresholds;
    return {
      tooltip: {
        trigger: "axis",
        valueFormatter: (v: unknown) => `${v}`,
      },
      grid: { left: 36, right: 12, top: 24, bottom: 28 },
      xAxis: { type: "time" },
      yAxis: { type: "value", min: 0, max: 100 },
      series: [
        {
          name: t("enterpriseRisk.history.rating"),
          type: "line",
          data: r.ratingHistory.map((h) => [h.on, h.score]),
          itemStyle: { color: r.rating.rating ? RATING_HEX[r.rating.rating] : undefined },
          markArea: {
            silent: true,
            data: RATINGS.filter((g) => g !== "D").map((g) => [
              {
                yAxis: th[g as "A" | "B" | "C"],
                name: g,
                itemStyle: { color: `${RATING_HEX[g]}14` },
                label: { position: "insideLeft", color: "#8c8c8c" },
              },
              { yAxis: g === "A" ? 100 : th[(g === "B" ? "A" : "B") as "A" | "B"] },
            ]),
          },
        },
      ],
    } satisfies EChartsCoreOption;
  }, [r, t]);
  return (
    <Card
      size="small"
      title={t("enterpriseRisk.history.title")}
      loading={props.loading}
      data-testid="risk-history"
    >
      {r ? (
        <Row gutter={[16, 16]}>
          <Col xs={24} md={12}>
            <Typography.Text strong>{t("enterpriseRisk.history.warning")}</Typography.Text>
            {warningOption && r.warningHistory.length + (r.warning.computedAt ? 1 : 0) > 0 ? (
              <EChart option={warningOption} height={200} testId="risk-history-warning" />
            ) : (
              <Empty description={t("enterpriseRisk.history.empty")} />
            )}
            {r.warningHistory.length ? (
              <List
                size="small"
                header={t("enterpriseRisk.history.changes")}
                dataSource={r.warningHistory.slice(0, 6)}
                renderItem={(h) => (
                  <List.Item>
                    <Space wrap size={4}>
                      <Typography.Text type="secondary">
                        {formatTime(h.at, i18n.resolvedLanguage)}
                      </Typography.Text>
                      {t("enterpriseRisk.history.change", {
                        from: t(`enterpriseRisk.levels.${h.previousLevel ?? "none"}`),
                        to: t(`enterpriseRisk.levels.${h.level}`),
                        score: h.score,
                      })}
                      {h.case ? <Link to={`/cases/${h.case.id}`}>{h.case.code}</Link> : null}
                    </Space>
                  </List.Item>
                )}
              />
            ) : null}
          </Col>
          <Col xs={24} md={12}>
            <Typography.Text strong>{t("enterpriseRisk.history.rating")}</Typography.Text>
            {ratingOption && r.ratingHistory.length > 0 ? (
              <EChart option={ratingOption} height={200} testId="risk-history-rating" />
            ) : (
              <Empty description={t("enterpriseRisk.history.empty")} />
            )}
          </Col>
        </Row>
      ) : null}
    </Card>
  );
}
