/**
 * The category taxonomy as a tree select: families with their leaves, any
 * level selectable (a family stands for all of its leaves). Used as the
 * inbox's filter and in the responsibility list.
 */
import { TreeSelect } from "antd";
import { useTranslation } from "react-i18next";
import { useApi } from "../../ui/use-api.js";
import { categoryTree } from "./case-model.js";
import { loadCategories } from "./cases-api.js";

export function CategoryTreeSelect(props: {
  value?: string | undefined;
  onChange?: (code: string | undefined) => void;
  placeholder?: string;
  width?: number | string;
  id?: string;
  "data-testid"?: string;
  allowClear?: boolean;
}) {
  const { t } = useTranslation();
  const categories = useApi("case-categories", () => loadCategories());
  const treeData = categoryTree(categories.data ?? []).map((fam) => ({
    value: fam.family.code,
    title: fam.family.name,
    children: fam.leaves.map((c) => ({ value: c.code, title: c.name })),
  }));
  return (
    <TreeSelect
      id={props.id}
      allowClear={props.allowClear ?? true}
      showSearch={{ treeNodeFilterProp: "title" }}
      placeholder={props.placeholder ?? t("cases.allCategories")}
      aria-label={t("cases.category")}
      value={props.value || undefined}
      onChange={(code?: string) => props.onChange?.(code ?? undefined)}
      treeData={treeData}
      loading={categories.loading}
      popupMatchSelectWidth={false}
      style={{ width: props.width ?? 200, maxWidth: "100%" }}
      data-testid={props["data-testid"]}
    />
  );
}
