/**
 * The account dialogs: 新建账户 (with a list of grants), 编辑 (display name, e-mail)
 * and 重置密码. Fields validate live with the shared schemas; the server's
 * field issues land on the field they name, anything else shows as an alert.
 */
import { PlusOutlined } from "@ant-design/icons";

import { Alert, Button, type ButtonProps, Form, Input, Modal, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { emailSchema } from "../../../shared/formats/email.js";
import { passwordRule } from "../../../shared/schemas/auth.js";
import { type AdminUser, createUserBody } from "../../../shared/schemas/users.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { applyServerErrors } from "../../ui/server-errors.js";
import { optionalZodRule, zodRule } from "../../ui/zod-rule.js";
import { GrantFields } from "./grant-fields.js";
import { createFormField, type GrantFormValue, grantBody } from "./user-form-model.js";
import { createUser, resetPassword, updateUser } from "./users-api.js";

export { applyServerErrors };

interface CreateForm {
  username: string;
  displayName: string;
  password: string;
  email?: string | undefined;
  grants: GrantFormValue[];
}

export function CreateUserModal(props: {
  open: boolean;
  onClose: () => void;
  onCreated: (user: AdminUser) => void;
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
    const grants = values.grants ?? [];
    const email = values.email?.trim();
    try {
      const user = await createUser({
        username: values.username.trim().toLowerCase(),
        displayName: values.displayName.trim(),
        password: values.password,
        ...(email ? { email } : {}),
        grants: grants.map(grantBody),
      });
      form.resetFields();
      props.onCreated(user);
    } catch (err) {
      setError(applyServerErrors(form, err, (path) => createFormField(path, grants)));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={props.open}
      title={t("users.create")}
      okText={t("users.createSubmit")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={close}
      okButtonProps={{ "data-testid": "user-create-submit" } as ButtonProps}
      width={680}
      mask={{ closable: false }}
      forceRender
    >
      <Form<CreateForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        initialValues={{ grants: [{}] }}
        data-testid="user-create-form"
        autoComplete="off"
      >
        <Form.Item
          name="username"
          label={t("users.username")}
          extra={t("users.usernameHelp")}
          rules={[zodRule(createUserBody.shape.username)]}
          normalize={(v: string | undefined) => v?.toLowerCase()}
        >
          <Input
            maxLength={40}
            autoCapitalize="none"
            spellCheck={false}
            autoComplete="off"
            data-testid="user-username"
          />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t("users.displayName")}
          rules={[zodRule(createUserBody.shape.displayName)]}
        >
          <Input
            maxLength={60}
            placeholder={t("users.displayNamePlaceholder")}
            data-testid="user-display-name"
          />
        </Form.Item>
        <Form.Item
          name="password"
          label={t("users.password")}
          extra={t("users.passwordHelp")}
          rules={[zodRule(passwordRule)]}
          hasFeedback
        >
          <Input.Password autoComplete="new-password" data-testid="user-password" />
        </Form.Item>
        <Form.Item
          name="email"
          label={t("users.email")}
          extra={t("users.emailHelp")}
          rules={[optionalZodRule(emailSchema)]}
        >
          <Input
            type="email"
            maxLength={254}
            autoComplete="off"
            spellCheck={false}
            data-testid="user-email"
          />
        </Form.Item>
        <div style={{ marginBottom: 8 }}>
          <Typography.Text>{t("users.grants")}</Typography.Text>
        </div>
        <Form.List name="grants">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <GrantFields
                  key={f.key}
                  name={[f.name]}
                  path={["grants", f.name]}
                  testSuffix={String(f.name)}
                  onRemove={() => remove(f.name)}
                />
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({})}
                block
                data-testid="grant-add-row"
              >
                {t("users.addGrantRow")}
              </Button>
              {fields.length === 0 ? (
                <Typography.Text type="secondary" style={{ display: "block", marginTop: 4 }}>
                  {t("users.grantsHelp")}
                </Typography.Text>
              ) : null}
            </>
          )}
        </Form.List>
        {error ? (
          <div style={{ marginTop: 16 }}>
            <ErrorAlert error={error} />
          </div>
        ) : null}
      </Form>
    </Modal>
  );
}

