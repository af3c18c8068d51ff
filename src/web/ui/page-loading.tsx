/** A centred spinner for whole pages and lazy routes. */
import { Spin } from "antd";
import { useTranslation } from "react-i18next";

export function PageLoading() {
  const { t } = useTranslation();
  return (
    <div
      style={{ display: "grid", placeItems: "center", minHeight: 240 }}
      data-testid="page-loading"
    >
      <Spin description={t("common.loading")} size="large">
        <div style={{ width: 120, height: 60 }} />
      </Spin>
    </div>
  );
}
