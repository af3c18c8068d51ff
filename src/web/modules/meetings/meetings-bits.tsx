/**
 * Small pieces the meeting screens show the same way: status and kind tags,
 * an action item's state, the owner and organisation pickers, the link to
 * the record an agenda item is about, and the one-field step dialog (a note
 * or a reason) several buttons open.
 */
import { type ButtonProps, Form, Input, Modal, Tag } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type {
  ActionItemState,
  AgendaItem,
  AgendaKind,
  AgendaStatus,
  MeetingStatus,
} from "../../../shared/schemas/meetings.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { SearchPicker } from "../../ui/search-picker.js";
import { listOrganisations } from "../organisations/organisations-api.js";

const STATUS_COLORS: Record<MeetingStatus, string> = {
  scheduled: "blue",
  held: "orange",
  closed: "green",
  cancelled: "default",
};

export function MeetingStatusTag(props: { status: MeetingStatus }) {
  const { t } = useTranslation();
  return (
    <Tag
      color={STATUS_COLORS[props.status]}
      data-testid="meeting-status"
      data-status={props.status}
    >
      {t(`meetings.status.${props.status}`)}
    </Tag>
  );
}

const KIND_COLORS: Record<AgendaKind, string> = {
  bounced_case: "volcano",
  supervised_case: "red",
  proposal: "geekblue",
  warning: "gold",
  other: "default",
};

export function AgendaKindTag(props: { kind: AgendaKind }) {
  const { t } = useTranslation();
  return (
    <Tag color={KIND_COLORS[props.kind]} data-kind={props.kind}>
      {t(`meetings.kinds.${props.kind}`)}
    </Tag>
  );
}

const AGENDA_STATUS_COLORS: Record<AgendaStatus, string> = {
  open: "blue",
  concluded: "green",
  dropped: "default",
};

export function AgendaStatusTag(props: { item: AgendaItem }) {
  const { t } = useTranslation();
  const ruled = props.item.ruling !== null;
  return (
    <Tag
      color={AGENDA_STATUS_COLORS[props.item.status]}
      data-testid="agenda-status"
      data-status={ruled ? "ruled" : props.item.status}
    >
      {ruled ? t("meetings.agenda.ruled") : t(`meetings.agenda.status.${props.item.status}`)}
    </Tag>
  );
}

const STATE_COLORS: Record<ActionItemState, string> = {
  open: "blue",
  overdue: "red",
  done: "green",
  cancelled: "default",
};

export function ActionStateTag(props: { state: ActionItemState }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLORS[props.state]} data-testid="action-state" data-state={props.state}>
      {t(`meetings.actionStates.${props.state}`)}
    </Tag>
  );
}

/** Where an agenda item's record is read: the case, the proposal, the enterprise. */
export function AgendaLink(props: { link: AgendaItem["link"] }) {
  const l = props.link;
  if (!l) return null;
  const to =
    l.type === "case"
      ? `/cases/${l.id}`
      : l.type === "proposal"
        ? `/proposals/${l.id}`
        : `/enterprises/${l.id}`;
  return (
    <Link to={to} data-testid="agenda-link">
      {l.label}
    </Link>
  );
}

/** A day as people read it ("2026-12-03" → 2026/12/3). */
export function formatDay(day: string, lang: string | undefined): string {
  return new Date(`${day}T00:00:00+08:00`).toLocaleDateString(lang, { timeZone: "Asia/Shanghai" });
}

/** An enterprise or association, searched on the server as you type. */
export function OrganisationPicker(props: {
  id?: string;
  value?: string;
  onChange?: (value: string | undefined) => void;
  "data-testid"?: string;
}) {
  const { t } = useTranslation();
  return (
    <SearchPicker
      {...props}
      cacheKey="organisations:owner"
      search={(q, signal) => listOrganisations({ q: q || undefined, limit: 30, offset: 0 }, signal)}
      detail={(o) => t(`meetings.orgKinds.${o.kind}`)}
      placeholder={t("meetings.actions.ownerOrgPlaceholder")}
    />
  );
}

/**
 * A dialog asking for one text (a note, a reason) before a step: required,
 * at least two characters, the server's message shown when it refuses.
 */
export function TextStepModal(props: {
  open: boolean;
  title: string;
  label: string;
  placeholder?: string;
  okText: string;
  danger?: boolean;
  testId: string;
  onCancel: () => void;
  onSubmit: (text: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ text: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (props.open) {
      form.resetFields();
      setError(null);
    }
  }, [props.open, form]);
  const submit = async () => {
    const { text } = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await props.onSubmit(text.trim());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={props.open}
      title={props.title}
      okText={props.okText}
      cancelText={t("common.cancel")}
      okButtonProps={
        { danger: props.danger, loading: busy, "data-testid": `${props.testId}-ok` } as ButtonProps
      }
      onOk={submit}
      onCancel={props.onCancel}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" data-testid={props.testId}>
        <Form.Item
          name="text"
          label={props.label}
          rules={[
            { required: true, whitespace: true, message: t("meetings.textRequired") },
            { min: 2, message: t("meetings.textRequired") },
          ]}
        >
          <Input.TextArea rows={3} maxLength={1000} showCount placeholder={props.placeholder} />
        </Form.Item>
      </Form>
      {error ? <ErrorAlert error={error} /> : null}
    </Modal>
  );
}
