/**
 * 账户管理 (/admin/users): the accounts table (search, status and role
 * filters, sorting and paging done by the server, kept in the URL), 新建账户,
 * and per-row actions as the server allows them (allowedActions): 编辑,
 * 授权 (drawer), 重置密码, 停用 (confirmed) / 启用 / 解锁.
 */
import { PlusOutlined } from "@ant-design/icons";
import type { TableColumnsType } from "antd";
import {
  App,
  Badge,
  Button,
  type ButtonProps,
  Popconfirm,
  Select,
  Space,
  Tag,
  Tooltip,
  Typography,
} from "antd";
import { type HTMLAttributes, useState } from "react";
import { useTranslation } from "react-i18next";
import { ROLES, type Role } from "../../../shared/roles.js";
import { type AdminUser, USER_STATUSES } from "../../../shared/schemas/users.js";
import { useAuth } from "../../auth/auth-context.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { GrantTag } from "../../ui/grant-display.js";
import { ListPage, ListTable, param, SearchInput, useListQuery } from "../../ui/list-page.js";
import { useApi } from "../../ui/use-api.js";
import { AreaOptionsProvider, useRoleOptions } from "./grant-fields.js";
import { UserGrantsDrawer } from "./user-grants-drawer.js";
import { CreateUserModal, EditUserModal, ResetPasswordModal } from "./user-modals.js";
import { UserStatusBadge } from "./user-status.js";
import { listUsers, type UserSort, type UserStatus, updateUser } from "./users-api.js";

const SORTS: readonly UserSort[] = ["username", "-username", "createdAt", "-createdAt"];

export function UsersPage() {
  return (
    <AreaOptionsProvider>
      <UsersList />
    </AreaOptionsProvider>
  );
}

