/**
 * One district report, as read on screen and on paper: the heading and
 * period, the highlights, the overview against the period before, the
 * sub-areas (with a bar chart), departments, case families, the scorecards'
 * two ends, collaboration and the notes. Plain tables, so the print CSS can
 * lay them out on A4 and break pages between sections.
 */
import { ArrowDownOutlined, ArrowUpOutlined, MinusOutlined } from "@ant-design/icons";
import { Table, type TableColumnsType, Tag, Typography } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { ReportContent, ReportKpi } from "../../../shared/schemas/reports.js";
import { EChart } from "../../ui/echart.js";
import { changeOf, formatFigure, formatRate } from "./reports-model.js";

const GOOD = "#389e0d";
const BAD = "#cf1322";
const NEUTRAL = "#595959";

function Change(props: { k: ReportKpi }) {
  const { t } = useTranslation();
  const c = changeOf(props.k);
  if (!c) return <Typography.Text type="secondary">—</Typography.Text>;
  const Icon =
    c.direction === "up"
      ? ArrowUpOutlined
      : c.direction === "down"
        ? ArrowDownOutlined
        : MinusOutlined;
  return (
    <span
      style={{ color: c.good === null ? NEUTRAL : c.good ? GOOD : BAD, whiteSpace: "nowrap" }}
      data-testid="report-change"
      data-direction={c.direction}
    >
      <Icon /> {c.points ? t("reports.view.points", { delta: c.text }) : c.text}
    </span>
  );
}

function Section(props: {
  title: string;
  note?: string | undefined;
  testId?: string;
  children: React.ReactNode;
}) {
  return (
    <section className="gz-report-section" data-testid={props.testId}>
      <Typography.Title level={4} style={{ marginTop: 20 }}>
        {props.title}
        {props.note ? (
          <Typography.Text
            type="secondary"
            style={{ fontSize: 13, fontWeight: "normal", marginLeft: 8 }}
          >
            {props.note}
          </Typography.Text>
        ) : null}
      </Typography.Title>
      {props.children}
    </section>
  );
}

const small = { size: "small" as const, pagination: false as const, bordered: true };

