/**
 * 企业 (/enterprises): the government's view of the enterprises in its area
 * — employees, safety credit rating, wage-arrears warning and open hazards —
 * with search, filters (rating, warning level, industry, area, size), server
 * sorting and paging kept in the URL. An enterprise officer, who sees only
 * their own enterprise, is taken straight to its page (我的企业).
 */
import type { TableColumnsType } from "antd";
import { Select, Space, Typography } from "antd";
import type { HTMLAttributes } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useNavigate } from "react-router-dom";
import {
  ENTERPRISE_SORTS,
  type EnterpriseListItem,
  type EnterpriseSort,
  RATINGS,
  WARNING_LEVELS,
} from "../../../shared/schemas/enterprises.js";
import { ENTERPRISE_SIZES } from "../../../shared/schemas/organisations.js";
import { canBrowseEnterprises, ownEnterprises } from "../../auth/access.js";
import { useAuth } from "../../auth/auth-context.js";
import {
  ListPage,
  ListTable,
  type ParamCodec,
  param,
  SearchInput,
  useListQuery,
} from "../../ui/list-page.js";
import { useApi } from "../../ui/use-api.js";
import { AreaTreeSelect } from "../organisations/area-tree-select.js";
import { listIndustries } from "../organisations/organisations-api.js";
import { RatingTag, WarningTag } from "./enterprise-bits.js";
import { listEnterprises } from "./enterprises-api.js";

/** An area code from the URL (6 to 18 digits), or no filter. */
const areaCode: ParamCodec<string | undefined> = {
  parse: (r) => (r !== null && /^\d{6,18}$/.test(r) ? r : undefined),
  format: (v) => v ?? null,
};

export function EnterprisesPage() {
  const { me } = useAuth();
  const own = ownEnterprises(me);
  if (!canBrowseEnterprises(me) && own[0]) {
    return <Navigate to={`/enterprises/${own[0].id}`} replace />;
  }
  return <EnterpriseList />;
}

