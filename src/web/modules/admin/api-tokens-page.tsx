/**
 * API 令牌 (/admin/tokens): list, create (the secret is shown once, with a
 * copy button and a warning) and revoke (after a confirmation).
 */
import { ExclamationCircleFilled, KeyOutlined, PlusOutlined } from "@ant-design/icons";
import type { TableColumnsType } from "antd";
import {
  Alert,
  App,
  Button,
  type ButtonProps,
  Card,
  Checkbox,
  Empty,
  Form,
  Input,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tag,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { TOKEN_SCOPES, type TokenScope } from "../../../shared/roles.js";
import { createTokenBody, type tokenSchema } from "../../../shared/schemas/auth.js";
import { ApiError, api } from "../../api/client.js";
import { localizeMessage } from "../../i18n/index.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { useApi } from "../../ui/use-api.js";
import { zodRule } from "../../ui/zod-rule.js";

type ApiToken = z.infer<typeof tokenSchema>;
interface CreatedToken {
  id: string;
  name: string;
  scopes: string[];
  prefix: string;
  token: string;
}
interface CreateForm {
  name: string;
  scopes: TokenScope[];
}

const PAGE_SIZE = 20;

function isTokenScope(s: string): s is TokenScope {
  return (TOKEN_SCOPES as readonly string[]).includes(s);
}

export function ApiTokensPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const list = useApi(`tokens:${page}`, (signal) =>
    api<{ items: ApiToken[]; total: number }>("/api/admin/tokens", {
      query: { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
      signal,
    }),
  );
  const [createOpen, setCreateOpen] = useState(false);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revokeError, setRevokeError] = useState<unknown>(null);

  const when = (iso: string | null) =>
    iso ? new Date(iso).toLocaleString(i18n.resolvedLanguage) : null;
  const scopeLabel = (s: string) => (isTokenScope(s) ? t(`tokens.scopeLabels.${s}`) : s);

  const revoke = async (token: ApiToken) => {
    setRevokeError(null);
    try {
      await api<void>(`/api/admin/tokens/${encodeURIComponent(token.id)}`, { method: "DELETE" });
      void message.success(t("tokens.revokedOk"));
      list.reload();
    } catch (err) {
      setRevokeError(err);
    }
  };

  const columns: TableColumnsType<ApiToken> = [
    {
      key: "name",
      title: t("tokens.name"),
      dataIndex: "name",
      render: (v: string) => <Typography.Text strong>{v}</Typography.Text>,
    },
    {
      key: "prefix",
      title: t("tokens.prefix"),
      dataIndex: "prefix",
      render: (v: string) => <Typography.Text code>{v}…</Typography.Text>,
    },
    {
      key: "scopes",
      title: t("tokens.scopes"),
      dataIndex: "scopes",
      render: (scopes: string[]) => (
        <Space wrap size={[4, 4]}>
          {scopes.map((s) => (
            <Tag key={s} title={s}>
              {scopeLabel(s)}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      key: "createdAt",
      title: t("tokens.createdAt"),
      dataIndex: "createdAt",
      render: (v: string) => when(v),
    },
    {
      key: "lastUsedAt",
      title: t("tokens.lastUsedAt"),
      dataIndex: "lastUsedAt",
      render: (v: string | null) =>
        when(v) ?? <Typography.Text type="secondary">{t("tokens.neverUsed")}</Typography.Text>,
    },
    {
      key: "status",
      title: t("tokens.status"),
      render: (_v, r) =>
        r.revokedAt ? (
          <Tag color="default" title={t("tokens.revokedAt", { at: when(r.revokedAt) })}>
            {t("tokens.revoked")}
          </Tag>
        ) : (
          <Tag color="success">{t("tokens.active")}</Tag>
        ),
    },
    {
      key: "actions",
      title: t("tokens.actions"),
      render: (_v, r) => (
        <Popconfirm
          title={t("tokens.revokeConfirm", { name: r.name })}
          description={t("tokens.revokeConfirmBody")}
          okText={t("tokens.revoke")}
          cancelText={t("common.cancel")}
          okButtonProps={{ danger: true }}
          onConfirm={() => revoke(r)}
          disabled={r.revokedAt !== null}
        >
          <Button
            size="small"
            danger
            disabled={r.revokedAt !== null}
            data-testid={`revoke-${r.id}`}
          >
            {t("tokens.revoke")}
          </Button>
        </Popconfirm>
      ),
    },
  ];

  return (
    <div data-testid="tokens-page">
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 8 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("tokens.title")}
        </Typography.Title>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setCreateOpen(true)}
          data-testid="token-create"
        >
          {t("tokens.create")}
        </Button>
      </Space>
      <Typography.Paragraph type="secondary">{t("tokens.intro")}</Typography.Paragraph>
      <Card size="small">
        {list.error ? (
          <ErrorAlert error={list.error} title={t("errors.loadFailed")} onRetry={list.reload} />
        ) : null}
        {revokeError ? (
          <div style={{ marginBottom: 12 }}>
            <ErrorAlert error={revokeError} />
          </div>
        ) : null}
        <Table<ApiToken>
          rowKey="id"
          size="middle"
          data-testid="tokens-table"
          loading={list.loading}
          columns={columns}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 900 }}
          locale={{
            emptyText: list.error ? (
              " "
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("tokens.empty")} />
            ),
          }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: list.data?.total ?? 0,
            showSizeChanger: false,
            hideOnSinglePage: true,
            showTotal: (total) => t("common.total", { count: total }),
            onChange: setPage,
          }}
        />
      </Card>
      <CreateTokenModal
        open={createOpen}
        scopeLabel={scopeLabel}
        onClose={() => setCreateOpen(false)}
        onCreated={(c) => {
          setCreateOpen(false);
          setCreated(c);
          setPage(1);
          list.reload();
        }}
      />
      <CreatedTokenModal token={created} onClose={() => setCreated(null)} />
    </div>
  );
}

