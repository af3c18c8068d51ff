/**
 * 自查填报 (/inspections/:id): the enterprise officer goes through the
 * checklist on a phone — pass or fail for every item, a note and a photo for
 * each failure — and submits after confirming; each failure becomes a hazard.
 * A submitted inspection (or one seen by government) shows its results.
 */
import { ArrowLeftOutlined, CheckCircleFilled, CloseCircleFilled } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Input,
  Progress,
  Radio,
  Result,
  Space,
  Tag,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router-dom";
import type { EnterpriseFile, InspectionDetail } from "../../../shared/schemas/inspections.js";
import { ApiError } from "../../api/client.js";
import { DetailLoadFailed } from "../../ui/detail-load-failed.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { PageLoading } from "../../ui/page-loading.js";
import { useApi } from "../../ui/use-api.js";
import { EvidenceUpload, InspectionStatusTag, PhotoList, TopicTag } from "./inspection-bits.js";
import { getInspection, submitInspection } from "./inspections-api.js";

interface Answer {
  result?: "pass" | "fail";
  note: string;
  evidence: EnterpriseFile[];
}

export function InspectionFormPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const res = useApi(`inspection:${id}`, (signal) => getInspection(id, signal));
  const back = (
    <Button
      type="link"
      icon={<ArrowLeftOutlined />}
      onClick={() => navigate(-1)}
      style={{ paddingLeft: 0 }}
    >
      {t("common.back")}
    </Button>
  );
  if (res.error && !res.data)
    return (
      <DetailLoadFailed
        testId="inspection-page"
        back={back}
        error={res.error}
        notFoundText={t("inspections.notFound")}
        onRetry={res.reload}
      />
    );
  const d = res.data;
  if (!d) return <PageLoading />;
  return (
    <div data-testid="inspection-page" style={{ maxWidth: 760 }}>
      {back}
      <Typography.Title level={4} style={{ marginTop: 4 }}>
        {d.template.name}
      </Typography.Title>
      <Space wrap style={{ marginBottom: 12 }}>
        <TopicTag topic={d.template.topic} />
        <InspectionStatusTag inspection={d} />
        <Typography.Text type="secondary">
          {t("inspections.periodDue", { period: d.period, due: d.dueOn })}
        </Typography.Text>
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
        {d.organisation.name}
      </Typography.Paragraph>
      {d.allowedActions.includes("submit") ? (
        <InspectionForm inspection={d} onSubmitted={res.reload} />
      ) : (
        <InspectionResults inspection={d} />
      )}
    </div>
  );
}

