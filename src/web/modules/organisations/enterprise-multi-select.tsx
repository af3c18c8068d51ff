/**
 * Enterprises picked by name, searched on the server as one types (30 at a
 * time); the ones already picked stay listed with their names. A form field:
 * value and onChange are the enterprises' ids.
 */
import { Select, Typography } from "antd";
import { useRef, useState } from "react";
import type { Organisation } from "../../../shared/schemas/organisations.js";
import { useApi } from "../../ui/use-api.js";
import { useDebounced } from "../../ui/use-debounced.js";
import { listOrganisations } from "./organisations-api.js";

export function EnterpriseMultiSelect(props: {
  value?: string[];
  onChange?: (v: string[]) => void;
  id?: string;
  placeholder: string;
  testId: string;
}) {
  const [q, setQ] = useState("");
  const settled = useDebounced(q.trim(), 250);
  const found = useApi(`enterprise-pick:${settled}`, (signal) =>
    listOrganisations(
      { kind: "enterprise", q: settled || undefined, limit: 30, offset: 0 },
      signal,
    ),
  );
  const seen = useRef(new Map<string, Organisation>());
  for (const o of found.data?.items ?? []) seen.current.set(o.id, o);
  const chosen = (props.value ?? []).map((id) => seen.current.get(id)).filter((o) => !!o);
  const list = [
    ...chosen,
    ...(found.data?.items ?? []).filter((o) => !props.value?.includes(o.id)),
  ] as Organisation[];
  return (
    <Select
      id={props.id}
      mode="multiple"
      allowClear
      value={props.value}
      onChange={props.onChange}
      showSearch={{ filterOption: false, onSearch: setQ }}
      loading={found.loading}
      placeholder={props.placeholder}
      options={list.map((o) => ({
        value: o.id,
        label: o.name,
        detail: [o.industry, o.grid.name].filter(Boolean).join(" · "),
      }))}
      optionRender={(o) => (
        <div>
          <div>{o.label}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {String(o.data.detail ?? "")}
          </Typography.Text>
        </div>
      )}
      data-testid={props.testId}
    />
  );
}