function UsersList() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { me, refresh } = useAuth();
  // The list's state lives in the URL (?q=&status=&role=&sort=&page=), so reload and back work.
  const query = useListQuery({
    filters: { q: param.text(), status: param.oneOf(USER_STATUSES), role: param.oneOf(ROLES) },
    sorts: SORTS,
    defaultSort: "username",
  });
  const params = query.filters;
  const roleOptions = useRoleOptions();

  const filter = {
    q: params.q || undefined,
    status: params.status,
    role: params.role,
    sort: query.sort,
    limit: query.limit,
    offset: query.offset,
  };
  const list = useApi(`users:${JSON.stringify(filter)}`, (signal) => listUsers(filter, signal));

  const [createOpen, setCreateOpen] = useState(false);
  const [editing, setEditing] = useState<AdminUser | null>(null);
  const [resetting, setResetting] = useState<AdminUser | null>(null);
  const [grantsOf, setGrantsOf] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);

  /** After changing an account: reload the list, and the session when it is the admin's own. */
  const changed = (userId: string) => {
    list.reload();
    if (userId === me?.user.id) refresh();
  };

  const setStatus = async (u: AdminUser, status: "active" | "disabled") => {
    setActionError(null);
    setBusy(u.id);
    try {
      await updateUser(u.id, { status });
      void message.success(
        status === "disabled"
          ? t("users.disabledOk")
          : u.status === "locked"
            ? t("users.unlockedOk")
            : t("users.enabledOk"),
      );
      changed(u.id);
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(null);
    }
  };

  const actionsWidth = i18n.resolvedLanguage === "en-US" ? 320 : 260;

  const columns: TableColumnsType<AdminUser> = [
    {
      key: "username",
      title: t("users.username"),
      dataIndex: "username",
      width: 180,
      sorter: true,
      sortDirections: ["ascend", "descend", "ascend"],
      render: (v: string, r) => (
        <Space size={4} style={{ whiteSpace: "nowrap" }}>
          <Typography.Text strong>{v}</Typography.Text>
          {r.id === me?.user.id ? <Tag color="processing">{t("users.you")}</Tag> : null}
        </Space>
      ),
    },
    {
      key: "displayName",
      title: t("users.displayName"),
      dataIndex: "displayName",
      ellipsis: { showTitle: true },
    },
    {
      key: "grants",
      title: t("users.roles"),
      width: 280,
      render: (_v, r) =>
        r.grants.length === 0 ? (
          <Typography.Text type="secondary">{t("users.noRoles")}</Typography.Text>
        ) : (
          <div style={{ display: "flex", flexWrap: "wrap", gap: 4, minWidth: 0 }}>
            {r.grants.map((g) => (
              <GrantTag key={g.id} grant={g} />
            ))}
          </div>
        ),
    },
    {
      key: "status",
      title: t("users.status"),
      width: 130,
      render: (_v, r) => <UserStatusBadge user={r} lang={i18n.resolvedLanguage} />,
    },
    {
      key: "createdAt",
      title: t("users.createdAt"),
      dataIndex: "createdAt",
      width: 120,
      sorter: true,
      sortDirections: ["descend", "ascend", "descend"],
      render: (v: string) => (
        <span title={new Date(v).toLocaleString(i18n.resolvedLanguage)}>
          {new Date(v).toLocaleDateString(i18n.resolvedLanguage)}
        </span>
      ),
    },
    {
      key: "actions",
      title: t("users.actions"),
      // English labels are longer than Chinese ones: keep the four actions on one line.
      width: actionsWidth,
      fixed: "right",
      render: (_v, r) => rowActions(r),
    },
  ];

  // A render function, not a component: a component defined here would remount each render.
  function rowActions(r: AdminUser) {
    const can = (a: AdminUser["allowedActions"][number]) => r.allowedActions.includes(a);
    const name = r.displayName || r.username;
    return (
      <Space size={0} wrap data-testid={`user-actions-${r.username}`}>
        <Button
          type="link"
          size="small"
          disabled={!can("edit")}
          onClick={() => setEditing(r)}
          data-testid="user-edit"
        >
          {t("users.edit")}
        </Button>
        <Button
          type="link"
          size="small"
          onClick={() => setGrantsOf(r.id)}
          data-testid="user-grants-open"
        >
          {t("users.viewGrants")}
        </Button>
        <Button
          type="link"
          size="small"
          disabled={!can("reset_password")}
          onClick={() => setResetting(r)}
          data-testid="user-reset"
        >
          {t("users.resetPassword")}
        </Button>
        {r.status !== "active" ? (
          <Button
            type="link"
            size="small"
            disabled={!can("unlock")}
            loading={busy === r.id}
            onClick={() => setStatus(r, "active")}
            data-testid="user-activate"
          >
            {r.status === "locked" ? t("users.unlock") : t("users.enable")}
          </Button>
        ) : null}
        {r.status !== "disabled" ? (
          <Popconfirm
            title={t("users.disableConfirm", { name })}
            description={t("users.disableConfirmBody")}
            okText={t("users.disable")}
            cancelText={t("common.cancel")}
            okButtonProps={{ danger: true, "data-testid": "user-disable-confirm" } as ButtonProps}
            onConfirm={() => setStatus(r, "disabled")}
            disabled={!can("disable")}
          >
            <Tooltip title={can("disable") ? undefined : t("users.cannotDisable")}>
              <Button
                type="link"
                size="small"
                danger
                disabled={!can("disable")}
                loading={busy === r.id}
                data-testid="user-disable"
              >
                {t("users.disable")}
              </Button>
            </Tooltip>
          </Popconfirm>
        ) : null}
      </Space>
    );
  }

  return (
    <ListPage
      testId="users-page"
      title={t("users.title")}
      intro={t("users.intro")}
      actions={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setCreateOpen(true)}
          data-testid="user-create"
        >
          {t("users.create")}
        </Button>
      }
      filters={
        <>
          <SearchInput
            value={params.q}
            onSearch={(q) => query.setFilters({ q })}
            placeholder={t("users.search")}
            testId="users-search"
          />
          <Select<UserStatus>
            allowClear
            placeholder={t("users.allStatuses")}
            aria-label={t("users.status")}
            value={params.status}
            onChange={(status) => query.setFilters({ status })}
            options={USER_STATUSES.map((s) => ({
              value: s,
              label: (
                <Badge
                  status={s === "active" ? "success" : s === "locked" ? "warning" : "default"}
                  text={t(`userStatus.${s}`)}
                />
              ),
            }))}
            style={{ width: 140 }}
            data-testid="users-status-filter"
          />
          <Select<Role>
            allowClear
            placeholder={t("users.allRoles")}
            aria-label={t("users.role")}
            value={params.role}
            onChange={(role) => query.setFilters({ role })}
            options={roleOptions}
            style={{ width: 200 }}
            popupMatchSelectWidth={false}
            data-testid="users-role-filter"
          />
        </>
      }
    >
      <ListTable<AdminUser, UserSort>
        rowKey="id"
        testId="users"
        query={query}
        list={list}
        columns={columns}
        emptyText={t("users.empty")}
        noMatchText={t("users.noMatch")}
        alerts={
          actionError ? (
            <div style={{ marginBottom: 12 }}>
              <ErrorAlert error={actionError} />
            </div>
          ) : null
        }
        onRow={(r) => ({ "data-username": r.username }) as HTMLAttributes<HTMLElement>}
        scroll={{ x: 780 + actionsWidth }}
      />
      <CreateUserModal
        open={createOpen}
        onClose={() => setCreateOpen(false)}
        onCreated={(u) => {
          setCreateOpen(false);
          void message.success(t("users.createdOk", { username: u.username }));
          list.reload();
        }}
      />
      <EditUserModal
        user={editing}
        onClose={() => setEditing(null)}
        onSaved={(u) => {
          setEditing(null);
          void message.success(t("users.savedOk"));
          changed(u.id);
        }}
      />
      <ResetPasswordModal
        user={resetting}
        onClose={() => setResetting(null)}
        onDone={() => {
          setResetting(null);
          void message.success(t("users.resetOk"));
        }}
      />
      <UserGrantsDrawer userId={grantsOf} onClose={() => setGrantsOf(null)} onChanged={changed} />
    </ListPage>
  );
}
