/**
 * 查询匿名上报进度 (/track, public): the tracking code and secret of an
 * anonymous report open its public timeline and status, with what the
 * reporter may still do (留言, 撤回, 评价 …), sent with the secret instead of
 * a session. The secret stays in this page's memory only (never in the
 * address bar or the history); arriving from the receipt fills both in.
 */
import { LogoutOutlined, SearchOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Form, Input, Typography } from "antd";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate } from "react-router-dom";
import type { CaseDetail } from "../../../shared/schemas/cases.js";
import { ApiError } from "../../api/client.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { useApi } from "../../ui/use-api.js";
import { CaseActions } from "./case-actions.js";
import { WideSubmitButton } from "./case-bits.js";
import { CaseView } from "./case-view.js";
import { caseStep, loadCategories, trackCase } from "./cases-api.js";

interface TrackValues {
  code: string;
  secret: string;
}

export function TrackPage() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const [form] = Form.useForm<TrackValues>();
  const categories = useApi("case-categories", () => loadCategories());
  const [found, setFound] = useState<{ c: CaseDetail; secret: string } | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const look = async (code: string, secret: string) => {
    setLoading(true);
    setError(null);
    try {
      const c = await trackCase(code.trim(), secret.trim());
      setFound({ c, secret: secret.trim() });
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };

  // From the receipt: both given, so look at once (once, even under StrictMode).
  const given = location.state as Partial<TrackValues> | null;
  const started = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once, for the state the page was opened with
  useEffect(() => {
    if (started.current || !given?.code || !given.secret) return;
    started.current = true;
    form.setFieldsValue({ code: given.code, secret: given.secret });
    void look(given.code, given.secret);
    // Forget it in the browser's history too: a later visit asks again.
    navigate(location.pathname, { replace: true, state: null });
  }, []);

  const notFound = error instanceof ApiError && error.status === 404;

  if (found) {
    const { c, secret } = found;
    return (
      <div data-testid="track-page">
        <Button
          type="link"
          icon={<LogoutOutlined />}
          style={{ paddingInline: 0 }}
          onClick={() => {
            setFound(null);
            form.resetFields();
          }}
          data-testid="track-leave"
        >
          {t("track.leave")}
        </Button>
        {error ? (
          <div style={{ margin: "8px 0" }}>
            <ErrorAlert
              error={error}
              title={t("track.failed")}
              onRetry={() => void look(c.code, secret)}
            />
          </div>
        ) : null}
        <CaseView
          c={c}
          categories={categories.data}
          reporterView
          secret={secret}
          onChanged={() => void look(c.code, secret)}
          actions={
            <CaseActions
              c={c}
              staff={false}
              perform={(action, body) => caseStep(c.id, action, body, secret)}
              onDone={(updated) => setFound({ c: updated, secret })}
              onStale={() => void look(c.code, secret)}
            />
          }
        />
      </div>
    );
  }

  return (
    <div data-testid="track-page">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t("track.title")}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t("track.intro")}</Typography.Paragraph>
      <Card>
        <Form<TrackValues>
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={(v) => void look(v.code, v.secret)}
          autoComplete="off"
          data-testid="track-form"
        >
          <Form.Item
            name="code"
            label={t("track.code")}
            rules={[{ required: true, whitespace: true, message: t("track.codeRequired") }]}
          >
            <Input
              size="large"
              maxLength={40}
              autoCapitalize="characters"
              spellCheck={false}
              placeholder="SJ20260101000001"
              data-testid="track-code"
            />
          </Form.Item>
          <Form.Item
            name="secret"
            label={t("track.secret")}
            rules={[{ required: true, whitespace: true, message: t("track.secretRequired") }]}
          >
            <Input.Password
              size="large"
              maxLength={100}
              autoCapitalize="none"
              spellCheck={false}
              data-testid="track-secret"
            />
          </Form.Item>
          {error ? (
            <div style={{ marginBottom: 16 }}>
              {notFound ? (
                <Alert
                  type="error"
                  showIcon
                  title={t("track.notFound")}
                  data-testid="track-not-found"
                />
              ) : (
                <ErrorAlert error={error} title={t("track.failed")} />
              )}
            </div>
          ) : null}
          <WideSubmitButton icon={<SearchOutlined />} loading={loading} testId="track-submit">
            {t("track.submit")}
          </WideSubmitButton>
        </Form>
      </Card>
      <Typography.Paragraph style={{ marginTop: 16, textAlign: "center" }}>
        <Link to="/report/anonymous" data-testid="track-report-link">
          {t("public.reportLink")}
        </Link>
      </Typography.Paragraph>
    </div>
  );
}
