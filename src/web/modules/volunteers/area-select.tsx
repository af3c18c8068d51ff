/**
 * Picks a grid or a community (a shift's area, a team's community): as you
 * type it searches names and codes; before that it offers the user's own
 * community and its grids.
 */
import { Select } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client.js";
import { homeAreaCode } from "../../auth/access.js";
import { useAuth } from "../../auth/auth-context.js";
import { useApi } from "../../ui/use-api.js";
import { useDebounced } from "../../ui/use-debounced.js";

interface AreaOption {
  code: string;
  name: string;
  level: string;
}

export function AreaSelect(props: {
  value?: string;
  onChange?: (code: string | undefined) => void;
  levels: ("grid" | "community")[];
  id?: string;
  "data-testid"?: string;
}) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const home = homeAreaCode(me);
  const [typed, setTyped] = useState("");
  const q = useDebounced(typed.trim(), 250);
  // A grid worker's grid code starts with its community's (12 digits).
  const start = home && home.length >= 12 ? home.slice(0, 12) : "";
  const search = q || start;
  const result = useApi(`area-select:${props.levels.join()}:${search}`, (signal) =>
    api<{ items: AreaOption[] }>("/api/areas", {
      query: search ? { q: search, limit: 50 } : { level: "community", limit: 50 },
      signal,
    }),
  );
  const options = (result.data?.items ?? []).filter((a) =>
    (props.levels as string[]).includes(a.level),
  );
  return (
    <Select<string>
      id={props.id}
      value={props.value}
      onChange={(v) => props.onChange?.(v)}
      showSearch={{ filterOption: false, onSearch: setTyped }}
      allowClear
      loading={result.loading}
      placeholder={t("volunteers.plan.areaPlaceholder")}
      options={options.map((a) => ({
        value: a.code,
        label: `${a.name}（${t(`levels.${a.level}` as "levels.grid")}）`,
      }))}
      style={{ width: "100%" }}
      data-testid={props["data-testid"]}
    />
  );
}
