/**
 * A case's photos and files: the list (staff see internal ones, marked), a
 * download for each, and adding one (JPEG, PNG, WebP or PDF; staff choose
 * who sees it). An anonymous reporter works through the tracking secret, so
 * their downloads go through fetch with the secret header.
 */
import { PaperClipOutlined, UploadOutlined } from "@ant-design/icons";
import { App, Button, Card, Empty, List, Radio, Space, Tag, Typography, Upload } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, api } from "../../api/client.js";
import { useApi } from "../../ui/use-api.js";

interface Attachment {
  id: string;
  filename: string;
  mime: string;
  size: number;
  visibility: "internal" | "public";
  uploadedBy: string;
  createdAt: string;
}

const ACCEPT = ".jpg,.jpeg,.png,.webp,.pdf,image/jpeg,image/png,image/webp,application/pdf";
/** The server's limit (ATTACHMENT_MAX_BYTES default); the server has the last word. */
const MAX_BYTES = 10 * 1024 * 1024;

const sizeText = (n: number) =>
  n >= 1024 * 1024
    ? `${(n / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(n / 1024))} KB`;

export function CaseAttachments(props: {
  caseId: string;
  /** the anonymous reporter's tracking secret */
  secret?: string | undefined;
  staff: boolean;
  /** after an upload: the timeline has a new entry */
  onAdded?: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [visibility, setVisibility] = useState<"internal" | "public">("internal");
  const [busy, setBusy] = useState(false);
  const base = `/api/cases/${encodeURIComponent(props.caseId)}/attachments`;
  const headers = props.secret ? { "x-tracking-secret": props.secret } : undefined;
  const list = useApi(`attachments:${props.caseId}`, (signal) =>
    api<{ items: Attachment[]; total: number }>(base, {
      signal,
      ...(headers ? { headers, expectUnauthenticated: true } : {}),
    }),
  );

  const upload = async (file: File) => {
    if (file.size > MAX_BYTES) {
      message.error(t("cases.attachmentTooLarge", { mb: MAX_BYTES / 1024 / 1024 }));
      return;
    }
    const form = new FormData();
    if (props.staff) form.append("visibility", visibility);
    form.append("file", file, file.name);
    setBusy(true);
    try {
      await api(base, {
        method: "POST",
        body: form,
        ...(headers ? { headers, expectUnauthenticated: true } : {}),
      });
      message.success(t("cases.attachmentAdded", { name: file.name }));
      list.reload();
      props.onAdded?.();
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : t("cases.attachmentFailed"));
    } finally {
      setBusy(false);
    }
  };

  const open = async (a: Attachment) => {
    if (!headers) {
      window.open(`${base}/${a.id}`, "_blank", "noopener");
      return;
    }
    // The secret cannot ride in a link: fetch the file, then show it.
    const res = await fetch(`${base}/${a.id}`, { headers });
    if (!res.ok) {
      message.error(t("cases.attachmentFailed"));
      return;
    }
    const url = URL.createObjectURL(await res.blob());
    window.open(url, "_blank", "noopener");
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };

  const items = list.data?.items ?? [];
  return (
    <Card
      size="small"
      title={t("cases.attachments")}
      data-testid="case-attachments"
      extra={<Typography.Text type="secondary">{items.length}</Typography.Text>}
    >
      {items.length === 0 ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={list.loading ? t("common.loading") : t("cases.noAttachments")}
        />
      ) : (
        <List
          size="small"
          dataSource={items}
          renderItem={(a) => (
            <List.Item key={a.id} data-attachment-id={a.id}>
              <Space orientation="vertical" size={0} style={{ width: "100%" }}>
                <Space wrap size={6}>
                  <PaperClipOutlined />
                  <Typography.Link onClick={() => void open(a)} data-testid="case-attachment-open">
                    {a.filename}
                  </Typography.Link>
                  {a.visibility === "internal" ? <Tag>{t("cases.internalOnly")}</Tag> : null}
                </Space>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {a.uploadedBy} · {sizeText(a.size)} · {new Date(a.createdAt).toLocaleString()}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      )}
      <Space wrap style={{ marginTop: 8 }}>
        {props.staff ? (
          <Radio.Group
            size="small"
            value={visibility}
            onChange={(e) => setVisibility(e.target.value)}
            optionType="button"
            options={[
              { value: "internal", label: t("cases.internalOnly") },
              { value: "public", label: t("cases.visibleToReporter") },
            ]}
          />
        ) : null}
        <Upload
          accept={ACCEPT}
          showUploadList={false}
          beforeUpload={(file) => {
            void upload(file);
            return false;
          }}
        >
          <Button icon={<UploadOutlined />} loading={busy} data-testid="case-attachment-add">
            {t("cases.addAttachment")}
          </Button>
        </Upload>
      </Space>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: "8px 0 0" }}>
        {t("cases.attachmentHelp")}
      </Typography.Paragraph>
    </Card>
  );
}
