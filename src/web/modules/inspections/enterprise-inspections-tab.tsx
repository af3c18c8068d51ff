/**
 * An enterprise's self-inspections, for its profile page: how many are due
 * now, missed, late, and the list (newest period first) with 填报 for the
 * enterprise's officer.
 */
import { Card, Segmented, Space, Statistic, Table } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../../ui/error-alert.js";
import { useApi } from "../../ui/use-api.js";
import { inspectionColumns } from "./inspection-list.js";
import { listInspections } from "./inspections-api.js";
import { inspectionView } from "./inspections-page.js";

const VIEWS = ["all", "due", "overdue", "submitted", "late"] as const;
const PAGE = 10;

export function EnterpriseInspectionsTab(props: { enterpriseId: string }) {
  const { t } = useTranslation();
  const id = props.enterpriseId;
  const [view, setView] = useState<(typeof VIEWS)[number]>("all");
  const [page, setPage] = useState(1);
  const counts = useApi(`inspection-counts:${id}`, async (signal) => {
    const count = (f: ReturnType<typeof inspectionView>) =>
      listInspections({ organisationId: id, ...f, limit: 1, offset: 0 }, signal).then(
        (r) => r.total,
      );
    const [due, overdue, submitted, late] = await Promise.all([
      count(inspectionView("due")),
      count(inspectionView("overdue")),
      count(inspectionView("submitted")),
      count(inspectionView("late")),
    ]);
    return { due, overdue, submitted, late };
  });
  const request = {
    organisationId: id,
    ...(view === "all" ? {} : inspectionView(view)),
    sort: "-dueOn" as const,
    limit: PAGE,
    offset: (page - 1) * PAGE,
  };
  const list = useApi(`inspections:${JSON.stringify(request)}`, (signal) =>
    listInspections(request, signal),
  );
  const c = counts.data;
  return (
    <div data-testid="enterprise-inspections-tab">
      <Card size="small" style={{ marginBottom: 12 }}>
        <div
          style={{
            display: "grid",
            gridTemplateColumns: "repeat(auto-fit, minmax(120px, 1fr))",
            gap: 12,
          }}
        >
          <Statistic
            title={t("inspections.tab.dueNow")}
            value={c?.due ?? "—"}
            data-testid="inspections-due-count"
          />
          <Statistic
            title={t("inspections.tab.overdue")}
            value={c?.overdue ?? "—"}
            styles={{ content: { color: c?.overdue ? "#cf1322" : undefined } }}
          />
          <Statistic title={t("inspections.tab.submitted")} value={c?.submitted ?? "—"} />
          <Statistic title={t("inspections.tab.late")} value={c?.late ?? "—"} />
        </div>
      </Card>
      <Space style={{ marginBottom: 12 }} wrap>
        <Segmented
          value={view}
          onChange={(v) => {
            setView(v as (typeof VIEWS)[number]);
            setPage(1);
          }}
          options={VIEWS.map((v) => ({
            value: v,
            label: v === "all" ? t("inspections.tab.all") : t(`inspections.status.${v}`),
          }))}
        />
      </Space>
      {list.error ? <ErrorAlert error={list.error} onRetry={list.reload} /> : null}
      <Table
        rowKey="id"
        size="small"
        loading={list.loading}
        columns={inspectionColumns(t, { showEnterprise: false }).map((col) => ({
          ...col,
          sorter: false,
        }))}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 760 }}
        data-testid="enterprise-inspections-table"
        pagination={{
          current: page,
          pageSize: PAGE,
          total: list.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
          showTotal: (total) => t("common.total", { count: total }),
        }}
      />
    </div>
  );
}
