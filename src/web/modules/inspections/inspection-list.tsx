/** The inspection table shared by 企业自查 (/inspections) and an enterprise's 自查 tab. */

import type { TableColumnsType } from "antd";
import { Button, Space, Typography } from "antd";
import type { TFunction } from "i18next";

import { Link } from "react-router-dom";
import type { Inspection } from "../../../shared/schemas/inspections.js";
import { InspectionStatusTag, TopicTag } from "./inspection-bits.js";

export function inspectionColumns(
  t: TFunction,
  opts: { showEnterprise: boolean },
): TableColumnsType<Inspection> {
  const cols: TableColumnsType<Inspection> = [
    {
      key: "template",
      title: t("inspections.checklist"),
      width: 240,
      render: (_v, i) => (
        <Space size={4} wrap>
          <TopicTag topic={i.template.topic} />
          <Link to={`/inspections/${i.id}`} data-testid="inspection-link">
            {i.template.name}
          </Link>
        </Space>
      ),
    },
    { key: "period", title: t("inspections.period"), width: 90, dataIndex: "period" },
    {
      key: "dueOn",
      title: t("inspections.dueOn"),
      width: 110,
      sorter: true,
      sortDirections: ["descend", "ascend", "descend"],
      dataIndex: "dueOn",
    },
    {
      key: "status",
      title: t("inspections.statusLabel"),
      width: 100,
      render: (_v, i) => <InspectionStatusTag inspection={i} />,
    },
    {
      key: "submittedAt",
      title: t("inspections.submittedAt"),
      width: 120,
      sorter: true,
      sortDirections: ["descend", "ascend", "descend"],
      render: (_v, i) => (i.submittedAt ? i.submittedAt.slice(0, 10) : "—"),
    },
    {
      key: "failed",
      title: t("inspections.failedItems"),
      width: 90,
      align: "right",
      render: (_v, i) =>
        i.status === "submitted" ? (
          <Typography.Text type={i.failedItems > 0 ? "danger" : undefined}>
            {i.failedItems} / {i.itemCount}
          </Typography.Text>
        ) : (
          "—"
        ),
    },
    {
      key: "actions",
      title: "",
      width: 90,
      render: (_v, i) =>
        i.allowedActions.includes("submit") ? (
          <Link to={`/inspections/${i.id}`}>
            <Button size="small" type="primary" data-testid="inspection-fill">
              {t("inspections.fill")}
            </Button>
          </Link>
        ) : null,
    },
  ];
  if (opts.showEnterprise)
    cols.splice(1, 0, {
      key: "enterprise",
      title: t("inspections.hazards.enterprise"),
      width: 220,
      ellipsis: { showTitle: true },
      render: (_v, i) => (
        <Link to={`/enterprises/${i.organisation.id}`}>{i.organisation.name}</Link>
      ),
    });
  return cols;
}
