/** Error states: a readable message, the request id for support, and a retry. */
import { Alert, Button, Typography } from "antd";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/client.js";
import { localizeMessage } from "../i18n/index.js";

/** A user-facing sentence for any error thrown by the API client. */
export function describeError(err: unknown, t: TFunction): string {
  if (err instanceof ApiError) {
    if (err.id === "network") return t("common.networkError");
    if (/^HTTP \d+$/.test(err.message)) return t("common.serverError", { status: err.status });
    return localizeMessage(err.message);
  }
  return t("common.unknownError");
}

export function requestIdOf(err: unknown): string | null {
  return err instanceof ApiError ? err.requestId : null;
}

export function ErrorAlert(props: { error: unknown; title?: string; onRetry?: () => void }) {
  const { t } = useTranslation();
  const rid = requestIdOf(props.error);
  const text = describeError(props.error, t);
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      data-testid="error-alert"
      title={props.title ?? text}
      description={
        <>
          {props.title ? <div>{text}</div> : null}
          {rid ? (
            <Typography.Text type="secondary" copyable={{ text: rid }} style={{ fontSize: 12 }}>
              {t("common.requestId", { id: rid })}
            </Typography.Text>
          ) : null}
        </>
      }
      action={
        props.onRetry ? (
          <Button size="small" onClick={props.onRetry}>
            {t("common.retry")}
          </Button>
        ) : undefined
      }
    />
  );
}
