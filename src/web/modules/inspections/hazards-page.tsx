/**
 * 隐患整改 (/hazards): the hazards the user may see — an enterprise officer's
 * own, staff's in their area — with search, filters (status, level,
 * overdue, supervision: under a department's, or 待挂牌 — major hazards
 * still waiting for one) and sorting kept in the URL.
 */
import { Checkbox, Select } from "antd";
import { useTranslation } from "react-i18next";
import {
  HAZARD_LEVELS,
  HAZARD_SORTS,
  HAZARD_STATUSES,
  HAZARD_SUPERVISION_FILTERS,
  type Hazard,
} from "../../../shared/schemas/inspections.js";
import { useAuth } from "../../auth/auth-context.js";
import { ListPage, ListTable, param, SearchInput, useListQuery } from "../../ui/list-page.js";
import { useApi } from "../../ui/use-api.js";
import { hazardColumns } from "./hazard-list.js";
import { isGovernment } from "./inspections-access.js";
import { type HazardSort, listHazards } from "./inspections-api.js";

/** Status filters people use: still to do (the default view), or one status. */
const STATUS_VIEWS = ["active", "all", ...HAZARD_STATUSES] as const;

export function HazardsPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const gov = isGovernment(me);
  const query = useListQuery({
    filters: {
      q: param.text(),
      view: param.oneOf(STATUS_VIEWS),
      level: param.oneOf(HAZARD_LEVELS),
      overdue: param.flag(),
      supervision: param.oneOf(HAZARD_SUPERVISION_FILTERS),
    },
    sorts: HAZARD_SORTS as readonly HazardSort[],
    defaultSort: "deadline" as HazardSort,
  });
  const f = query.filters;
  const status =
    f.view === "all"
      ? undefined
      : f.view === undefined || f.view === "active"
        ? "open,rectifying,submitted"
        : f.view;
  const request = {
    q: f.q || undefined,
    status,
    level: f.level,
    overdue: f.overdue ? ("true" as const) : undefined,
    supervision: f.supervision,
    sort: query.sort,
    limit: query.limit,
    offset: query.offset,
  };
  const list = useApi(`hazards:${JSON.stringify(request)}`, (signal) =>
    listHazards(request, signal),
  );
  return (
    <ListPage
      testId="hazards-page"
      title={t("inspections.hazards.pageTitle")}
      intro={gov ? t("inspections.hazards.introGov") : t("inspections.hazards.introEnterprise")}
      filters={
        <>
          <SearchInput
            value={f.q}
            onSearch={(q) => query.setFilters({ q })}
            placeholder={t("inspections.hazards.search")}
            width={220}
            testId="hazards-search"
          />
          <Select
            value={f.view ?? "active"}
            onChange={(view) => query.setFilters({ view })}
            style={{ width: 140 }}
            aria-label={t("inspections.hazards.status")}
            data-testid="hazards-status-filter"
            options={STATUS_VIEWS.map((v) => ({
              value: v,
              label:
                v === "active" || v === "all"
                  ? t(`inspections.hazards.${v}`)
                  : t(`inspections.hazardStatus.${v}`),
            }))}
          />
          <Select
            allowClear
            value={f.level}
            onChange={(level) => query.setFilters({ level })}
            placeholder={t("inspections.hazards.allLevels")}
            style={{ width: 120 }}
            aria-label={t("inspections.hazards.level")}
            options={HAZARD_LEVELS.map((l) => ({ value: l, label: t(`inspections.level.${l}`) }))}
          />
          <Checkbox
            checked={f.overdue}
            onChange={(e) => query.setFilters({ overdue: e.target.checked })}
            data-testid="hazards-overdue"
          >
            {t("inspections.overdue")}
          </Checkbox>
          <Select
            allowClear
            value={f.supervision}
            onChange={(supervision) => query.setFilters({ supervision })}
            placeholder={t("inspections.hazards.supervisionFilter")}
            style={{ width: 170 }}
            aria-label={t("inspections.hazards.supervisionFilter")}
            data-testid="hazards-supervision-filter"
            options={HAZARD_SUPERVISION_FILTERS.map((v) => ({
              value: v,
              label: t(`inspections.hazards.supervisionFilters.${v}`),
            }))}
          />
        </>
      }
    >
      <ListTable<Hazard, HazardSort>
        rowKey="id"
        query={query}
        list={list}
        columns={hazardColumns(t, { showEnterprise: gov })}
        testId="hazards"
        scroll={{ x: 900 }}
        emptyText={t("inspections.hazards.empty")}
        noMatchText={t("inspections.hazards.noMatch")}
      />
    </ListPage>
  );
}