interface EditForm {
  displayName: string;
  email?: string | undefined;
}

export function EditUserModal(props: {
  user: AdminUser | null;
  onClose: () => void;
  onSaved: (user: AdminUser) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<EditForm>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const user = props.user;

  const close = () => {
    setError(null);
    props.onClose();
  };

  const submit = async (values: EditForm) => {
    if (!user) return;
    setSaving(true);
    setError(null);
    // Only a changed address is sent: an unchanged one is no change to record.
    const email = values.email?.trim() || null;
    try {
      props.onSaved(
        await updateUser(user.id, {
          displayName: values.displayName.trim(),
          ...(email !== user.email ? { email } : {}),
        }),
      );
    } catch (err) {
      setError(
        applyServerErrors(form, err, (path) => {
          const field = path.replace(/^body\./, "");
          return field === "displayName" || field === "email" ? [field] : null;
        }),
      );
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={user !== null}
      title={user ? t("users.editTitle", { username: user.username }) : null}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={close}
      okButtonProps={{ "data-testid": "user-edit-submit" } as ButtonProps}
      destroyOnHidden
    >
      {user ? (
        <Form<EditForm>
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={submit}
          initialValues={{ displayName: user.displayName, email: user.email ?? "" }}
          data-testid="user-edit-form"
        >
          <Form.Item label={t("users.username")}>
            <Typography.Text code>{user.username}</Typography.Text>
          </Form.Item>
          <Form.Item
            name="displayName"
            label={t("users.displayName")}
            rules={[zodRule(createUserBody.shape.displayName)]}
          >
            <Input maxLength={60} autoFocus data-testid="user-edit-display-name" />
          </Form.Item>
          <Form.Item
            name="email"
            label={t("users.email")}
            extra={t("users.emailHelp")}
            rules={[optionalZodRule(emailSchema)]}
          >
            <Input type="email" maxLength={254} spellCheck={false} data-testid="user-edit-email" />
          </Form.Item>
          {error ? <ErrorAlert error={error} /> : null}
        </Form>
      ) : null}
    </Modal>
  );
}

interface ResetForm {
  newPassword: string;
  confirmPassword: string;
}

export function ResetPasswordModal(props: {
  user: AdminUser | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ResetForm>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const user = props.user;

  const close = () => {
    setError(null);
    props.onClose();
  };

  const submit = async (values: ResetForm) => {
    if (!user) return;
    setSaving(true);
    setError(null);
    try {
      await resetPassword(user.id, values.newPassword);
      props.onDone();
    } catch (err) {
      setError(
        applyServerErrors(form, err, (path) =>
          path.replace(/^body\./, "") === "newPassword" ? ["newPassword"] : null,
        ),
      );
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={user !== null}
      title={user ? t("users.resetTitle", { name: user.displayName || user.username }) : null}
      okText={t("users.resetSubmit")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={close}
      okButtonProps={{ danger: true, "data-testid": "user-reset-submit" } as ButtonProps}
      destroyOnHidden
    >
      {user ? (
        <Form<ResetForm>
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={submit}
          data-testid="user-reset-form"
          autoComplete="off"
        >
          <Alert
            type="warning"
            showIcon
            title={t("users.resetWarning")}
            style={{ marginBottom: 16 }}
          />
          <Form.Item
            name="newPassword"
            label={t("users.newPassword")}
            extra={t("password.rule")}
            rules={[zodRule(passwordRule)]}
            hasFeedback
          >
            <Input.Password autoComplete="new-password" autoFocus data-testid="user-reset-new" />
          </Form.Item>
          <Form.Item
            name="confirmPassword"
            label={t("users.confirmPassword")}
            dependencies={["newPassword"]}
            hasFeedback
            rules={[
              ({ getFieldValue }) => ({
                validator: async (_r, value: string | undefined) => {
                  if (!value || value !== getFieldValue("newPassword"))
                    throw new Error(t("password.mismatch"));
                },
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" data-testid="user-reset-confirm" />
          </Form.Item>
          {error ? <ErrorAlert error={error} /> : null}
        </Form>
      ) : null}
    </Modal>
  );
}
