/**
 * 权责清单 (/routing-rules): the rules that route each category of case, in
 * an area and optionally under conditions (severity, the report's fields),
 * to a lead department and assisting parties (departments, enterprises,
 * associations). Staff read it (filter by category family or leaf and
 * by state, paged in the URL) and test it (测试规则); coordinators and
 * admins add, edit, deactivate and reactivate rules, each change a version.
 */
import { ExperimentOutlined, PlusOutlined } from "@ant-design/icons";
import type { TableColumnsType } from "antd";
import { App, Button, Select, Tag } from "antd";
import { type HTMLAttributes, useState } from "react";
import { useTranslation } from "react-i18next";
import { canEditRoutingRules } from "../../auth/access.js";
import { useAuth } from "../../auth/auth-context.js";
import { ListPage, ListTable, param, useListQuery } from "../../ui/list-page.js";
import { useApi } from "../../ui/use-api.js";
import { formatTime } from "../cases/case-bits.js";
import { CategoryTreeSelect } from "../cases/category-tree-select.js";
import { ConditionsText, PartyTags } from "./routing-bits.js";
import { RoutingPreviewModal } from "./routing-preview.js";
import { RoutingRuleDrawer } from "./routing-rule-drawer.js";
import { RoutingRuleFormModal } from "./routing-rule-form.js";
import {
  type ActiveFilter,
  listRoutingRules,
  type RoutingRule,
  type RoutingRuleDetail,
} from "./routing-rules-api.js";

const ACTIVE_FILTERS = ["true", "false", "all"] as const;
/** The list has one order (category, then the most specific area first). */
const SORTS = ["default"] as const;
type Sort = (typeof SORTS)[number];

export function RoutingRulesPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { me } = useAuth();
  const canEdit = canEditRoutingRules(me);
  const query = useListQuery({
    filters: { category: param.text(), active: param.oneOf(ACTIVE_FILTERS) },
    sorts: SORTS,
    defaultSort: "default" as Sort,
  });
  const f = query.filters;
  const active: ActiveFilter = f.active ?? "true";
  const request = {
    category: f.category || undefined,
    active,
    limit: query.limit,
    offset: query.offset,
  };
  const list = useApi(`routing-rules:${JSON.stringify(request)}`, (signal) =>
    listRoutingRules(request, signal),
  );
  const [openId, setOpenId] = useState<string | null>(null);
  const [revision, setRevision] = useState(0);
  const [form, setForm] = useState<{ editing: RoutingRuleDetail | null } | null>(null);
  const [previewOpen, setPreviewOpen] = useState(false);

  const columns: TableColumnsType<RoutingRule> = [
    {
      key: "category",
      title: t("routing.category"),
      width: 160,
      fixed: "left",
      render: (_v, r) => (
        <>
          {r.categoryName}
          {r.active ? null : <Tag style={{ marginInlineStart: 6 }}>{t("routing.inactive")}</Tag>}
        </>
      ),
    },
    {
      key: "area",
      title: t("routing.area"),
      width: 150,
      render: (_v, r) => r.area?.name ?? t("routing.wholeDistrict"),
    },
    {
      key: "conditions",
      title: t("routing.conditions"),
      width: 220,
      render: (_v, r) => <ConditionsText conditions={r.conditions} categoryCode={r.categoryCode} />,
    },
    {
      key: "lead",
      title: t("routing.lead"),
      width: 180,
      render: (_v, r) => <span data-testid="routing-rule-lead">{r.lead.label}</span>,
    },
    {
      key: "assist",
      title: t("routing.assist"),
      width: 220,
      render: (_v, r) => <PartyTags parties={r.assist} />,
    },
    {
      key: "version",
      title: t("routing.version"),
      dataIndex: "version",
      width: 70,
      align: "right",
    },
    {
      key: "updated",
      title: t("routing.updated"),
      width: 170,
      render: (_v, r) => `${r.updatedBy ?? "—"} · ${formatTime(r.updatedAt, i18n.language)}`,
    },
  ];

  return (
    <ListPage
      testId="routing-rules-page"
      title={t("routing.title")}
      intro={t("routing.intro")}
      actions={
        <>
          <Button
            icon={<ExperimentOutlined />}
            onClick={() => setPreviewOpen(true)}
            data-testid="routing-rules-test"
          >
            {t("routing.test")}
          </Button>
          {canEdit ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setForm({ editing: null })}
              data-testid="routing-rules-add"
            >
              {t("routing.add")}
            </Button>
          ) : null}
        </>
      }
      filters={
        <>
          <CategoryTreeSelect
            value={f.category}
            onChange={(category) => query.setFilters({ category: category ?? "" })}
            data-testid="routing-rules-category-filter"
          />
          <Select<ActiveFilter>
            aria-label={t("routing.status")}
            value={active}
            onChange={(v) => query.setFilters({ active: v === "true" ? undefined : v })}
            options={ACTIVE_FILTERS.map((v) => ({
              value: v,
              label: t(`routing.activeFilter.${v}`),
            }))}
            style={{ width: 150 }}
            data-testid="routing-rules-active-filter"
          />
        </>
      }
    >
      <ListTable<RoutingRule, Sort>
        rowKey="id"
        query={query}
        list={list}
        columns={columns}
        testId="routing-rules"
        emptyText={t("routing.empty")}
        noMatchText={t("routing.noMatch")}
        scroll={{ x: 1170 }}
        onRow={(r) =>
          ({
            "data-rule-id": r.id,
            onClick: () => setOpenId(r.id),
            style: { cursor: "pointer" },
          }) as HTMLAttributes<HTMLElement>
        }
      />
      <RoutingRuleDrawer
        id={openId}
        canEdit={canEdit}
        revision={revision}
        onClose={() => setOpenId(null)}
        onEdit={(rule) => setForm({ editing: rule })}
        onChanged={list.reload}
      />
      <RoutingRuleFormModal
        open={form !== null}
        editing={form?.editing ?? null}
        onClose={() => setForm(null)}
        onStale={() => {
          list.reload();
          setRevision((n) => n + 1);
        }}
        onDone={(rule) => {
          void message.success(form?.editing ? t("routing.savedOk") : t("routing.createdOk"));
          setForm(null);
          list.reload();
          setRevision((n) => n + 1);
          setOpenId(rule.id);
        }}
      />
      {previewOpen ? <RoutingPreviewModal open onClose={() => setPreviewOpen(false)} /> : null}
    </ListPage>
  );
}
