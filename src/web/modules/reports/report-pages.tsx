/**
 * One report on screen: a stored one (/coordination/reports/:id, with 打印版
 * and 下载 XLSX) or a preview made now and not stored
 * (/coordination/reports/preview?kind=&period=&areaId=, with 保存报告); and
 * the printable page of either (/coordination/reports/:id/print, outside
 * the app's frame: A4 print CSS, 打印 calls window.print()).
 */
import {
  ArrowLeftOutlined,
  DownloadOutlined,
  PrinterOutlined,
  SaveOutlined,
} from "@ant-design/icons";
import { Alert, App, Button, Card, Space, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams, useSearchParams } from "react-router-dom";
import { REPORT_KINDS, type ReportKind } from "../../../shared/report-periods.js";
import type { ReportContent } from "../../../shared/schemas/reports.js";
import { ApiError } from "../../api/client.js";
import { useAuth } from "../../auth/auth-context.js";
import { ForbiddenPage } from "../../pages/status-pages.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { PageLoading } from "../../ui/page-loading.js";
import { useApi } from "../../ui/use-api.js";
import { formatTime } from "../cases/case-bits.js";
import "./report-print.css";
import { ReportView } from "./report-view.js";
import { canUseReports } from "./reports-access.js";
import {
  generateReport,
  getReport,
  previewPrintUrl,
  previewReport,
  printUrl,
  type ReportAsk,
  reportXlsxUrl,
} from "./reports-api.js";

function Guard(props: { children: React.ReactNode }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  if (!canUseReports(me))
    return (
      <ForbiddenPage
        testId="reports-forbidden"
        title={t("reports.forbiddenTitle")}
        subTitle={t("reports.forbiddenHint")}
      />
    );
  return <>{props.children}</>;
}

/** kind, period and areaId of a preview, from the query string. */
function askOf(search: URLSearchParams): ReportAsk {
  const kind = search.get("kind");
  return {
    kind: (REPORT_KINDS as readonly string[]).includes(kind ?? "")
      ? (kind as ReportKind)
      : "weekly",
    period: search.get("period") ?? undefined,
    areaId: search.get("areaId") ?? undefined,
  };
}

function BackToList() {
  const { t } = useTranslation();
  return (
    <Link to="/coordination/reports">
      <ArrowLeftOutlined /> {t("reports.detail.back")}
    </Link>
  );
}

export function ReportDetailPage() {
  return (
    <Guard>
      <StoredReport />
    </Guard>
  );
}

function StoredReport() {
  const { t, i18n } = useTranslation();
  const { id = "" } = useParams();
  const report = useApi(`report:${id}`, (signal) => getReport(id, signal));
  const r = report.data;
  return (
    <div data-testid="report-detail-page">
      <BackToList />
      {report.error ? (
        <div style={{ marginTop: 12 }}>
          <ErrorAlert
            error={report.error}
            title={t("reports.detail.loadFailed")}
            onRetry={report.reload}
          />
        </div>
      ) : null}
      {r ? (
        <>
          <Space style={{ width: "100%", justifyContent: "space-between", margin: "8px 0" }} wrap>
            <Space wrap>
              <Tag>{t(`reports.sources.${r.source}`)}</Tag>
              <Typography.Text type="secondary">
                {t("reports.detail.generatedBy", {
                  by: r.generatedBy,
                  at: formatTime(r.generatedAt, i18n.resolvedLanguage),
                })}
              </Typography.Text>
            </Space>
            <Space wrap>
              <Link to={printUrl(r.id)}>
                <Button icon={<PrinterOutlined />} data-testid="report-print-link">
                  {t("reports.detail.print")}
                </Button>
              </Link>
              <Button
                icon={<DownloadOutlined />}
                href={reportXlsxUrl(r.id)}
                download
                data-testid="report-xlsx"
              >
                {t("reports.detail.download")}
              </Button>
            </Space>
          </Space>
          <Card>
            <ReportView content={r.content} />
          </Card>
        </>
      ) : report.loading ? (
        <PageLoading />
      ) : null}
    </div>
  );
}

export function ReportPreviewPage() {
  return (
    <Guard>
      <Preview />
    </Guard>
  );
}

