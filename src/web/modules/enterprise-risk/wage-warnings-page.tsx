/**
 * 欠薪预警 (/wage-warnings): the enterprises of the user's area at watch,
 * warning or alarm, riskiest first, with the signals behind each score, their
 * rating and the preventive case of the latest rise. Filters (level,
 * industry, name) and sorting are kept in the URL.
 */
import type { TableColumnsType } from "antd";
import { Select, Space, Tag, Tooltip, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import {
  WAGE_WARNING_SORTS,
  WARNING_LEVELS,
  type WageWarningItem,
} from "../../../shared/schemas/enterprise-risk.js";
import { ListPage, ListTable, param, SearchInput, useListQuery } from "../../ui/list-page.js";
import { useApi } from "../../ui/use-api.js";
import { formatTime } from "../cases/case-bits.js";
import { listIndustries } from "../organisations/organisations-api.js";
import { listWageWarnings, type WageWarningSort } from "./risk-api.js";
import { GradeTag, LEVEL_HEX, LevelTag, signalValueText } from "./risk-bits.js";

const LEVELS = WARNING_LEVELS.filter((l) => l !== "none");

export function WageWarningsPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage;
  const query = useListQuery({
    filters: { q: param.text(), level: param.oneOf(LEVELS), industry: param.text() },
    sorts: WAGE_WARNING_SORTS as readonly WageWarningSort[],
    defaultSort: "-score" as WageWarningSort,
  });
  const f = query.filters;
  const request = {
    q: f.q || undefined,
    level: f.level,
    industry: f.industry || undefined,
    sort: query.sort,
    limit: query.limit,
    offset: query.offset,
  };
  const list = useApi(`wage-warnings:${JSON.stringify(request)}`, (signal) =>
    listWageWarnings(request, signal),
  );
  const industries = useApi("organisation-industries", (signal) => listIndustries(signal));

  const columns: TableColumnsType<WageWarningItem> = [
    {
      key: "name",
      title: t("enterpriseRisk.page.enterprise"),
      width: 240,
      fixed: "left",
      sorter: true,
      sortDirections: ["ascend", "descend", "ascend"],
      render: (_v, w) => (
        <Space direction="vertical" size={0}>
          <Link to={`/enterprises/${w.enterpriseId}?tab=risk`} data-testid="wage-warning-link">
            {w.name}
          </Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {[w.industry, w.grid.name].filter(Boolean).join(" · ")}
          </Typography.Text>
        </Space>
      ),
    },
    {
      key: "score",
      title: t("enterpriseRisk.page.score"),
      width: 110,
      align: "right",
      sorter: true,
      sortDirections: ["descend", "ascend", "descend"],
      render: (_v, w) => (
        <Space size={4}>
          <Typography.Text strong style={{ color: LEVEL_HEX[w.level] }}>
            {w.score}
          </Typography.Text>
          <LevelTag level={w.level} />
        </Space>
      ),
    },
    {
      key: "signals",
      title: t("enterpriseRisk.page.signals"),
      width: 380,
      render: (_v, w) => (
        <Space direction="vertical" size={2} data-testid="wage-warning-signals">
          {w.signals.slice(0, 3).map((s) => (
            <Tooltip key={s.code} title={t(`enterpriseRisk.signalSources.${s.code}`)}>
              <span data-signal={s.code}>
                <Tag>{t("enterpriseRisk.points", { points: s.points })}</Tag>
                {t(`enterpriseRisk.signals.${s.code}`)}：{signalValueText(s, t, lang)}
              </span>
            </Tooltip>
          ))}
        </Space>
      ),
    },
    {
      key: "rating",
      title: t("enterpriseRisk.page.rating"),
      width: 90,
      render: (_v, w) => <GradeTag rating={w.rating} />,
    },
    {
      key: "case",
      title: t("enterpriseRisk.page.case"),
      width: 190,
      render: (_v, w) =>
        w.openCase ? <Link to={`/cases/${w.openCase.id}`}>{w.openCase.code}</Link> : "—",
    },
    {
      key: "computedAt",
      title: t("enterpriseRisk.page.computedAt"),
      width: 150,
      sorter: true,
      sortDirections: ["descend", "ascend", "descend"],
      render: (_v, w) => formatTime(w.computedAt, lang),
    },
  ];

  return (
    <ListPage
      testId="wage-warnings-page"
      title={t("enterpriseRisk.page.title")}
      intro={t("enterpriseRisk.page.intro")}
      filters={
        <>
          <SearchInput
            value={f.q}
            onSearch={(q) => query.setFilters({ q })}
            placeholder={t("enterpriseRisk.page.search")}
            width={220}
            testId="wage-warnings-search"
          />
          <Select
            allowClear
            placeholder={t("enterpriseRisk.page.allLevels")}
            aria-label={t("enterpriseRisk.page.level")}
            value={f.level}
            onChange={(level) => query.setFilters({ level })}
            options={LEVELS.map((l) => ({ value: l, label: t(`enterpriseRisk.levels.${l}`) }))}
            style={{ width: 130 }}
            data-testid="wage-warnings-level"
          />
          <Select
            allowClear
            showSearch
            placeholder={t("enterpriseRisk.page.allIndustries")}
            aria-label={t("enterpriseRisk.page.industry")}
            value={f.industry || undefined}
            onChange={(industry) => query.setFilters({ industry: industry ?? "" })}
            options={(industries.data?.items ?? []).map((i) => ({
              value: i.industry,
              label: i.industry,
            }))}
            style={{ width: 140 }}
            data-testid="wage-warnings-industry"
          />
        </>
      }
    >
      <ListTable<WageWarningItem, WageWarningSort>
        rowKey="enterpriseId"
        query={query}
        list={list}
        columns={columns}
        scroll={{ x: 1160 }}
        testId="wage-warnings"
        emptyText={t("enterpriseRisk.page.empty")}
        noMatchText={t("enterpriseRisk.page.noMatch")}
        onRow={(w) => ({ "data-level": w.level, "data-enterprise-id": w.enterpriseId }) as object}
      />
    </ListPage>
  );
}
