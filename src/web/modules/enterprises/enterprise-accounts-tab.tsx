/**
 * 员工账号: the enterprise's officer and manager accounts, for its managers
 * (`manageStaff`) — each with its status, a form to open an officer account
 * with an initial password, and deactivate / reactivate behind a
 * confirmation. The server says per account what may be done (the last
 * active manager cannot be deactivated); this only shows it.
 */
import { PlusOutlined } from "@ant-design/icons";
import type { ButtonProps, TableColumnsType } from "antd";
import {
  App,
  Button,
  Empty,
  Form,
  Input,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { emailSchema } from "../../../shared/formats/email.js";
import { mobileSchema } from "../../../shared/formats/mobile.js";
import { createStaffBody, type StaffAccount } from "../../../shared/schemas/enterprise-staff.js";
import type { EnterpriseDetail } from "../../../shared/schemas/enterprises.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { ROLE_COLORS } from "../../ui/grant-display.js";
import { applyServerErrors } from "../../ui/server-errors.js";
import { useApi } from "../../ui/use-api.js";
import { optionalZodRule, zodRule } from "../../ui/zod-rule.js";
import { createStaff, listStaff, setStaffActive } from "./enterprises-api.js";

const PAGE_SIZE = 20;
const STATUS_COLORS = { active: "green", locked: "gold", disabled: "default" } as const;

export function EnterpriseAccountsTab(props: { enterprise: EnterpriseDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const e = props.enterprise;
  const [page, setPage] = useState(1);
  const [version, setVersion] = useState(0);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const request = { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const list = useApi(`enterprise-accounts:${e.id}:${version}:${page}`, (signal) =>
    listStaff(e.id, request, signal),
  );
  const refresh = () => setVersion((v) => v + 1);

  const toggle = async (s: StaffAccount, active: boolean) => {
    setError(null);
    try {
      await setStaffActive(e.id, s.id, active);
      void message.success(
        t(active ? "enterprises.accounts.reactivatedOk" : "enterprises.accounts.deactivatedOk"),
      );
      refresh();
    } catch (err) {
      setError(err);
    }
  };

  const columns: TableColumnsType<StaffAccount> = [
    {
      key: "name",
      title: t("enterprises.accounts.displayName"),
      width: 130,
      render: (_v, s) => (
        <Space orientation="vertical" size={0}>
          <span>
            {s.displayName}
            {s.self ? (
              <Tag style={{ marginInlineStart: 6 }}>{t("enterprises.accounts.self")}</Tag>
            ) : null}
          </span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {s.username}
          </Typography.Text>
        </Space>
      ),
    },
    {
      key: "role",
      title: t("enterprises.accounts.role"),
      width: 96,
      render: (_v, s) => <Tag color={ROLE_COLORS[s.role]}>{t(`roles.${s.role}`)}</Tag>,
    },
    {
      key: "status",
      title: t("enterprises.accounts.status"),
      width: 72,
      render: (_v, s) => (
        <Tag color={STATUS_COLORS[s.status]} data-testid={`account-status-${s.username}`}>
          {t(`enterprises.accounts.statuses.${s.status}`)}
        </Tag>
      ),
    },
    {
      key: "actions",
      title: "",
      width: 84,
      render: (_v, s) => {
        if (s.allowedActions.includes("deactivate"))
          return (
            <Popconfirm
              title={t("enterprises.accounts.deactivateConfirm", { name: s.displayName })}
              okText={t("enterprises.accounts.deactivate")}
              okButtonProps={
                { danger: true, "data-testid": "account-deactivate-ok" } as ButtonProps
              }
              cancelText={t("common.cancel")}
              onConfirm={() => toggle(s, false)}
            >
              <Button
                type="link"
                size="small"
                danger
                data-testid={`account-deactivate-${s.username}`}
              >
                {t("enterprises.accounts.deactivate")}
              </Button>
            </Popconfirm>
          );
        if (s.allowedActions.includes("reactivate"))
          return (
            <Popconfirm
              title={t("enterprises.accounts.reactivateConfirm", { name: s.displayName })}
              okText={t("enterprises.accounts.reactivate")}
              okButtonProps={{ "data-testid": "account-reactivate-ok" } as ButtonProps}
              cancelText={t("common.cancel")}
              onConfirm={() => toggle(s, true)}
            >
              <Button type="link" size="small" data-testid={`account-reactivate-${s.username}`}>
                {t("enterprises.accounts.reactivate")}
              </Button>
            </Popconfirm>
          );
        if (s.status === "active" && s.role === "enterprise_manager")
          return (
            <Tooltip title={t("enterprises.accounts.lastManager")}>
              <Button type="link" size="small" disabled>
                {t("enterprises.accounts.deactivate")}
              </Button>
            </Tooltip>
          );
        return null;
      },
    },
  ];

  return (
    <Space
      orientation="vertical"
      size={12}
      style={{ width: "100%" }}
      data-testid="enterprise-accounts"
    >
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t("enterprises.accounts.intro")}
      </Typography.Paragraph>
      <div>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setCreating(true)}
          disabled={!list.data?.mayCreate}
          data-testid="account-add"
        >
          {t("enterprises.accounts.add")}
        </Button>
      </div>
      {error ? <ErrorAlert error={error} /> : null}
      {list.error ? <ErrorAlert error={list.error} onRetry={list.reload} /> : null}
      <Table<StaffAccount>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.loading}
        data-testid="accounts-table"
        locale={{
          emptyText: list.error ? (
            " "
          ) : (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={t("enterprises.accounts.empty")}
            />
          ),
        }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          hideOnSinglePage: true,
          onChange: setPage,
          showTotal: (total) => t("enterprises.accounts.total", { count: total }),
        }}
      />
      <CreateAccountModal
        open={creating}
        enterpriseId={e.id}
        onClose={() => setCreating(false)}
        onDone={(username) => {
          setCreating(false);
          void message.success(t("enterprises.accounts.createdOk", { username }));
          setPage(1);
          refresh();
        }}
      />
    </Space>
  );
}

