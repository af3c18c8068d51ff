/**
 * 批量导入 (/imports): choose what to import (实有人口, 实有房屋, 实有单位),
 * download its template, upload a CSV or XLSX (checked here first: type,
 * emptiness, size limit from /api/meta), follow the import live, and read
 * the history of imports with their counts and error files. The kind, the
 * import being followed and the history page live in the URL.
 */
import {
  DownloadOutlined,
  FileExcelOutlined,
  InboxOutlined,
  ReloadOutlined,
} from "@ant-design/icons";
import type { TableColumnsType, UploadProps } from "antd";
import {
  Alert,
  Button,
  Card,
  Empty,
  Radio,
  Space,
  Spin,
  Steps,
  Table,
  Tag,
  Tooltip,
  Typography,
  Upload,
} from "antd";
import { type HTMLAttributes, useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { useMeta } from "../../api/meta.js";
import { localizeMessage } from "../../i18n/index.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { useApi } from "../../ui/use-api.js";
import {
  checkImportFile,
  estimateCsvRows,
  extensionOf,
  type FileProblem,
  formatMb,
} from "./import-model.js";
import { ImportProgressCard, ImportStatusTag, useImportPolling } from "./import-progress.js";
import {
  errorFileUrl,
  getImport,
  IMPORT_KINDS,
  type ImportKind,
  type ImportRecord,
  listImports,
  startImport,
  templateUrl,
} from "./imports-api.js";

const PAGE_SIZE = 10;
const ESTIMATE_KEY = "gongzhi.importEstimate.";

// The expected row count outlives a reload of the page (not the browser tab).
function rememberEstimate(id: string, rows: number) {
  try {
    sessionStorage.setItem(ESTIMATE_KEY + id, String(rows));
  } catch {
    // Storage blocked: the bar then shows the rows processed so far only.
  }
}

function estimateOf(id: string): number | null {
  try {
    const v = Number(sessionStorage.getItem(ESTIMATE_KEY + id));
    return Number.isFinite(v) && v > 0 ? v : null;
  } catch {
    return null;
  }
}

function useImportParams() {
  const [params, setParams] = useSearchParams();
  const kindParam = params.get("kind");
  const state = {
    kind: (IMPORT_KINDS as readonly string[]).includes(kindParam ?? "")
      ? (kindParam as ImportKind)
      : ("residents" as ImportKind),
    current: /^\d{1,18}$/.test(params.get("import") ?? "")
      ? (params.get("import") as string)
      : null,
    page: Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1),
  };
  const update = (patch: Partial<typeof state>) => {
    const next = { ...state, ...patch };
    const out = new URLSearchParams();
    if (next.kind !== "residents") out.set("kind", next.kind);
    if (next.current) out.set("import", next.current);
    if (next.page > 1) out.set("page", String(next.page));
    setParams(out, { replace: true });
  };
  return [state, update] as const;
}

