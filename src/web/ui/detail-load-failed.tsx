/**
 * What a detail page shows when its record cannot be loaded: "not found"
 * for a 404 (a record out of the user's scope answers the same), otherwise
 * the error with a retry. The way back stays above either.
 */
import { Result } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/client.js";
import { ErrorAlert } from "./error-alert.js";

export function DetailLoadFailed(props: {
  testId: string;
  back: ReactNode;
  error: unknown;
  notFoundText: string;
  onRetry: () => void;
}) {
  const { t } = useTranslation();
  const notFound = props.error instanceof ApiError && props.error.status === 404;
  return (
    <div data-testid={props.testId}>
      {props.back}
      {notFound ? (
        <Result status="404" subTitle={props.notFoundText} />
      ) : (
        <ErrorAlert error={props.error} title={t("errors.loadFailed")} onRetry={props.onRetry} />
      )}
    </div>
  );
}
