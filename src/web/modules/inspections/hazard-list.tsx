/**
 * The hazard table shared by 隐患整改 (/hazards) and an enterprise's 隐患 tab:
 * title, level, status, deadline (overdue marked), source, supervision.
 */

import type { TableColumnsType } from "antd";
import { Space, Tag, Typography } from "antd";
import type { TFunction } from "i18next";

import { Link } from "react-router-dom";
import type { Hazard } from "../../../shared/schemas/inspections.js";
import { HazardLevelTag, HazardStatusTag, OverdueTag, SourceTag } from "./inspection-bits.js";

export function hazardColumns(
  t: TFunction,
  opts: { showEnterprise: boolean },
): TableColumnsType<Hazard> {
  const cols: TableColumnsType<Hazard> = [
    {
      key: "title",
      title: t("inspections.hazards.title"),
      width: 260,
      render: (_v, h) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/hazards/${h.id}`} data-testid="hazard-link">
            {h.title}
          </Link>
          {h.supervisingDepartment ? (
            <Tag color="volcano" style={{ marginTop: 2 }}>
              {t("inspections.hazards.supervisedBy", { name: h.supervisingDepartment.name })}
            </Tag>
          ) : null}
          {h.awaitingSupervision ? (
            <Tag color="gold" style={{ marginTop: 2 }} data-testid="hazard-awaiting-supervision">
              {t("inspections.hazards.awaitingTag")}
            </Tag>
          ) : null}
        </Space>
      ),
    },
    {
      key: "level",
      title: t("inspections.hazards.level"),
      width: 90,
      sorter: true,
      sortDirections: ["descend", "ascend", "descend"],
      render: (_v, h) => <HazardLevelTag level={h.level} />,
    },
    {
      key: "status",
      title: t("inspections.hazards.status"),
      width: 110,
      render: (_v, h) => <HazardStatusTag status={h.status} />,
    },
    {
      key: "deadline",
      title: t("inspections.hazards.deadline"),
      width: 150,
      sorter: true,
      sortDirections: ["ascend", "descend", "ascend"],
      render: (_v, h) => (
        <Space size={4}>
          <Typography.Text type={h.overdue ? "danger" : undefined}>{h.deadline}</Typography.Text>
          <OverdueTag overdue={h.overdue} />
        </Space>
      ),
    },
    {
      key: "source",
      title: t("inspections.hazards.source"),
      width: 100,
      render: (_v, h) => <SourceTag source={h.source} />,
    },
    {
      key: "createdAt",
      title: t("inspections.hazards.createdAt"),
      width: 110,
      sorter: true,
      sortDirections: ["descend", "ascend", "descend"],
      render: (_v, h) => h.createdAt.slice(0, 10),
    },
  ];
  if (opts.showEnterprise)
    cols.splice(1, 0, {
      key: "enterprise",
      title: t("inspections.hazards.enterprise"),
      width: 220,
      ellipsis: { showTitle: true },
      render: (_v, h) => (
        <Link to={`/enterprises/${h.organisation.id}`}>{h.organisation.name}</Link>
      ),
    });
  return cols;
}
