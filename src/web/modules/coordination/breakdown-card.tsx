/**
 * 分项统计 and 部门考核: the period's figures by department, family, category
 * or sub-area (a sub-area's row drills into it), and the departments'
 * scorecards, ranked, with the spreadsheet the server builds. Each table can
 * be sorted by any figure and saved as CSV.
 */
import { DownloadOutlined } from "@ant-design/icons";
import { Button, Card, Table, Tabs, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type {
  BreakdownDimension,
  BreakdownResponse,
  KpiFigures,
  ScorecardResponse,
} from "../../../shared/schemas/coordination.js";
import type messages from "../../i18n/coordination/coordination.zh-CN.js";
import { useApi } from "../../ui/use-api.js";
import {
  loadBreakdown,
  loadScorecards,
  type Scope,
  scorecardsXlsxUrl,
} from "./coordination-api.js";
import { CoordinationError, ExportCsvButton } from "./coordination-bits.js";
import { csvPercent, formatKpi, type KpiKind } from "./coordination-model.js";

export const BREAKDOWN_TABS = ["department", "family", "category", "area", "scorecards"] as const;
export type BreakdownTab = (typeof BREAKDOWN_TABS)[number];

type Row = BreakdownResponse["items"][number];
type CardRow = ScorecardResponse["items"][number];

/** The columns with a title in coordination.col. */
type ColKey = keyof (typeof messages)["col"];

/** A figure column: what it shows, how (count, rate …), for the table and the CSV alike. */
interface Figure<R> {
  key: ColKey;
  kind: KpiKind;
  value: (r: R) => number | null;
}

const fig = <R extends KpiFigures>(key: keyof KpiFigures & ColKey, kind: KpiKind): Figure<R> => ({
  key,
  kind,
  value: (r) => r[key],
});

const BREAKDOWN_FIGURES: Figure<Row>[] = [
  fig("received", "count"),
  fig("resolved", "count"),
  fig("closed", "count"),
  fig("acceptOnTimeRate", "rate"),
  fig("resolveOnTimeRate", "rate"),
  fig("avgHandlingHours", "hours"),
  fig("satisfaction", "score"),
  fig("satisfiedRate", "rate"),
  fig("reopenRate", "rate"),
  fig("repeatRate", "rate"),
  fig("multiSubjectRate", "rate"),
  fig("returned", "count"),
  fig("supervised", "count"),
];

const SCORECARD_FIGURES: Figure<CardRow>[] = [
  { key: "score", kind: "score", value: (r) => r.score },
  fig("dispatched", "count"),
  fig("acceptOnTimeRate", "rate"),
  fig("resolveOnTimeRate", "rate"),
  fig("returned", "count"),
  fig("supervised", "count"),
  fig("satisfaction", "score"),
  fig("satisfiedRate", "rate"),
  { key: "tasksAssigned", kind: "count", value: (r) => r.tasksAssigned },
  { key: "tasksDone", kind: "count", value: (r) => r.tasksDone },
  { key: "open", kind: "count", value: (r) => r.open },
  { key: "overdue", kind: "count", value: (r) => r.overdue },
];

/** Nulls sort below every figure. */
const byValue =
  <R,>(f: (r: R) => number | null) =>
  (a: R, b: R) =>
    (f(a) ?? Number.NEGATIVE_INFINITY) - (f(b) ?? Number.NEGATIVE_INFINITY);

function figureColumns<R>(figures: Figure<R>[], t: TFunction): ColumnsType<R> {
  const none = t("coordination.noData");
  return figures.map((f) => ({
    key: f.key,
    title: t(`coordination.col.${f.key}`),
    align: "right" as const,
    sorter: byValue(f.value),
    sortDirections: ["descend", "ascend"],
    render: (_: unknown, r: R) => {
      const v = f.value(r);
      const text = formatKpi(f.kind, v, none);
      return v === null ? <Typography.Text type="secondary">{text}</Typography.Text> : text;
    },
  }));
}

/** A figure for the CSV: rates in % with one decimal, the rest as they are. */
const csvValue = <R,>(f: Figure<R>, r: R) =>
  f.kind === "rate" ? csvPercent(f.value(r)) : f.value(r);
const csvTitle = <R,>(f: Figure<R>, t: TFunction) =>
  `${t(`coordination.col.${f.key}`)}${f.kind === "rate" ? "%" : ""}`;

function BreakdownTable(props: {
  scope: Scope;
  by: BreakdownDimension;
  tick: number;
  areaName: string;
  onDrill: (areaId: string) => void;
}) {
  const { t } = useTranslation();
  const { scope, by } = props;
  const data = useApi(`coord-breakdown:${JSON.stringify(scope)}:${by}:${props.tick}`, (signal) =>
    loadBreakdown(scope, by, signal),
  );
  if (data.error && !data.data)
    return <CoordinationError error={data.error} onRetry={data.reload} />;
  const d = data.data?.by === by ? data.data : undefined;
  const nameTitle = t(`coordination.breakdown.${by}`).replace(/^按/, "");
  const columns: ColumnsType<Row> = [
    {
      key: "label",
      title: by === "area" ? t("coordination.csv.area") : t("coordination.breakdown.name"),
      dataIndex: "label",
      fixed: "left",
      width: 200,
      sorter: (a, b) => a.label.localeCompare(b.label, "zh-CN"),
      render: (label: string) =>
        by === "area" ? <Typography.Link>{label}</Typography.Link> : label,
    },
    ...figureColumns(BREAKDOWN_FIGURES, t),
  ];
  return (
    <>
      {data.error ? <CoordinationError error={data.error} onRetry={data.reload} /> : null}
      <div style={{ display: "flex", justifyContent: "space-between", marginBottom: 8, gap: 8 }}>
        <Typography.Text type="secondary">
          {d ? t("coordination.breakdown.monthsNote", { from: d.from, to: d.to }) : null}
          {by === "area" ? ` · ${t("coordination.breakdown.drillHint")}` : null}
        </Typography.Text>
        <ExportCsvButton
          testId="breakdown-export"
          disabled={!d || d.items.length === 0}
          filename={`${props.areaName}-${t(`coordination.breakdown.${by}`)}-${d?.from ?? ""}-${d?.to ?? ""}.csv`}
          header={[
            nameTitle || t("coordination.breakdown.name"),
            ...BREAKDOWN_FIGURES.map((f) => csvTitle(f, t)),
          ]}
          rows={() =>
            (d?.items ?? []).map((r) => [r.label, ...BREAKDOWN_FIGURES.map((f) => csvValue(f, r))])
          }
        />
      </div>
      <Table<Row>
        size="small"
        rowKey="key"
        data-testid="breakdown-table"
        columns={columns}
        dataSource={d?.items ?? []}
        loading={data.loading && !d}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 1200 }}
        locale={{
          emptyText:
            by === "area"
              ? t("coordination.breakdown.emptyArea")
              : t("coordination.breakdown.empty"),
        }}
        onRow={(r) =>
          by === "area" && r.areaId
            ? {
                onClick: () => props.onDrill(r.areaId as string),
                style: { cursor: "pointer" },
                "data-testid": "breakdown-area-row",
              }
            : {}
        }
      />
    </>
  );
}

