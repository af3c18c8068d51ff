/**
 * A select that searches the server as you type (name plus a grey second
 * line per option) and keeps the chosen item's name across searches; and
 * the department picker built on it (grants in 账户管理, 派单/改派/协办 on a
 * case).
 */
import { Select, Spin, Typography } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../api/client.js";
import { ErrorAlert } from "./error-alert.js";
import { useApi } from "./use-api.js";
import { useDebounced } from "./use-debounced.js";

export interface PickerProps {
  id?: string;
  value?: string;
  onChange?: (value: string | undefined) => void;
  placeholder?: string;
  "data-testid"?: string;
}

export function SearchPicker<T extends { id: string; name: string }>(
  props: PickerProps & {
    /** Names the list in useApi's cache ("departments", "organisations" …). */
    cacheKey: string;
    search: (q: string, signal: AbortSignal) => Promise<{ items: T[] }>;
    /** The grey second line of an option (its area, its kind …). */
    detail: (item: T) => string;
    placeholder: string;
  },
) {
  const [query, setQuery] = useState("");
  const q = useDebounced(query.trim(), 250);
  const result = useApi(`${props.cacheKey}:${q}`, (signal) => props.search(q, signal));
  // Remember what was seen so the chosen item keeps its name after another search.
  const seen = useRef(new Map<string, T>());
  for (const d of result.data?.items ?? []) seen.current.set(d.id, d);

  const found = result.data?.items ?? [];
  const chosen = props.value ? seen.current.get(props.value) : undefined;
  const list = chosen && !found.some((d) => d.id === chosen.id) ? [chosen, ...found] : found;

  return (
    <>
      <Select<string>
        id={props.id}
        value={props.value}
        onChange={(v) => props.onChange?.(v)}
        showSearch={{ filterOption: false, onSearch: setQuery }}
        allowClear
        placeholder={props.placeholder}
        loading={result.loading}
        notFoundContent={result.loading ? <Spin size="small" /> : undefined}
        options={list.map((d) => ({ value: d.id, label: d.name, detail: props.detail(d) }))}
        optionRender={(o) => (
          <div>
            <div>{o.label}</div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {String(o.data.detail ?? "")}
            </Typography.Text>
          </div>
        )}
        style={{ width: "100%" }}
        data-testid={props["data-testid"]}
      />
      {result.error ? (
        <div style={{ marginTop: 8 }}>
          <ErrorAlert error={result.error} onRetry={result.reload} />
        </div>
      ) : null}
    </>
  );
}

export interface DepartmentOption {
  id: string;
  code: string;
  name: string;
  kind: string;
  area: { name: string };
}

export function searchDepartments(q: string, signal?: AbortSignal) {
  return api<{ items: DepartmentOption[]; total: number }>("/api/departments", {
    query: { q, limit: 50 },
    ...(signal ? { signal } : {}),
  });
}

export function DepartmentPicker(props: PickerProps) {
  const { t } = useTranslation();
  return (
    <SearchPicker<DepartmentOption>
      {...props}
      cacheKey="departments"
      search={searchDepartments}
      detail={(d) => d.area.name}
      placeholder={props.placeholder ?? t("users.departmentPlaceholder")}
    />
  );
}
