/**
 * Small pieces of the responsibility list: a rule's conditions as a sentence,
 * its parties as tags, and the department select the rule form uses.
 */
import { Select, Space, Tag } from "antd";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../../ui/error-alert.js";
import { useApi } from "../../ui/use-api.js";
import { listAllDepartments, type RoutingRule } from "./routing-rules-api.js";

/** "严重程度：较高、紧急；人数 ≥ 10", or 无条件. */
export function conditionsText(c: RoutingRule["conditions"], t: TFunction): string {
  const parts: string[] = [];
  if (c.severity?.length)
    parts.push(
      t("routing.severityCondition", {
        list: c.severity.map((s) => t(`cases.severities.${s}`)).join("、"),
      }),
    );
  for (const f of c.fields ?? [])
    parts.push(
      t("routing.fieldCondition", {
        code: f.code,
        op: t(`routing.ops.${f.op}`),
        value: String(f.value),
      }),
    );
  return parts.length > 0 ? parts.join("；") : t("routing.noConditions");
}

export function PartyTags(props: { parties: RoutingRule["assist"]; testId?: string }) {
  if (props.parties.length === 0) return <>—</>;
  return (
    <Space size={[4, 4]} wrap data-testid={props.testId}>
      {props.parties.map((p) => (
        <Tag key={p.label} style={{ marginInlineEnd: 0 }}>
          {p.label}
        </Tag>
      ))}
    </Space>
  );
}

/**
 * Departments by name from the whole list (a district has a few dozen): unlike
 * the search picker it shows a saved rule's department by name at once, and
 * takes several.
 */
export function DepartmentSelect(props: {
  id?: string;
  value?: string | string[];
  onChange?: (v: string | string[] | undefined) => void;
  multiple?: boolean;
  "data-testid"?: string;
}) {
  const { t } = useTranslation();
  const departments = useApi("departments:all", (signal) => listAllDepartments(signal));
  return (
    <>
      <Select<string | string[]>
        id={props.id}
        mode={props.multiple ? "multiple" : undefined}
        allowClear
        showSearch={{ optionFilterProp: "label" }}
        value={props.value}
        onChange={(v) => props.onChange?.(v)}
        loading={departments.loading}
        placeholder={t("users.departmentPlaceholder")}
        options={(departments.data?.items ?? []).map((d) => ({
          value: d.id,
          label: `${d.name}（${d.area.name}）`,
        }))}
        data-testid={props["data-testid"]}
      />
      {departments.error ? (
        <div style={{ marginTop: 8 }}>
          <ErrorAlert error={departments.error} onRetry={departments.reload} />
        </div>
      ) : null}
    </>
  );
}
