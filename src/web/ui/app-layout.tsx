/**
 * The signed-in frame: a collapsible side menu on wide screens, a drawer on
 * phones, and a header with the product name, language switch and user menu.
 */
import { MenuFoldOutlined, MenuOutlined, MenuUnfoldOutlined } from "@ant-design/icons";
import { Button, Drawer, Grid, Layout, Menu, theme } from "antd";
import { Suspense, useState } from "react";
import { useTranslation } from "react-i18next";
import { Outlet, useLocation, useNavigate } from "react-router-dom";
import { useAuth } from "../auth/auth-context.js";
import { NotificationBell } from "../modules/cases/notification-bell.js";
import { Brand } from "./brand.js";
import { LanguageSwitch } from "./language-switch.js";
import { navItems, selectedNavKey } from "./nav-items.js";
import { PageLoading } from "./page-loading.js";
import { UserMenu } from "./user-menu.js";

const COLLAPSE_KEY = "gongzhi.siderCollapsed";

export function AppLayout() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const isPhone = screens.md === false;
  const { token } = theme.useToken();
  const [collapsed, setCollapsed] = useState(() => localStorage.getItem(COLLAPSE_KEY) === "1");
  const [drawerOpen, setDrawerOpen] = useState(false);

  const items = navItems(me, t);
  const selected = selectedNavKey(location.pathname);
  const menu = (testId: string) => (
    <Menu
      mode="inline"
      theme={isPhone ? "light" : "dark"}
      items={items}
      selectedKeys={[selected]}
      defaultOpenKeys={["admin"]}
      data-testid={testId}
      onClick={({ key }) => {
        setDrawerOpen(false);
        navigate(key);
      }}
      style={{ borderInlineEnd: 0 }}
    />
  );

  const toggleCollapsed = () => {
    const next = !collapsed;
    setCollapsed(next);
    localStorage.setItem(COLLAPSE_KEY, next ? "1" : "0");
  };

  return (
    <Layout style={{ minHeight: "100vh" }}>
      {isPhone ? null : (
        <Layout.Sider
          collapsible
          collapsed={collapsed}
          trigger={null}
          width={220}
          style={{ position: "sticky", top: 0, height: "100vh", overflow: "auto" }}
        >
          <div
            style={{
              height: 64,
              display: "flex",
              alignItems: "center",
              paddingInline: collapsed ? 24 : 20,
            }}
          >
            <Brand dark compact={collapsed} />
          </div>
          {menu("nav-menu")}
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header
          style={{
            position: "sticky",
            top: 0,
            zIndex: 500,
            display: "flex",
            alignItems: "center",
            gap: 8,
            paddingInline: isPhone ? 12 : 16,
            background: token.colorBgContainer,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
          }}
        >
          {isPhone ? (
            <>
              <Button
                type="text"
                icon={<MenuOutlined />}
                aria-label={t("nav.menu")}
                data-testid="nav-toggle"
                onClick={() => setDrawerOpen(true)}
              />
              <Brand />
            </>
          ) : (
            <Button
              type="text"
              icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              aria-label={collapsed ? t("nav.expand") : t("nav.collapse")}
              onClick={toggleCollapsed}
            />
          )}
          <div style={{ flex: 1 }} />
          <NotificationBell />
          <LanguageSwitch compact={isPhone} />
          <UserMenu compact={isPhone} />
        </Layout.Header>
        <Layout.Content style={{ padding: isPhone ? 12 : 24, minWidth: 0 }}>
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
      {isPhone ? (
        <Drawer
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          placement="left"
          size={260}
          title={<Brand />}
          styles={{ body: { padding: 0 } }}
        >
          {menu("nav-drawer-menu")}
        </Drawer>
      ) : null}
    </Layout>
  );
}
