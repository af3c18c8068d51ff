/**
 * A grid's risk profile (/coordination/risk/grids/:code): its score and level
 * with the change against 7 days before, the points each signal gives (a bar
 * chart and the table that explains each: what was measured, how it became
 * 0–100, its weight), 90 days of scores with the level lines, who and what is
 * in the grid (people, housing, organisations, open cases, volunteers, 12
 * months of cases) and its warnings. Grid workers open their own grid here
 * from a warning's notification.
 */
import { ArrowLeftOutlined, EnvironmentOutlined } from "@ant-design/icons";
import {
  Button,
  Card,
  Col,
  Empty,
  List,
  Result,
  Row,
  Space,
  Statistic,
  Table,
  Typography,
} from "antd";
import { MarkLineComponent } from "echarts/components";
import { use } from "echarts/core";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import type { GridRiskSignalValue } from "../../../shared/schemas/grid-risk.js";
import { ApiError } from "../../api/client.js";
import { useLiveRefresh } from "../../api/live.js";
import { useAuth } from "../../auth/auth-context.js";
import { ForbiddenPage } from "../../pages/status-pages.js";
import { EChart } from "../../ui/echart.js";
import { PageLoading } from "../../ui/page-loading.js";
import { useApi } from "../../ui/use-api.js";
import { ExportCsvButton } from "../coordination/coordination-bits.js";
import { canOpenGridRisk, canSeeGridRisk } from "./grid-risk-access.js";
import { loadProfile } from "./grid-risk-api.js";
import { GridRiskError, ScoreWithLevel, WarningStatusTag } from "./grid-risk-bits.js";
import { caseTrendOption, contributionsOption, historyOption } from "./grid-risk-charts.js";
import { changeText, measuredText, methodText } from "./grid-risk-model.js";

// The level lines on the history chart.
use([MarkLineComponent]);

export function GridProfilePage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  if (!canSeeGridRisk(me))
    return (
      <ForbiddenPage
        testId="grid-risk-forbidden"
        title={t("gridRisk.forbiddenTitle")}
        subTitle={t("gridRisk.forbiddenHint")}
      />
    );
  return <GridProfile wide={canOpenGridRisk(me)} />;
}