interface AccountForm {
  displayName: string;
  username: string;
  password: string;
  phone?: string;
  email?: string;
}

const FIELDS = ["displayName", "username", "password", "phone", "email"];
const fieldOf = (path: string) => {
  const name = path.replace(/^body\./, "");
  return FIELDS.includes(name) ? [name] : null;
};

function CreateAccountModal(props: {
  open: boolean;
  enterpriseId: string;
  onClose: () => void;
  onDone: (username: string) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<AccountForm>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const close = () => {
    form.resetFields();
    setError(null);
    props.onClose();
  };

  const submit = async (v: AccountForm) => {
    setSaving(true);
    setError(null);
    const phone = v.phone?.trim();
    const email = v.email?.trim();
    try {
      const created = await createStaff(props.enterpriseId, {
        displayName: v.displayName.trim(),
        username: v.username.trim().toLowerCase(),
        password: v.password,
        ...(phone ? { phone } : {}),
        ...(email ? { email } : {}),
      });
      form.resetFields();
      props.onDone(created.username);
    } catch (err) {
      setError(applyServerErrors(form, err, fieldOf));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={props.open}
      title={t("enterprises.accounts.addTitle")}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={close}
      okButtonProps={{ "data-testid": "account-submit" } as ButtonProps}
      mask={{ closable: false }}
      destroyOnHidden
    >
      <Form<AccountForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        autoComplete="off"
      >
        <Form.Item
          name="displayName"
          label={t("enterprises.accounts.displayName")}
          rules={[zodRule(createStaffBody.shape.displayName)]}
        >
          <Input
            maxLength={60}
            placeholder={t("enterprises.accounts.displayNamePlaceholder")}
            data-testid="account-display-name"
          />
        </Form.Item>
        <Form.Item
          name="username"
          label={t("enterprises.accounts.username")}
          extra={t("enterprises.accounts.usernameHelp")}
          rules={[zodRule(createStaffBody.shape.username)]}
        >
          <Input maxLength={40} autoCapitalize="none" data-testid="account-username" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t("enterprises.accounts.password")}
          extra={t("enterprises.accounts.passwordHelp")}
          rules={[zodRule(createStaffBody.shape.password)]}
        >
          <Input.Password autoComplete="new-password" data-testid="account-password" />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t("enterprises.accounts.phone")}
          rules={[optionalZodRule(mobileSchema)]}
        >
          <Input maxLength={11} inputMode="tel" data-testid="account-phone" />
        </Form.Item>
        <Form.Item
          name="email"
          label={t("enterprises.accounts.email")}
          rules={[optionalZodRule(emailSchema)]}
        >
          <Input maxLength={254} inputMode="email" data-testid="account-email" />
        </Form.Item>
        {error ? <ErrorAlert error={error} /> : null}
      </Form>
    </Modal>
  );
}