export function ImportsPage() {
  const { t, i18n } = useTranslation();
  const meta = useMeta();
  const [params, setParams] = useImportParams();
  const [problem, setProblem] = useState<FileProblem | null>(null);
  const [uploadError, setUploadError] = useState<unknown>(null);
  const [uploading, setUploading] = useState(false);
  const [started, setStarted] = useState<ImportRecord | null>(null);

  const history = useApi(`imports:${params.page}`, (signal) =>
    listImports({ limit: PAGE_SIZE, offset: (params.page - 1) * PAGE_SIZE }, signal),
  );
  const reloadHistory = history.reload;

  // The import named in the URL (after a reload, or picked from the history).
  const named = useApi(
    params.current && started?.id !== params.current ? `import:${params.current}` : null,
    (signal) => getImport(params.current as string, signal),
  );
  const initial = useMemo(
    () => (started?.id === params.current ? started : (named.data ?? null)),
    [started, named.data, params.current],
  );
  const onFinished = useCallback(() => reloadHistory(), [reloadHistory]);
  const { record, error: pollError } = useImportPolling(initial, onFinished);
  const current = record && record.id === params.current ? record : null;
  const busy = uploading || current?.status === "running";

  // A running import in the history list: refresh the list when it changes.
  const anyRunning = history.data?.items.some((i) => i.status === "running") ?? false;
  useEffect(() => {
    if (!anyRunning) return;
    const timer = window.setTimeout(reloadHistory, 3000);
    return () => window.clearTimeout(timer);
  }, [anyRunning, reloadHistory]);

  const problemText = (p: FileProblem) =>
    p.code === "tooBig"
      ? t("imports.problems.tooBig", { size: p.sizeMb, max: p.maxMb })
      : p.code === "wrongType"
        ? t("imports.problems.wrongType", { ext: p.ext ? `.${p.ext}` : t("imports.noExtension") })
        : t(`imports.problems.${p.code}`);

  const upload = async (file: File) => {
    setUploadError(null);
    const p = checkImportFile(file, meta?.importMaxBytes);
    setProblem(p);
    if (p) return;
    setUploading(true);
    try {
      const expected =
        extensionOf(file.name) === "csv"
          ? estimateCsvRows(new Uint8Array(await file.arrayBuffer()))
          : null;
      const rec = await startImport(params.kind, file);
      if (expected !== null) rememberEstimate(rec.id, expected);
      setStarted(rec);
      setParams({ current: rec.id, page: 1 });
      reloadHistory();
    } catch (err) {
      setUploadError(err);
    } finally {
      setUploading(false);
    }
  };

  const draggerProps: UploadProps = {
    accept: ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    multiple: false,
    showUploadList: false,
    disabled: busy,
    beforeUpload: (file) => {
      void upload(file);
      return Upload.LIST_IGNORE;
    },
  };

  const fmtTime = (iso: string) => new Date(iso).toLocaleString(i18n.resolvedLanguage);
  const columns: TableColumnsType<ImportRecord> = [
    {
      key: "file",
      title: t("imports.file"),
      width: 260,
      render: (_v, r) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text ellipsis style={{ maxWidth: 240 }} title={r.filename}>
            {r.filename}
          </Typography.Text>
          <Tag style={{ marginTop: 2 }}>{t(`imports.kinds.${r.kind}`)}</Tag>
        </Space>
      ),
    },
    {
      key: "status",
      title: t("imports.status"),
      width: 100,
      render: (_v, r) =>
        r.status === "failed" && r.message ? (
          <Tooltip title={localizeMessage(r.message)}>
            <span>
              <ImportStatusTag status={r.status} />
            </span>
          </Tooltip>
        ) : (
          <ImportStatusTag status={r.status} />
        ),
    },
    { key: "total", title: t("imports.rows"), dataIndex: "totalRows", width: 80, align: "right" },
    {
      key: "inserted",
      title: t("imports.inserted"),
      dataIndex: "insertedRows",
      width: 80,
      align: "right",
    },
    {
      key: "unchanged",
      title: t("imports.unchanged"),
      dataIndex: "unchangedRows",
      width: 80,
      align: "right",
    },
    {
      key: "refused",
      title: t("imports.refused"),
      dataIndex: "errorRows",
      width: 80,
      align: "right",
      render: (v: number) => (v > 0 ? <Typography.Text type="danger">{v}</Typography.Text> : v),
    },
    {
      key: "by",
      title: t("imports.createdBy"),
      width: 160,
      render: (_v, r) => r.createdBy?.name ?? "—",
    },
    {
      key: "at",
      title: t("imports.createdAt"),
      width: 170,
      render: (_v, r) => fmtTime(r.createdAt),
    },
    {
      key: "actions",
      title: t("imports.actions"),
      width: 190,
      fixed: "right",
      render: (_v, r) => (
        <Space size={0} wrap>
          <Button
            type="link"
            size="small"
            onClick={() => setParams({ current: r.id })}
            data-testid="import-history-show"
          >
            {t("imports.show")}
          </Button>
          {r.errorRows > 0 ? (
            <Button
              type="link"
              size="small"
              icon={<DownloadOutlined />}
              href={errorFileUrl(r.id)}
              download
              data-testid="import-history-errors"
            >
              {t("imports.errorFile")}
            </Button>
          ) : null}
        </Space>
      ),
    },
  ];

  const step = current ? (current.status === "running" ? 2 : 3) : 1;
  return (
    <div data-testid="imports-page">
      <Typography.Title level={3} style={{ marginTop: 0, marginBottom: 8 }}>
        {t("imports.title")}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t("imports.intro")}</Typography.Paragraph>

      <Card size="small" style={{ marginBottom: 16 }}>
        <Steps
          size="small"
          current={step}
          status={current?.status === "failed" ? "error" : step === 3 ? "finish" : "process"}
          style={{ marginBottom: 16 }}
          items={[
            { title: t("imports.steps.kind") },
            { title: t("imports.steps.upload") },
            { title: t("imports.steps.progress") },
            { title: t("imports.steps.result") },
          ]}
        />
        <Space orientation="vertical" size={12} style={{ width: "100%" }}>
          <div>
            <Typography.Text strong>{t("imports.chooseKind")}</Typography.Text>
            <div style={{ marginTop: 8 }}>
              <Radio.Group
                optionType="button"
                buttonStyle="solid"
                value={params.kind}
                disabled={busy}
                onChange={(e) => {
                  setProblem(null);
                  setUploadError(null);
                  setParams({ kind: e.target.value as ImportKind });
                }}
                options={IMPORT_KINDS.map((k) => ({
                  value: k,
                  label: <span data-testid={`import-kind-${k}`}>{t(`imports.kinds.${k}`)}</span>,
                }))}
              />
            </div>
          </div>
          <div>
            <Typography.Text type="secondary">
              {t(`imports.kindHelp.${params.kind}`)}
            </Typography.Text>
            <div style={{ marginTop: 8 }}>
              <Space wrap>
                <Button
                  icon={<FileExcelOutlined />}
                  href={templateUrl(params.kind, "xlsx")}
                  download
                  data-testid="import-template-xlsx"
                >
                  {t("imports.templateXlsx")}
                </Button>
                <Button
                  icon={<DownloadOutlined />}
                  href={templateUrl(params.kind, "csv")}
                  download
                  data-testid="import-template-csv"
                >
                  {t("imports.templateCsv")}
                </Button>
              </Space>
            </div>
          </div>
          <Spin spinning={uploading} description={t("imports.uploading")}>
            <Upload.Dragger {...draggerProps} data-testid="import-dragger">
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">
                {busy
                  ? t("imports.busy")
                  : t("imports.drop", { kind: t(`imports.kinds.${params.kind}`) })}
              </p>
              <p className="ant-upload-hint">
                {meta
                  ? t("imports.dropHint", { max: formatMb(meta.importMaxBytes) })
                  : t("imports.dropHintNoLimit")}
              </p>
            </Upload.Dragger>
          </Spin>
          {problem ? (
            <Alert
              type="error"
              showIcon
              role="alert"
              data-testid="import-problem"
              title={problemText(problem)}
              closable={{ onClose: () => setProblem(null) }}
            />
          ) : null}
          {uploadError ? (
            <ErrorAlert error={uploadError} title={t("imports.uploadFailed")} />
          ) : null}
        </Space>
      </Card>

      {current ? (
        <ImportProgressCard
          record={current}
          pollError={pollError}
          estimate={estimateOf(current.id)}
          onClose={() => setParams({ current: null })}
        />
      ) : named.error ? (
        <div style={{ marginBottom: 16 }}>
          <ErrorAlert error={named.error} title={t("imports.notFound")} />
        </div>
      ) : null}

      <Card
        size="small"
        title={t("imports.history")}
        extra={
          <Button
            size="small"
            icon={<ReloadOutlined />}
            onClick={reloadHistory}
            aria-label={t("imports.refresh")}
          >
            {t("imports.refresh")}
          </Button>
        }
      >
        {history.error ? (
          <div style={{ marginBottom: 12 }}>
            <ErrorAlert
              error={history.error}
              title={t("errors.loadFailed")}
              onRetry={reloadHistory}
            />
          </div>
        ) : null}
        <Table<ImportRecord>
          rowKey="id"
          size="middle"
          data-testid="imports-history"
          loading={history.loading && !history.data}
          columns={columns}
          dataSource={history.data?.items ?? []}
          scroll={{ x: 1160 }}
          onRow={(r) => ({ "data-import-id": r.id }) as HTMLAttributes<HTMLElement>}
          locale={{
            emptyText: history.error ? (
              " "
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("imports.noHistory")} />
            ),
          }}
          pagination={{
            current: params.page,
            pageSize: PAGE_SIZE,
            total: history.data?.total ?? 0,
            showSizeChanger: false,
            onChange: (page) => setParams({ page }),
            showTotal: (total) => t("common.total", { count: total }),
          }}
        />
      </Card>
    </div>
  );
}