function GridProfile(props: { wide: boolean }) {
  const { t } = useTranslation();
  const { code = "" } = useParams();
  // A recompute or new weights change the scores: coordinators' pages reload by themselves.
  const { tick } = useLiveRefresh(props.wide, ["grid-risk"]);
  const p = useApi(`grid-profile:${code}:${tick}`, (signal) => loadProfile(code, signal));
  const d = p.data;
  const nameOf = (c: GridRiskSignalValue["code"]) => t(`gridRisk.signals.${c}`);
  const contributions = useMemo(
    () =>
      d
        ? contributionsOption(
            d.signals,
            (c) => t(`gridRisk.signals.${c}`),
            t("gridRisk.profile.contribution"),
          )
        : null,
    [d, t],
  );
  const history = useMemo(
    () =>
      d
        ? historyOption(d.history, d.settings, {
            score: t("gridRisk.profile.score"),
            medium: t("gridRisk.levels.medium"),
            high: t("gridRisk.levels.high"),
          })
        : null,
    [d, t],
  );
  const trend = useMemo(
    () => (d ? caseTrendOption(d.profile.caseTrend, t("gridRisk.profile.caseTrend")) : null),
    [d, t],
  );

  if (p.error instanceof ApiError && p.error.status === 404)
    return (
      <Result
        status="404"
        title={t("gridRisk.profile.notFound")}
        data-testid="grid-profile-not-found"
        extra={
          <Link to="/coordination/risk">
            <Button>{t("gridRisk.profile.back")}</Button>
          </Link>
        }
      />
    );
  if (p.error && !d) return <GridRiskError error={p.error} onRetry={p.reload} />;
  if (!d) return <PageLoading />;

  const f = d.profile;
  const figures: [string, number][] = [
    [t("gridRisk.profile.residents"), f.residents],
    [t("gridRisk.profile.newCitizens"), f.newCitizens],
    [t("gridRisk.profile.units"), f.units],
    [t("gridRisk.profile.rentalUnits"), f.rentalUnits],
    [t("gridRisk.profile.overcrowdedUnits"), f.overcrowdedUnits],
    [t("gridRisk.profile.enterprises"), f.enterprises],
    [t("gridRisk.profile.associations"), f.associations],
    [t("gridRisk.profile.openCases"), f.openCases],
    [t("gridRisk.profile.volunteers"), f.volunteers],
    [t("gridRisk.profile.patrolHours"), f.patrolHours],
  ];
  return (
    <div
      data-testid="grid-profile-page"
      data-code={d.grid.code}
      style={{ display: "grid", gap: 12 }}
    >
      <Space wrap align="center">
        {props.wide ? (
          <Link to="/coordination/risk">
            <Button icon={<ArrowLeftOutlined />} aria-label={t("gridRisk.profile.back")} />
          </Link>
        ) : null}
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("gridRisk.profile.title", { name: d.grid.name })}
        </Typography.Title>
        <Typography.Text type="secondary">
          {[d.street?.name, d.community?.name, d.grid.code].filter(Boolean).join(" / ")}
        </Typography.Text>
        {props.wide ? (
          <Link
            to={`/coordination?areaId=${d.grid.id}&measure=risk`}
            data-testid="grid-profile-map"
          >
            <Button size="small" icon={<EnvironmentOutlined />}>
              {t("gridRisk.profile.onMap")}
            </Button>
          </Link>
        ) : null}
      </Space>

      <Row gutter={[12, 12]}>
        <Col xs={24} md={8}>
          <Card size="small" data-testid="grid-profile-score">
            {d.score !== null && d.level ? (
              <Space direction="vertical" size={4}>
                <Typography.Text type="secondary">{t("gridRisk.profile.score")}</Typography.Text>
                <span style={{ fontSize: 28 }}>
                  <ScoreWithLevel score={d.score} level={d.level} />
                </span>
                <Typography.Text>
                  {t("gridRisk.profile.change")}：
                  <Typography.Text strong data-testid="grid-profile-change">
                    {changeText(d.change)}
                  </Typography.Text>
                </Typography.Text>
                <Typography.Text type="secondary">
                  {t("gridRisk.profile.day")}：{d.day}
                </Typography.Text>
              </Space>
            ) : (
              <Empty description={t("gridRisk.profile.notComputed")} />
            )}
          </Card>
        </Col>
        <Col xs={24} md={16}>
          <Card
            size="small"
            title={t("gridRisk.profile.contributions")}
            extra={
              <ExportCsvButton
                testId="grid-profile-contributions-export"
                disabled={!d.signals.length}
                filename={`${d.grid.name}-${t("gridRisk.profile.contributions")}-${d.day ?? ""}.csv`}
                header={[
                  t("gridRisk.profile.signal"),
                  t("gridRisk.profile.normalised"),
                  t("gridRisk.profile.weight"),
                  t("gridRisk.profile.contribution"),
                ]}
                rows={() =>
                  d.signals.map((x) => [nameOf(x.code), x.normalised, x.weight, x.contribution])
                }
              />
            }
          >
            {d.signals.length ? (
              <EChart
                option={contributions ?? {}}
                height={240}
                ariaLabel={t("gridRisk.profile.contributionsAria")}
                testId="grid-profile-contributions"
              />
            ) : (
              <Empty description={t("gridRisk.profile.notComputed")} />
            )}
          </Card>
        </Col>
      </Row>

      {d.signals.length ? (
        <Card size="small" title={t("gridRisk.profile.signalTable")}>
          <Table<GridRiskSignalValue>
            size="small"
            rowKey="code"
            pagination={false}
            dataSource={d.signals}
            scroll={{ x: 900 }}
            data-testid="grid-profile-signals"
            onRow={(s) => ({ "data-signal": s.code }) as object}
            summary={() => (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0} colSpan={4}>
                  <Typography.Text strong>{t("gridRisk.profile.score")}</Typography.Text>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={4}>
                  <Typography.Text strong>{d.score?.toFixed(1)}</Typography.Text>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={5} />
              </Table.Summary.Row>
            )}
            columns={[
              {
                key: "signal",
                title: t("gridRisk.profile.signal"),
                width: 120,
                render: (_v, s) => nameOf(s.code),
              },
              {
                key: "measured",
                title: t("gridRisk.profile.measured"),
                render: (_v, s) => measuredText(s, t),
              },
              {
                key: "normalised",
                title: t("gridRisk.profile.normalised"),
                width: 120,
                align: "right",
                render: (_v, s) => s.normalised.toFixed(1),
              },
              {
                key: "weight",
                title: t("gridRisk.profile.weight"),
                width: 80,
                align: "right",
                render: (_v, s) => s.weight,
              },
              {
                key: "contribution",
                title: t("gridRisk.profile.contribution"),
                width: 90,
                align: "right",
                render: (_v, s) => (
                  <Typography.Text strong>{s.contribution.toFixed(1)}</Typography.Text>
                ),
              },
              {
                key: "method",
                title: t("gridRisk.profile.method"),
                width: 260,
                render: (_v, s) => (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {methodText(s.code, t)}
                  </Typography.Text>
                ),
              },
            ]}
          />
        </Card>
      ) : null}

      <Row gutter={[12, 12]}>
        <Col xs={24} xl={12}>
          <Card
            size="small"
            title={t("gridRisk.profile.history")}
            extra={
              <ExportCsvButton
                testId="grid-profile-history-export"
                disabled={!d.history.length}
                filename={`${d.grid.name}-${t("gridRisk.profile.history")}.csv`}
                header={[
                  t("gridRisk.profile.csvDay"),
                  t("gridRisk.profile.score"),
                  t("gridRisk.level"),
                ]}
                rows={() => d.history.map((h) => [h.day, h.score, t(`gridRisk.levels.${h.level}`)])}
              />
            }
          >
            {d.history.length ? (
              <EChart
                option={history ?? {}}
                height={260}
                ariaLabel={t("gridRisk.profile.historyAria")}
                testId="grid-profile-history"
              />
            ) : (
              <Empty description={t("gridRisk.profile.historyEmpty")} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card
            size="small"
            title={t("gridRisk.profile.caseTrend")}
            extra={
              <ExportCsvButton
                testId="grid-profile-trend-export"
                filename={`${d.grid.name}-${t("gridRisk.profile.caseTrend")}.csv`}
                header={[t("gridRisk.profile.csvMonth"), t("gridRisk.profile.caseTrendReceived")]}
                rows={() => d.profile.caseTrend.map((m) => [m.month, m.received])}
              />
            }
          >
            <EChart
              option={trend ?? {}}
              height={260}
              ariaLabel={t("gridRisk.profile.caseTrendAria")}
              testId="grid-profile-trend"
            />
          </Card>
        </Col>
      </Row>

      <Card size="small" title={t("gridRisk.profile.figures")} data-testid="grid-profile-figures">
        <Row gutter={[12, 12]}>
          {figures.map(([label, value]) => (
            <Col key={label} xs={12} sm={8} md={6} xl={4}>
              <Statistic title={label} value={value} />
            </Col>
          ))}
        </Row>
      </Card>

      <Card size="small" title={t("gridRisk.profile.warnings")}>
        <List
          data-testid="grid-profile-warnings"
          dataSource={d.warnings}
          locale={{ emptyText: t("gridRisk.profile.noWarnings") }}
          renderItem={(w) => (
            <List.Item
              extra={
                w.case ? (
                  <Link to={`/cases/${w.case.id}`}>{w.case.code}</Link>
                ) : props.wide && w.allowedActions.length ? (
                  <Link to="/coordination/risk?tab=warnings">{t("gridRisk.tabs.warnings")}</Link>
                ) : null
              }
            >
              <Space wrap>
                <Typography.Text>{w.day}</Typography.Text>
                <ScoreWithLevel score={w.score} level={w.level} />
                {w.reasons.map((r) => (
                  <Typography.Text key={r} type="danger">
                    {r === "rise"
                      ? t("gridRisk.warnings.rise", { rise: w.rise ?? 0 })
                      : t("gridRisk.warnings.high")}
                  </Typography.Text>
                ))}
                <WarningStatusTag status={w.status} />
                {w.dismissReason ? (
                  <Typography.Text type="secondary">{w.dismissReason}</Typography.Text>
                ) : null}
              </Space>
            </List.Item>
          )}
        />
      </Card>
    </div>
  );
}