function EnterpriseList() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const query = useListQuery({
    filters: {
      q: param.text(),
      rating: param.oneOf(RATINGS),
      warningLevel: param.oneOf(WARNING_LEVELS),
      industry: param.text(),
      size: param.oneOf(ENTERPRISE_SIZES),
      area: areaCode,
    },
    sorts: ENTERPRISE_SORTS,
    defaultSort: "name" as EnterpriseSort,
  });
  const f = query.filters;
  const request = {
    q: f.q || undefined,
    rating: f.rating,
    warningLevel: f.warningLevel,
    industry: f.industry || undefined,
    size: f.size,
    area: f.area,
    sort: query.sort,
    limit: query.limit,
    offset: query.offset,
  };
  const list = useApi(`enterprises:${JSON.stringify(request)}`, (signal) =>
    listEnterprises(request, signal),
  );
  const industries = useApi("organisation-industries", (signal) => listIndustries(signal));

  const columns: TableColumnsType<EnterpriseListItem> = [
    {
      key: "name",
      title: t("enterprises.name"),
      width: 260,
      fixed: "left",
      sorter: true,
      sortDirections: ["ascend", "descend", "ascend"],
      render: (_v, e) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/enterprises/${e.id}`} onClick={(ev) => ev.stopPropagation()}>
            {e.name}
          </Link>
          {e.uscc ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {e.uscc}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    {
      key: "industry",
      title: t("enterprises.industry"),
      width: 110,
      render: (_v, e) => e.industry ?? "—",
    },
    {
      key: "size",
      title: t("enterprises.size"),
      width: 80,
      render: (_v, e) => (e.size ? t(`enterprises.sizes.${e.size}`) : "—"),
    },
    {
      key: "area",
      title: t("enterprises.area"),
      width: 200,
      ellipsis: { showTitle: true },
      render: (_v, e) => [e.street?.name, e.grid.name].filter(Boolean).join(" · "),
    },
    {
      key: "employees",
      title: t("enterprises.employees"),
      dataIndex: "employees",
      width: 100,
      align: "right",
      sorter: true,
      sortDirections: ["descend", "ascend", "descend"],
    },
    {
      key: "rating",
      title: t("enterprises.rating"),
      width: 100,
      sorter: true,
      sortDirections: ["ascend", "descend", "ascend"],
      render: (_v, e) => <RatingTag rating={e.rating} />,
    },
    {
      key: "warning",
      title: t("enterprises.warningLevel"),
      width: 90,
      sorter: true,
      sortDirections: ["descend", "ascend", "descend"],
      render: (_v, e) => <WarningTag level={e.warningLevel} />,
    },
    {
      key: "hazards",
      title: t("enterprises.hazards"),
      width: 130,
      align: "right",
      sorter: true,
      sortDirections: ["descend", "ascend", "descend"],
      render: (_v, e) =>
        e.openHazards === 0 ? (
          "0"
        ) : (
          <Typography.Text type={e.majorHazards > 0 ? "danger" : undefined}>
            {t("enterprises.hazardsValue", { open: e.openHazards, major: e.majorHazards })}
          </Typography.Text>
        ),
    },
  ];

  return (
    <ListPage
      testId="enterprises-page"
      title={t("enterprises.title")}
      intro={t("enterprises.intro")}
      filters={
        <>
          <SearchInput
            value={f.q}
            onSearch={(q) => query.setFilters({ q })}
            placeholder={t("enterprises.search")}
            width={240}
            testId="enterprises-search"
          />
          <Select
            allowClear
            placeholder={t("enterprises.allRatings")}
            aria-label={t("enterprises.rating")}
            value={f.rating}
            onChange={(rating) => query.setFilters({ rating })}
            options={RATINGS.map((r) => ({ value: r, label: t(`enterprises.ratings.${r}`) }))}
            style={{ width: 120 }}
            data-testid="enterprises-rating-filter"
          />
          <Select
            allowClear
            placeholder={t("enterprises.allWarningLevels")}
            aria-label={t("enterprises.warningLevel")}
            value={f.warningLevel}
            onChange={(warningLevel) => query.setFilters({ warningLevel })}
            options={WARNING_LEVELS.map((w) => ({
              value: w,
              label: t(`enterprises.warningLevels.${w}`),
            }))}
            style={{ width: 120 }}
            data-testid="enterprises-warning-filter"
          />
          <Select
            allowClear
            showSearch
            placeholder={t("enterprises.allIndustries")}
            aria-label={t("enterprises.industry")}
            value={f.industry || undefined}
            onChange={(industry) => query.setFilters({ industry: industry ?? "" })}
            loading={industries.loading}
            options={(industries.data?.items ?? []).map((i) => ({
              value: i.industry,
              label: `${i.industry}（${i.count}）`,
            }))}
            style={{ width: 160 }}
            popupMatchSelectWidth={false}
            data-testid="enterprises-industry-filter"
          />
          <Select
            allowClear
            placeholder={t("enterprises.allSizes")}
            aria-label={t("enterprises.size")}
            value={f.size}
            onChange={(size) => query.setFilters({ size })}
            options={ENTERPRISE_SIZES.map((s) => ({
              value: s,
              label: t(`enterprises.sizes.${s}`),
            }))}
            style={{ width: 110 }}
            data-testid="enterprises-size-filter"
          />
          <AreaTreeSelect
            value={f.area}
            onChange={(area) => query.setFilters({ area })}
            width={200}
            data-testid="enterprises-area-filter"
          />
        </>
      }
    >
      <ListTable<EnterpriseListItem, EnterpriseSort>
        rowKey="id"
        query={query}
        list={list}
        columns={columns}
        testId="enterprises"
        emptyText={t("enterprises.empty")}
        noMatchText={t("enterprises.noMatch")}
        scroll={{ x: 1070 }}
        onRow={(e) =>
          ({
            "data-enterprise-id": e.id,
            onClick: () => navigate(`/enterprises/${e.id}`),
            style: { cursor: "pointer" },
          }) as HTMLAttributes<HTMLElement>
        }
      />
    </ListPage>
  );
}