function ScorecardTable(props: { scope: Scope; tick: number }) {
  const { t } = useTranslation();
  const { scope } = props;
  const data = useApi(`coord-scorecards:${JSON.stringify(scope)}:${props.tick}`, (signal) =>
    loadScorecards(scope, signal),
  );
  if (data.error && !data.data)
    return <CoordinationError error={data.error} onRetry={data.reload} />;
  const d = data.data;
  const pct = (w: number | undefined) => `${w ?? 0}%`;
  const columns: ColumnsType<CardRow> = [
    {
      key: "rank",
      title: t("coordination.col.rank"),
      dataIndex: "rank",
      width: 64,
      fixed: "left",
      sorter: (a, b) => a.rank - b.rank,
      defaultSortOrder: "ascend",
    },
    {
      key: "name",
      title: t("coordination.col.department"),
      dataIndex: "name",
      fixed: "left",
      width: 200,
    },
    ...figureColumns(SCORECARD_FIGURES, t),
  ];
  const weights = d?.weights ?? {};
  return (
    <>
      {data.error ? <CoordinationError error={data.error} onRetry={data.reload} /> : null}
      <div style={{ display: "flex", justifyContent: "space-between", marginBottom: 8, gap: 8 }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {d ? `${t("coordination.breakdown.monthsNote", { from: d.from, to: d.to })} · ` : null}
          {t("coordination.scorecards.weights", {
            resolveOnTimeRate: pct(weights.resolveOnTimeRate),
            acceptOnTimeRate: pct(weights.acceptOnTimeRate),
            satisfiedRate: pct(weights.satisfiedRate),
            keptRate: pct(weights.keptRate),
            tasksDoneRate: pct(weights.tasksDoneRate),
          })}
        </Typography.Text>
        <Button
          size="small"
          icon={<DownloadOutlined />}
          href={scorecardsXlsxUrl(scope)}
          disabled={!d || d.items.length === 0}
          data-testid="scorecards-xlsx"
        >
          {t("coordination.exportXlsx")}
        </Button>
      </div>
      <Table<CardRow>
        size="small"
        rowKey="departmentId"
        data-testid="scorecards-table"
        columns={columns}
        dataSource={d?.items ?? []}
        loading={data.loading && !d}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 1400 }}
        locale={{ emptyText: t("coordination.scorecards.empty") }}
      />
    </>
  );
}

export function BreakdownCard(props: {
  scope: Scope;
  tick: number;
  tab: BreakdownTab;
  onTab: (tab: BreakdownTab) => void;
  areaName: string;
  onDrill: (areaId: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <Card size="small" data-testid="coordination-breakdown" styles={{ body: { paddingTop: 0 } }}>
      <Tabs
        activeKey={props.tab}
        onChange={(k) => props.onTab(k as BreakdownTab)}
        items={BREAKDOWN_TABS.map((k) => ({
          key: k,
          label: (
            <span data-testid={`breakdown-tab-${k}`}>
              {k === "scorecards"
                ? t("coordination.scorecards.title")
                : t(`coordination.breakdown.${k}`)}
            </span>
          ),
        }))}
      />
      {props.tab === "scorecards" ? (
        <ScorecardTable scope={props.scope} tick={props.tick} />
      ) : (
        <BreakdownTable
          scope={props.scope}
          by={props.tab}
          tick={props.tick}
          areaName={props.areaName}
          onDrill={props.onDrill}
        />
      )}
    </Card>
  );
}
