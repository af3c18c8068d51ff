/**
 * 开放数据 (/open-data, public): the district's case statistics for
 * everyone — headline totals, charts by category, month and street — with
 * the JSON and GeoJSON to download and the rules the figures follow. Reads
 * only the public endpoints; works signed in or not, on a phone too.
 */
import { DownloadOutlined } from "@ant-design/icons";
import { Card, Col, List, Row, Segmented, Space, Statistic, Typography } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { OpenDataStats } from "../../../shared/schemas/open-data.js";
import { currentLanguage } from "../../i18n/index.js";
import { EChart } from "../../ui/echart.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { PageLoading } from "../../ui/page-loading.js";
import { useApi } from "../../ui/use-api.js";
import { downloadUrls, loadOpenDataStats } from "./open-data-api.js";
import {
  areaOption,
  type ChartLabels,
  categoryOption,
  monthOption,
  percent,
} from "./open-data-charts.js";

const PERIODS = [3, 6, 12, 24] as const;

/** "2026-01-05T08:15:30+08:00" → "2026-01-05 08:15" (already China time). */
const shortTime = (iso: string) => iso.slice(0, 16).replace("T", " ");

export function OpenDataPage() {
  const { t } = useTranslation();
  const [months, setMonths] = useState<number>(12);
  const stats = useApi(`open-data-stats-${months}`, (signal) => loadOpenDataStats(months, signal));

  return (
    <div data-testid="open-data-page">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t("openData.title")}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t("openData.intro")}</Typography.Paragraph>
      <div style={{ overflowX: "auto", marginBottom: 12 }}>
        <Segmented<number>
          value={months}
          onChange={setMonths}
          options={PERIODS.map((n) => ({ value: n, label: t("openData.months", { count: n }) }))}
          aria-label={t("openData.periodLabel")}
          data-testid="open-data-period"
        />
      </div>
      {stats.error ? (
        <ErrorAlert error={stats.error} title={t("openData.failed")} onRetry={stats.reload} />
      ) : stats.data ? (
        <OpenDataView stats={stats.data} months={months} />
      ) : (
        <PageLoading />
      )}
    </div>
  );
}

function OpenDataView({ stats, months }: { stats: OpenDataStats; months: number }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const labels: ChartLabels = useMemo(
    () => ({
      received: t("openData.received"),
      resolved: t("openData.resolved"),
      rate: t("openData.rateAxis"),
    }),
    // t changes with the language, and so do the labels.
    [t],
  );
  const options = useMemo(
    () => ({
      category: categoryOption(stats, labels),
      month: monthOption(stats, labels),
      area: areaOption(stats, labels),
    }),
    [stats, labels],
  );
  const urls = downloadUrls(months);
  const none = t("openData.noRate");
  const totals = stats.totals;
  const figures = [
    { key: "received", title: t("openData.received"), value: totals.received.toLocaleString() },
    { key: "resolved", title: t("openData.resolved"), value: totals.resolved.toLocaleString() },
    { key: "open", title: t("openData.open"), value: totals.open.toLocaleString() },
    { key: "on-time", title: t("openData.onTimeRate"), value: percent(totals.onTimeRate, none) },
    {
      key: "accept-on-time",
      title: t("openData.acceptOnTimeRate"),
      value: percent(totals.acceptOnTimeRate, none),
    },
  ];

  return (
    <Space orientation="vertical" size={12} style={{ width: "100%" }}>
      <Typography.Text
        type="secondary"
        style={{ fontSize: 12 }}
        data-testid="open-data-period-text"
      >
        {t("openData.generatedAt", {
          from: stats.period.from.slice(0, 10),
          to: shortTime(stats.period.to),
          at: new Date(stats.generatedAt).toLocaleString(lang),
        })}
      </Typography.Text>
      <Row gutter={[8, 8]} data-testid="open-data-totals">
        {figures.map((f) => (
          <Col key={f.key} xs={12} sm={8} md={f.key.includes("on-time") ? 12 : 8}>
            <Card size="small">
              <Statistic title={f.title} value={f.value} data-testid={`open-data-total-${f.key}`} />
            </Card>
          </Col>
        ))}
      </Row>
      <ChartCard title={t("openData.byCategory")} hint={t("openData.byCategoryHint")}>
        <EChart
          option={options.category}
          height={Math.max(240, 40 + 34 * new Set(stats.byCategory.map((c) => c.family)).size)}
          ariaLabel={t("openData.byCategory")}
          testId="open-data-chart-category"
        />
      </ChartCard>
      <ChartCard title={t("openData.byMonth")} hint={t("openData.byMonthHint")}>
        <EChart
          option={options.month}
          height={300}
          ariaLabel={t("openData.byMonth")}
          testId="open-data-chart-month"
        />
      </ChartCard>
      <ChartCard title={t("openData.byArea")} hint={t("openData.byAreaHint")}>
        <EChart
          option={options.area}
          height={Math.max(240, 40 + 34 * stats.byArea.length)}
          ariaLabel={t("openData.byArea")}
          testId="open-data-chart-area"
        />
      </ChartCard>
      <Card size="small" title={t("openData.downloads")}>
        <Space orientation="vertical" size={4}>
          <a
            href={urls.stats}
            download="gongzhi-open-data.json"
            data-testid="open-data-download-stats"
          >
            <DownloadOutlined /> {t("openData.downloadStats")}
          </a>
          <a
            href={urls.geojson}
            download="gongzhi-public-cases.geojson"
            data-testid="open-data-download-geojson"
          >
            <DownloadOutlined /> {t("openData.downloadGeojson")}
          </a>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t("openData.downloadHint")}
          </Typography.Text>
        </Space>
      </Card>
      <Card size="small" title={t("openData.notes")}>
        <List
          size="small"
          split={false}
          dataSource={stats.notes}
          data-testid="open-data-notes"
          renderItem={(n) => (
            <List.Item style={{ paddingInline: 0 }}>
              <Typography.Text style={{ fontSize: 13 }}>
                {lang === "en-US" ? n.en : n.zh}
              </Typography.Text>
            </List.Item>
          )}
        />
      </Card>
    </Space>
  );
}

function ChartCard(props: { title: string; hint: string; children: React.ReactNode }) {
  return (
    <Card size="small" title={props.title} styles={{ body: { paddingInline: 8 } }}>
      <Typography.Paragraph
        type="secondary"
        style={{ fontSize: 12, marginBottom: 4, paddingInline: 4 }}
      >
        {props.hint}
      </Typography.Paragraph>
      {props.children}
    </Card>
  );
}
