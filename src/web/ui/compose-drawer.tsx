/**
 * The drawer every "write it, then send it to many" form shares (notices to
 * enterprises, broadcasts to residents): the form in a drawer (full width on
 * a phone), 取消 / 保存草稿 / 保存并发送 at the foot, the send confirmed with
 * the number it will reach and refused while that number is unknown or 0,
 * and the save's server error under the form, its field errors on the fields.
 */
import { SendOutlined } from "@ant-design/icons";
import { Button, type ButtonProps, Drawer, type FormInstance, Grid, Popconfirm, Space } from "antd";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "./error-alert.js";
import { applyServerErrors } from "./server-errors.js";

export type ComposeSaving = "draft" | "send" | null;

/**
 * Validates the form, runs `write(values, send)`, and on a refusal puts the
 * field errors on the fields and keeps the rest to show; `saving` says which
 * button is busy.
 */
export function useComposeSave<V>(
  form: FormInstance<V>,
  fieldOf: (path: string) => (string | number)[] | null,
  write: (values: V, send: boolean) => Promise<void>,
) {
  const [saving, setSaving] = useState<ComposeSaving>(null);
  const [error, setError] = useState<unknown>(null);
  const save = async (send: boolean) => {
    setError(null);
    let v: V;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(send ? "send" : "draft");
    try {
      await write(v, send);
    } catch (err) {
      setError(applyServerErrors(form, err, fieldOf));
    } finally {
      setSaving(null);
    }
  };
  return { saving, error, save };
}

export function ComposeDrawer(props: {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  /** the drawer's width on a desk */
  width: number;
  /** "notice" → notice-compose-drawer, notice-save-draft, notice-save-send, notice-send-confirm */
  testIdPrefix: string;
  saving: ComposeSaving;
  onSave: (send: boolean) => void;
  /** how many it will reach (null: not counted yet) */
  count: number | null;
  labels: { saveDraft: string; saveSend: string; sendConfirm: string; send: string };
  /** the save's error that is not about one field */
  error: unknown;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const id = props.testIdPrefix;
  const cannotSend = props.count === null || props.count === 0;
  return (
    <Drawer
      open={props.open}
      onClose={props.onClose}
      title={props.title}
      size={screens.md === false ? "100%" : props.width}
      destroyOnHidden
      data-testid={`${id}-compose-drawer`}
      footer={
        <Space style={{ width: "100%", justifyContent: "flex-end" }} wrap>
          <Button onClick={props.onClose}>{t("common.cancel")}</Button>
          <Button
            onClick={() => props.onSave(false)}
            loading={props.saving === "draft"}
            disabled={props.saving !== null}
            data-testid={`${id}-save-draft`}
          >
            {props.labels.saveDraft}
          </Button>
          <Popconfirm
            title={props.labels.sendConfirm}
            onConfirm={() => props.onSave(true)}
            okText={props.labels.send}
            cancelText={t("common.cancel")}
            okButtonProps={{ "data-testid": `${id}-send-confirm` } as ButtonProps}
            disabled={cannotSend}
          >
            <Button
              type="primary"
              icon={<SendOutlined />}
              loading={props.saving === "send"}
              disabled={props.saving !== null || cannotSend}
              data-testid={`${id}-save-send`}
            >
              {props.labels.saveSend}
            </Button>
          </Popconfirm>
        </Space>
      }
    >
      {props.children}
      {props.error ? (
        <div style={{ marginTop: 12 }}>
          <ErrorAlert error={props.error} />
        </div>
      ) : null}
    </Drawer>
  );
}
