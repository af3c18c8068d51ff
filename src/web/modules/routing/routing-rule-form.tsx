/**
 * 新增规则 / 编辑: a rule's category, area (empty: the whole district), lead
 * (a department kind resolved locally, or a fixed department), assisting
 * parties, an optional severity condition and a note — checked live with the
 * shared schema; 用本草稿测试 tries the draft before saving. When someone
 * changed the rule meanwhile (409) the latest version is loaded and said so.
 */
import type { ButtonProps } from "antd";
import { Alert, Button, Form, Input, Modal, Radio, Select } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { DEPARTMENT_KIND_NAMES, DEPARTMENT_KINDS } from "../../../shared/schemas/areas.js";
import { CASE_SEVERITY_VALUES, routingRuleBody } from "../../../shared/schemas/cases.js";
import { ApiError } from "../../api/client.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { applyServerErrors, type NamePath } from "../../ui/server-errors.js";
import { zodRule } from "../../ui/zod-rule.js";
import { CategoryTreeSelect } from "../cases/category-tree-select.js";
import { AreaTreeSelect } from "../organisations/area-tree-select.js";
import { DepartmentSelect } from "./routing-bits.js";
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

interface RuleForm {
  categoryCode?: string;
  areaCode?: string;
  leadMode: "kind" | "department";
  leadKind?: Kind;
  leadDepartmentId?: string;
  assistKinds: Kind[];
  assistDepartmentIds: string[];
  severity: Severity[];
  note?: string;
}

const KIND_OPTIONS = DEPARTMENT_KINDS.map((k) => ({ value: k, label: DEPARTMENT_KIND_NAMES[k] }));
const EMPTY: RuleForm = {
  leadMode: "kind",
  assistKinds: [],
  assistDepartmentIds: [],
  severity: [],
};

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
    assistDepartmentIds: refs.flatMap((a) => ("departmentId" in a ? [a.departmentId] : [])),
    severity: r.conditions.severity ?? [],
    ...(r.note ? { note: r.note } : {}),
  };
}

/** The request body from the form; assisting organisations of an edited rule are kept. */
function bodyOf(v: RuleForm, editing: RoutingRuleDetail | null): RoutingRuleInput {
  const lead: PartyRef =
    v.leadMode === "kind"
      ? { kind: v.leadKind as Kind }
      : { departmentId: v.leadDepartmentId ?? "" };
  const keptOrgs = (editing?.assist ?? []).flatMap((a) =>
    "organisationId" in a.ref ? [a.ref] : [],
  );
  const note = v.note?.trim();
  return {
    categoryCode: v.categoryCode ?? "",
    areaCode: v.areaCode ?? null,
    conditions: {
      ...(editing?.conditions.fields ? { fields: editing.conditions.fields } : {}),
      ...(v.severity.length > 0 ? { severity: v.severity } : {}),
    },
    lead,
    assist: [
      ...v.assistKinds.map((kind) => ({ kind })),
      ...v.assistDepartmentIds.map((departmentId) => ({ departmentId })),
      ...keptOrgs,
    ],
    ...(note ? { note } : {}),
  };
}

const fieldOf = (path: string): NamePath | null => {
  const p = path.replace(/^body\./, "");
  if (p.startsWith("categoryCode")) return ["categoryCode"];
  if (p.startsWith("areaCode")) return ["areaCode"];
  if (p.startsWith("lead")) return ["leadMode"];
  if (p.startsWith("assist")) return ["assistDepartmentIds"];
  if (p.startsWith("note")) return ["note"];
  if (p.startsWith("conditions")) return ["severity"];
  return null;
};

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
    const body = bodyOf(v, base);
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
      setDraft(bodyOf(await form.validateFields(), base));
    } catch {
      // the form shows what is missing
    }
  };

  const assistCount = (): number =>
    (form.getFieldValue("assistKinds")?.length ?? 0) +
    (form.getFieldValue("assistDepartmentIds")?.length ?? 0);
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
          dependencies={["assistDepartmentIds"]}
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
          name="assistDepartmentIds"
          label={t("routing.assistDepartments")}
          rules={[assistRule]}
          dependencies={["assistKinds"]}
        >
          <DepartmentSelect multiple data-testid="routing-rule-assist-departments" />
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
