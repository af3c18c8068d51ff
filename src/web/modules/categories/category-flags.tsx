/** A category's flags as tags: 需网格员核实, 敏感, 不受理. */
import { Space, Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { Category } from "./categories-api.js";

export function CategoryFlags(props: { c: Category }) {
  const { t } = useTranslation();
  const { c } = props;
  if (!c.verify && !c.sensitive && !c.invalid) return <>—</>;
  return (
    <Space size={4} wrap>
      {c.verify ? <Tag color="blue">{t("categories.verify")}</Tag> : null}
      {c.sensitive ? <Tag color="purple">{t("categories.sensitive")}</Tag> : null}
      {c.invalid ? <Tag color="default">{t("categories.invalid")}</Tag> : null}
    </Space>
  );
}
