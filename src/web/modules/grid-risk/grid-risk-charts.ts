/**
 * The 网格风险 charts as ECharts options: each signal's points of the score
 * (bars), the score over 90 days with the level lines, and cases per month.
 * Pure, so the shapes are tested without a browser.
 */
import type { EChartsCoreOption } from "echarts/core";
import type { GridProfile, GridRiskSignalValue } from "../../../shared/schemas/grid-risk.js";
import { LEVEL_HEX } from "./grid-risk-model.js";

/** Bars of points per signal, the biggest on top; each bar in its level's colour by normalised value. */
export function contributionsOption(
  signals: readonly GridRiskSignalValue[],
  nameOf: (code: GridRiskSignalValue["code"]) => string,
  pointsLabel: string,
): EChartsCoreOption {
  const sorted = [...signals].sort((a, b) => a.contribution - b.contribution);
  return {
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: { type: "value", name: pointsLabel, minInterval: 1 },
    yAxis: { type: "category", data: sorted.map((s) => nameOf(s.code)) },
    series: [
      {
        type: "bar",
        name: pointsLabel,
        data: sorted.map((s) => ({
          value: s.contribution,
          itemStyle: {
            color:
              s.normalised >= 70
                ? LEVEL_HEX.high
                : s.normalised >= 40
                  ? LEVEL_HEX.medium
                  : LEVEL_HEX.low,
          },
        })),
        label: { show: true, position: "right" },
        barMaxWidth: 18,
      },
    ],
  };
}

/** The score per day with dashed lines at the medium and high levels. */
export function historyOption(
  history: GridProfile["history"],
  levels: { mediumLevel: number; highLevel: number },
  labels: { score: string; medium: string; high: string },
): EChartsCoreOption {
  return {
    grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: history.map((h) => h.day), boundaryGap: false },
    yAxis: { type: "value", min: 0, max: 100 },
    series: [
      {
        type: "line",
        name: labels.score,
        data: history.map((h) => h.score),
        showSymbol: false,
        itemStyle: { color: "#1668dc" },
        markLine: {
          silent: true,
          symbol: "none",
          data: [
            {
              yAxis: levels.mediumLevel,
              name: labels.medium,
              lineStyle: { color: LEVEL_HEX.medium, type: "dashed" },
              label: { formatter: labels.medium, position: "insideEndTop" },
            },
            {
              yAxis: levels.highLevel,
              name: labels.high,
              lineStyle: { color: LEVEL_HEX.high, type: "dashed" },
              label: { formatter: labels.high, position: "insideEndTop" },
            },
          ],
        },
      },
    ],
  };
}

/** Cases reported per month. */
export function caseTrendOption(
  trend: GridProfile["profile"]["caseTrend"],
  label: string,
): EChartsCoreOption {
  return {
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: trend.map((m) => m.month) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", name: label, data: trend.map((m) => m.received), barMaxWidth: 24 }],
  };
}