function Preview() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const ask = askOf(search);
  const preview = useApi(`report-preview:${JSON.stringify(ask)}`, (signal) =>
    previewReport(ask, signal),
  );
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [existing, setExisting] = useState<string | null>(null);
  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      const r = await generateReport({ ...ask, period: preview.data?.period ?? ask.period });
      message.success(t("reports.generate.saved"));
      navigate(`/coordination/reports/${r.id}`);
    } catch (err) {
      const id = (err as { details?: { reportId?: string } }).details?.reportId;
      if (err instanceof ApiError && err.status === 409 && id) setExisting(id);
      else setError(err);
    } finally {
      setSaving(false);
    }
  };
  return (
    <div data-testid="report-preview-page">
      <BackToList />
      <Space style={{ width: "100%", justifyContent: "space-between", margin: "8px 0" }} wrap>
        <Typography.Text strong>{t("reports.detail.previewTitle")}</Typography.Text>
        <Space wrap>
          <Link to={previewPrintUrl({ ...ask, period: preview.data?.period ?? ask.period })}>
            <Button icon={<PrinterOutlined />} disabled={!preview.data}>
              {t("reports.detail.print")}
            </Button>
          </Link>
          <Button
            type="primary"
            icon={<SaveOutlined />}
            loading={saving}
            disabled={!preview.data}
            onClick={save}
            data-testid="report-preview-save"
          >
            {t("reports.detail.save")}
          </Button>
        </Space>
      </Space>
      {existing ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t("reports.generate.exists")}
          action={
            <Button size="small" onClick={() => navigate(`/coordination/reports/${existing}`)}>
              {t("reports.generate.openExisting")}
            </Button>
          }
        />
      ) : null}
      {error ? <ErrorAlert error={error} /> : null}
      {preview.error ? (
        <ErrorAlert
          error={preview.error}
          title={t("reports.detail.loadFailed")}
          onRetry={preview.reload}
        />
      ) : null}
      {preview.data ? (
        <Card>
          <ReportView content={preview.data} />
        </Card>
      ) : preview.loading ? (
        <PageLoading />
      ) : null}
    </div>
  );
}

export function ReportPrintPage() {
  return (
    <Guard>
      <Printable />
    </Guard>
  );
}

function Printable() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { id = "" } = useParams();
  const [search] = useSearchParams();
  const isPreview = id === "preview";
  const ask = askOf(search);
  const data = useApi<{ content: ReportContent; at: string }>(
    isPreview ? `report-print-preview:${JSON.stringify(ask)}` : `report-print:${id}`,
    async (signal) => {
      if (isPreview) {
        const content = await previewReport(ask, signal);
        return { content, at: content.generatedAt };
      }
      const r = await getReport(id, signal);
      return { content: r.content, at: r.generatedAt };
    },
  );
  return (
    <div className="gz-print-page" data-testid="report-print-page">
      <div className="gz-print-toolbar gz-no-print">
        <Button
          icon={<ArrowLeftOutlined />}
          onClick={() =>
            window.history.length > 1
              ? navigate(-1)
              : navigate(isPreview ? "/coordination/reports" : `/coordination/reports/${id}`)
          }
        >
          {t("reports.print.back")}
        </Button>
        <Button
          type="primary"
          icon={<PrinterOutlined />}
          disabled={!data.data}
          onClick={() => window.print()}
          data-testid="report-print"
        >
          {t("reports.print.print")}
        </Button>
      </div>
      {data.error ? (
        <ErrorAlert
          error={data.error}
          title={t("reports.detail.loadFailed")}
          onRetry={data.reload}
        />
      ) : null}
      {data.data ? (
        <>
          {isPreview ? (
            <Typography.Text type="warning" className="gz-no-print">
              {t("reports.print.draft")}
            </Typography.Text>
          ) : null}
          <ReportView content={data.data.content} />
          <div className="gz-print-footer">
            {t("reports.print.footer", { at: formatTime(data.data.at, i18n.resolvedLanguage) })}
          </div>
        </>
      ) : data.loading ? (
        <PageLoading />
      ) : null}
    </div>
  );
}
