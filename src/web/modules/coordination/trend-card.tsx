/** 趋势: received, resolved and closed per day or month, the on-time rate on a second axis. */
import { Card, Empty, Space, Tag } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { KpiResponse } from "../../../shared/schemas/coordination.js";
import { EChart } from "../../ui/echart.js";
import { ExportCsvButton } from "./coordination-bits.js";
import { fillSeries, trendCsvRows, trendOption } from "./coordination-charts.js";

export function TrendCard(props: { data: KpiResponse | undefined; loading: boolean }) {
  const { t } = useTranslation();
  const d = props.data;
  const labels = useMemo(
    () => ({
      received: t("coordination.trend.received"),
      resolved: t("coordination.trend.resolved"),
      closed: t("coordination.trend.closed"),
      rate: t("coordination.trend.rate"),
    }),
    [t],
  );
  const series = useMemo(() => (d ? fillSeries(d.series, d.seriesGrain, d.from, d.to) : []), [d]);
  const option = useMemo(
    () => (d ? trendOption(series, d.seriesGrain, labels) : null),
    [d, series, labels],
  );
  const empty = !!d?.series.every((s) => s.received + s.resolved + s.closed === 0);
  return (
    <Card
      size="small"
      data-testid="coordination-trend"
      title={
        <Space>
          {t("coordination.trend.title")}
          {d ? (
            <Tag>
              {d.seriesGrain === "day"
                ? t("coordination.trend.byDay")
                : t("coordination.trend.byMonth")}
            </Tag>
          ) : null}
        </Space>
      }
      extra={
        <ExportCsvButton
          testId="trend-export"
          disabled={!d || d.series.length === 0}
          filename={`趋势-${d?.area.name ?? ""}-${d?.from ?? ""}-${d?.to ?? ""}.csv`}
          header={[
            d?.seriesGrain === "month" ? "月份" : "日期",
            labels.received,
            labels.resolved,
            labels.closed,
            `${labels.rate}%`,
          ]}
          rows={() => trendCsvRows(series)}
        />
      }
    >
      {empty ? (
        <Empty
          description={t("coordination.trend.empty")}
          style={{ height: 300, paddingTop: 80 }}
        />
      ) : (
        <EChart
          option={option ?? {}}
          loading={props.loading && !d}
          height={320}
          ariaLabel={t("coordination.trend.aria")}
          testId="trend-chart"
        />
      )}
    </Card>
  );
}
