/**
 * One import as it runs: polls GET /api/imports/:id every ~500 ms until it is
 * done or failed, and shows the rows processed with a bar split into added,
 * unchanged and refused rows; at the end the server's summary and the
 * error file when rows were refused.
 */
import { CloseCircleOutlined, DownloadOutlined, LoadingOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Col, Row, Space, Statistic, Tag, Typography } from "antd";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { isAbort } from "../../api/client.js";
import { localizeMessage } from "../../i18n/index.js";
import { describeError } from "../../ui/error-alert.js";
import { barSegments, elapsedSeconds } from "./import-model.js";
import { errorFileUrl, getImport, type ImportRecord, type ImportStatus } from "./imports-api.js";

const POLL_MS = 500;
const INSERTED = "#52c41a";
const UNCHANGED = "#1668dc";
const REFUSED = "#ff7875";
const RETRY_MS = 2000;

/** Keeps `record` fresh while it runs; reports the finished record once. */
export function useImportPolling(
  initial: ImportRecord | null,
  onFinished: (r: ImportRecord) => void,
) {
  const [record, setRecord] = useState<ImportRecord | null>(initial);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const finishedRef = useRef(onFinished);
  finishedRef.current = onFinished;

  useEffect(() => setRecord(initial), [initial]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` re-arms the timer after a failed poll
  useEffect(() => {
    if (record?.status !== "running") return;
    const ac = new AbortController();
    const timer = window.setTimeout(
      () => {
        getImport(record.id, ac.signal).then(
          (next) => {
            setError(null);
            setRecord(next);
            if (next.status !== "running") finishedRef.current(next);
          },
          (err: unknown) => {
            if (isAbort(err)) return;
            setError(err);
            setAttempt((n) => n + 1);
          },
        );
      },
      error ? RETRY_MS : POLL_MS,
    );
    return () => {
      window.clearTimeout(timer);
      ac.abort();
    };
  }, [record, attempt]);

  return { record, error };
}

export function ImportStatusTag(props: { status: ImportStatus }) {
  const { t } = useTranslation();
  const color = { running: "processing", done: "success", failed: "error" }[props.status];
  return (
    <Tag color={color} data-status={props.status} data-testid="import-status">
      {t(`imports.statuses.${props.status}`)}
    </Tag>
  );
}

export function ImportProgressCard(props: {
  record: ImportRecord;
  pollError: unknown;
  /** Rows the file is expected to hold (counted in the browser for CSV), if known. */
  estimate: number | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const r = props.record;
  const running = r.status === "running";
  const bar = barSegments(r, running, props.estimate);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [running]);

  const summaryType = r.status === "failed" ? "error" : r.errorRows > 0 ? "warning" : "success";
  return (
    <Card
      size="small"
      data-testid="import-progress"
      data-import-id={r.id}
      data-status={r.status}
      title={
        <Space wrap size={8}>
          {running ? <LoadingOutlined /> : null}
          <Typography.Text strong ellipsis style={{ maxWidth: 360 }} title={r.filename}>
            {r.filename}
          </Typography.Text>
          <Tag>{t(`imports.kinds.${r.kind}`)}</Tag>
          <ImportStatusTag status={r.status} />
        </Space>
      }
      extra={
        running ? null : (
          <Button
            type="text"
            size="small"
            icon={<CloseCircleOutlined />}
            onClick={props.onClose}
            aria-label={t("common.close")}
            data-testid="import-progress-close"
          />
        )
      }
      style={{ marginBottom: 16 }}
    >
      <Row gutter={[16, 8]}>
        <Col xs={12} sm={6}>
          <Statistic
            title={t("imports.processed")}
            value={r.totalRows}
            data-testid="import-count-total"
          />
        </Col>
        <Col xs={12} sm={6}>
          <Statistic
            title={t("imports.inserted")}
            value={r.insertedRows}
            styles={{ content: { color: "#389e0d" } }}
            data-testid="import-count-inserted"
          />
        </Col>
        <Col xs={12} sm={6}>
          <Statistic
            title={t("imports.unchanged")}
            value={r.unchangedRows}
            styles={{ content: { color: "#1668dc" } }}
            data-testid="import-count-unchanged"
          />
        </Col>
        <Col xs={12} sm={6}>
          <Statistic
            title={t("imports.refused")}
            value={r.errorRows}
            styles={{ content: { color: r.errorRows > 0 ? "#cf1322" : undefined } }}
            data-testid="import-count-refused"
          />
        </Col>
      </Row>
      <div style={{ display: "flex", alignItems: "center", gap: 12, marginTop: 12 }}>
        <StackedBar
          segments={[
            { color: INSERTED, percent: bar.inserted },
            { color: UNCHANGED, percent: bar.unchanged },
            { color: REFUSED, percent: bar.refused },
          ]}
          label={t("imports.progressLabel")}
          status={r.status}
        />
        <Typography.Text type="secondary" style={{ whiteSpace: "nowrap" }}>
          {t("imports.elapsed", {
            seconds: elapsedSeconds(r.createdAt, running ? null : r.finishedAt, now),
          })}
        </Typography.Text>
      </div>
      <div
        style={{
          display: "flex",
          justifyContent: "space-between",
          flexWrap: "wrap",
          gap: 8,
          marginTop: 4,
        }}
      >
        <Space size={16} wrap style={{ fontSize: 12 }}>
          <LegendDot color={INSERTED} label={t("imports.inserted")} />
          <LegendDot color={UNCHANGED} label={t("imports.unchanged")} />
          <LegendDot color={REFUSED} label={t("imports.refused")} />
        </Space>
        {running && props.estimate ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="import-estimate">
            {t("imports.ofEstimate", {
              done: r.totalRows.toLocaleString(),
              estimate: props.estimate.toLocaleString(),
            })}
          </Typography.Text>
        ) : null}
      </div>
      {running ? (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t("imports.runningHint")}
        </Typography.Paragraph>
      ) : null}
      {props.pollError ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 12 }}
          title={t("imports.pollFailed", { reason: describeError(props.pollError, t) })}
        />
      ) : null}
      {running ? null : (
        <Alert
          type={summaryType}
          showIcon
          style={{ marginTop: 12 }}
          data-testid="import-summary"
          title={r.message ? localizeMessage(r.message) : t(`imports.statuses.${r.status}`)}
          description={
            r.errorRows > 0 ? t("imports.errorFileHint", { count: r.errorRows }) : undefined
          }
          action={
            r.errorRows > 0 ? (
              <Button
                icon={<DownloadOutlined />}
                href={errorFileUrl(r.id)}
                download
                data-testid="import-error-file"
              >
                {t("imports.downloadErrors")}
              </Button>
            ) : undefined
          }
        />
      )}
    </Card>
  );
}

function LegendDot(props: { color: string; label: string }) {
  return (
    <Space size={4}>
      <span
        style={{
          display: "inline-block",
          width: 10,
          height: 10,
          borderRadius: 2,
          background: props.color,
        }}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {props.label}
      </Typography.Text>
    </Space>
  );
}

/**
 * One bar split into coloured segments over a grey rail (the rows still to
 * come). antd's Progress draws at most two colours; an import has three.
 */
function StackedBar(props: {
  segments: { color: string; percent: number }[];
  label: string;
  status: ImportStatus;
}) {
  const done = props.segments.reduce((n, s) => n + s.percent, 0);
  return (
    <div
      role="progressbar"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(done)}
      data-testid="import-progress-bar"
      style={{
        flex: 1,
        height: 10,
        borderRadius: 5,
        overflow: "hidden",
        display: "flex",
        background: props.status === "failed" ? "#ffccc7" : "rgba(0, 0, 0, 0.06)",
      }}
    >
      {props.segments.map((s) =>
        s.percent > 0 ? (
          <div
            key={s.color}
            style={{ width: `${s.percent}%`, background: s.color, transition: "width 0.4s ease" }}
          />
        ) : null,
      )}
    </div>
  );
}
