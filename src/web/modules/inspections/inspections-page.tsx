/**
 * 企业自查 (/inspections): the inspections the user may see — an enterprise
 * officer's own (with 填报 on those due), staff's for the enterprises in
 * their area — filtered by status and topic, sorted by due date.
 */
import { Select } from "antd";
import { useTranslation } from "react-i18next";
import {
  CHECKLIST_TOPICS,
  INSPECTION_SORTS,
  type Inspection,
} from "../../../shared/schemas/inspections.js";
import { useAuth } from "../../auth/auth-context.js";
import { ListPage, ListTable, param, useListQuery } from "../../ui/list-page.js";
import { useApi } from "../../ui/use-api.js";
import { inspectionColumns } from "./inspection-list.js";
import { isGovernment } from "./inspections-access.js";
import { type InspectionSort, listInspections } from "./inspections-api.js";

const VIEWS = ["due", "overdue", "submitted", "late"] as const;

/** The API's filters for one of the views people pick. */
export function inspectionView(view: (typeof VIEWS)[number] | undefined) {
  switch (view) {
    case "due":
      return { status: "due" as const, overdue: "false" as const };
    case "overdue":
      return { overdue: "true" as const };
    case "submitted":
      return { status: "submitted" as const };
    case "late":
      return { late: "true" as const };
    default:
      return {};
  }
}

export function InspectionsPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const gov = isGovernment(me);
  const query = useListQuery({
    filters: { view: param.oneOf(VIEWS), topic: param.oneOf(CHECKLIST_TOPICS) },
    sorts: INSPECTION_SORTS as readonly InspectionSort[],
    defaultSort: "-dueOn" as InspectionSort,
  });
  const f = query.filters;
  const request = {
    ...inspectionView(f.view),
    topic: f.topic,
    sort: query.sort,
    limit: query.limit,
    offset: query.offset,
  };
  const list = useApi(`inspections:${JSON.stringify(request)}`, (signal) =>
    listInspections(request, signal),
  );
  return (
    <ListPage
      testId="inspections-list-page"
      title={t("inspections.pageTitle")}
      intro={gov ? t("inspections.introGov") : t("inspections.introEnterprise")}
      filters={
        <>
          <Select
            allowClear
            value={f.view}
            onChange={(view) => query.setFilters({ view })}
            placeholder={t("inspections.allStatuses")}
            style={{ width: 140 }}
            aria-label={t("inspections.statusLabel")}
            options={VIEWS.map((v) => ({ value: v, label: t(`inspections.status.${v}`) }))}
          />
          <Select
            allowClear
            value={f.topic}
            onChange={(topic) => query.setFilters({ topic })}
            placeholder={t("inspections.allTopics")}
            style={{ width: 140 }}
            aria-label={t("inspections.topicLabel")}
            options={CHECKLIST_TOPICS.map((v) => ({
              value: v,
              label: t(`inspections.topic.${v}`),
            }))}
          />
        </>
      }
    >
      <ListTable<Inspection, InspectionSort>
        rowKey="id"
        query={query}
        list={list}
        columns={inspectionColumns(t, { showEnterprise: gov })}
        testId="inspections"
        scroll={{ x: 860 }}
        emptyText={t("inspections.empty")}
        noMatchText={t("inspections.noMatch")}
      />
    </ListPage>
  );
}
