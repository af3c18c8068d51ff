/**
 * A district report as a workbook: 概况 (the overview, highlights and notes),
 * 分街道 (or 分社区 / 分网格: the sub-areas), 分部门, 分类别, 考核 and 协同 —
 * built with the exports module's helpers from the stored content, so the
 * file says exactly what the printable page says.
 */
import type { ReportContent } from "../../../shared/schemas/reports.js";
import { xlsxSheet, xlsxWorkbook } from "../exports/xlsx-export.js";

const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
const AREA_SHEET: Record<string, string> = {
  street: "分街道",
  community: "分社区",
  grid: "分网格",
};

type Cell = string | number | null;

/** A figure in the unit people read: rates in %, the rest as they are. */
function shown(unit: string, v: number | null): Cell {
  if (v === null) return null;
  return unit === "rate" ? pct(v) : v;
}

export function reportWorkbook(c: ReportContent): Promise<Buffer> {
  const overview: Cell[][] = [
    ["区域", c.area.name, null, null],
    ["期次", c.label, null, null],
    ["统计时段", `${c.from} 至 ${c.to}`, null, null],
    ["对比期", `${c.previous.label}（${c.previous.from} 至 ${c.previous.to}）`, null, null],
    [null, null, null, null],
    ["指标", "本期", "上期", "变化"],
    ...c.kpis.map((k) => [
      k.unit === "rate" ? `${k.label}(%)` : k.label,
      shown(k.unit, k.value),
      shown(k.unit, k.previous),
      k.change === null ? null : k.unit === "rate" ? pct(k.change) : Math.round(k.change * 10) / 10,
    ]),
    ["在办（生成时）", c.now.open, null, null],
    ["超期（生成时）", c.now.overdue, null, null],
    [null, null, null, null],
    ["要点", null, null, null],
    ...c.highlights.map((h, i) => [`${i + 1}. ${h}`, null, null, null]),
    [null, null, null, null],
    ["说明", null, null, null],
    ...c.notes.map((n) => [n, null, null, null]),
  ];
  const scoreRows = [
    ...c.scorecards.top.map((r) => ({ group: "前列", ...r })),
    ...c.scorecards.bottom.map((r) => ({ group: "靠后", ...r })),
  ];
  const pairs = c.collaboration.pairs;
  const collaboration: Cell[][] = [
    ["多主体协同率(%)", pct(c.collaboration.multiSubjectRate), null, null],
    ["多类主体协同率(%)", pct(c.collaboration.multiKindRate), null, null],
    ["反复退回事件", c.collaboration.bounced, null, null],
    ["平均签收时长(小时)", c.collaboration.avgAcceptHours, null, null],
    ["协办请求", c.collaboration.tasksAssigned, null, null],
    ["协办完成", c.collaboration.tasksDone, null, null],
    [null, null, null, null],
    ["协同主体", "主体一", "主体二", "共同结案"],
    ...pairs.map((p, i) => [`${i + 1}`, p.a, p.b, p.cases]),
  ];
  return xlsxWorkbook([
    {
      name: "概况",
      columns: [
        { header: `${c.area.name} ${c.label}${c.kind === "weekly" ? "周报" : "月报"}`, width: 44 },
        { header: "", width: 30 },
        { header: "", width: 14 },
        { header: "", width: 14 },
      ],
      rows: overview,
    },
    xlsxSheet(
      AREA_SHEET[c.areas.level] ?? "分区域",
      [
        { header: "区域", width: 24, value: (x) => x.name },
        { header: "受理", width: 10, value: (x) => x.received },
        { header: "按时办结率%", width: 12, value: (x) => pct(x.resolveOnTimeRate) },
        { header: "在办（生成时）", width: 14, value: (x) => x.open },
        { header: "超期（生成时）", width: 14, value: (x) => x.overdue },
      ],
      c.areas.items,
    ),
    xlsxSheet(
      "分部门",
      [
        { header: "部门", width: 28, value: (x) => x.label },
        { header: "受理", width: 8, value: (x) => x.received },
        { header: "派发", width: 8, value: (x) => x.dispatched },
        { header: "签收", width: 8, value: (x) => x.accepted },
        { header: "办结", width: 8, value: (x) => x.resolved },
        { header: "按时办结率%", width: 12, value: (x) => pct(x.resolveOnTimeRate) },
        { header: "退回", width: 8, value: (x) => x.returned },
        { header: "督办", width: 8, value: (x) => x.supervised },
        { header: "满意度(1-5)", width: 10, value: (x) => x.satisfaction },
      ],
      c.departments.items,
    ),
    xlsxSheet(
      "分类别",
      [
        { header: "事项大类", width: 24, value: (x) => x.label },
        { header: "受理", width: 8, value: (x) => x.received },
        {
          header: `对比期受理（${c.families.previousFrom} 至 ${c.families.previousTo}）`,
          width: 30,
          value: (x) => x.previous,
        },
        { header: "办结", width: 8, value: (x) => x.resolved },
        { header: "按时办结率%", width: 12, value: (x) => pct(x.resolveOnTimeRate) },
      ],
      c.families.items,
    ),
    xlsxSheet(
      "考核",
      [
        { header: "分组", width: 8, value: (x) => x.group },
        { header: "排名", width: 6, value: (x) => x.rank },
        { header: "部门", width: 28, value: (x) => x.name },
        { header: "综合得分", width: 10, value: (x) => x.score },
        { header: "派发", width: 8, value: (x) => x.dispatched },
        { header: "办结", width: 8, value: (x) => x.resolved },
        { header: "按时签收率%", width: 12, value: (x) => pct(x.acceptOnTimeRate) },
        { header: "按时办结率%", width: 12, value: (x) => pct(x.resolveOnTimeRate) },
        { header: "满意率%", width: 10, value: (x) => pct(x.satisfiedRate) },
        { header: "退回", width: 8, value: (x) => x.returned },
        { header: "在办", width: 8, value: (x) => x.open },
        { header: "超期", width: 8, value: (x) => x.overdue },
      ],
      scoreRows,
    ),
    {
      name: "协同",
      columns: [
        { header: "指标", width: 22 },
        { header: "数值", width: 28 },
        { header: "", width: 28 },
        { header: "", width: 10 },
      ],
      rows: collaboration,
    },
  ]);
}
