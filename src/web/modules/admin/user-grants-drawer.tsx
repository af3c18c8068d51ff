/**
 * One account's grants in a drawer: each role with its scope and 移除 (after a
 * confirmation), and a form to 添加授权. Both follow the account's
 * allowedActions ("grant").
 */
import { PlusOutlined } from "@ant-design/icons";
import {
  App,
  Button,
  type ButtonProps,
  Descriptions,
  Divider,
  Drawer,
  Empty,
  Form,
  Grid,
  List,
  Popconfirm,
  Skeleton,
  Space,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { AdminUser } from "../../../shared/schemas/users.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { GrantTag, scopeText } from "../../ui/grant-display.js";
import { useApi } from "../../ui/use-api.js";
import { GrantFields } from "./grant-fields.js";
import { type GrantFormValue, grantBody, grantFormField } from "./user-form-model.js";
import { applyServerErrors } from "./user-modals.js";
import { UserStatusBadge } from "./user-status.js";
import { addGrant, getUser, removeGrant } from "./users-api.js";

export function UserGrantsDrawer(props: {
  userId: string | null;
  onClose: () => void;
  /** After a grant was added or removed (the list shows grants too). */
  onChanged: (userId: string) => void;
}) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const { userId } = props;
  const user = useApi(userId ? `admin-user:${userId}` : null, (signal) =>
    getUser(userId ?? "", signal),
  );
  const shown = user.data && user.data.id === userId ? user.data : undefined;

  return (
    <Drawer
      open={userId !== null}
      onClose={props.onClose}
      size={screens.md === false ? "100%" : 560}
      title={
        shown
          ? t("users.grantsTitle", { name: shown.displayName || shown.username })
          : t("users.viewGrants")
      }
      destroyOnHidden
      data-testid="user-grants-drawer"
    >
      {user.error ? (
        <ErrorAlert error={user.error} title={t("errors.loadFailed")} onRetry={user.reload} />
      ) : !shown ? (
        <Skeleton active />
      ) : (
        <GrantsView
          user={shown}
          onChanged={() => {
            user.reload();
            props.onChanged(shown.id);
          }}
        />
      )}
    </Drawer>
  );
}

function GrantsView(props: { user: AdminUser; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const u = props.user;
  const canGrant = u.allowedActions.includes("grant");
  const [removeError, setRemoveError] = useState<unknown>(null);

  const remove = async (grantId: string) => {
    setRemoveError(null);
    try {
      await removeGrant(u.id, grantId);
      void message.success(t("users.grantRemovedOk"));
      props.onChanged();
    } catch (err) {
      setRemoveError(err);
    }
  };

  return (
    <div data-testid="user-grants" data-user={u.username}>
      <Descriptions
        size="small"
        column={1}
        items={[
          {
            key: "username",
            label: t("users.username"),
            children: <Typography.Text code>{u.username}</Typography.Text>,
          },
          { key: "displayName", label: t("users.displayName"), children: u.displayName },
          {
            key: "status",
            label: t("users.status"),
            children: <UserStatusBadge user={u} lang={i18n.resolvedLanguage} />,
          },
        ]}
      />
      <Divider titlePlacement="start" style={{ marginBlock: 16 }}>
        {t("users.grants")}
      </Divider>
      {removeError ? (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert error={removeError} />
        </div>
      ) : null}
      {u.grants.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("users.noGrants")} />
      ) : (
        <List
          size="small"
          bordered
          dataSource={u.grants}
          data-testid="user-grant-list"
          renderItem={(g) => (
            <List.Item
              key={g.id}
              data-grant={g.id}
              data-role={g.role}
              actions={[
                <Popconfirm
                  key="remove"
                  title={t("users.removeGrantConfirm", { role: t(`roles.${g.role}`) })}
                  description={t("users.removeGrantConfirmBody")}
                  okText={t("users.removeGrant")}
                  cancelText={t("common.cancel")}
                  okButtonProps={
                    { danger: true, "data-testid": "grant-remove-confirm" } as ButtonProps
                  }
                  onConfirm={() => remove(g.id)}
                  disabled={!canGrant}
                >
                  <Button
                    type="link"
                    size="small"
                    danger
                    disabled={!canGrant}
                    title={canGrant ? undefined : t("users.cannotGrant")}
                    data-testid={`grant-remove-${g.id}`}
                  >
                    {t("users.removeGrant")}
                  </Button>
                </Popconfirm>,
              ]}
            >
              <Space orientation="vertical" size={2} style={{ minWidth: 0 }}>
                <GrantTag grant={g} />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {scopeText(g, t)}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      )}
      {canGrant ? <AddGrantForm user={u} onAdded={props.onChanged} /> : null}
    </div>
  );
}

function AddGrantForm(props: { user: AdminUser; onAdded: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<GrantFormValue>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (values: GrantFormValue) => {
    setSaving(true);
    setError(null);
    try {
      await addGrant(props.user.id, grantBody(values));
      form.resetFields();
      void message.success(t("users.grantAddedOk"));
      props.onAdded();
    } catch (err) {
      setError(applyServerErrors(form, err, (path) => grantFormField(path, values)));
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <Divider titlePlacement="start" style={{ marginBlock: 16 }}>
        {t("users.addGrant")}
      </Divider>
      <Form<GrantFormValue>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        data-testid="grant-add-form"
      >
        <GrantFields name={[]} path={[]} testSuffix="new" />
        {error ? (
          <div style={{ marginBottom: 12 }}>
            <ErrorAlert error={error} />
          </div>
        ) : null}
        <Button
          type="primary"
          htmlType="submit"
          icon={<PlusOutlined />}
          loading={saving}
          data-testid="grant-add-submit"
        >
          {t("users.addGrantSubmit")}
        </Button>
      </Form>
    </>
  );
}
