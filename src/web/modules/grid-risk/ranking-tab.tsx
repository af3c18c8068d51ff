/** 网格排名: the grids of the user's areas by risk score, with the change, the main factors and any warning. */
import type { TableColumnsType } from "antd";
import { Select, Space, Tag, Tooltip, Typography } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import {
  GRID_RISK_LEVELS,
  GRID_RISK_SORTS,
  type GridRiskItem,
  type GridRiskSettings,
  type GridRiskSort,
} from "../../../shared/schemas/grid-risk.js";
import { ListTable, param, SearchInput, useListQuery } from "../../ui/list-page.js";
import { useApi } from "../../ui/use-api.js";
import { formatTime } from "../cases/case-bits.js";
import { areasOnce } from "../organisations/area-tree-select.js";
import { listGrids } from "./grid-risk-api.js";
import { ScoreWithLevel, SignalTag } from "./grid-risk-bits.js";
import { changeText, changeTone } from "./grid-risk-model.js";

const TONE_COLOR = {
  alert: "#f5222d",
  up: "#fa8c16",
  down: "#52c41a",
  flat: undefined,
  none: undefined,
};

export function RankingTab(props: { settings: GridRiskSettings | undefined; tick: number }) {
  const { t, i18n } = useTranslation();
  const query = useListQuery({
    filters: { q: param.text(), level: param.oneOf(GRID_RISK_LEVELS), street: param.text() },
    sorts: GRID_RISK_SORTS,
    defaultSort: "-score" as GridRiskSort,
  });
  const f = query.filters;
  const request = {
    q: f.q || undefined,
    level: f.level,
    areaId: f.street || undefined,
    sort: query.sort,
    limit: query.limit,
    offset: query.offset,
  };
  const list = useApi(`grid-risk:${JSON.stringify(request)}:${props.tick}`, (signal) =>
    listGrids(request, signal),
  );
  const areas = useApi("areas:all", (signal) => areasOnce(signal));
  const streets = useMemo(
    () => (areas.data ?? []).filter((a) => a.level === "street"),
    [areas.data],
  );
  const rise = props.settings?.riseThreshold ?? 15;

  const columns: TableColumnsType<GridRiskItem> = [
    {
      key: "rank",
      title: t("gridRisk.col.rank"),
      width: 64,
      render: (_v, _g, i) => query.offset + i + 1,
    },
    {
      key: "name",
      title: t("gridRisk.col.grid"),
      width: 220,
      sorter: true,
      sortDirections: ["ascend", "descend", "ascend"],
      render: (_v, g) => (
        <Space direction="vertical" size={0}>
          <Link to={`/coordination/risk/grids/${g.code}`} data-testid="grid-risk-link">
            {g.name}
          </Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {g.code}
          </Typography.Text>
        </Space>
      ),
    },
    {
      key: "area",
      title: t("gridRisk.col.area"),
      width: 200,
      render: (_v, g) => [g.street?.name, g.community?.name].filter(Boolean).join(" / "),
    },
    {
      key: "score",
      title: t("gridRisk.col.score"),
      width: 130,
      sorter: true,
      sortDirections: ["descend", "ascend", "descend"],
      render: (_v, g) => <ScoreWithLevel score={g.score} level={g.level} />,
    },
    {
      key: "change",
      title: <Tooltip title={t("gridRisk.changeHint")}>{t("gridRisk.col.change")}</Tooltip>,
      width: 110,
      align: "right",
      sorter: true,
      sortDirections: ["descend", "ascend", "descend"],
      render: (_v, g) => (
        <Typography.Text
          strong={changeTone(g.change, rise) === "alert"}
          style={{ color: TONE_COLOR[changeTone(g.change, rise)] }}
          data-testid="risk-change"
        >
          {changeText(g.change)}
        </Typography.Text>
      ),
    },
    {
      key: "top",
      title: t("gridRisk.col.top"),
      width: 360,
      render: (_v, g) => (
        <Space size={[4, 4]} wrap>
          {g.topSignals.map((s) => (
            <SignalTag key={s.code} {...s} />
          ))}
        </Space>
      ),
    },
    {
      key: "warning",
      title: t("gridRisk.col.warning"),
      width: 90,
      render: (_v, g) =>
        g.openWarning ? (
          <Link to="/coordination/risk?tab=warnings">
            <Tag color="red">{t("gridRisk.openWarning")}</Tag>
          </Link>
        ) : null,
    },
  ];

  const d = list.data;
  return (
    <div data-testid="grid-risk-ranking">
      <Space wrap style={{ marginBottom: 12 }} align="center">
        <SearchInput
          value={f.q}
          onSearch={(q) => query.setFilters({ q })}
          placeholder={t("gridRisk.search")}
          width={220}
          testId="grid-risk-search"
        />
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          placeholder={t("gridRisk.allStreets")}
          aria-label={t("gridRisk.street")}
          value={f.street || undefined}
          onChange={(street) => query.setFilters({ street: street ?? "" })}
          options={streets.map((s) => ({ value: s.id, label: s.name }))}
          style={{ width: 180 }}
          data-testid="grid-risk-street"
        />
        <Select
          allowClear
          placeholder={t("gridRisk.allLevels")}
          aria-label={t("gridRisk.level")}
          value={f.level}
          onChange={(level) => query.setFilters({ level })}
          options={GRID_RISK_LEVELS.map((l) => ({ value: l, label: t(`gridRisk.levels.${l}`) }))}
          style={{ width: 130 }}
          data-testid="grid-risk-level"
        />
        <Typography.Text type="secondary" data-testid="grid-risk-day">
          {d?.day
            ? t("gridRisk.dayShown", {
                day: d.day,
                time: d.computedAt ? formatTime(d.computedAt, i18n.resolvedLanguage) : "—",
              })
            : d
              ? t("gridRisk.notComputed")
              : null}
        </Typography.Text>
      </Space>
      <ListTable<GridRiskItem, GridRiskSort>
        rowKey="gridId"
        query={query}
        list={list}
        columns={columns}
        scroll={{ x: 1180 }}
        testId="grid-risk"
        emptyText={t("gridRisk.empty")}
        noMatchText={t("gridRisk.noMatch")}
        onRow={(g) => ({ "data-code": g.code, "data-level": g.level }) as object}
      />
    </div>
  );
}
