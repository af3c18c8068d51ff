/** The user's menu in the header: who they are, 修改密码 and 退出登录. */
import { DownOutlined, LockOutlined, LogoutOutlined, UserOutlined } from "@ant-design/icons";
import { App, Avatar, Button, type ButtonProps, Dropdown } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { useAuth } from "../auth/auth-context.js";
import { ChangePasswordModal } from "./change-password-modal.js";

export function UserMenu(props: { compact?: boolean }) {
  const { t } = useTranslation();
  const { me, logout } = useAuth();
  const { modal, message } = App.useApp();
  const navigate = useNavigate();
  const [pwOpen, setPwOpen] = useState(false);
  if (!me) return null;

  const roles = [...new Set(me.grants.map((g) => t(`roles.${g.role}`)))].join("、");

  const confirmLogout = () => {
    modal.confirm({
      title: t("user.logoutConfirmTitle"),
      content: t("user.logoutConfirmBody"),
      okText: t("user.logout"),
      cancelText: t("common.cancel"),
      okButtonProps: { danger: true, "data-testid": "logout-confirm" } as ButtonProps,
      onOk: async () => {
        await logout();
        void message.success(t("user.loggedOut"));
        navigate("/login", { replace: true });
      },
    });
  };

  return (
    <>
      <Dropdown
        trigger={["click"]}
        menu={{
          items: [
            {
              key: "who",
              disabled: true,
              label: (
                <div style={{ lineHeight: 1.4 }}>
                  <div style={{ fontWeight: 600, color: "rgba(0,0,0,0.88)" }}>
                    {me.user.displayName}
                  </div>
                  <div style={{ fontSize: 12 }}>
                    {me.user.username}
                    {roles ? ` · ${roles}` : ""}
                  </div>
                </div>
              ),
            },
            { type: "divider" },
            { key: "password", icon: <LockOutlined />, label: t("user.changePassword") },
            { key: "logout", icon: <LogoutOutlined />, label: t("user.logout"), danger: true },
          ],
          onClick: ({ key }) => {
            if (key === "password") setPwOpen(true);
            if (key === "logout") confirmLogout();
          },
        }}
      >
        <Button
          type="text"
          aria-label={t("user.menu")}
          data-testid="user-menu"
          style={{ paddingInline: 6 }}
        >
          <Avatar size="small" icon={<UserOutlined />} style={{ background: "#1668dc" }} />
          {props.compact ? null : <span>{me.user.displayName}</span>}
          <DownOutlined style={{ fontSize: 10 }} />
        </Button>
      </Dropdown>
      <ChangePasswordModal open={pwOpen} onClose={() => setPwOpen(false)} />
    </>
  );
}
