/** Small shared pieces of the self-inspection and hazard screens: tags, photos, the photo uploader. */
import { CameraOutlined, DeleteOutlined, LoadingOutlined } from "@ant-design/icons";
import { App, Button, Image, Space, Tag, Typography, Upload } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type {
  ChecklistTopic,
  EnterpriseFile,
  HazardLevel,
  HazardSource,
  HazardStatus,
  Inspection,
  SpotCheckFinding,
} from "../../../shared/schemas/inspections.js";
import { ApiError } from "../../api/client.js";
import { localizeMessage } from "../../i18n/index.js";
import { uploadEvidence } from "./inspections-api.js";

const HAZARD_STATUS_COLORS: Record<HazardStatus, string> = {
  open: "red",
  rectifying: "orange",
  submitted: "blue",
  closed: "green",
};

export function HazardStatusTag(props: { status: HazardStatus }) {
  const { t } = useTranslation();
  return (
    <Tag
      color={HAZARD_STATUS_COLORS[props.status]}
      data-testid="hazard-status"
      data-status={props.status}
    >
      {t(`inspections.hazardStatus.${props.status}`)}
    </Tag>
  );
}

export function HazardLevelTag(props: { level: HazardLevel }) {
  const { t } = useTranslation();
  return (
    <Tag color={props.level === "major" ? "volcano" : "default"} data-level={props.level}>
      {t(`inspections.level.${props.level}`)}
    </Tag>
  );
}

export function OverdueTag(props: { overdue: boolean }) {
  const { t } = useTranslation();
  return props.overdue ? (
    <Tag color="red" data-testid="overdue-tag">
      {t("inspections.overdue")}
    </Tag>
  ) : null;
}

export function SourceTag(props: { source: HazardSource }) {
  const { t } = useTranslation();
  return <Tag>{t(`inspections.source.${props.source}`)}</Tag>;
}

export function TopicTag(props: { topic: ChecklistTopic }) {
  const { t } = useTranslation();
  const colors: Record<ChecklistTopic, string> = {
    fire: "red",
    dormitory: "purple",
    security: "geekblue",
    hazmat: "gold",
  };
  return <Tag color={colors[props.topic]}>{t(`inspections.topic.${props.topic}`)}</Tag>;
}

/** Due, overdue (missed so far), submitted, submitted late. */
export function InspectionStatusTag(props: {
  inspection: Pick<Inspection, "status" | "overdue" | "late">;
}) {
  const { t } = useTranslation();
  const i = props.inspection;
  if (i.status === "submitted")
    return i.late ? (
      <Tag color="orange" data-testid="inspection-status" data-status="late">
        {t("inspections.status.late")}
      </Tag>
    ) : (
      <Tag color="green" data-testid="inspection-status" data-status="submitted">
        {t("inspections.status.submitted")}
      </Tag>
    );
  return i.overdue ? (
    <Tag color="red" data-testid="inspection-status" data-status="overdue">
      {t("inspections.status.overdue")}
    </Tag>
  ) : (
    <Tag color="blue" data-testid="inspection-status" data-status="due">
      {t("inspections.status.due")}
    </Tag>
  );
}

export function FindingTag(props: { finding: SpotCheckFinding }) {
  const { t } = useTranslation();
  const colors: Record<SpotCheckFinding, string> = {
    pending: "default",
    ok: "green",
    hazards_found: "red",
    closed_down: "gray",
    not_found: "gray",
  };
  return (
    <Tag color={colors[props.finding]} data-finding={props.finding}>
      {t(`inspections.finding.${props.finding}`)}
    </Tag>
  );
}

/** Photos as thumbnails that open large. */
export function PhotoList(props: { files: EnterpriseFile[]; testId?: string }) {
  if (props.files.length === 0) return null;
  return (
    <Image.PreviewGroup>
      <Space wrap size={8} data-testid={props.testId}>
        {props.files.map((f) => (
          <Image
            key={f.id}
            src={f.url}
            alt={f.filename}
            width={72}
            height={72}
            style={{ objectFit: "cover", borderRadius: 4 }}
          />
        ))}
      </Space>
    </Image.PreviewGroup>
  );
}

/** The server's limit (ATTACHMENT_MAX_BYTES default); the server has the last word. */
const MAX_BYTES = 10 * 1024 * 1024;
const ACCEPT = "image/jpeg,image/png,image/webp";

/**
 * Takes or picks photos and uploads each at once; the value is the uploaded
 * files. On a phone the picker offers the camera.
 */
export function EvidenceUpload(props: {
  value?: EnterpriseFile[];
  onChange?: (files: EnterpriseFile[]) => void;
  organisationId?: string | undefined;
  max?: number;
  testId?: string;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(0);
  const files = props.value ?? [];
  const max = props.max ?? 5;
  // Several photos may be chosen at once: add each to the latest list.
  const latest = { files };

  const add = async (file: File) => {
    if (file.size > MAX_BYTES) {
      message.error(t("inspections.photoTooLarge", { mb: MAX_BYTES / 1024 / 1024 }));
      return;
    }
    setBusy((n) => n + 1);
    try {
      const up = await uploadEvidence(file, props.organisationId);
      latest.files = [...latest.files, up];
      props.onChange?.(latest.files);
    } catch (err) {
      message.error(
        err instanceof ApiError ? localizeMessage(err.message) : t("inspections.photoFailed"),
      );
    } finally {
      setBusy((n) => n - 1);
    }
  };

  return (
    <div data-testid={props.testId}>
      <Space wrap size={8} align="start">
        {files.map((f) => (
          <div key={f.id} style={{ position: "relative" }} data-testid="evidence-photo">
            <Image
              src={f.url}
              alt={f.filename}
              width={72}
              height={72}
              style={{ objectFit: "cover", borderRadius: 4 }}
            />
            <Button
              size="small"
              type="text"
              danger
              icon={<DeleteOutlined />}
              aria-label={t("inspections.removePhoto")}
              onClick={() => props.onChange?.(files.filter((x) => x.id !== f.id))}
              style={{
                position: "absolute",
                top: 0,
                right: 0,
                background: "rgba(255,255,255,0.85)",
              }}
            />
          </div>
        ))}
        {files.length < max ? (
          <Upload
            accept={ACCEPT}
            multiple
            showUploadList={false}
            beforeUpload={(file) => {
              void add(file);
              return false;
            }}
          >
            <Button
              icon={busy > 0 ? <LoadingOutlined /> : <CameraOutlined />}
              style={{ width: 72, height: 72, flexDirection: "column" }}
              data-testid={props.testId ? `${props.testId}-add` : undefined}
            >
              <Typography.Text style={{ fontSize: 12 }}>
                {t("inspections.addPhoto")}
              </Typography.Text>
            </Button>
          </Upload>
        ) : null}
      </Space>
    </div>
  );
}
