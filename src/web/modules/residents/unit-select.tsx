/**
 * A searchable unit picker: staff search their own scope (GET /api/units);
 * a resident searches the standard addresses (GET /api/addresses, two
 * characters or more).
 */
import { Select, Spin } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useApi } from "../../ui/use-api.js";
import { useDebounced } from "../../ui/use-debounced.js";
import { listUnits, searchAddresses } from "./base-data-api.js";

export function UnitSelect(props: {
  value?: string;
  onChange?: (v: string | undefined) => void;
  "data-testid"?: string;
  id?: string;
  source?: "units" | "addresses";
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim(), 300);
  const addresses = props.source === "addresses";
  const units = useApi(`unit-select:${props.source ?? "units"}:${q}`, (signal) =>
    addresses
      ? q.length >= 2
        ? searchAddresses(q, signal)
        : Promise.resolve({ items: [], total: 0 })
      : listUnits({ q: q || undefined, limit: 20, offset: 0 }, signal),
  );
  return (
    <Select<string>
      id={props.id}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear
      value={props.value}
      onChange={(v) => props.onChange?.(v)}
      placeholder={t("baseData.unitPlaceholder")}
      notFoundContent={
        units.loading ? (
          <Spin size="small" />
        ) : addresses && q.length < 2 ? (
          t("baseData.typeAddress")
        ) : (
          t("baseData.noUnits")
        )
      }
      options={(units.data?.items ?? []).map((u) => ({
        value: u.id,
        label: <span data-unit-id={u.id}>{u.address}</span>,
        title: u.address,
      }))}
      popupMatchSelectWidth
      style={{ width: "100%" }}
      data-testid={props["data-testid"]}
    />
  );
}
