/**
 * The ten KPI tiles: the figure of the period and its change against the
 * period before, green when it is good news, red when bad, grey for volumes
 * that are neither. 在办 and 超期 are counted now and have no change.
 */
import { ArrowDownOutlined, ArrowUpOutlined, MinusOutlined } from "@ant-design/icons";
import { Card, Skeleton, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { KpiResponse } from "../../../shared/schemas/coordination.js";
import { formatKpi, KPI_SPECS, kpiValues, type Trend, trendOf } from "./coordination-model.js";

const GOOD = "#389e0d";
const BAD = "#cf1322";
const NEUTRAL = "#595959";

function TrendLine(props: { trend: Trend | null; now: boolean }) {
  const { t } = useTranslation();
  if (props.now)
    return <Typography.Text type="secondary">{t("coordination.kpiNow")}</Typography.Text>;
  const tr = props.trend;
  if (!tr)
    return <Typography.Text type="secondary">{t("coordination.noPrevious")}</Typography.Text>;
  const color = tr.good === null ? NEUTRAL : tr.good ? GOOD : BAD;
  const Icon =
    tr.direction === "up"
      ? ArrowUpOutlined
      : tr.direction === "down"
        ? ArrowDownOutlined
        : MinusOutlined;
  return (
    <span
      style={{ color }}
      data-testid="kpi-trend"
      data-direction={tr.direction}
      data-good={String(tr.good)}
    >
      <Icon />{" "}
      {tr.unit === "points"
        ? t("coordination.vsPreviousPoints", { delta: tr.delta })
        : t("coordination.vsPrevious", { delta: tr.delta })}
    </span>
  );
}

export function KpiCards(props: { data: KpiResponse | undefined; loading: boolean }) {
  const { t } = useTranslation();
  const none = t("coordination.noData");
  return (
    <div
      data-testid="coordination-kpis"
      style={{
        display: "grid",
        gridTemplateColumns: "repeat(auto-fill, minmax(180px, 1fr))",
        gap: 12,
      }}
    >
      {KPI_SPECS.map((spec) => {
        const v = props.data ? kpiValues(props.data, spec.key) : null;
        const now = spec.key === "open" || spec.key === "overdue";
        return (
          <Card
            key={spec.key}
            size="small"
            data-testid={`kpi-${spec.key}`}
            styles={{ body: { padding: "12px 16px" } }}
          >
            <Typography.Text type="secondary">{t(`coordination.kpi.${spec.key}`)}</Typography.Text>
            {v ? (
              <>
                <div
                  data-testid="kpi-value"
                  style={{
                    fontSize: v.value === null ? 16 : 26,
                    fontWeight: 600,
                    lineHeight: "36px",
                    color: spec.key === "overdue" && (v.value ?? 0) > 0 ? BAD : undefined,
                  }}
                >
                  {formatKpi(spec.kind, v.value, none)}
                </div>
                <div style={{ fontSize: 12 }}>
                  <TrendLine
                    now={now}
                    trend={trendOf(spec.kind, spec.better, v.value, v.previous)}
                  />
                </div>
              </>
            ) : (
              <Skeleton active={props.loading} paragraph={{ rows: 1 }} title={false} />
            )}
          </Card>
        );
      })}
    </div>
  );
}
