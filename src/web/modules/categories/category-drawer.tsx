/**
 * One category in a drawer: its settings, its extra form fields and its
 * versions (who changed what, when, why); for editors 编辑, 新增子类 and
 * 停用/恢复 (confirmed; a stale version reloads).
 */
import type { ButtonProps } from "antd";
import {
  App,
  Button,
  Descriptions,
  Drawer,
  Empty,
  Popconfirm,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client.js";
import { DetailLoadFailed } from "../../ui/detail-load-failed.js";
import { describeError } from "../../ui/error-alert.js";
import { PageLoading } from "../../ui/page-loading.js";
import { useApi } from "../../ui/use-api.js";
import { formatTime, SeverityTag } from "../cases/case-bits.js";
import { type CategoryDetail, getCategory, setCategoryRetired } from "./categories-api.js";
import { CategoryFlags } from "./category-flags.js";

export function CategoryDrawer(props: {
  code: string | null;
  canEdit: boolean;
  /** Bumped by the page after an edit so the drawer shows the new version. */
  revision: number;
  onClose: () => void;
  onEdit: (c: CategoryDetail) => void;
  onAddChild: (family: CategoryDetail) => void;
  onChanged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const detail = useApi(props.code ? `category:${props.code}:${props.revision}` : null, (signal) =>
    getCategory(props.code ?? "", signal),
  );
  const [busy, setBusy] = useState(false);
  const c = detail.data;

  const toggle = async (retire: boolean) => {
    if (!c) return;
    setBusy(true);
    try {
      await setCategoryRetired(c.code, retire, { version: c.version });
      void message.success(retire ? t("categories.retiredOk") : t("categories.restoredOk"));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        void message.warning(describeError(err, t));
      } else {
        void message.error(describeError(err, t));
      }
    } finally {
      setBusy(false);
      detail.reload();
      props.onChanged();
    }
  };

  return (
    <Drawer
      open={props.code !== null}
      onClose={props.onClose}
      size={600}
      title={c ? t("categories.detailTitle", { name: c.name }) : t("categories.title")}
      extra={
        c && props.canEdit ? (
          <Space wrap>
            {c.parent === null && !c.retired ? (
              <Button onClick={() => props.onAddChild(c)} data-testid="category-add-child">
                {t("categories.addCategory")}
              </Button>
            ) : null}
            <Button onClick={() => props.onEdit(c)} data-testid="category-edit">
              {t("categories.edit")}
            </Button>
            <Popconfirm
              title={c.retired ? t("categories.restoreConfirm") : t("categories.retireConfirm")}
              description={c.retired ? undefined : t("categories.retireConfirmBody")}
              okText={c.retired ? t("categories.restore") : t("categories.retire")}
              cancelText={t("common.cancel")}
              okButtonProps={
                { danger: !c.retired, "data-testid": "category-toggle-confirm" } as ButtonProps
              }
              onConfirm={() => toggle(!c.retired)}
            >
              <Button danger={!c.retired} loading={busy} data-testid="category-toggle">
                {c.retired ? t("categories.restore") : t("categories.retire")}
              </Button>
            </Popconfirm>
          </Space>
        ) : null
      }
    >
      {detail.error ? (
        <DetailLoadFailed
          testId="category-detail"
          back={null}
          error={detail.error}
          notFoundText={t("categories.notFound")}
          onRetry={detail.reload}
        />
      ) : !c ? (
        <PageLoading />
      ) : (
        <div data-testid="category-detail" data-version={c.version}>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t("categories.name")}>
              <Space>
                {c.name}
                {c.retired ? <Tag>{t("categories.retired")}</Tag> : null}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t("categories.code")}>
              <Typography.Text code>{c.code}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t("categories.severity")}>
              <SeverityTag severity={c.severity} />
            </Descriptions.Item>
            <Descriptions.Item label={t("categories.deadlines")}>
              {t("categories.deadlineText", { hours: c.acceptHours, days: c.resolveDays })}
            </Descriptions.Item>
            <Descriptions.Item label={t("categories.flags")}>
              <CategoryFlags c={c} />
            </Descriptions.Item>
            {c.invalid ? (
              <Descriptions.Item label={t("categories.redirect")}>{c.redirect}</Descriptions.Item>
            ) : null}
            <Descriptions.Item label={t("categories.description")}>
              {c.description || "—"}
            </Descriptions.Item>
            <Descriptions.Item label={t("categories.serviceNotice")}>
              {c.serviceNotice || "—"}
            </Descriptions.Item>
            <Descriptions.Item label={t("categories.version")}>{c.version}</Descriptions.Item>
          </Descriptions>

          {c.parent !== null ? (
            <>
              <Typography.Title level={5} style={{ marginTop: 24 }}>
                {t("categories.fields")}
              </Typography.Title>
              <Table
                size="small"
                rowKey="code"
                pagination={false}
                dataSource={c.fields}
                locale={{ emptyText: <Empty description={t("categories.noFields")} /> }}
                data-testid="category-fields"
                columns={[
                  { key: "label", title: t("categories.fieldLabel"), dataIndex: "label" },
                  {
                    key: "code",
                    title: t("categories.fieldCode"),
                    render: (_v, f) => <Typography.Text code>{f.code}</Typography.Text>,
                  },
                  {
                    key: "type",
                    title: t("categories.fieldType"),
                    render: (_v, f) =>
                      `${t(`categories.fieldTypes.${f.type as "text"}`)}${
                        f.options ? `（${f.options.map((o) => o.label).join("、")}）` : ""
                      }`,
                  },
                  {
                    key: "required",
                    title: t("categories.fieldRequired"),
                    render: (_v, f) => (f.required ? t("common.yes") : t("common.no")),
                  },
                ]}
              />
            </>
          ) : null}

          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t("categories.history")}
          </Typography.Title>
          <Timeline
            data-testid="category-history"
            items={c.history.map((h) => ({
              key: h.version,
              content: (
                <div data-change={h.change}>
                  <Space size={6}>
                    <Tag>v{h.version}</Tag>
                    <Typography.Text strong>{t(`categories.changes.${h.change}`)}</Typography.Text>
                  </Space>
                  <div>
                    <Typography.Text type="secondary">
                      {t("categories.changedBy", {
                        who: h.changedBy ?? t("categories.system"),
                        when: formatTime(h.changedAt, i18n.language),
                      })}
                    </Typography.Text>
                  </div>
                  {h.note ? <div>{h.note}</div> : null}
                </div>
              ),
            }))}
          />
        </div>
      )}
    </Drawer>
  );
}
