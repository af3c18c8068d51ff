/**
 * 事项分类: the case taxonomy as a tree of families and their categories,
 * with severity, deadlines, flags and the number of extra fields; a search,
 * retired entries on request, and for the district's coordinators adding,
 * editing, retiring and restoring (with every version kept).
 */
import { PlusOutlined, SearchOutlined } from "@ant-design/icons";
import type { TableColumnsType } from "antd";
import { App, Button, Card, Empty, Input, Space, Switch, Table, Tag, Typography } from "antd";
import { type HTMLAttributes, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { canEditTaxonomy } from "../../auth/access.js";
import { useAuth } from "../../auth/auth-context.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { useApi } from "../../ui/use-api.js";
import { SeverityTag } from "../cases/case-bits.js";
import { listAllCategories } from "./categories-api.js";
import { type CategoryRow, categoryTree } from "./categories-model.js";
import { CategoryDrawer } from "./category-drawer.js";
import { CategoryFlags } from "./category-flags.js";
import { CategoryFormModal, type CategoryFormTarget } from "./category-form.js";

export function CategoriesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me } = useAuth();
  const canEdit = canEditTaxonomy(me);
  const [q, setQ] = useState("");
  const [showRetired, setShowRetired] = useState(false);
  const [openCode, setOpenCode] = useState<string | null>(null);
  const [form, setForm] = useState<CategoryFormTarget | null>(null);
  const [revision, setRevision] = useState(0);
  const [expanded, setExpanded] = useState<string[]>([]);
  const list = useApi("categories:all", listAllCategories);
  const items = list.data?.items ?? [];
  const rows = useMemo(() => categoryTree(items, { q, showRetired }), [items, q, showRetired]);
  const families = items.filter((c) => c.parent === null && !c.retired);
  const filtered = q.trim() !== "" || showRetired;

  const columns: TableColumnsType<CategoryRow> = [
    {
      key: "name",
      title: t("categories.name"),
      render: (_v, c) => (
        <Space orientation="vertical" size={0}>
          <Space size={6}>
            <Typography.Text strong={c.parent === null} delete={c.retired}>
              {c.name}
            </Typography.Text>
            {c.retired ? <Tag>{t("categories.retired")}</Tag> : null}
          </Space>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {c.code}
          </Typography.Text>
        </Space>
      ),
    },
    {
      key: "severity",
      title: t("categories.severity"),
      width: 110,
      render: (_v, c) => <SeverityTag severity={c.severity} />,
    },
    {
      key: "deadlines",
      title: t("categories.deadlines"),
      width: 250,
      render: (_v, c) =>
        c.invalid
          ? "—"
          : t("categories.deadlineText", { hours: c.acceptHours, days: c.resolveDays }),
    },
    {
      key: "flags",
      title: t("categories.flags"),
      width: 200,
      render: (_v, c) => <CategoryFlags c={c} />,
    },
    {
      key: "fields",
      title: t("categories.fieldCount"),
      width: 100,
      align: "right",
      render: (_v, c) =>
        c.parent === null ? "" : t("categories.fieldCountValue", { count: c.fields.length }),
    },
  ];

  return (
    <Card
      data-testid="categories-page"
      title={t("categories.title")}
      extra={
        canEdit ? (
          <Space>
            <Button
              icon={<PlusOutlined />}
              onClick={() => setForm({ editing: null, parent: null })}
              data-testid="categories-add-family"
            >
              {t("categories.addFamily")}
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              disabled={families.length === 0}
              onClick={() => setForm({ editing: null, parent: families[0] ?? null })}
              data-testid="categories-add"
            >
              {t("categories.addCategory")}
            </Button>
          </Space>
        ) : null
      }
    >
      <Typography.Paragraph type="secondary">{t("categories.intro")}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input
          allowClear
          prefix={<SearchOutlined />}
          placeholder={t("categories.search")}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          style={{ width: 260 }}
          data-testid="categories-search"
        />
        <Space size={6}>
          <Switch
            checked={showRetired}
            onChange={setShowRetired}
            data-testid="categories-show-retired"
          />
          {t("categories.showRetired")}
        </Space>
      </Space>
      {list.error ? <ErrorAlert error={list.error} onRetry={list.reload} /> : null}
      <Table<CategoryRow>
        rowKey="code"
        size="middle"
        loading={list.loading && !list.data}
        columns={columns}
        dataSource={rows}
        pagination={false}
        expandable={{
          // While searching every matching family is open; otherwise the user chooses.
          expandedRowKeys: filtered ? rows.map((r) => r.code) : expanded,
          onExpandedRowsChange: (keys) => {
            if (!filtered) setExpanded(keys.map(String));
          },
        }}
        scroll={{ x: 900 }}
        data-testid="categories-table"
        locale={{
          emptyText: (
            <Empty description={filtered ? t("categories.noMatch") : t("categories.empty")} />
          ),
        }}
        onRow={(c) =>
          ({
            "data-code": c.code,
            onClick: () => setOpenCode(c.code),
            style: { cursor: "pointer" },
          }) as HTMLAttributes<HTMLElement>
        }
      />
      <CategoryDrawer
        code={openCode}
        canEdit={canEdit}
        revision={revision}
        onClose={() => setOpenCode(null)}
        onEdit={(c) => setForm({ editing: c, parent: null })}
        onAddChild={(family) => setForm({ editing: null, parent: family })}
        onChanged={list.reload}
      />
      <CategoryFormModal
        target={form}
        families={families}
        onClose={() => setForm(null)}
        onStale={() => {
          list.reload();
          setRevision((n) => n + 1);
        }}
        onDone={(c) => {
          void message.success(form?.editing ? t("categories.savedOk") : t("categories.createdOk"));
          setForm(null);
          list.reload();
          setRevision((n) => n + 1);
          setOpenCode(c.code);
        }}
      />
    </Card>
  );
}
