/**
 * 风险预警: the early warnings of the user's grids, open and acknowledged
 * first. Each can be acknowledged, dismissed (a reason required, confirmed
 * in a dialog) or turned into a preventive case (confirmed, with an optional
 * note for the grid worker), as the server allows the user.
 */
import type { TableColumnsType } from "antd";
import { Alert, App, Button, Form, Input, Modal, Select, Space, Typography } from "antd";
import type { ButtonProps } from "antd/es/button";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import {
  dismissWarningBody,
  type GridWarning,
  WARNING_STATUSES,
} from "../../../shared/schemas/grid-risk.js";
import { ApiError } from "../../api/client.js";
import { describeError } from "../../ui/error-alert.js";
import { ListTable, param, useListQuery } from "../../ui/list-page.js";
import { useApi } from "../../ui/use-api.js";
import { zodRule } from "../../ui/zod-rule.js";
import { formatTime } from "../cases/case-bits.js";
import { areasOnce } from "../organisations/area-tree-select.js";
import { acknowledgeWarning, createTask, dismissWarning, listWarnings } from "./grid-risk-api.js";
import { ScoreWithLevel, SignalTag, WarningStatusTag } from "./grid-risk-bits.js";

const SORTS = ["-day"] as const;
type Step = { kind: "dismiss" | "createTask"; warning: GridWarning };

