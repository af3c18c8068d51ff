/** 403, 404 and "could not check your session" pages. */
import { Button, Result } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { ErrorAlert } from "../ui/error-alert.js";

/** 403 in place; a page may say which permission is missing (`title`, `subTitle`). */
export function ForbiddenPage(props: { title?: string; subTitle?: string; testId?: string }) {
  const { t } = useTranslation();
  return (
    <div data-testid={props.testId ?? "forbidden-page"}>
      <Result
        status="403"
        title={props.title ?? t("errors.forbiddenTitle")}
        subTitle={props.subTitle ?? t("errors.forbidden")}
        extra={
          <Link to="/">
            <Button type="primary">{t("common.backHome")}</Button>
          </Link>
        }
      />
    </div>
  );
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <div data-testid="not-found-page">
      <Result
        status="404"
        title={t("errors.notFoundTitle")}
        subTitle={t("errors.notFound")}
        extra={
          <Link to="/">
            <Button type="primary">{t("common.backHome")}</Button>
          </Link>
        }
      />
    </div>
  );
}

export function SessionErrorPage(props: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <div style={{ maxWidth: 560, margin: "80px auto", padding: 16 }}>
      <ErrorAlert
        error={props.error}
        title={t("errors.sessionCheckFailed")}
        onRetry={props.onRetry}
      />
    </div>
  );
}
