/**
 * 协作网络: who closes cases with whom, and how often, in the chosen area
 * and period (whole months, from the rollups): a force graph of the busiest
 * pairs coloured by kind of subject, the pairs as a table beside it, and the
 * pairs as CSV. A grid is too small a scope (the server says so); the card
 * asks for a community or above instead of showing an error.
 */
import { Card, Col, Empty, Row, Table, Typography } from "antd";
import { GraphChart } from "echarts/charts";
import { use } from "echarts/core";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { EChart } from "../../ui/echart.js";
import { useApi } from "../../ui/use-api.js";
import { loadCollaboration, type Scope } from "./coordination-api.js";
import { CoordinationError, ExportCsvButton } from "./coordination-bits.js";
import { networkOption, networkPairs } from "./coordination-charts.js";

use([GraphChart]);

export function NetworkCard(props: {
  scope: Scope;
  tick: number;
  /** the level of the area shown: a grid has no network */
  areaLevel: string | undefined;
  areaName: string;
}) {
  const { t } = useTranslation();
  const isGrid = props.areaLevel === "grid";
  const net = useApi(
    isGrid ? null : `coord-network:${JSON.stringify(props.scope)}:${props.tick}`,
    (signal) => loadCollaboration(props.scope, signal),
  );
  const d = net.data;
  const option = useMemo(
    () =>
      d
        ? networkOption(d, {
            kind: (k) => t(`coordination.network.kinds.${k}`),
            link: (a, b, n) => t("coordination.network.tooltipLink", { a, b, n }),
            node: (name, kind, n) => t("coordination.network.tooltipNode", { name, kind, n }),
          })
        : null,
    [d, t],
  );
  const pairs = useMemo(() => (d ? networkPairs(d) : []), [d]);
  const subjects = d?.nodes.length ?? 0;

  return (
    <Card
      size="small"
      data-testid="coordination-network"
      title={t("coordination.network.title")}
      extra={
        <ExportCsvButton
          testId="network-export"
          disabled={pairs.length === 0}
          filename={`协作网络-${props.areaName}-${d?.from ?? ""}-${d?.to ?? ""}.csv`}
          header={[
            t("coordination.network.subjectA"),
            t("coordination.network.subjectB"),
            t("coordination.network.cases"),
          ]}
          rows={() => pairs.map((p) => [p.a, p.b, p.cases])}
        />
      }
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t("coordination.network.hint")}
        {d ? (
          <>
            {" · "}
            <span data-testid="network-months">
              {t("coordination.network.months", { from: d.from, to: d.to })}
            </span>
            {" · "}
            <span data-testid="network-subjects">
              {t("coordination.network.subjects", { count: subjects })}
            </span>
          </>
        ) : null}
      </Typography.Paragraph>
      {isGrid ? (
        <Empty description={t("coordination.network.gridLevel")} data-testid="network-grid" />
      ) : net.error ? (
        <CoordinationError error={net.error} onRetry={net.reload} />
      ) : d && pairs.length === 0 ? (
        <Empty description={t("coordination.network.empty")} data-testid="network-empty" />
      ) : (
        <Row gutter={[12, 12]}>
          <Col xs={24} xl={14}>
            <EChart
              option={option ?? {}}
              loading={net.loading && !d}
              height={420}
              ariaLabel={t("coordination.network.aria")}
              testId="network-chart"
            />
          </Col>
          <Col xs={24} xl={10}>
            <Table
              size="small"
              rowKey="key"
              data-testid="network-pairs"
              loading={net.loading && !d}
              dataSource={pairs}
              pagination={{ pageSize: 10, size: "small", hideOnSinglePage: true }}
              title={() => t("coordination.network.pairs")}
              columns={[
                { key: "a", dataIndex: "a", title: t("coordination.network.subjectA") },
                { key: "b", dataIndex: "b", title: t("coordination.network.subjectB") },
                {
                  key: "cases",
                  dataIndex: "cases",
                  title: t("coordination.network.cases"),
                  align: "right",
                  sorter: (x, y) => x.cases - y.cases,
                },
              ]}
            />
          </Col>
        </Row>
      )}
    </Card>
  );
}