export function ReportView(props: { content: ReportContent }) {
  const { t, i18n } = useTranslation();
  const c = props.content;
  const none = t("reports.view.none");
  const lang = i18n.resolvedLanguage ?? "zh-CN";
  const rate = (v: number | null) => formatRate(v, none);
  const months = t("reports.view.months", { from: c.departments.from, to: c.departments.to });
  const showMonths = c.kind === "weekly" || !c.complete;

  const areaChart = useMemo(
    () => ({
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: {
        type: "category",
        inverse: true,
        data: c.areas.items.map((a) => a.name),
        axisLabel: { width: 120, overflow: "truncate" },
      },
      series: [
        {
          type: "bar",
          name: t("reports.view.received"),
          data: c.areas.items.map((a) => a.received),
          itemStyle: { color: "#1668dc" },
          label: { show: true, position: "right" },
        },
      ],
      animation: false,
    }),
    [c.areas.items, t],
  );

  const kpiColumns: TableColumnsType<ReportKpi> = [
    {
      key: "label",
      title: t("reports.view.indicator"),
      render: (_v, k) =>
        t(`reports.kpi.${k.key}` as "reports.kpi.received", { defaultValue: k.label }),
    },
    {
      key: "value",
      title: t("reports.view.current"),
      align: "right",
      render: (_v, k) => <strong>{formatFigure(k.unit, k.value, none, lang)}</strong>,
    },
    {
      key: "previous",
      title: t("reports.view.previous"),
      align: "right",
      render: (_v, k) => formatFigure(k.unit, k.previous, none, lang),
    },
    {
      key: "change",
      title: t("reports.view.change"),
      align: "right",
      render: (_v, k) => <Change k={k} />,
    },
  ];

  type Score = ReportContent["scorecards"]["top"][number];
  const scoreColumns: TableColumnsType<Score> = [
    { key: "rank", title: t("reports.view.rank"), dataIndex: "rank", width: 60 },
    { key: "name", title: t("reports.view.department"), dataIndex: "name" },
    {
      key: "score",
      title: t("reports.view.score"),
      align: "right",
      render: (_v, r) => r.score.toFixed(1),
    },
    {
      key: "dispatched",
      title: t("reports.view.dispatched"),
      dataIndex: "dispatched",
      align: "right",
    },
    { key: "resolved", title: t("reports.view.resolved"), dataIndex: "resolved", align: "right" },
    {
      key: "accept",
      title: t("reports.view.acceptOnTime"),
      align: "right",
      render: (_v, r) => rate(r.acceptOnTimeRate),
    },
    {
      key: "onTime",
      title: t("reports.view.onTime"),
      align: "right",
      render: (_v, r) => rate(r.resolveOnTimeRate),
    },
    {
      key: "satisfied",
      title: t("reports.view.satisfiedRate"),
      align: "right",
      render: (_v, r) => rate(r.satisfiedRate),
    },
    { key: "returned", title: t("reports.view.returned"), dataIndex: "returned", align: "right" },
    { key: "overdue", title: t("reports.view.overdue"), dataIndex: "overdue", align: "right" },
  ];

  return (
    <article className="gz-report" data-testid="report-view" data-period={c.period}>
      <header style={{ textAlign: "center", marginBottom: 8 }}>
        <Typography.Title level={2} style={{ marginBottom: 4 }} data-testid="report-heading">
          {t("reports.view.heading", { area: c.area.name, kind: t(`reports.kinds.${c.kind}`) })}
        </Typography.Title>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {c.label}
          {!c.complete ? (
            <Tag color="orange" style={{ marginLeft: 8 }}>
              {t("reports.incomplete")}
            </Tag>
          ) : null}
        </Typography.Title>
        <Typography.Text type="secondary">
          {t("reports.view.period", { from: c.from, to: c.to })}　
          {t("reports.view.compare", {
            label: c.previous.label,
            from: c.previous.from,
            to: c.previous.to,
          })}
        </Typography.Text>
      </header>

      <Section title={t("reports.view.highlights")} testId="report-highlights">
        {c.highlights.length ? (
          <ol style={{ paddingInlineStart: 20, margin: 0 }}>
            {c.highlights.map((h) => (
              <li key={h} style={{ marginBottom: 4 }} data-testid="report-highlight">
                {h}
              </li>
            ))}
          </ol>
        ) : (
          <Typography.Text type="secondary">{t("reports.view.noHighlights")}</Typography.Text>
        )}
      </Section>

      <Section title={t("reports.view.overview")} testId="report-overview">
        <Table<ReportKpi>
          {...small}
          rowKey="key"
          columns={kpiColumns}
          dataSource={c.kpis}
          data-testid="report-kpis"
        />
        <Typography.Paragraph style={{ marginTop: 8 }}>
          {t("reports.view.nowOpen")}：<strong>{c.now.open}</strong>　{t("reports.view.nowOverdue")}
          ：<strong style={{ color: c.now.overdue > 0 ? BAD : undefined }}>{c.now.overdue}</strong>
        </Typography.Paragraph>
      </Section>

      <Section
        title={t(`reports.view.areas.${c.areas.level}` as "reports.view.areas.street", {
          defaultValue: c.areas.level,
        })}
        testId="report-areas"
      >
        {c.areas.items.length ? (
          <>
            <div className="gz-report-chart">
              <EChart
                option={areaChart}
                renderer="svg"
                height={Math.max(160, c.areas.items.length * 26 + 40)}
                ariaLabel={t(`reports.view.areas.${c.areas.level}` as "reports.view.areas.street")}
                testId="report-area-chart"
              />
            </div>
            <Table
              {...small}
              rowKey="areaId"
              dataSource={c.areas.items}
              columns={[
                { key: "name", title: t("reports.view.areaName"), dataIndex: "name" },
                {
                  key: "received",
                  title: t("reports.view.received"),
                  dataIndex: "received",
                  align: "right",
                },
                {
                  key: "onTime",
                  title: t("reports.view.onTime"),
                  align: "right",
                  render: (_v, r) => rate(r.resolveOnTimeRate),
                },
                { key: "open", title: t("reports.view.open"), dataIndex: "open", align: "right" },
                {
                  key: "overdue",
                  title: t("reports.view.overdue"),
                  dataIndex: "overdue",
                  align: "right",
                },
              ]}
            />
          </>
        ) : (
          <Typography.Text type="secondary">{none}</Typography.Text>
        )}
      </Section>

      <Section
        title={t("reports.view.departments")}
        note={showMonths ? months : undefined}
        testId="report-departments"
      >
        <Table
          {...small}
          rowKey="key"
          dataSource={c.departments.items}
          locale={{ emptyText: none }}
          columns={[
            { key: "label", title: t("reports.view.department"), dataIndex: "label" },
            {
              key: "received",
              title: t("reports.view.received"),
              dataIndex: "received",
              align: "right",
            },
            {
              key: "dispatched",
              title: t("reports.view.dispatched"),
              dataIndex: "dispatched",
              align: "right",
            },
            {
              key: "resolved",
              title: t("reports.view.resolved"),
              dataIndex: "resolved",
              align: "right",
            },
            {
              key: "onTime",
              title: t("reports.view.onTime"),
              align: "right",
              render: (_v, r) => rate(r.resolveOnTimeRate),
            },
            {
              key: "returned",
              title: t("reports.view.returned"),
              dataIndex: "returned",
              align: "right",
            },
            {
              key: "supervised",
              title: t("reports.view.supervised"),
              dataIndex: "supervised",
              align: "right",
            },
            {
              key: "satisfaction",
              title: t("reports.view.satisfaction"),
              align: "right",
              render: (_v, r) => (r.satisfaction === null ? none : r.satisfaction.toFixed(2)),
            },
          ]}
        />
      </Section>

      <Section
        title={t("reports.view.families")}
        note={showMonths ? months : undefined}
        testId="report-families"
      >
        <Table
          {...small}
          rowKey="key"
          dataSource={c.families.items}
          locale={{ emptyText: none }}
          columns={[
            { key: "label", title: t("reports.view.family"), dataIndex: "label" },
            {
              key: "received",
              title: t("reports.view.received"),
              dataIndex: "received",
              align: "right",
            },
            {
              key: "previous",
              title: `${t("reports.view.comparison")}（${c.families.previousFrom} ~ ${c.families.previousTo}）`,
              dataIndex: "previous",
              align: "right",
            },
            {
              key: "resolved",
              title: t("reports.view.resolved"),
              dataIndex: "resolved",
              align: "right",
            },
            {
              key: "onTime",
              title: t("reports.view.onTime"),
              align: "right",
              render: (_v, r) => rate(r.resolveOnTimeRate),
            },
          ]}
        />
      </Section>

      <Section
        title={t("reports.view.scorecards")}
        note={t("reports.view.months", { from: c.scorecards.from, to: c.scorecards.to })}
        testId="report-scorecards"
      >
        <Typography.Text strong>{t("reports.view.top")}</Typography.Text>
        <Table<Score>
          {...small}
          rowKey="departmentId"
          dataSource={c.scorecards.top}
          columns={scoreColumns}
          locale={{ emptyText: none }}
        />
        {c.scorecards.bottom.length ? (
          <>
            <Typography.Text strong style={{ display: "block", marginTop: 12 }}>
              {t("reports.view.bottom")}
            </Typography.Text>
            <Table<Score>
              {...small}
              rowKey="departmentId"
              dataSource={c.scorecards.bottom}
              columns={scoreColumns}
            />
          </>
        ) : null}
      </Section>

      <Section
        title={t("reports.view.collaboration")}
        note={t("reports.view.months", { from: c.collaboration.from, to: c.collaboration.to })}
        testId="report-collaboration"
      >
        <Typography.Paragraph>
          {t("reports.view.multiSubjectRate")}：
          <strong>{rate(c.collaboration.multiSubjectRate)}</strong>　
          {t("reports.view.multiKindRate")}：<strong>{rate(c.collaboration.multiKindRate)}</strong>
          　{t("reports.view.bounced")}：<strong>{c.collaboration.bounced}</strong>　
          {t("reports.view.avgAcceptHours")}：
          <strong>
            {c.collaboration.avgAcceptHours === null
              ? none
              : c.collaboration.avgAcceptHours.toFixed(1)}
          </strong>
          　{t("reports.view.tasks")}：
          <strong>
            {c.collaboration.tasksAssigned} / {c.collaboration.tasksDone}
          </strong>
        </Typography.Paragraph>
        {c.collaboration.pairs.length ? (
          <>
            <Typography.Text strong>{t("reports.view.pairs")}</Typography.Text>
            <Table
              {...small}
              rowKey={(p) => `${p.a}|${p.b}`}
              dataSource={c.collaboration.pairs}
              columns={[
                { key: "a", title: t("reports.view.pairA"), dataIndex: "a" },
                { key: "b", title: t("reports.view.pairB"), dataIndex: "b" },
                {
                  key: "cases",
                  title: t("reports.view.cases"),
                  dataIndex: "cases",
                  align: "right",
                },
              ]}
            />
          </>
        ) : null}
      </Section>

      {c.notes.length ? (
        <Section title={t("reports.view.notes")} testId="report-notes">
          <ul style={{ paddingInlineStart: 20, margin: 0, color: NEUTRAL }}>
            {c.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </Section>
      ) : null}
    </article>
  );
}
