/**
 * 测试规则: where a case of a category at a point (with a severity and the
 * report's fields, for rules with conditions) goes — which rule wins and the
 * parties it resolves to; given a draft from the rule form, the outcome with
 * the draft next to the current list's, the fields filled in so that the
 * draft's conditions hold.
 */
import { Alert, Button, Descriptions, Form, InputNumber, Modal, Select, Space } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { CASE_SEVERITY_VALUES } from "../../../shared/schemas/cases.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { useApi } from "../../ui/use-api.js";
import { type LngLat, LocationPicker } from "../areas/location-picker.js";
import { loadCategories } from "../cases/cases-api.js";
import { CategoryTreeSelect } from "../cases/category-tree-select.js";
import { ConditionValueInput } from "./routing-bits.js";
import { previewRouting, type RoutingPreview, type RoutingRuleInput } from "./routing-rules-api.js";

type Severity = (typeof CASE_SEVERITY_VALUES)[number];
type FieldValue = string | number | boolean;

/** Field values that satisfy a draft's conditions (each compared value holds for its own comparison). */
function valuesOfDraft(draft: RoutingRuleInput | undefined): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const f of draft?.conditions?.fields ?? []) out[f.code] = f.value;
  return out;
}

export function RoutingPreviewModal(props: {
  open: boolean;
  onClose: () => void;
  /** The rule form's draft, tried as if it were in the list. */
  draft?: RoutingRuleInput | undefined;
  /** The rule the draft is an edit of. */
  replaces?: string | undefined;
}) {
  const { t } = useTranslation();
  const [category, setCategory] = useState<string | undefined>(props.draft?.categoryCode);
  const [severity, setSeverity] = useState<Severity | undefined>();
  const [point, setPoint] = useState<LngLat | undefined>();
  const [result, setResult] = useState<RoutingPreview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [tried, setTried] = useState(false);
  const [values, setValues] = useState<Record<string, FieldValue | undefined>>(() =>
    valuesOfDraft(props.draft),
  );
  const categories = useApi("case-categories", () => loadCategories());
  // A case is filed under a leaf: its form's fields can be filled in.
  const leaf = categories.data?.find((c) => c.code === category && c.parent !== null);
  const fields = leaf?.fields ?? [];
  const filled = Object.fromEntries(
    fields.flatMap((f) => {
      const v = values[f.code];
      return v === undefined || v === "" ? [] : [[f.code, v] as const];
    }),
  );

  const run = async () => {
    setTried(true);
    if (!category || !point) return;
    setBusy(true);
    setError(null);
    try {
      setResult(
        await previewRouting({
          categoryCode: category,
          lng: point[0],
          lat: point[1],
          ...(severity ? { severity } : {}),
          ...(Object.keys(filled).length > 0 ? { fields: filled } : {}),
          ...(props.draft ? { draft: props.draft } : {}),
          ...(props.replaces ? { replaces: props.replaces } : {}),
        }),
      );
    } catch (err) {
      setResult(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const setCoord = (i: 0 | 1, v: number | null) => {
    if (v === null) return;
    const next: LngLat = point ? [...point] : [0, 0];
    next[i] = v;
    setPoint(next);
  };

  const ruleText = (r: RoutingPreview["rule"]) =>
    !r
      ? t("routing.noRule")
      : r.draft
        ? t("routing.draftRule")
        : t("routing.currentRule", { id: r.id ?? "" });

  return (
    <Modal
      open={props.open}
      title={t("routing.previewTitle")}
      onCancel={props.onClose}
      footer={null}
      width={720}
      destroyOnHidden
    >
      <div data-testid="routing-preview">
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={props.draft ? t("routing.previewDraftIntro") : t("routing.previewIntro")}
        />
        <Form layout="vertical" requiredMark={false}>
          <Space wrap align="start">
            <Form.Item
              label={t("routing.category")}
              validateStatus={tried && !category ? "error" : ""}
              help={tried && !category ? t("routing.categoryRequired") : undefined}
            >
              <CategoryTreeSelect
                value={category}
                onChange={setCategory}
                width={220}
                data-testid="routing-preview-category"
              />
            </Form.Item>
            <Form.Item label={t("routing.severity")}>
              <Select<Severity>
                allowClear
                value={severity}
                onChange={setSeverity}
                placeholder={t("routing.severityHelp")}
                options={CASE_SEVERITY_VALUES.map((s) => ({
                  value: s,
                  label: t(`cases.severities.${s}`),
                }))}
                style={{ width: 160 }}
                data-testid="routing-preview-severity"
              />
            </Form.Item>
          </Space>
          {fields.length > 0 ? (
            <Form.Item
              label={t("routing.previewFields")}
              extra={t("routing.previewFieldsHelp")}
              data-testid="routing-preview-fields"
            >
              <Space wrap align="start">
                {fields.map((f) => (
                  <Space key={f.code} orientation="vertical" size={2} style={{ width: 200 }}>
                    <span>{f.label}</span>
                    <ConditionValueInput
                      field={f}
                      value={values[f.code]}
                      onChange={(v) => setValues((old) => ({ ...old, [f.code]: v }))}
                      data-testid={`routing-preview-field-${f.code}`}
                    />
                  </Space>
                ))}
              </Space>
            </Form.Item>
          ) : null}
          <Form.Item
            label={t("routing.point")}
            extra={t("routing.pointHelp")}
            validateStatus={tried && !point ? "error" : ""}
            help={tried && !point ? t("routing.pointRequired") : undefined}
          >
            <LocationPicker
              value={point}
              onChange={setPoint}
              height={260}
              testId="routing-preview-map"
              label={t("routing.point")}
            />
            <Space wrap style={{ marginTop: 8 }}>
              <InputNumber
                aria-label={t("routing.lat")}
                prefix={t("routing.lat")}
                value={point?.[1]}
                onChange={(v) => setCoord(1, v)}
                step={0.0001}
                style={{ width: 200 }}
                data-testid="routing-preview-lat"
              />
              <InputNumber
                aria-label={t("routing.lng")}
                prefix={t("routing.lng")}
                value={point?.[0]}
                onChange={(v) => setCoord(0, v)}
                step={0.0001}
                style={{ width: 200 }}
                data-testid="routing-preview-lng"
              />
              <Button
                type="primary"
                loading={busy}
                onClick={() => void run()}
                data-testid="routing-preview-run"
              >
                {t("routing.run")}
              </Button>
            </Space>
          </Form.Item>
        </Form>
        {error ? <ErrorAlert error={error} /> : null}
        {result ? (
          <Descriptions
            bordered
            size="small"
            column={1}
            data-testid="routing-preview-result"
            items={[
              { key: "grid", label: t("routing.grid"), children: result.grid?.name ?? "—" },
              {
                key: "rule",
                label: props.draft
                  ? `${t("routing.winningRule")}（${t("routing.withDraft")}）`
                  : t("routing.winningRule"),
                children: <span data-testid="routing-preview-rule">{ruleText(result.rule)}</span>,
              },
              {
                key: "lead",
                label: t("routing.resolvedLead"),
                children: (
                  <span data-testid="routing-preview-lead">
                    {result.lead?.name ?? t("routing.noLead")}
                  </span>
                ),
              },
              {
                key: "assist",
                label: t("routing.resolvedAssist"),
                children: (
                  <span data-testid="routing-preview-assist">
                    {result.assist.map((a) => a.name).join("、") || "—"}
                  </span>
                ),
              },
              ...(result.current
                ? [
                    {
                      key: "current",
                      label: `${t("routing.resolvedLead")}（${t("routing.now")}）`,
                      children: (
                        <span data-testid="routing-preview-current-lead">
                          {result.current.lead?.name ?? t("routing.noLead")}
                          {result.current.ruleId
                            ? ` · ${t("routing.currentRule", { id: result.current.ruleId })}`
                            : ""}
                        </span>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        ) : null}
      </div>
    </Modal>
  );
}
