/**
 * 账户管理 (/admin/users): the accounts table (search, status and role
 * filters, sorting and paging done by the server, kept in the URL), 新建账户,
 * and per-row actions as the server allows them (allowedActions): 编辑,
 * 授权 (drawer), 重置密码, 停用 (confirmed) / 启用 / 解锁.
 */
import { PlusOutlined, SearchOutlined } from "@ant-design/icons";
import type { TableColumnsType, TableProps } from "antd";
import {
  App,
  Badge,
  Button,
  type ButtonProps,
  Card,
  Empty,
  Input,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from "antd";
import { type HTMLAttributes, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { ROLES, type Role } from "../../../shared/roles.js";
import { type AdminUser, USER_STATUSES } from "../../../shared/schemas/users.js";
import { useAuth } from "../../auth/auth-context.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { GrantTag } from "../../ui/grant-display.js";
import { useApi } from "../../ui/use-api.js";
import { useDebounced } from "../../ui/use-debounced.js";
import { AreaOptionsProvider, useRoleOptions } from "./grant-fields.js";
import { UserGrantsDrawer } from "./user-grants-drawer.js";
import { CreateUserModal, EditUserModal, ResetPasswordModal } from "./user-modals.js";
import { UserStatusBadge } from "./user-status.js";
import { listUsers, type UserSort, type UserStatus, updateUser } from "./users-api.js";

const PAGE_SIZE = 20;
const SORTS: readonly UserSort[] = ["username", "-username", "createdAt", "-createdAt"];
const DEFAULT_SORT: UserSort = "username";

function oneOf<T extends string>(list: readonly T[], v: string | null): T | undefined {
  return v !== null && (list as readonly string[]).includes(v) ? (v as T) : undefined;
}

/** The list's state lives in the URL (?q=&status=&role=&sort=&page=), so reload and back work. */
function useListParams() {
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);
  const state = {
    q: params.get("q") ?? "",
    status: oneOf<UserStatus>(USER_STATUSES, params.get("status")),
    role: oneOf<Role>(ROLES, params.get("role")),
    sort: oneOf(SORTS, params.get("sort")) ?? DEFAULT_SORT,
    page,
  };
  /** Change some of it; any change but the page starts again at page 1. */
  const update = (patch: Partial<typeof state>) => {
    const next = { ...state, ...("page" in patch ? {} : { page: 1 }), ...patch };
    const out = new URLSearchParams();
    if (next.q) out.set("q", next.q);
    if (next.status) out.set("status", next.status);
    if (next.role) out.set("role", next.role);
    if (next.sort !== DEFAULT_SORT) out.set("sort", next.sort);
    if (next.page > 1) out.set("page", String(next.page));
    setParams(out, { replace: true });
  };
  return [state, update] as const;
}

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
  const [params, setParams] = useListParams();
  const roleOptions = useRoleOptions();

  // The search box answers as you type, a moment after you stop.
  const [qInput, setQInput] = useState(params.q);
  const q = useDebounced(qInput.trim(), 300);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a settled search changes the URL
  useEffect(() => {
    if (q !== params.q) setParams({ q });
  }, [q]);

  const filter = {
    q: params.q || undefined,
    status: params.status,
    role: params.role,
    sort: params.sort,
    limit: PAGE_SIZE,
    offset: (params.page - 1) * PAGE_SIZE,
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
  const sortOrderOf = (key: "username" | "createdAt") =>
    params.sort === key ? "ascend" : params.sort === `-${key}` ? "descend" : null;

  const columns: TableColumnsType<AdminUser> = [
    {
      key: "username",
      title: t("users.username"),
      dataIndex: "username",
      width: 180,
      sorter: true,
      sortOrder: sortOrderOf("username"),
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
      sortOrder: sortOrderOf("createdAt"),
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

  const onTableChange: TableProps<AdminUser>["onChange"] = (
    pagination,
    _filters,
    sorter,
    extra,
  ) => {
    if (extra.action === "sort") {
      const s = Array.isArray(sorter) ? sorter[0] : sorter;
      const key = s?.columnKey === "createdAt" ? "createdAt" : "username";
      const sort: UserSort = !s?.order ? DEFAULT_SORT : s.order === "descend" ? `-${key}` : key;
      setParams({ sort });
    } else if (extra.action === "paginate") {
      setParams({ page: pagination.current ?? 1 });
    }
  };

  const filtered = Boolean(params.q || params.status || params.role);
  const clearFilters = () => {
    setQInput("");
    setParams({ q: "", status: undefined, role: undefined });
  };

  return (
    <div data-testid="users-page">
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 8 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("users.title")}
        </Typography.Title>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setCreateOpen(true)}
          data-testid="user-create"
        >
          {t("users.create")}
        </Button>
      </Space>
      <Typography.Paragraph type="secondary">{t("users.intro")}</Typography.Paragraph>
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder={t("users.search")}
            aria-label={t("users.search")}
            value={qInput}
            onChange={(e) => setQInput(e.target.value)}
            style={{ width: 240 }}
            data-testid="users-search"
          />
          <Select<UserStatus>
            allowClear
            placeholder={t("users.allStatuses")}
            aria-label={t("users.status")}
            value={params.status}
            onChange={(status) => setParams({ status })}
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
            onChange={(role) => setParams({ role })}
            options={roleOptions}
            style={{ width: 200 }}
            popupMatchSelectWidth={false}
            data-testid="users-role-filter"
          />
        </Space>
        {list.error ? (
          <div style={{ marginBottom: 12 }}>
            <ErrorAlert error={list.error} title={t("errors.loadFailed")} onRetry={list.reload} />
          </div>
        ) : null}
        {actionError ? (
          <div style={{ marginBottom: 12 }}>
            <ErrorAlert error={actionError} />
          </div>
        ) : null}
        <Table<AdminUser>
          rowKey="id"
          size="middle"
          data-testid="users-table"
          loading={list.loading}
          columns={columns}
          dataSource={list.data?.items ?? []}
          onRow={(r) => ({ "data-username": r.username }) as HTMLAttributes<HTMLElement>}
          onChange={onTableChange}
          scroll={{ x: 780 + actionsWidth }}
          showSorterTooltip={false}
          locale={{
            emptyText: list.error ? (
              " "
            ) : (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={filtered ? t("users.noMatch") : t("users.empty")}
              >
                {filtered ? (
                  <Button onClick={clearFilters} data-testid="users-clear-filters">
                    {t("users.clearFilters")}
                  </Button>
                ) : null}
              </Empty>
            ),
          }}
          pagination={{
            current: params.page,
            pageSize: PAGE_SIZE,
            total: list.data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (total) => (
              <span data-testid="users-total">{t("common.total", { count: total })}</span>
            ),
          }}
        />
      </Card>
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
    </div>
  );
}
