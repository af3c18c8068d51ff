/**
 * A searchable picker over the areas the user can see (district → street →
 * community → grid). As a list filter any level may be chosen; in a form
 * `gridOnly` allows only grids, since records belong to a grid.
 */
import { TreeSelect } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { AreaSummary } from "../../../shared/schemas/areas.js";
import { useApi } from "../../ui/use-api.js";
import { type AreaNode, buildAreaTree } from "../areas/area-tree-model.js";
import { loadAllAreas } from "../areas/areas-api.js";

interface TreeOption {
  value: string;
  title: string;
  selectable: boolean;
  children: TreeOption[];
}

// Areas change rarely: one load per page visit is enough for every picker.
let cached: Promise<AreaSummary[]> | null = null;
/** Every area the user can see, loaded once per page visit (shared with the picker). */
export function areasOnce(signal: AbortSignal): Promise<AreaSummary[]> {
  cached ??= loadAllAreas(signal).catch((err: unknown) => {
    cached = null;
    throw err;
  });
  return cached;
}

export function AreaTreeSelect(props: {
  value?: string | undefined;
  onChange?: (code: string | undefined) => void;
  gridOnly?: boolean;
  /** only areas of this level may be chosen */
  level?: AreaSummary["level"];
  placeholder?: string;
  width?: number | string;
  id?: string;
  "data-testid"?: string;
  status?: "error" | "warning" | "";
}) {
  const { t } = useTranslation();
  const areas = useApi("areas:all", (signal) => areasOnce(signal));
  const treeData = useMemo(() => {
    const toOption = (n: AreaNode): TreeOption => ({
      value: n.area.code,
      title: n.area.name,
      selectable: props.level
        ? n.area.level === props.level
        : !props.gridOnly || n.area.level === "grid",
      children: n.children.map(toOption),
    });
    return buildAreaTree(areas.data ?? []).map(toOption);
  }, [areas.data, props.gridOnly, props.level]);

  return (
    <TreeSelect<string>
      id={props.id}
      value={props.value}
      onChange={(v) => props.onChange?.(v ?? undefined)}
      treeData={treeData}
      treeNodeFilterProp="title"
      treeNodeLabelProp="title"
      showSearch
      allowClear
      loading={areas.loading}
      status={props.status}
      placeholder={
        props.placeholder ??
        (props.gridOnly ? t("organisations.chooseGrid") : t("organisations.allAreas"))
      }
      notFoundContent={areas.error ? t("errors.loadFailed") : undefined}
      treeDefaultExpandedKeys={treeData.map((n) => n.value)}
      popupMatchSelectWidth={false}
      style={{ width: props.width ?? 220, maxWidth: "100%" }}
      data-testid={props["data-testid"]}
    />
  );
}
