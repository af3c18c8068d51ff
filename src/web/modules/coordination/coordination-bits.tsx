/**
 * Small pieces the 综治中心 cards share: an error that
 * says what to do (no permission, an area outside the user's scope, a
 * question the API refuses, or a retry), and saving CSV from the browser.
 */
import { DownloadOutlined } from "@ant-design/icons";
import { Alert, Button } from "antd";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client.js";
import { localizeMessage } from "../../i18n/index.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { toCsv } from "./coordination-model.js";

/**
 * A failed load: 403 says whose permission is missing, 400 (a grid has no
 * department breakdown, say) shows the server's reason; anything else offers
 * a retry.
 */
export function CoordinationError(props: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  const e = props.error;
  if (e instanceof ApiError && e.status === 403)
    return (
      <Alert
        type="warning"
        showIcon
        role="alert"
        data-testid="coordination-forbidden-alert"
        title={t("coordination.forbiddenTitle")}
        description={
          /区域|area/i.test(e.message)
            ? t("coordination.forbiddenArea")
            : t("coordination.forbiddenHint")
        }
      />
    );
  if (e instanceof ApiError && e.status === 400)
    return (
      <Alert
        type="info"
        showIcon
        data-testid="coordination-refused"
        title={localizeMessage(e.message)}
      />
    );
  return <ErrorAlert error={e} title={t("coordination.loadFailed")} onRetry={props.onRetry} />;
}

/** Saves `text` as a file through a temporary link (no server round trip). */
export function saveText(filename: string, text: string, type = "text/csv;charset=utf-8") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** 导出数据: a CSV (with a BOM, so Excel shows the Chinese) of what a card shows. */
export function ExportCsvButton(props: {
  filename: string;
  header: readonly string[];
  rows: () => (string | number | null | undefined)[][];
  disabled?: boolean;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Button
      size="small"
      icon={<DownloadOutlined />}
      disabled={props.disabled}
      data-testid={props.testId}
      onClick={() => saveText(props.filename, toCsv(props.header, props.rows()))}
    >
      {t("coordination.exportData")}
    </Button>
  );
}