export function WarningsTab(props: { tick: number }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const query = useListQuery({
    filters: { status: param.oneOf(WARNING_STATUSES), street: param.text() },
    sorts: SORTS,
    defaultSort: "-day",
  });
  const f = query.filters;
  const request = {
    status: f.status,
    areaId: f.street || undefined,
    limit: query.limit,
    offset: query.offset,
  };
  const list = useApi(`grid-warnings:${JSON.stringify(request)}:${props.tick}`, (signal) =>
    listWarnings(request, signal),
  );
  const areas = useApi("areas:all", (signal) => areasOnce(signal));
  const streets = useMemo(
    () => (areas.data ?? []).filter((a) => a.level === "street"),
    [areas.data],
  );
  const [step, setStep] = useState<Step | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const failed = (err: unknown) => {
    message.error(describeError(err, t));
    // Someone else moved it on: show it as it is now.
    if (err instanceof ApiError && err.status === 409) list.reload();
  };
  const acknowledge = async (w: GridWarning) => {
    setBusy(w.id);
    try {
      await acknowledgeWarning(w);
      message.success(t("gridRisk.warnings.acknowledged"));
      list.reload();
    } catch (err) {
      failed(err);
    } finally {
      setBusy(null);
    }
  };

  const columns: TableColumnsType<GridWarning> = [
    { key: "day", title: t("gridRisk.warnings.col.day"), width: 110, render: (_v, w) => w.day },
    {
      key: "grid",
      title: t("gridRisk.warnings.col.grid"),
      width: 200,
      render: (_v, w) => (
        <Space direction="vertical" size={0}>
          <Link to={`/coordination/risk/grids/${w.grid.code}`}>{w.grid.name}</Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {w.street?.name ?? w.grid.code}
          </Typography.Text>
        </Space>
      ),
    },
    {
      key: "score",
      title: t("gridRisk.warnings.col.score"),
      width: 130,
      render: (_v, w) => <ScoreWithLevel score={w.score} level={w.level} />,
    },
    {
      key: "reasons",
      title: t("gridRisk.warnings.col.reasons"),
      width: 150,
      render: (_v, w) => (
        <Space direction="vertical" size={0}>
          {w.reasons.map((r) => (
            <Typography.Text key={r} type="danger">
              {r === "rise"
                ? t("gridRisk.warnings.rise", { rise: w.rise ?? 0 })
                : t("gridRisk.warnings.high")}
            </Typography.Text>
          ))}
        </Space>
      ),
    },
    {
      key: "top",
      title: t("gridRisk.warnings.col.top"),
      width: 260,
      render: (_v, w) => (
        <Space size={[4, 4]} wrap>
          {w.topSignals.map((s) => (
            <SignalTag key={s.code} {...s} />
          ))}
        </Space>
      ),
    },
    {
      key: "status",
      title: t("gridRisk.warnings.col.status"),
      width: 200,
      render: (_v, w) => (
        <Space direction="vertical" size={0}>
          <WarningStatusTag status={w.status} />
          {w.status === "dismissed" && w.dismissReason ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="warning-reason">
              {w.dismissReason}
            </Typography.Text>
          ) : null}
          {w.closedBy || w.acknowledgedBy ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t("gridRisk.warnings.by", {
                who: w.closedBy ?? w.acknowledgedBy,
                time: formatTime(w.closedAt ?? w.acknowledgedAt, i18n.resolvedLanguage),
              })}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    {
      key: "case",
      title: t("gridRisk.warnings.col.case"),
      width: 170,
      render: (_v, w) =>
        w.case ? (
          <Link to={`/cases/${w.case.id}`} data-testid="warning-case">
            {w.case.code}
          </Link>
        ) : (
          "—"
        ),
    },
    {
      key: "actions",
      title: t("gridRisk.warnings.col.actions"),
      width: 260,
      fixed: "right",
      render: (_v, w) => (
        <Space size={4} wrap>
          {w.allowedActions.includes("acknowledge") ? (
            <Button
              size="small"
              loading={busy === w.id}
              onClick={() => acknowledge(w)}
              data-testid="warning-acknowledge"
            >
              {t("gridRisk.warnings.actions.acknowledge")}
            </Button>
          ) : null}
          {w.allowedActions.includes("createTask") ? (
            <Button
              size="small"
              type="primary"
              onClick={() => setStep({ kind: "createTask", warning: w })}
              data-testid="warning-create-task"
            >
              {t("gridRisk.warnings.actions.createTask")}
            </Button>
          ) : null}
          {w.allowedActions.includes("dismiss") ? (
            <Button
              size="small"
              danger
              onClick={() => setStep({ kind: "dismiss", warning: w })}
              data-testid="warning-dismiss"
            >
              {t("gridRisk.warnings.actions.dismiss")}
            </Button>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <div data-testid="grid-risk-warnings">
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t("gridRisk.warnings.allStatuses")}
          aria-label={t("gridRisk.warnings.status")}
          value={f.status}
          onChange={(status) => query.setFilters({ status })}
          options={WARNING_STATUSES.map((s) => ({
            value: s,
            label: t(`gridRisk.warnings.statuses.${s}`),
          }))}
          style={{ width: 150 }}
          data-testid="warnings-status"
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
          data-testid="warnings-street"
        />
      </Space>
      <ListTable<GridWarning, (typeof SORTS)[number]>
        rowKey="id"
        query={query}
        list={list}
        columns={columns}
        scroll={{ x: 1480 }}
        testId="grid-warnings"
        emptyText={t("gridRisk.warnings.empty")}
        noMatchText={t("gridRisk.warnings.noMatch")}
        onRow={(w) => ({ "data-status": w.status, "data-grid": w.grid.code }) as object}
      />
      <StepModal
        step={step}
        onClose={() => setStep(null)}
        onDone={(text) => {
          setStep(null);
          message.success(text);
          list.reload();
        }}
        onFailed={(err) => {
          setStep(null);
          failed(err);
        }}
      />
    </div>
  );
}

/** The confirmation of a dismissal (reason required) or of a preventive task (note optional). */
function StepModal(props: {
  step: Step | null;
  onClose: () => void;
  onDone: (message: string) => void;
  onFailed: (err: unknown) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason?: string; note?: string }>();
  const [saving, setSaving] = useState(false);
  const s = props.step;
  const dismissing = s?.kind === "dismiss";

  const submit = async (v: { reason?: string; note?: string }) => {
    if (!s) return;
    setSaving(true);
    try {
      if (s.kind === "dismiss") {
        await dismissWarning(s.warning, (v.reason ?? "").trim());
        props.onDone(t("gridRisk.warnings.dismissed"));
      } else {
        const done = await createTask(s.warning, v.note?.trim() || undefined);
        props.onDone(t("gridRisk.warnings.taskCreated", { code: done.case?.code ?? "" }));
      }
    } catch (err) {
      props.onFailed(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={s !== null}
      title={
        s
          ? dismissing
            ? t("gridRisk.warnings.dismissTitle")
            : t("gridRisk.warnings.createTaskTitle", { grid: s.warning.grid.name })
          : ""
      }
      okText={
        dismissing
          ? t("gridRisk.warnings.actions.dismiss")
          : t("gridRisk.warnings.actions.createTask")
      }
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={props.onClose}
      okButtonProps={{ danger: dismissing, "data-testid": "warning-step-submit" } as ButtonProps}
      mask={{ closable: false }}
      destroyOnHidden
    >
      {s ? (
        <Form
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={submit}
          autoComplete="off"
          data-testid="warning-step-form"
        >
          <Alert
            type={dismissing ? "warning" : "info"}
            showIcon
            style={{ marginBottom: 16 }}
            title={
              dismissing
                ? t("gridRisk.warnings.dismissHint")
                : t("gridRisk.warnings.createTaskHint")
            }
          />
          {dismissing ? (
            <Form.Item
              name="reason"
              label={t("gridRisk.warnings.dismissReason")}
              validateFirst
              rules={[
                { required: true, message: t("gridRisk.warnings.dismissReasonRequired") },
                zodRule(dismissWarningBody.shape.reason),
              ]}
            >
              <Input.TextArea
                rows={3}
                maxLength={500}
                showCount
                placeholder={t("gridRisk.warnings.dismissPlaceholder")}
                data-testid="warning-reason-input"
              />
            </Form.Item>
          ) : (
            <Form.Item name="note" label={t("gridRisk.warnings.createTaskNote")}>
              <Input.TextArea
                rows={3}
                maxLength={500}
                showCount
                placeholder={t("gridRisk.warnings.createTaskPlaceholder")}
                data-testid="warning-note-input"
              />
            </Form.Item>
          )}
        </Form>
      ) : null}
    </Modal>
  );
}
