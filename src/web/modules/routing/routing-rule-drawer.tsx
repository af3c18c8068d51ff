/**
 * One rule in a drawer: what it says, its versions (who changed what when),
 * and for its editors 编辑 and 停用/启用 (confirmed; a stale version reloads).
 */
import type { ButtonProps } from "antd";
import {
  App,
  Button,
  Descriptions,
  Drawer,
  Popconfirm,
  Space,
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
import { formatTime } from "../cases/case-bits.js";
import { ConditionsText, PartyTags } from "./routing-bits.js";
import { getRoutingRule, type RoutingRuleDetail, updateRoutingRule } from "./routing-rules-api.js";

export function RoutingRuleDrawer(props: {
  id: string | null;
  canEdit: boolean;
  onClose: () => void;
  onEdit: (rule: RoutingRuleDetail) => void;
  /** The rule changed (here or elsewhere): the list reloads. */
  onChanged: () => void;
  /** Bumped by the page after an edit so the drawer shows the new version. */
  revision: number;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const rule = useApi(props.id ? `routing-rule:${props.id}:${props.revision}` : null, (signal) =>
    getRoutingRule(props.id ?? "", signal),
  );
  const [busy, setBusy] = useState(false);
  const r = rule.data;

  const toggle = async (active: boolean) => {
    if (!r) return;
    setBusy(true);
    try {
      await updateRoutingRule(r.id, { version: r.version, active });
      void message.success(active ? t("routing.reactivatedOk") : t("routing.deactivatedOk"));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        const current = (err.details as { currentVersion?: number } | undefined)?.currentVersion;
        void message.warning(t("routing.conflict", { version: current ?? "?" }));
      } else {
        void message.error(describeError(err, t));
      }
    } finally {
      setBusy(false);
      rule.reload();
      props.onChanged();
    }
  };

  return (
    <Drawer
      open={props.id !== null}
      onClose={props.onClose}
      size={560}
      title={r ? t("routing.detailTitle", { category: r.categoryName }) : t("routing.title")}
      extra={
        r && props.canEdit ? (
          <Space>
            <Button onClick={() => props.onEdit(r)} data-testid="routing-rule-edit">
              {t("routing.edit")}
            </Button>
            <Popconfirm
              title={r.active ? t("routing.deactivateConfirm") : t("routing.reactivateConfirm")}
              description={r.active ? t("routing.deactivateConfirmBody") : undefined}
              okText={r.active ? t("routing.deactivate") : t("routing.reactivate")}
              cancelText={t("common.cancel")}
              okButtonProps={
                { danger: r.active, "data-testid": "routing-rule-toggle-confirm" } as ButtonProps
              }
              onConfirm={() => toggle(!r.active)}
            >
              <Button danger={r.active} loading={busy} data-testid="routing-rule-toggle">
                {r.active ? t("routing.deactivate") : t("routing.reactivate")}
              </Button>
            </Popconfirm>
          </Space>
        ) : null
      }
    >
      {rule.error ? (
        <DetailLoadFailed
          testId="routing-rule-detail"
          back={null}
          error={rule.error}
          notFoundText={t("routing.notFound")}
          onRetry={rule.reload}
        />
      ) : !r ? (
        <PageLoading />
      ) : (
        <div data-testid="routing-rule-detail" data-rule-id={r.id} data-active={String(r.active)}>
          <Descriptions
            bordered
            size="small"
            column={1}
            items={[
              { key: "category", label: t("routing.category"), children: r.categoryName },
              {
                key: "area",
                label: t("routing.area"),
                children: r.area?.name ?? t("routing.wholeDistrict"),
              },
              {
                key: "conditions",
                label: t("routing.conditions"),
                children: (
                  <ConditionsText conditions={r.conditions} categoryCode={r.categoryCode} />
                ),
              },
              { key: "lead", label: t("routing.lead"), children: r.lead.label },
              {
                key: "assist",
                label: t("routing.assist"),
                children: <PartyTags parties={r.assist} />,
              },
              { key: "note", label: t("routing.note"), children: r.note ?? "—" },
              {
                key: "status",
                label: t("routing.status"),
                children: (
                  <Tag color={r.active ? "green" : "default"} data-testid="routing-rule-status">
                    {r.active ? t("routing.active") : t("routing.inactive")}
                  </Tag>
                ),
              },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 20 }}>
            {t("routing.history")}
          </Typography.Title>
          <Timeline
            data-testid="routing-rule-history"
            items={[...r.history]
              .sort((a, b) => b.version - a.version)
              .map((h) => ({
                key: h.version,
                content: t("routing.historyLine", {
                  version: h.version,
                  change: t(`routing.changes.${h.change}`),
                  by: h.changedBy ?? "—",
                  at: formatTime(h.changedAt, i18n.language),
                }),
              }))}
          />
        </div>
      )}
    </Drawer>
  );
}
