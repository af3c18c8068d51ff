/**
 * The frame of the pages outside the login wall (匿名上报, 查询进度): the
 * product mark, the language switch and the way to log in (or back to the
 * workbench when signed in), around a narrow column that fits a phone.
 */
import { Button, Layout, theme } from "antd";
import { Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Link, Outlet } from "react-router-dom";
import { useAuth } from "../../auth/auth-context.js";
import { Brand } from "../../ui/brand.js";
import { LanguageSwitch } from "../../ui/language-switch.js";
import { PageLoading } from "../../ui/page-loading.js";

export function PublicShell() {
  const { t } = useTranslation();
  const { status } = useAuth();
  const { token } = theme.useToken();
  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Header
        style={{
          display: "flex",
          alignItems: "center",
          gap: 8,
          paddingInline: 12,
          background: token.colorBgContainer,
          borderBottom: `1px solid ${token.colorBorderSecondary}`,
        }}
      >
        <Link to={status === "authenticated" ? "/" : "/login"} aria-label={t("app.name")}>
          <Brand />
        </Link>
        <div style={{ flex: 1 }} />
        <LanguageSwitch compact />
        <Link to={status === "authenticated" ? "/" : "/login"}>
          <Button type="link" data-testid="public-login">
            {status === "authenticated" ? t("public.workbench") : t("public.login")}
          </Button>
        </Link>
      </Layout.Header>
      <Layout.Content style={{ padding: 12 }}>
        <div style={{ maxWidth: 760, margin: "0 auto" }}>
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </div>
      </Layout.Content>
    </Layout>
  );
}
