/**
 * Small pieces of the responsibility list: a rule's conditions as a sentence
 * (fields by their labels), its parties as tags, the department select the
 * rule form uses, the assisting-party select (departments, enterprises and
 * associations in one list) and the input of a condition's value by the
 * field's type.
 */
import { Input, InputNumber, Radio, Select, Space, Spin, Tag } from "antd";
import type { TFunction } from "i18next";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ConditionField, conditionFields } from "../../../shared/routing-conditions.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { useApi } from "../../ui/use-api.js";
import { useDebounced } from "../../ui/use-debounced.js";
import { loadCategories } from "../cases/cases-api.js";
import { listOrganisations } from "../organisations/organisations-api.js";
import { listAllDepartments, type RoutingRule } from "./routing-rules-api.js";

type Condition = NonNullable<RoutingRule["conditions"]["fields"]>[number];

/** A condition's value as people read it: 是/否, the option's label, the number. */
export function conditionValueText(
  field: ConditionField | undefined,
  value: Condition["value"],
  t: TFunction,
): string {
  if (typeof value === "boolean") return value ? t("common.yes") : t("common.no");
  if (field?.type === "select")
    return field.options?.find((o) => o.value === value)?.label ?? String(value);
  return String(value);
}

/** "严重程度：较高、紧急；涉及人数 ≥ 10", or 无条件; fields by label when `fields` are known. */
export function conditionsText(
  c: RoutingRule["conditions"],
  t: TFunction,
  fields: readonly ConditionField[] = [],
): string {
  const parts: string[] = [];
  if (c.severity?.length)
    parts.push(
      t("routing.severityCondition", {
        list: c.severity.map((s) => t(`cases.severities.${s}`)).join("、"),
      }),
    );
  for (const f of c.fields ?? []) {
    const def = fields.find((x) => x.code === f.code);
    parts.push(
      t("routing.fieldCondition", {
        code: def?.label ?? f.code,
        op: t(`routing.ops.${f.op}`),
        value: conditionValueText(def, f.value, t),
      }),
    );
  }
  return parts.length > 0 ? parts.join("；") : t("routing.noConditions");
}

/** A rule's conditions as a sentence, the fields named as the category's form names them. */
export function ConditionsText(props: {
  conditions: RoutingRule["conditions"];
  categoryCode: string;
}) {
  const { t } = useTranslation();
  const categories = useApi("case-categories", () => loadCategories());
  return (
    <span data-testid="routing-rule-conditions">
      {conditionsText(
        props.conditions,
        t,
        conditionFields(categories.data ?? [], props.categoryCode),
      )}
    </span>
  );
}

const PARTY_COLORS = { kind: "default", departmentId: "blue", organisationId: "green" } as const;

