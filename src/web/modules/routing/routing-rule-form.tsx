/**
 * 新增规则 / 编辑: a rule's category, area (empty: the whole district), lead
 * (a department kind resolved locally, or a fixed department), assisting
 * parties (department kinds resolved locally; fixed departments, enterprises
 * and associations), an optional severity condition, conditions on the
 * category's report fields (field, operator, value — only what can hold for
 * the field, checked as the server checks) and a note — checked live with
 * the shared schema; 用本草稿测试 tries the draft before saving. When someone
 * changed the rule meanwhile (409) the latest version is loaded and said so.
 */
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import type { ButtonProps } from "antd";
import { Alert, Button, Form, Input, Modal, Radio, Select, Space, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type ConditionField,
  type ConditionOp,
  conditionFields,
  conditionProblem,
  opsFor,
} from "../../../shared/routing-conditions.js";
import { DEPARTMENT_KIND_NAMES, DEPARTMENT_KINDS } from "../../../shared/schemas/areas.js";
import { CASE_SEVERITY_VALUES, routingRuleBody } from "../../../shared/schemas/cases.js";
import { ApiError } from "../../api/client.js";
import { localizeMessage } from "../../i18n/index.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { applyServerErrors, type NamePath } from "../../ui/server-errors.js";
import { useApi } from "../../ui/use-api.js";
import { zodRule } from "../../ui/zod-rule.js";
import { loadCategories } from "../cases/cases-api.js";
import { CategoryTreeSelect } from "../cases/category-tree-select.js";
import { AreaTreeSelect } from "../organisations/area-tree-select.js";
import {
  AssistPartySelect,
  ConditionValueInput,
  DepartmentSelect,
  type PartyKey,
} from "./routing-bits.js";
import { RoutingPreviewModal } from "./routing-preview.js";
import {
  createRoutingRule,
  getRoutingRule,
  type PartyRef,
  type RoutingRuleDetail,
  type RoutingRuleInput,
  updateRoutingRule,
} from "./routing-rules-api.js";

type Kind = (typeof DEPARTMENT_KINDS)[number];
type Severity = (typeof CASE_SEVERITY_VALUES)[number];

type ConditionValue = string | number | boolean;

/** One row of 字段条件: a field of the category's form, how to compare, and with what. */
interface ConditionRow {
  code?: string;
  op: ConditionOp;
  value?: ConditionValue;
}

interface RuleForm {
  categoryCode?: string;
  areaCode?: string;
  leadMode: "kind" | "department";
  leadKind?: Kind;
  leadDepartmentId?: string;
  assistKinds: Kind[];
  assistParties: PartyKey[];
  severity: Severity[];
  fieldConditions: ConditionRow[];
  note?: string;
}

/** A rule has at most this many field conditions (the shared schema's limit). */
const MAX_CONDITIONS = 10;
const KIND_OPTIONS = DEPARTMENT_KINDS.map((k) => ({ value: k, label: DEPARTMENT_KIND_NAMES[k] }));
const EMPTY: RuleForm = {
  leadMode: "kind",
  assistKinds: [],
  assistParties: [],
  severity: [],
  fieldConditions: [],
};

const partyKeyOf = (ref: PartyRef): PartyKey | null =>
  "departmentId" in ref
    ? `d:${ref.departmentId}`
    : "organisationId" in ref
      ? `o:${ref.organisationId}`
      : null;

/** The names of a saved rule's fixed assisting parties, for the select before any search. */
function knownParties(r: RoutingRuleDetail | null): Map<PartyKey, string> {
  const out = new Map<PartyKey, string>();
  for (const a of r?.assist ?? []) {
    const key = partyKeyOf(a.ref);
    if (key) out.set(key, a.label);
  }
  return out;
}

function formOf(r: RoutingRuleDetail): RuleForm {
  const lead = r.lead.ref;
  const refs = r.assist.map((a) => a.ref);
  return {
    categoryCode: r.categoryCode,
    ...(r.area ? { areaCode: r.area.code } : {}),
    leadMode: "kind" in lead ? "kind" : "department",
    ...("kind" in lead ? { leadKind: lead.kind } : {}),
    ...("departmentId" in lead ? { leadDepartmentId: lead.departmentId } : {}),
    assistKinds: refs.flatMap((a) => ("kind" in a ? [a.kind] : [])),
    assistParties: refs.flatMap((a) => {
      const key = partyKeyOf(a);
      return key ? [key] : [];
    }),
    severity: r.conditions.severity ?? [],
    fieldConditions: (r.conditions.fields ?? []).map((f) => ({ ...f })),
    ...(r.note ? { note: r.note } : {}),
  };
}

