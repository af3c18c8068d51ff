/** A searchable unit picker fed by GET /api/units?q=&limit=20 (the user's own scope). */
import { Select, Spin } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useApi } from "../../ui/use-api.js";
import { useDebounced } from "../../ui/use-debounced.js";
import { listUnits } from "./base-data-api.js";

export function UnitSelect(props: {
  value?: string;
  onChange?: (v: string | undefined) => void;
  "data-testid"?: string;
  id?: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim(), 300);
  const units = useApi(`unit-select:${q}`, (signal) =>
    listUnits({ q: q || undefined, limit: 20, offset: 0 }, signal),
  );
  return (
    <Select<string>
      id={props.id}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear
      value={props.value}
      onChange={(v) => props.onChange?.(v)}
      placeholder={t("baseData.unitPlaceholder")}
      notFoundContent={units.loading ? <Spin size="small" /> : t("baseData.noUnits")}
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