export function PartyTags(props: { parties: RoutingRule["assist"]; testId?: string }) {
  if (props.parties.length === 0) return <>—</>;
  return (
    <Space size={[4, 4]} wrap data-testid={props.testId}>
      {props.parties.map((p) => {
        const kind =
          "kind" in p.ref ? "kind" : "departmentId" in p.ref ? "departmentId" : "organisationId";
        return (
          <Tag
            key={`${kind}:${p.label}`}
            color={PARTY_COLORS[kind]}
            style={{ marginInlineEnd: 0 }}
            data-party={kind}
          >
            {p.label}
          </Tag>
        );
      })}
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

/** An assisting party in the form: `d:<departmentId>` or `o:<organisationId>`. */
export type PartyKey = `d:${string}` | `o:${string}`;

/**
 * Fixed assisting parties: departments (the whole list, filtered as you
 * type), enterprises and associations (searched on the server as you type),
 * in one list grouped by kind. Chosen ones keep their names across searches;
 * `known` names those of a saved rule before any search.
 */
export function AssistPartySelect(props: {
  id?: string;
  value?: PartyKey[];
  onChange?: (v: PartyKey[]) => void;
  known?: ReadonlyMap<PartyKey, string>;
  "data-testid"?: string;
}) {
  const { t } = useTranslation();
  const [query, setQuery] = useState("");
  const q = useDebounced(query.trim(), 250);
  const departments = useApi("departments:all", (signal) => listAllDepartments(signal));
  const organisations = useApi(`organisations:assist:${q}`, (signal) =>
    listOrganisations({ q: q || undefined, limit: 30, offset: 0 }, signal),
  );
  // Every organisation seen, so a chosen one keeps its name after another search.
  const seen = useRef(new Map<PartyKey, { label: string; kind: "enterprise" | "association" }>());
  for (const o of organisations.data?.items ?? [])
    seen.current.set(`o:${o.id}`, { label: o.name, kind: o.kind });

  const chosen = new Set(props.value ?? []);
  const needle = query.trim();
  const deptOptions = (departments.data?.items ?? [])
    .map((d) => ({ value: `d:${d.id}` as PartyKey, label: `${d.name}（${d.area.name}）` }))
    .filter((o) => !needle || o.label.includes(needle) || chosen.has(o.value));
  const found = new Set((organisations.data?.items ?? []).map((o) => `o:${o.id}` as PartyKey));
  const orgOptions = (kind: "enterprise" | "association") =>
    [...seen.current.entries()]
      .filter(([key, o]) => o.kind === kind && (found.has(key) || chosen.has(key)))
      .map(([key, o]) => ({ value: key, label: o.label }));
  // Chosen organisations of a saved rule, known by name only (no search has shown them yet).
  const knownOnly = [...chosen]
    .filter((k) => k.startsWith("o:") && !seen.current.has(k))
    .map((k) => ({ value: k, label: props.known?.get(k) ?? k }));

  return (
    <>
      <Select<PartyKey[]>
        id={props.id}
        mode="multiple"
        allowClear
        value={props.value}
        onChange={(v) => props.onChange?.(v)}
        showSearch={{ filterOption: false, onSearch: setQuery }}
        onBlur={() => setQuery("")}
        placeholder={t("routing.assistPartiesPlaceholder")}
        loading={departments.loading || organisations.loading}
        notFoundContent={
          organisations.loading ? <Spin size="small" /> : t("routing.assistPartiesNone")
        }
        options={[
          { label: t("routing.partyGroups.department"), options: deptOptions },
          { label: t("routing.partyGroups.enterprise"), options: orgOptions("enterprise") },
          {
            label: t("routing.partyGroups.association"),
            options: [...orgOptions("association"), ...knownOnly],
          },
        ].filter((g) => g.options.length > 0)}
        data-testid={props["data-testid"]}
      />
      {departments.error || organisations.error ? (
        <div style={{ marginTop: 8 }}>
          <ErrorAlert
            error={departments.error ?? organisations.error}
            onRetry={() => {
              departments.reload();
              organisations.reload();
            }}
          />
        </div>
      ) : null}
    </>
  );
}

/** A condition's value, entered as the field is: a choice, 是/否, a number, a date or text. */
export function ConditionValueInput(props: {
  id?: string;
  field: ConditionField | undefined;
  value?: Condition["value"];
  onChange?: (v: Condition["value"] | undefined) => void;
  "data-testid"?: string;
}) {
  const { t } = useTranslation();
  const f = props.field;
  const testId = props["data-testid"];
  if (!f) return <Input id={props.id} disabled placeholder={t("routing.conditionFieldFirst")} />;
  switch (f.type) {
    case "select":
      return (
        <Select<string>
          id={props.id}
          value={typeof props.value === "string" ? props.value : undefined}
          onChange={(v) => props.onChange?.(v)}
          options={(f.options ?? []).map((o) => ({ value: o.value, label: o.label }))}
          placeholder={t("routing.conditionValue")}
          data-testid={testId}
        />
      );
    case "boolean":
      return (
        <Radio.Group
          id={props.id}
          value={typeof props.value === "boolean" ? props.value : undefined}
          onChange={(e) => props.onChange?.(e.target.value as boolean)}
          optionType="button"
          options={[
            { value: true, label: t("common.yes") },
            { value: false, label: t("common.no") },
          ]}
          data-testid={testId}
        />
      );
    case "integer":
    case "number":
      return (
        <InputNumber<number>
          id={props.id}
          value={typeof props.value === "number" ? props.value : null}
          onChange={(v) => props.onChange?.(v ?? undefined)}
          precision={f.type === "integer" ? 0 : undefined}
          placeholder={t("routing.conditionValue")}
          style={{ width: "100%" }}
          data-testid={testId}
        />
      );
    case "date":
      return (
        <Input
          id={props.id}
          type="date"
          value={typeof props.value === "string" ? props.value : ""}
          onChange={(e) => props.onChange?.(e.target.value || undefined)}
          data-testid={testId}
        />
      );
    default:
      return (
        <Input
          id={props.id}
          value={typeof props.value === "string" ? props.value : ""}
          onChange={(e) => props.onChange?.(e.target.value)}
          maxLength={200}
          placeholder={t("routing.conditionValue")}
          data-testid={testId}
        />
      );
  }
}
