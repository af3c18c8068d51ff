/**
 * 裁定: the meeting's arbiter picks the lead department of a bounced case
 * (and assisting parties with their task) and writes the ruling; the case
 * is then dispatched or reassigned to that lead — on its own timeline — in
 * the same step. 同时保存为派单规则 also adds the ruling to the
 * responsibility list (the case's category or its family, in its grid or an
 * area above it, by this department or by its kind); the preview shows where
 * such cases go now and with the rule, and must be looked at before saving.
 */
import { CheckCircleOutlined, EyeOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Checkbox,
  Descriptions,
  Form,
  Input,
  Modal,
  Radio,
  Select,
  Space,
  Switch,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { AgendaItem, RulingPreview } from "../../../shared/schemas/meetings.js";
import { ApiError } from "../../api/client.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { PageLoading } from "../../ui/page-loading.js";
import { applyServerErrors, type NamePath } from "../../ui/server-errors.js";
import { useApi } from "../../ui/use-api.js";
import { AssistPartySelect, DepartmentSelect, type PartyKey } from "../routing/routing-bits.js";
import { loadRulingContext, previewRuling, type RulingInput, rule } from "./meetings-api.js";

interface Values {
  leadDepartmentId?: string;
  assist: PartyKey[];
  task?: string;
  note: string;
  saveRule: boolean;
  categoryCode?: string;
  /** "" = the whole district */
  areaCode?: string;
  byKind: boolean;
}

const DISTRICT_WIDE = "";

const partiesOf = (keys: PartyKey[]) =>
  keys.map((k) =>
    k.startsWith("d:") ? { departmentId: k.slice(2) } : { organisationId: k.slice(2) },
  );

function fieldOf(path: string): NamePath | null {
  if (path.startsWith("body.saveRule.areaCode") || path.startsWith("body.rule.areaCode"))
    return ["areaCode"];
  if (path.startsWith("body.saveRule.categoryCode") || path.startsWith("body.rule.categoryCode"))
    return ["categoryCode"];
  const f = path.replace(/^body\./, "").split(".")[0];
  return f && ["leadDepartmentId", "assist", "task", "note"].includes(f) ? [f] : null;
}

export function RulingModal(props: {
  item: AgendaItem;
  meetingTitle: string;
  onClose: () => void;
  onRuled: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const ctx = useApi(`ruling-context:${props.item.id}`, (signal) =>
    loadRulingContext(props.item.id, signal),
  );
  const [preview, setPreview] = useState<{ key: string; data: RulingPreview } | null>(null);
  const [busy, setBusy] = useState<"preview" | "rule" | null>(null);
  const [error, setError] = useState<unknown>(null);
  const watched = Form.useWatch([], form) as Partial<Values> | undefined;
  const saveRule = watched?.saveRule ?? false;
  const previewKey = JSON.stringify([
    watched?.leadDepartmentId,
    watched?.assist,
    watched?.categoryCode,
    watched?.areaCode,
    watched?.byKind,
  ]);
  const previewShown = preview?.key === previewKey ? preview.data : null;

  const ruleOf = (v: Partial<Values>) => ({
    categoryCode: v.categoryCode ?? ctx.data?.case.categoryCode ?? "",
    areaCode: v.areaCode ? v.areaCode : null,
    byKind: v.byKind ?? false,
  });

  const runPreview = async () => {
    setError(null);
    let v: Values;
    try {
      v = (await form.validateFields(["leadDepartmentId", "categoryCode", "areaCode"])) as Values;
    } catch {
      return;
    }
    const all = { ...form.getFieldsValue(true), ...v } as Values;
    setBusy("preview");
    try {
      const data = await previewRuling(props.item.id, {
        leadDepartmentId: all.leadDepartmentId as string,
        assist: partiesOf(all.assist ?? []),
        rule: ruleOf(all),
      });
      setPreview({ key: previewKey, data });
    } catch (err) {
      setError(applyServerErrors(form, err, fieldOf));
    } finally {
      setBusy(null);
    }
  };

  const submit = async () => {
    setError(null);
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    if (!ctx.data) return;
    setBusy("rule");
    try {
      const body: RulingInput = {
        version: props.item.version,
        caseVersion: ctx.data.case.version,
        leadDepartmentId: v.leadDepartmentId as string,
        assist: partiesOf(v.assist ?? []),
        note: v.note.trim(),
        ...(v.task?.trim() ? { task: v.task.trim() } : {}),
        ...(v.saveRule ? { saveRule: ruleOf(v) } : {}),
      };
      const r = await rule(props.item.id, body);
      message.success(r.ruleId ? t("meetings.ruling.doneWithRule") : t("meetings.ruling.done"));
      props.onRuled();
    } catch (err) {
      setError(applyServerErrors(form, err, fieldOf));
      if (err instanceof ApiError && err.status === 409) ctx.reload();
    } finally {
      setBusy(null);
    }
  };

  const c = ctx.data?.case;
  return (
    <Modal
      open
      width={720}
      title={t("meetings.ruling.title", { code: c?.code ?? "" })}
      onCancel={props.onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={props.onClose}>{t("common.cancel")}</Button>
          {saveRule ? (
            <Button
              icon={<EyeOutlined />}
              loading={busy === "preview"}
              onClick={runPreview}
              data-testid="ruling-preview"
            >
              {t("meetings.ruling.preview")}
            </Button>
          ) : null}
          <Button
            type="primary"
            icon={<CheckCircleOutlined />}
            loading={busy === "rule"}
            disabled={!ctx.data || (saveRule && !previewShown)}
            onClick={submit}
            data-testid="ruling-submit"
          >
            {t("meetings.ruling.submit")}
          </Button>
        </Space>
      }
    >
      <div data-testid="ruling-modal">
        {ctx.error ? <ErrorAlert error={ctx.error} onRetry={ctx.reload} /> : null}
        {!c ? (
          ctx.error ? null : (
            <PageLoading />
          )
        ) : (
          <>
            <Descriptions
              size="small"
              bordered
              column={1}
              style={{ marginBottom: 16 }}
              items={[
                {
                  key: "case",
                  label: t("meetings.ruling.case"),
                  children: `${c.code} · ${c.categoryName} · ${t(`cases.statuses.${c.status}`, { defaultValue: c.status })}`,
                },
                {
                  key: "lead",
                  label: t("meetings.ruling.currentLead"),
                  children: c.lead?.name ?? t("meetings.ruling.noLead"),
                },
                {
                  key: "parties",
                  label: t("meetings.ruling.parties"),
                  children: c.parties.map((p) => p.name).join("、") || "—",
                },
              ]}
            />
            <Form<Values>
              form={form}
              layout="vertical"
              initialValues={{
                assist: [],
                saveRule: false,
                byKind: false,
                categoryCode: c.categoryCode,
                areaCode: ctx.data?.areas.find((a) => a.level === "street")?.code ?? DISTRICT_WIDE,
              }}
            >
              <Form.Item
                name="leadDepartmentId"
                label={t("meetings.ruling.lead")}
                rules={[{ required: true, message: t("meetings.ruling.leadRequired") }]}
              >
                <DepartmentSelect data-testid="ruling-lead" />
              </Form.Item>
              <Form.Item name="assist" label={t("meetings.ruling.assist")}>
                <AssistPartySelect data-testid="ruling-assist" />
              </Form.Item>
              {(watched?.assist?.length ?? 0) > 0 ? (
                <Form.Item name="task" label={t("meetings.ruling.task")}>
                  <Input placeholder={t("meetings.ruling.taskPlaceholder")} maxLength={200} />
                </Form.Item>
              ) : null}
              <Form.Item
                name="note"
                label={t("meetings.ruling.note")}
                rules={[
                  { required: true, whitespace: true, message: t("meetings.ruling.noteRequired") },
                  { min: 2, message: t("meetings.ruling.noteRequired") },
                ]}
              >
                <Input.TextArea
                  rows={3}
                  maxLength={1000}
                  showCount
                  placeholder={t("meetings.ruling.notePlaceholder")}
                  data-testid="ruling-note"
                />
              </Form.Item>
              <Form.Item name="saveRule" valuePropName="checked">
                <Checkbox data-testid="ruling-save-rule">{t("meetings.ruling.saveRule")}</Checkbox>
              </Form.Item>
              {saveRule ? (
                <div
                  style={{ padding: 12, background: "#fafafa", borderRadius: 6, marginBottom: 12 }}
                >
                  <Form.Item name="categoryCode" label={t("meetings.ruling.ruleCategory")}>
                    <Radio.Group>
                      <Radio value={c.categoryCode}>{c.categoryName}</Radio>
                      {ctx.data?.case.family ? (
                        <Radio value={ctx.data.case.family.code}>
                          {t("meetings.ruling.wholeFamily", { name: ctx.data.case.family.name })}
                        </Radio>
                      ) : null}
                    </Radio.Group>
                  </Form.Item>
                  <Form.Item name="areaCode" label={t("meetings.ruling.ruleArea")}>
                    <Select
                      data-testid="ruling-rule-area"
                      options={[
                        ...(ctx.data?.areas ?? [])
                          .filter((a) => a.level !== "district")
                          .map((a) => ({
                            value: a.code,
                            label: `${a.name}（${t(`meetings.levels.${a.level}`, { defaultValue: a.level })}）`,
                          })),
                        { value: DISTRICT_WIDE, label: t("meetings.ruling.districtWide") },
                      ]}
                    />
                  </Form.Item>
                  <Form.Item
                    name="byKind"
                    label={t("meetings.ruling.byKind")}
                    valuePropName="checked"
                    extra={t("meetings.ruling.byKindHint")}
                  >
                    <Switch />
                  </Form.Item>
                  {previewShown ? (
                    <Alert
                      type={previewShown.withRule.wins ? "success" : "warning"}
                      showIcon
                      data-testid="ruling-preview-result"
                      title={t(`meetings.ruling.step.${previewShown.case.caseAction}`, {
                        lead:
                          form.getFieldValue("leadDepartmentId") && previewShown.withRule.lead
                            ? previewShown.withRule.lead.name
                            : "",
                      })}
                      description={
                        <Space orientation="vertical" size={2}>
                          <Typography.Text>
                            {t("meetings.ruling.ruleText", {
                              category: previewShown.rule.categoryName,
                              area:
                                previewShown.rule.area?.name ?? t("meetings.ruling.districtWide"),
                              lead: previewShown.rule.lead,
                              assist: previewShown.rule.assist.join("、") || "—",
                            })}
                          </Typography.Text>
                          <Typography.Text>
                            {t("meetings.ruling.nowGoesTo", {
                              lead: previewShown.current.lead?.name ?? t("meetings.ruling.queue"),
                            })}
                          </Typography.Text>
                          <Typography.Text strong data-testid="ruling-preview-with-rule">
                            {t("meetings.ruling.withRuleGoesTo", {
                              lead: previewShown.withRule.lead?.name ?? t("meetings.ruling.queue"),
                            })}
                          </Typography.Text>
                          {!previewShown.withRule.wins ? (
                            <Typography.Text type="warning">
                              {t("meetings.ruling.ruleLoses")}
                            </Typography.Text>
                          ) : null}
                        </Space>
                      }
                    />
                  ) : (
                    <Typography.Text type="secondary">
                      {t("meetings.ruling.previewFirst")}
                    </Typography.Text>
                  )}
                </div>
              ) : null}
            </Form>
          </>
        )}
        {error ? <ErrorAlert error={error} /> : null}
      </div>
    </Modal>
  );
}
