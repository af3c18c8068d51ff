/**
 * Proposal photos: on the proposal page everyone sees them (the server sends
 * copies without location data); the proposer adds more (up to
 * PROPOSAL_MAX_PHOTOS) or removes one, after a confirmation, while the
 * proposal collects support. On the new-proposal form the proposer picks up
 * to that many, uploaded once the proposal exists.
 */
import { DeleteOutlined, PlusOutlined, UploadOutlined } from "@ant-design/icons";
import {
  App,
  Button,
  Card,
  Empty,
  Image,
  Popconfirm,
  Space,
  Typography,
  Upload,
  type UploadFile,
} from "antd";
import type { TFunction } from "i18next";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { PROPOSAL_MAX_PHOTOS, type ProposalDetail } from "../../../shared/schemas/proposals.js";
import { ApiError } from "../../api/client.js";
import { removePhoto, uploadPhoto } from "./proposals-api.js";

const TYPES = ["image/jpeg", "image/png", "image/webp"];
const ACCEPT = ".jpg,.jpeg,.png,.webp,image/jpeg,image/png,image/webp";
/** The server's default limit (ATTACHMENT_MAX_BYTES); the server has the last word. */
const MAX_BYTES = 10 * 1024 * 1024;
const MB = MAX_BYTES / 1024 / 1024;

/** Why a picked file will not do (type by what the browser says, size), or null. */
function problemOf(file: File, t: TFunction) {
  if (!TYPES.includes(file.type)) return t("proposals.photos.wrongType", { name: file.name });
  if (file.size > MAX_BYTES) return t("proposals.photos.tooLarge", { name: file.name, mb: MB });
  return null;
}

/** The photos on a proposal's page, with adding and removing for the proposer. */
export function ProposalPhotos(props: { p: ProposalDetail; onChanged: () => Promise<unknown> }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { p } = props;
  const [busy, setBusy] = useState(false);
  if (p.photos.length === 0 && !p.mayAddPhotos) return null;

  const add = async (file: File) => {
    const problem = problemOf(file, t);
    if (problem) {
      void message.error(problem);
      return;
    }
    setBusy(true);
    try {
      await uploadPhoto(p.id, file);
      void message.success(t("proposals.photos.added"));
      await props.onChanged();
    } catch (err) {
      const reason = err instanceof ApiError ? err.message : String(err);
      void message.error(t("proposals.photos.failed", { reason }));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (photoId: string) => {
    setBusy(true);
    try {
      await removePhoto(p.id, photoId);
      void message.success(t("proposals.photos.removed"));
      await props.onChanged();
    } catch (err) {
      void message.error(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      size="small"
      title={t("proposals.photos.title")}
      data-testid="proposal-photos"
      extra={
        <Typography.Text type="secondary">
          {p.photos.length} / {PROPOSAL_MAX_PHOTOS}
        </Typography.Text>
      }
    >
      {p.photos.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("proposals.photos.none")} />
      ) : (
        <Image.PreviewGroup>
          <Space wrap size={8}>
            {p.photos.map((ph, i) => (
              <Space
                key={ph.id}
                orientation="vertical"
                size={4}
                align="center"
                data-testid="proposal-photo"
                data-photo-id={ph.id}
              >
                <Image
                  src={ph.url}
                  alt={t("proposals.photos.alt", { n: i + 1 })}
                  width={104}
                  height={104}
                  style={{ objectFit: "cover", borderRadius: 4 }}
                />
                {p.mayRemovePhotos ? (
                  <Popconfirm
                    title={t("proposals.photos.removeConfirm")}
                    onConfirm={() => void remove(ph.id)}
                    okButtonProps={{ danger: true }}
                  >
                    <Button
                      size="small"
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      disabled={busy}
                      data-testid="proposal-photo-remove"
                    >
                      {t("proposals.photos.remove")}
                    </Button>
                  </Popconfirm>
                ) : null}
              </Space>
            ))}
          </Space>
        </Image.PreviewGroup>
      )}
      {p.mayAddPhotos ? (
        <div style={{ marginTop: 8 }}>
          <Upload
            accept={ACCEPT}
            showUploadList={false}
            beforeUpload={(file) => {
              void add(file);
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} loading={busy} data-testid="proposal-photo-add">
              {t("proposals.photos.add")}
            </Button>
          </Upload>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: "8px 0 0" }}>
            {t("proposals.photos.help", { max: PROPOSAL_MAX_PHOTOS, mb: MB })}
          </Typography.Paragraph>
        </div>
      ) : p.me.proposer && p.status !== "open" && p.photos.length ? (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: "8px 0 0" }}>
          {t("proposals.photos.fixed")}
        </Typography.Paragraph>
      ) : null}
    </Card>
  );
}

/**
 * The new-proposal form's photos (a Form.Item value of UploadFile[]): picked
 * and previewed here, uploaded by the form once the proposal is made.
 */
export function PhotoPicker(props: {
  value?: UploadFile[];
  onChange?: (files: UploadFile[]) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const files = props.value ?? [];
  return (
    <div data-testid="proposal-photo-picker">
      <Upload
        accept={ACCEPT}
        listType="picture-card"
        multiple
        maxCount={PROPOSAL_MAX_PHOTOS}
        fileList={files}
        beforeUpload={(file) => {
          const problem = problemOf(file, t);
          if (problem) {
            void message.error(problem);
            return Upload.LIST_IGNORE;
          }
          return false;
        }}
        onChange={(info) => {
          if (info.fileList.length > PROPOSAL_MAX_PHOTOS)
            void message.warning(t("proposals.photos.tooMany", { max: PROPOSAL_MAX_PHOTOS }));
          props.onChange?.(info.fileList.slice(0, PROPOSAL_MAX_PHOTOS));
        }}
      >
        {files.length >= PROPOSAL_MAX_PHOTOS ? null : (
          <button type="button" style={{ border: 0, background: "none", cursor: "pointer" }}>
            <PlusOutlined />
            <div style={{ marginTop: 4 }}>{t("proposals.photos.pick")}</div>
          </button>
        )}
      </Upload>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t("proposals.photos.formHelp", { max: PROPOSAL_MAX_PHOTOS })}
      </Typography.Text>
    </div>
  );
}

/**
 * Uploads the picked photos to a new proposal, one after another; returns
 * how many failed (the proposal stands either way).
 */
export async function uploadPicked(proposalId: string, files: UploadFile[]) {
  let failed = 0;
  for (const f of files) {
    if (!f.originFileObj) continue;
    try {
      await uploadPhoto(proposalId, f.originFileObj);
    } catch {
      failed++;
    }
  }
  return failed;
}
