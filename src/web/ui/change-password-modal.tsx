/**
 * 修改密码: the new password is checked live against the shared passwordRule;
 * the server ends the user's other sessions and keeps this one.
 */
import { App, Form, Input, Modal } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { passwordRule } from "../../shared/schemas/auth.js";
import { ApiError, api } from "../api/client.js";
import { localizeMessage } from "../i18n/index.js";
import { ErrorAlert } from "./error-alert.js";
import { zodRule } from "./zod-rule.js";

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

const FIELD_OF_PATH: Record<string, keyof PasswordForm> = {
  "body.currentPassword": "currentPassword",
  currentPassword: "currentPassword",
  "body.newPassword": "newPassword",
  newPassword: "newPassword",
};

export function ChangePasswordModal(props: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<PasswordForm>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const close = () => {
    form.resetFields();
    setError(null);
    props.onClose();
  };

  const submit = async (values: PasswordForm) => {
    setSaving(true);
    setError(null);
    try {
      await api<void>("/api/auth/password", {
        method: "POST",
        body: { currentPassword: values.currentPassword, newPassword: values.newPassword },
      });
      void message.success(t("password.changed"));
      close();
    } catch (err) {
      const fields =
        err instanceof ApiError
          ? err.fieldIssues.flatMap((i) => {
              const name = FIELD_OF_PATH[i.path];
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
      title={t("password.title")}
      okText={t("password.submit")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={close}
      forceRender
    >
      <Form<PasswordForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        requiredMark={false}
        data-testid="change-password-form"
      >
        <Form.Item
          name="currentPassword"
          label={t("password.current")}
          rules={[{ required: true, message: t("password.required") }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t("password.new")}
          extra={t("password.rule")}
          rules={[zodRule(passwordRule)]}
          hasFeedback
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t("password.confirm")}
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
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        {error ? <ErrorAlert error={error} /> : null}
      </Form>
    </Modal>
  );
}
