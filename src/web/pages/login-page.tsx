/** 登录: username and password; the API's message is shown as it is meant. */
import { LockOutlined, UserOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Divider, Form, Input, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useLocation, useNavigate } from "react-router-dom";
import { loginBody } from "../../shared/schemas/auth.js";
import { ApiError } from "../api/client.js";
import { useMeta } from "../api/meta.js";
import { useAuth } from "../auth/auth-context.js";
import { Brand } from "../ui/brand.js";
import { describeError, requestIdOf } from "../ui/error-alert.js";
import { LanguageSwitch } from "../ui/language-switch.js";
import { zodRule } from "../ui/zod-rule.js";

interface LoginForm {
  username: string;
  password: string;
}

/** Where to go after login: the page that sent us here, never back to /login. */
function nextPath(state: unknown): string {
  const from = (state as { from?: { pathname?: string; search?: string } } | null)?.from;
  if (!from?.pathname || from.pathname === "/login") return "/";
  return `${from.pathname}${from.search ?? ""}`;
}

/** The server says why it refused an account: `{reason: "locked" | "disabled"}`. */
function refusalReason(err: ApiError): string | null {
  const d = err.details as { reason?: unknown } | undefined;
  return typeof d?.reason === "string" ? d.reason : null;
}

export function LoginPage() {
  const { t } = useTranslation();
  const { status, login } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const meta = useMeta();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(null);

  if (status === "authenticated") return <Navigate to={nextPath(location.state)} replace />;

  const submit = async (values: LoginForm) => {
    setSubmitting(true);
    setError(null);
    try {
      await login(values.username.trim(), values.password);
      navigate(nextPath(location.state), { replace: true });
    } catch (err) {
      setError(err);
    } finally {
      setSubmitting(false);
    }
  };

  // A 403 at login is an account that may not log in: locked for a while, or disabled.
  const refused = error instanceof ApiError && error.status === 403;
  const disabled = refused && refusalReason(error) === "disabled";
  const rid = requestIdOf(error);

  return (
    <div
      style={{
        minHeight: "100vh",
        display: "flex",
        flexDirection: "column",
        background: "linear-gradient(160deg, #e6f0ff 0%, #f5f7fa 45%, #e6fffb 100%)",
      }}
    >
      <div style={{ display: "flex", justifyContent: "flex-end", padding: 12 }}>
        <LanguageSwitch />
      </div>
      <div style={{ flex: 1, display: "grid", placeItems: "center", padding: "0 16px 48px" }}>
        <Card style={{ width: "100%", maxWidth: 400 }} styles={{ body: { padding: 32 } }}>
          <div style={{ display: "flex", justifyContent: "center", marginBottom: 8 }}>
            <Brand />
          </div>
          {meta?.district ? (
            <div style={{ textAlign: "center", marginBottom: 4 }} data-testid="login-district">
              <Typography.Text strong>{meta.district.name}</Typography.Text>
            </div>
          ) : null}
          <Typography.Paragraph type="secondary" style={{ textAlign: "center", marginBottom: 24 }}>
            {t("app.tagline")}
          </Typography.Paragraph>
          <Typography.Title level={4} style={{ marginTop: 0 }}>
            {t("login.title")}
          </Typography.Title>
          <Form<LoginForm>
            layout="vertical"
            onFinish={submit}
            requiredMark={false}
            data-testid="login-form"
          >
            <Form.Item
              name="username"
              label={t("login.username")}
              rules={[zodRule(loginBody.shape.username)]}
            >
              <Input
                prefix={<UserOutlined />}
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                autoFocus
                size="large"
              />
            </Form.Item>
            <Form.Item
              name="password"
              label={t("login.password")}
              rules={[zodRule(loginBody.shape.password)]}
            >
              <Input.Password
                prefix={<LockOutlined />}
                autoComplete="current-password"
                size="large"
              />
            </Form.Item>
            {error ? (
              <Alert
                type={refused ? "warning" : "error"}
                showIcon
                role="alert"
                data-testid="login-error"
                style={{ marginBottom: 16 }}
                title={
                  refused
                    ? t(disabled ? "login.disabled" : "login.locked")
                    : describeError(error, t)
                }
                description={
                  refused || rid ? (
                    <>
                      {refused ? <div>{describeError(error, t)}</div> : null}
                      {rid ? (
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {t("common.requestId", { id: rid })}
                        </Typography.Text>
                      ) : null}
                    </>
                  ) : undefined
                }
              />
            ) : null}
            <Button
              type="primary"
              htmlType="submit"
              block
              size="large"
              loading={submitting}
              data-testid="login-submit"
            >
              {t("login.submit")}
            </Button>
          </Form>
          <Divider plain style={{ marginBlock: 20 }}>
            <Typography.Text type="secondary" style={{ fontSize: 13 }}>
              {t("login.noAccount")}
            </Typography.Text>
          </Divider>
          <div style={{ display: "flex", justifyContent: "center", gap: 16, flexWrap: "wrap" }}>
            <Link to="/report/anonymous" data-testid="login-anonymous-report">
              {t("public.reportLink")}
            </Link>
            <Link to="/track" data-testid="login-track">
              {t("public.trackLink")}
            </Link>
            <Link to="/open-data" data-testid="login-open-data">
              {t("public.openDataLink")}
            </Link>
          </div>
        </Card>
      </div>
    </div>
  );
}