function CreateTokenModal(props: {
  open: boolean;
  onClose: () => void;
  onCreated: (token: CreatedToken) => void;
  scopeLabel: (s: string) => string;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CreateForm>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const close = () => {
    form.resetFields();
    setError(null);
    props.onClose();
  };

  const submit = async (values: CreateForm) => {
    setSaving(true);
    setError(null);
    try {
      const token = await api<CreatedToken>("/api/admin/tokens", {
        method: "POST",
        body: { name: values.name.trim(), scopes: values.scopes },
      });
      form.resetFields();
      props.onCreated(token);
    } catch (err) {
      const fields =
        err instanceof ApiError
          ? err.fieldIssues.flatMap((i) => {
              const field = i.path.replace(/^body\./, "").split(".")[0];
              const name: keyof CreateForm | null =
                field === "name" || field === "scopes" ? field : null;
              return name ? [{ name, errors: [localizeMessage(i.message)] }] : [];
            })
          : [];
      if (fields.length > 0) form.setFields(fields);
      else setError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={props.open}
      title={t("tokens.create")}
      okText={t("tokens.create")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={close}
      okButtonProps={{ "data-testid": "token-submit" } as ButtonProps}
      forceRender
    >
      <Form<CreateForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        initialValues={{ scopes: [] }}
        data-testid="token-form"
      >
        <Form.Item
          name="name"
          label={t("tokens.name")}
          rules={[zodRule(createTokenBody.shape.name)]}
        >
          <Input
            placeholder={t("tokens.namePlaceholder")}
            maxLength={100}
            data-testid="token-name"
          />
        </Form.Item>
        <Form.Item
          name="scopes"
          label={t("tokens.scopes")}
          rules={[zodRule(createTokenBody.shape.scopes, [])]}
        >
          <Checkbox.Group
            style={{
              display: "grid",
              gridTemplateColumns: "repeat(auto-fill, minmax(180px, 1fr))",
              gap: 8,
            }}
            options={TOKEN_SCOPES.map((s) => ({
              value: s,
              label: (
                <span>
                  {props.scopeLabel(s)}{" "}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {s}
                  </Typography.Text>
                </span>
              ),
            }))}
          />
        </Form.Item>
        {error ? <ErrorAlert error={error} /> : null}
      </Form>
    </Modal>
  );
}

function CreatedTokenModal(props: { token: CreatedToken | null; onClose: () => void }) {
  const { t } = useTranslation();
  const tok = props.token;
  return (
    <Modal
      open={tok !== null}
      title={
        <Space>
          <KeyOutlined />
          {t("tokens.createdTitle")}
        </Space>
      }
      closable={false}
      mask={{ closable: false }}
      // The secret must leave the DOM once the dialog closes.
      destroyOnHidden
      keyboard={false}
      footer={
        <Button type="primary" onClick={props.onClose} data-testid="token-created-done">
          {t("tokens.done")}
        </Button>
      }
    >
      {tok ? (
        <div data-testid="token-created">
          <Alert
            type="warning"
            showIcon
            icon={<ExclamationCircleFilled />}
            title={t("tokens.createdWarning")}
            style={{ marginBottom: 16 }}
          />
          <Typography.Paragraph style={{ marginBottom: 4 }}>
            <Typography.Text strong>{tok.name}</Typography.Text>
          </Typography.Paragraph>
          <Typography.Paragraph
            code
            copyable={{ text: tok.token, tooltips: [t("tokens.copy"), t("tokens.copied")] }}
            style={{ wordBreak: "break-all", fontSize: 13 }}
            data-testid="token-secret"
          >
            {tok.token}
          </Typography.Paragraph>
        </div>
      ) : null}
    </Modal>
  );
}