function InspectionForm(props: { inspection: InspectionDetail; onSubmitted: () => void }) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const d = props.inspection;
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const [showErrors, setShowErrors] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const answer = (code: string): Answer => answers[code] ?? { note: "", evidence: [] };
  const set = (code: string, patch: Partial<Answer>) =>
    setAnswers((a) => ({ ...a, [code]: { ...answer(code), ...(a[code] ?? {}), ...patch } }));

  const problems = (code: string): string[] => {
    const a = answer(code);
    if (!a.result) return [t("inspections.form.choose")];
    if (a.result === "fail") {
      const out: string[] = [];
      if (!a.note.trim()) out.push(t("inspections.form.noteRequired"));
      if (a.evidence.length === 0) out.push(t("inspections.form.photoRequired"));
      return out;
    }
    return [];
  };
  const answered = d.items.filter((i) => answer(i.code).result).length;
  const failed = d.items.filter((i) => answer(i.code).result === "fail");
  const incomplete = d.items.filter((i) => problems(i.code).length > 0);

  const submit = () => {
    setShowErrors(true);
    if (incomplete.length > 0) {
      message.warning(t("inspections.form.incomplete", { count: incomplete.length }));
      document
        .querySelector(`[data-item-code="${incomplete[0]?.code}"]`)
        ?.scrollIntoView({ behavior: "smooth", block: "center" });
      return;
    }
    modal.confirm({
      title: t("inspections.form.confirmTitle"),
      content: (
        <div data-testid="inspection-confirm">
          <p>
            {t("inspections.form.confirmSummary", {
              total: d.items.length,
              failed: failed.length,
            })}
          </p>
          {failed.length > 0 ? (
            <ul style={{ paddingLeft: 18 }}>
              {failed.map((i) => (
                <li key={i.code}>
                  {i.text}
                  {i.major ? (
                    <Tag color="volcano" style={{ marginLeft: 6 }}>
                      {t("inspections.level.major")}
                    </Tag>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : null}
          <p>{t("inspections.form.confirmFinal")}</p>
        </div>
      ),
      okText: t("inspections.form.submit"),
      cancelText: t("common.cancel"),
      okButtonProps: { "data-testid": "inspection-confirm-ok" } as Record<string, string>,
      onOk: async () => {
        setBusy(true);
        setError(null);
        try {
          await submitInspection(d.id, {
            templateVersion: d.templateVersion,
            results: d.items.map((i) => {
              const a = answer(i.code);
              return {
                code: i.code,
                result: a.result as "pass" | "fail",
                ...(a.result === "fail"
                  ? { note: a.note.trim(), evidence: a.evidence.map((f) => f.id) }
                  : {}),
              };
            }),
          });
          message.success(
            failed.length > 0
              ? t("inspections.form.submittedWithHazards", { count: failed.length })
              : t("inspections.form.submitted"),
          );
          props.onSubmitted();
        } catch (err) {
          setError(err);
          if (err instanceof ApiError && err.status === 409) props.onSubmitted();
        } finally {
          setBusy(false);
        }
      },
    });
  };

  return (
    <div data-testid="inspection-form">
      {d.overdue ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t("inspections.form.lateWarning")}
        />
      ) : null}
      <Space orientation="vertical" size={12} style={{ width: "100%" }}>
        {d.items.map((item, n) => {
          const a = answer(item.code);
          const errs = showErrors ? problems(item.code) : [];
          return (
            <Card
              key={item.code}
              size="small"
              data-testid="inspection-item"
              data-item-code={item.code}
              style={errs.length ? { borderColor: "#ff4d4f" } : undefined}
            >
              <Space orientation="vertical" size={8} style={{ width: "100%" }}>
                <div>
                  <Typography.Text strong>
                    {n + 1}. {item.text}
                  </Typography.Text>
                  {item.major ? (
                    <Tag color="volcano" style={{ marginLeft: 6 }}>
                      {t("inspections.form.majorItem")}
                    </Tag>
                  ) : null}
                  {item.guidance ? (
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                        {item.guidance}
                      </Typography.Text>
                    </div>
                  ) : null}
                </div>
                <Radio.Group
                  value={a.result}
                  onChange={(e) => set(item.code, { result: e.target.value })}
                  optionType="button"
                  buttonStyle="solid"
                  style={{ display: "flex", width: "100%" }}
                  data-testid="inspection-item-result"
                >
                  <Radio.Button
                    value="pass"
                    style={{ flex: 1, textAlign: "center", height: 40, lineHeight: "38px" }}
                  >
                    <span data-testid="item-pass">
                      <CheckCircleFilled /> {t("inspections.form.pass")}
                    </span>
                  </Radio.Button>
                  <Radio.Button
                    value="fail"
                    style={{ flex: 1, textAlign: "center", height: 40, lineHeight: "38px" }}
                  >
                    <span data-testid="item-fail">
                      <CloseCircleFilled /> {t("inspections.form.fail")}
                    </span>
                  </Radio.Button>
                </Radio.Group>
                {a.result === "fail" ? (
                  <>
                    <Input.TextArea
                      value={a.note}
                      onChange={(e) => set(item.code, { note: e.target.value })}
                      placeholder={t("inspections.form.notePlaceholder")}
                      autoSize={{ minRows: 2, maxRows: 5 }}
                      maxLength={500}
                      data-testid="item-note"
                    />
                    <EvidenceUpload
                      value={a.evidence}
                      onChange={(evidence) => set(item.code, { evidence })}
                      organisationId={d.organisation.id}
                      testId="item-photos"
                    />
                  </>
                ) : null}
                {errs.length ? (
                  <Typography.Text type="danger" data-testid="item-error">
                    {errs.join("；")}
                  </Typography.Text>
                ) : null}
              </Space>
            </Card>
          );
        })}
      </Space>
      {error ? (
        <div style={{ marginTop: 12 }}>
          <ErrorAlert error={error} />
        </div>
      ) : null}
      <div
        style={{
          position: "sticky",
          bottom: 0,
          background: "#fff",
          padding: "12px 0",
          marginTop: 12,
          borderTop: "1px solid #f0f0f0",
          zIndex: 2,
        }}
      >
        <Space style={{ width: "100%", justifyContent: "space-between" }}>
          <Space orientation="vertical" size={0}>
            <Typography.Text>
              {t("inspections.form.progress", { done: answered, total: d.items.length })}
            </Typography.Text>
            <Progress
              percent={Math.round((answered / Math.max(1, d.items.length)) * 100)}
              showInfo={false}
              size="small"
              style={{ width: 140, margin: 0 }}
            />
          </Space>
          <Button
            type="primary"
            size="large"
            loading={busy}
            onClick={submit}
            data-testid="inspection-submit"
          >
            {t("inspections.form.submit")}
          </Button>
        </Space>
      </div>
    </div>
  );
}

function InspectionResults(props: { inspection: InspectionDetail }) {
  const { t } = useTranslation();
  const d = props.inspection;
  if (!d.results)
    return (
      <Result
        status="info"
        title={d.overdue ? t("inspections.status.overdue") : t("inspections.status.due")}
        subTitle={t("inspections.notSubmittedYet", { due: d.dueOn })}
      />
    );
  const byCode = new Map(d.results.map((r) => [r.code, r]));
  return (
    <div data-testid="inspection-results">
      <Descriptions size="small" column={1} bordered style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t("inspections.submittedAt")}>
          {d.submittedAt ? new Date(d.submittedAt).toLocaleString() : "—"}
          {d.submittedBy ? ` · ${d.submittedBy}` : ""}
        </Descriptions.Item>
        <Descriptions.Item label={t("inspections.failedItems")}>
          <span data-testid="inspection-failed-count">{d.failedItems}</span> / {d.itemCount}
        </Descriptions.Item>
      </Descriptions>
      <Space orientation="vertical" size={8} style={{ width: "100%" }}>
        {d.items.map((item, n) => {
          const r = byCode.get(item.code);
          const fail = r?.result === "fail";
          return (
            <Card
              key={item.code}
              size="small"
              data-testid="inspection-result"
              data-result={r?.result}
            >
              <Space orientation="vertical" size={4} style={{ width: "100%" }}>
                <Space wrap>
                  {fail ? (
                    <CloseCircleFilled style={{ color: "#ff4d4f" }} />
                  ) : (
                    <CheckCircleFilled style={{ color: "#52c41a" }} />
                  )}
                  <Typography.Text strong={fail}>
                    {n + 1}. {item.text}
                  </Typography.Text>
                  {item.major ? <Tag color="volcano">{t("inspections.form.majorItem")}</Tag> : null}
                </Space>
                {r?.note ? <Typography.Text>{r.note}</Typography.Text> : null}
                {r ? <PhotoList files={r.evidence} /> : null}
                {r?.hazardId ? (
                  <Link to={`/hazards/${r.hazardId}`} data-testid="result-hazard-link">
                    {t("inspections.viewHazard")}
                  </Link>
                ) : null}
              </Space>
            </Card>
          );
        })}
      </Space>
    </div>
  );
}