/** The request body from the form. */
function bodyOf(v: RuleForm): RoutingRuleInput {
  const lead: PartyRef =
    v.leadMode === "kind"
      ? { kind: v.leadKind as Kind }
      : { departmentId: v.leadDepartmentId ?? "" };
  const note = v.note?.trim();
  const fields = (v.fieldConditions ?? []).flatMap((c) =>
    c.code !== undefined && c.value !== undefined
      ? [{ code: c.code, op: c.op, value: typeof c.value === "string" ? c.value.trim() : c.value }]
      : [],
  );
  return {
    categoryCode: v.categoryCode ?? "",
    areaCode: v.areaCode ?? null,
    conditions: {
      ...(fields.length > 0 ? { fields } : {}),
      ...(v.severity.length > 0 ? { severity: v.severity } : {}),
    },
    lead,
    assist: [
      ...v.assistKinds.map((kind) => ({ kind })),
      ...(v.assistParties ?? []).map((key) =>
        key.startsWith("d:") ? { departmentId: key.slice(2) } : { organisationId: key.slice(2) },
      ),
    ],
    ...(note ? { note } : {}),
  };
}

const fieldOf = (path: string): NamePath | null => {
  const p = path.replace(/^body\./, "");
  const condition = /^conditions\.fields\.(\d+)/.exec(p);
  if (condition) return ["fieldConditions", Number(condition[1]), "value"];
  if (p.startsWith("categoryCode")) return ["categoryCode"];
  if (p.startsWith("areaCode")) return ["areaCode"];
  if (p.startsWith("lead")) return ["leadMode"];
  if (p.startsWith("assist")) return ["assistParties"];
  if (p.startsWith("note")) return ["note"];
  if (p.startsWith("conditions")) return ["severity"];
  return null;
};

/**
 * 字段条件: rows of field, operator and value. The fields are those of the
 * chosen category's report form (a family: its leaves'); a row the category
 * cannot satisfy says why.
 */
function FieldConditions(props: { fields: ConditionField[]; hasCategory: boolean }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance<RuleForm>();
  const rows: ConditionRow[] = Form.useWatch("fieldConditions", form) ?? [];
  const fieldOfRow = (i: number) => props.fields.find((f) => f.code === rows[i]?.code);
  return (
    <Form.List name="fieldConditions">
      {(items, { add, remove }) => (
        <div data-testid="routing-rule-conditions-editor">
          <Typography.Text>{t("routing.fieldConditions")}</Typography.Text>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
            {props.hasCategory
              ? props.fields.length > 0
                ? t("routing.fieldConditionsHelp")
                : t("routing.noFields")
              : t("routing.chooseCategoryFirst")}
          </Typography.Paragraph>
          {items.map((item) => {
            const field = fieldOfRow(item.name);
            return (
              <Space
                key={item.key}
                align="start"
                style={{ display: "flex", marginBottom: 4 }}
                data-testid="routing-rule-condition"
              >
                <Form.Item
                  name={[item.name, "code"]}
                  rules={[{ required: true, message: t("routing.conditionFieldRequired") }]}
                  style={{ width: 170, marginBottom: 8 }}
                >
                  <Select
                    placeholder={t("routing.conditionField")}
                    showSearch={{ optionFilterProp: "label" }}
                    options={props.fields.map((f) => ({ value: f.code, label: f.label }))}
                    onChange={() => {
                      // Another field: its own operators and values.
                      form.setFieldValue(["fieldConditions", item.name, "op"], "eq");
                      form.setFieldValue(["fieldConditions", item.name, "value"], undefined);
                    }}
                    data-testid="routing-rule-condition-field"
                  />
                </Form.Item>
                <Form.Item name={[item.name, "op"]} style={{ width: 80, marginBottom: 8 }}>
                  <Select<ConditionOp>
                    options={(field ? opsFor(field) : (["eq"] as ConditionOp[])).map((op) => ({
                      value: op,
                      label: t(`routing.ops.${op}`),
                    }))}
                    aria-label={t("routing.conditionOp")}
                    data-testid="routing-rule-condition-op"
                  />
                </Form.Item>
                <Form.Item
                  name={[item.name, "value"]}
                  dependencies={[
                    ["fieldConditions", item.name, "code"],
                    ["fieldConditions", item.name, "op"],
                    ["categoryCode"],
                  ]}
                  style={{ width: 220, marginBottom: 8 }}
                  rules={[
                    {
                      validator: async (_r, value: ConditionValue | undefined) => {
                        const row = form.getFieldValue(["fieldConditions", item.name]) as
                          | ConditionRow
                          | undefined;
                        if (!row?.code) return;
                        if (value === undefined || value === null || value === "")
                          throw new Error(t("routing.conditionValueRequired"));
                        const problem = conditionProblem(props.fields, {
                          code: row.code,
                          op: row.op,
                          value,
                        });
                        if (problem) throw new Error(localizeMessage(problem));
                      },
                    },
                  ]}
                >
                  <ConditionValueInput field={field} data-testid="routing-rule-condition-value" />
                </Form.Item>
                <Button
                  type="text"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={t("routing.removeCondition")}
                  title={t("routing.removeCondition")}
                  onClick={() => remove(item.name)}
                  data-testid="routing-rule-condition-remove"
                />
              </Space>
            );
          })}
          <Button
            type="dashed"
            icon={<PlusOutlined />}
            disabled={
              !props.hasCategory || props.fields.length === 0 || items.length >= MAX_CONDITIONS
            }
            onClick={() => add({ op: "eq" })}
            style={{ marginBottom: 16 }}
            data-testid="routing-rule-condition-add"
          >
            {t("routing.addCondition")}
          </Button>
        </div>
      )}
    </Form.List>
  );
}

export function RoutingRuleFormModal(props: {
  open: boolean;
  /** The rule to edit (as last loaded), or null to add one. */
  editing: RoutingRuleDetail | null;
  onClose: () => void;
  onDone: (rule: RoutingRuleDetail) => void;
  /** The rule changed elsewhere: the list should reload too. */
  onStale?: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<RuleForm>();
  const [base, setBase] = useState<RoutingRuleDetail | null>(props.editing);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [conflictVersion, setConflictVersion] = useState<number | null>(null);
  const [draft, setDraft] = useState<RoutingRuleInput | null>(null);
  const leadMode = Form.useWatch("leadMode", form) ?? "kind";
  const categoryCode = Form.useWatch("categoryCode", form);
  const categories = useApi("case-categories", () => loadCategories());
  const fields = categoryCode ? conditionFields(categories.data ?? [], categoryCode) : [];

  useEffect(() => {
    if (!props.open) return;
    setBase(props.editing);
    setError(null);
    setConflictVersion(null);
    form.resetFields();
    form.setFieldsValue(props.editing ? formOf(props.editing) : EMPTY);
  }, [props.open, props.editing, form]);

  const submit = async (v: RuleForm) => {
    setSaving(true);
    setError(null);
    const body = bodyOf(v);
    try {
      const saved = base
        ? await updateRoutingRule(base.id, { ...body, version: base.version })
        : await createRoutingRule(body);
      props.onDone(saved);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && base) {
        // Someone saved first: show their version and let the user decide again.
        try {
          const latest = await getRoutingRule(base.id);
          setBase(latest);
          form.setFieldsValue(formOf(latest));
          setConflictVersion(latest.version);
        } catch (reloadErr) {
          setError(reloadErr);
        }
        props.onStale?.();
      } else {
        setError(applyServerErrors(form, err, fieldOf));
      }
    } finally {
      setSaving(false);
    }
  };

  const tryDraft = async () => {
    try {
      setDraft(bodyOf(await form.validateFields()));
    } catch {
      // the form shows what is missing
    }
  };

  const assistCount = (): number =>
    (form.getFieldValue("assistKinds")?.length ?? 0) +
    (form.getFieldValue("assistParties")?.length ?? 0);
  const assistRule = {
    validator: async () => {
      if (assistCount() > 10) throw new Error(t("routing.assistTooMany"));
    },
  };

  return (
    <Modal
      open={props.open}
      title={base ? t("routing.editTitle", { version: base.version }) : t("routing.addTitle")}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={props.onClose}
      okButtonProps={{ "data-testid": "routing-rule-submit" } as ButtonProps}
      mask={{ closable: false }}
      width={640}
      forceRender
      footer={(_, { OkBtn, CancelBtn }) => (
        <>
          <Button onClick={() => void tryDraft()} data-testid="routing-rule-try">
            {t("routing.tryDraft")}
          </Button>
          <CancelBtn />
          <OkBtn />
        </>
      )}
    >
      {conflictVersion !== null ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t("routing.conflict", { version: conflictVersion })}
          data-testid="routing-rule-conflict"
        />
      ) : null}
      <Form<RuleForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        initialValues={EMPTY}
        data-testid="routing-rule-form"
      >
        <Form.Item
          name="categoryCode"
          label={t("routing.category")}
          extra={t("routing.categoryHelp")}
          rules={[zodRule(routingRuleBody.shape.categoryCode)]}
        >
          <CategoryTreeSelect
            width="100%"
            allowClear={false}
            placeholder={t("routing.categoryPlaceholder")}
            data-testid="routing-rule-category"
          />
        </Form.Item>
        <Form.Item name="areaCode" label={t("routing.area")} extra={t("routing.areaHelp")}>
          <AreaTreeSelect
            width="100%"
            placeholder={t("routing.areaPlaceholder")}
            data-testid="routing-rule-area"
          />
        </Form.Item>
        <Form.Item name="leadMode" label={t("routing.leadMode")}>
          <Radio.Group
            options={[
              { value: "kind", label: t("routing.leadModes.kind") },
              { value: "department", label: t("routing.leadModes.department") },
            ]}
            data-testid="routing-rule-lead-mode"
          />
        </Form.Item>
        {leadMode === "kind" ? (
          <Form.Item
            name="leadKind"
            label={t("routing.leadKind")}
            rules={[{ required: true, message: t("routing.leadKindRequired") }]}
          >
            <Select
              showSearch={{ optionFilterProp: "label" }}
              options={KIND_OPTIONS}
              data-testid="routing-rule-lead-kind"
            />
          </Form.Item>
        ) : (
          <Form.Item
            name="leadDepartmentId"
            label={t("routing.leadDepartment")}
            rules={[{ required: true, message: t("routing.leadDepartmentRequired") }]}
          >
            <DepartmentSelect data-testid="routing-rule-lead-department" />
          </Form.Item>
        )}
        <Form.Item
          name="assistKinds"
          label={t("routing.assistKinds")}
          rules={[assistRule]}
          dependencies={["assistParties"]}
        >
          <Select
            mode="multiple"
            allowClear
            showSearch={{ optionFilterProp: "label" }}
            options={KIND_OPTIONS}
            data-testid="routing-rule-assist-kinds"
          />
        </Form.Item>
        <Form.Item
          name="assistParties"
          label={t("routing.assistParties")}
          extra={t("routing.assistPartiesHelp")}
          rules={[assistRule]}
          dependencies={["assistKinds"]}
        >
          <AssistPartySelect known={knownParties(base)} data-testid="routing-rule-assist-parties" />
        </Form.Item>
        <Form.Item name="severity" label={t("routing.severity")} extra={t("routing.severityHelp")}>
          <Select
            mode="multiple"
            allowClear
            options={CASE_SEVERITY_VALUES.map((s) => ({
              value: s,
              label: t(`cases.severities.${s}`),
            }))}
            data-testid="routing-rule-severity"
          />
        </Form.Item>
        <FieldConditions fields={fields} hasCategory={Boolean(categoryCode)} />
        <Form.Item
          name="note"
          label={t("routing.note")}
          rules={[zodRule(routingRuleBody.shape.note)]}
        >
          <Input.TextArea rows={2} maxLength={500} showCount data-testid="routing-rule-note" />
        </Form.Item>
      </Form>
      {error ? <ErrorAlert error={error} /> : null}
      {draft ? (
        <RoutingPreviewModal
          open
          onClose={() => setDraft(null)}
          draft={draft}
          replaces={base?.id}
        />
      ) : null}
    </Modal>
  );
}
