/**
 * 督办事项 (a meeting's decisions as action items): the table with each
 * item's owner, deadline and state, and the buttons the caller's allowed
 * actions give — 办结 (the owner, with what was done), 退回重办 and 撤销
 * (the coordination centre, with a reason) — and 新增督办事项 at a held
 * meeting: what, who (a department, an enterprise or an association) and by
 * when.
 */
import { CheckOutlined, DeleteOutlined, RollbackOutlined } from "@ant-design/icons";
import type { TableColumnsType } from "antd";
import {
  App,
  Button,
  type ButtonProps,
  Card,
  DatePicker,
  Empty,
  Form,
  Input,
  List,
  Modal,
  Segmented,
  Select,
  Space,
  Table,
  Typography,
} from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { ActionItem, AgendaItem } from "../../../shared/schemas/meetings.js";
import { ApiError } from "../../api/client.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { applyServerErrors, type NamePath } from "../../ui/server-errors.js";
import type { ApiState } from "../../ui/use-api.js";
import { DepartmentSelect } from "../routing/routing-bits.js";
import { type ActionItemStep, actionItemStep, createActionItem } from "./meetings-api.js";
import { ActionStateTag, formatDay, OrganisationPicker, TextStepModal } from "./meetings-bits.js";

const STEP_ICONS = {
  complete: <CheckOutlined />,
  reopen: <RollbackOutlined />,
  cancel: <DeleteOutlined />,
} as const;

/** The columns every action-item table shows; `showMeeting` adds the meeting it came from. */
export function useActionItemColumns(opts: {
  showMeeting: boolean;
  onStep: (item: ActionItem, step: ActionItemStep) => void;
}): TableColumnsType<ActionItem> {
  const { t, i18n } = useTranslation();
  return [
    {
      key: "title",
      title: t("meetings.actions.colTitle"),
      dataIndex: "title",
      render: (v: string, i) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text>{v}</Typography.Text>
          {i.doneNote ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t("meetings.actions.doneNote", { note: i.doneNote, who: i.doneBy ?? "" })}
            </Typography.Text>
          ) : null}
          {i.cancelReason ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t("meetings.actions.cancelledNote", { reason: i.cancelReason })}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    {
      key: "owner",
      title: t("meetings.actions.colOwner"),
      width: 200,
      render: (_v, i) => i.owner.name,
    },
    {
      key: "dueOn",
      title: t("meetings.actions.colDue"),
      width: 120,
      render: (_v, i) => formatDay(i.dueOn, i18n.resolvedLanguage),
    },
    {
      key: "state",
      title: t("meetings.actions.colState"),
      width: 90,
      render: (_v, i) => <ActionStateTag state={i.state} />,
    },
    ...(opts.showMeeting
      ? [
          {
            key: "meeting",
            title: t("meetings.actions.colMeeting"),
            width: 220,
            render: (_v: unknown, i: ActionItem) => (
              <Link to={`/meetings/${i.meeting.id}`}>{i.meeting.title}</Link>
            ),
          },
        ]
      : []),
    {
      key: "ops",
      title: t("meetings.actions.colOps"),
      width: 200,
      render: (_v, i) => (
        <Space size={4} wrap>
          {(["complete", "reopen", "cancel"] as const)
            .filter((s) => i.allowedActions.includes(s))
            .map((s) => (
              <Button
                key={s}
                size="small"
                type={s === "complete" ? "primary" : "default"}
                danger={s === "cancel"}
                icon={STEP_ICONS[s]}
                onClick={() => opts.onStep(i, s)}
                data-testid={`action-item-${s}`}
              >
                {t(`meetings.actions.steps.${s}`)}
              </Button>
            ))}
        </Space>
      ),
    },
  ];
}

/** The same list as cards, for a phone: what, by when, from which meeting, and the buttons. */
export function ActionItemCards(props: {
  list: ApiState<{ items: ActionItem[]; total: number }>;
  page: number;
  pageSize: number;
  onPage: (page: number) => void;
  emptyText: string;
  onStep: (item: ActionItem, step: ActionItemStep) => void;
}) {
  const { t, i18n } = useTranslation();
  const { list } = props;
  return (
    <>
      {list.error ? (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert error={list.error} title={t("errors.loadFailed")} onRetry={list.reload} />
        </div>
      ) : null}
      <List<ActionItem>
        split={false}
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        locale={{
          emptyText: list.error ? (
            " "
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={props.emptyText} />
          ),
        }}
        pagination={
          (list.data?.total ?? 0) > props.pageSize
            ? {
                current: props.page,
                pageSize: props.pageSize,
                total: list.data?.total ?? 0,
                onChange: props.onPage,
                size: "small",
                showTotal: (total) => t("common.total", { count: total }),
              }
            : false
        }
        renderItem={(i) => (
          <List.Item key={i.id} style={{ paddingInline: 0 }}>
            <Card
              size="small"
              style={{
                width: "100%",
                borderLeft: i.state === "overdue" ? "3px solid #cf1322" : undefined,
              }}
              data-testid="action-item-row"
              data-state={i.state}
              data-item-id={i.id}
            >
              <Space style={{ width: "100%", justifyContent: "space-between" }} align="start">
                <Typography.Text strong>{i.title}</Typography.Text>
                <ActionStateTag state={i.state} />
              </Space>
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                  {t("meetings.actions.cardDue", {
                    day: formatDay(i.dueOn, i18n.resolvedLanguage),
                    owner: i.owner.name,
                  })}
                </Typography.Text>
              </div>
              <div>
                <Link to={`/meetings/${i.meeting.id}`} style={{ fontSize: 13 }}>
                  {i.meeting.title}
                </Link>
              </div>
              {i.doneNote ? (
                <Typography.Paragraph style={{ margin: "4px 0 0" }}>
                  {t("meetings.actions.doneNote", { note: i.doneNote, who: i.doneBy ?? "" })}
                </Typography.Paragraph>
              ) : null}
              {i.allowedActions.includes("complete") ? (
                <Button
                  type="primary"
                  block
                  icon={<CheckOutlined />}
                  style={{ marginTop: 8 }}
                  onClick={() => props.onStep(i, "complete")}
                  data-testid="action-item-complete"
                >
                  {t("meetings.actions.steps.complete")}
                </Button>
              ) : null}
            </Card>
          </List.Item>
        )}
      />
    </>
  );
}

/** The dialog for one step on an action item; a 409 reloads the list. */
export function ActionItemStepModal(props: {
  pending: { item: ActionItem; step: ActionItemStep } | null;
  onClose: () => void;
  onDone: (item: ActionItem) => void;
  onStale: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const p = props.pending;
  const step = p?.step ?? "complete";
  return (
    <TextStepModal
      open={p !== null}
      title={t(`meetings.actions.stepTitles.${step}`, { title: p?.item.title ?? "" })}
      label={t(`meetings.actions.stepLabels.${step}`)}
      okText={t(`meetings.actions.steps.${step}`)}
      danger={step === "cancel"}
      testId="action-item-step"
      onCancel={props.onClose}
      onSubmit={async (text) => {
        if (!p) return;
        try {
          const item = await actionItemStep(p.item.id, p.step, p.item.version, text);
          message.success(t(`meetings.actions.stepDone.${p.step}`));
          props.onDone(item);
        } catch (err) {
          if (err instanceof ApiError && err.status === 409) props.onStale();
          throw err;
        }
      }}
    />
  );
}

/** A meeting's action items, with the steps on them. */
export function MeetingActionItems(props: { items: ActionItem[]; onChanged: () => void }) {
  const { t } = useTranslation();
  const [pending, setPending] = useState<{ item: ActionItem; step: ActionItemStep } | null>(null);
  const columns = useActionItemColumns({
    showMeeting: false,
    onStep: (item, step) => setPending({ item, step }),
  });
  return (
    <>
      <Table<ActionItem>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={props.items}
        pagination={props.items.length > 10 ? { pageSize: 10, size: "small" } : false}
        scroll={{ x: 760 }}
        locale={{ emptyText: t("meetings.actions.emptyMeeting") }}
        onRow={(i) => ({ "data-testid": "action-item-row", "data-state": i.state }) as object}
      />
      <ActionItemStepModal
        pending={pending}
        onClose={() => setPending(null)}
        onDone={() => {
          setPending(null);
          props.onChanged();
        }}
        onStale={props.onChanged}
      />
    </>
  );
}

interface NewValues {
  title: string;
  ownerKind: "department" | "organisation";
  ownerDepartmentId?: string;
  ownerOrganisationId?: string;
  dueOn: Dayjs;
  agendaItemId?: string;
}

function fieldOf(path: string): NamePath | null {
  const f = path.replace(/^body\./, "").split(".")[0];
  return f &&
    ["title", "ownerDepartmentId", "ownerOrganisationId", "dueOn", "agendaItemId"].includes(f)
    ? [f]
    : null;
}

export function NewActionItemModal(props: {
  open: boolean;
  meetingId: string;
  agenda: AgendaItem[];
  onClose: () => void;
  onCreated: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<NewValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const kind = Form.useWatch("ownerKind", form) ?? "department";
  useEffect(() => {
    if (props.open) {
      form.resetFields();
      setError(null);
    }
  }, [props.open, form]);
  const submit = async () => {
    let v: NewValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await createActionItem(props.meetingId, {
        title: v.title.trim(),
        ...(v.ownerKind === "department"
          ? { ownerDepartmentId: v.ownerDepartmentId }
          : { ownerOrganisationId: v.ownerOrganisationId }),
        dueOn: v.dueOn.format("YYYY-MM-DD"),
        ...(v.agendaItemId ? { agendaItemId: v.agendaItemId } : {}),
      });
      message.success(t("meetings.actions.created"));
      props.onCreated();
    } catch (err) {
      setError(applyServerErrors(form, err, fieldOf));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={props.open}
      title={t("meetings.actions.newTitle")}
      okText={t("meetings.actions.create")}
      cancelText={t("common.cancel")}
      onOk={submit}
      okButtonProps={{ loading: busy, "data-testid": "action-item-create" } as ButtonProps}
      onCancel={props.onClose}
      destroyOnHidden
    >
      <Form<NewValues>
        form={form}
        layout="vertical"
        requiredMark="optional"
        initialValues={{ ownerKind: "department", dueOn: dayjs().add(14, "day") }}
        data-testid="action-item-form"
      >
        <Form.Item
          name="title"
          label={t("meetings.actions.title")}
          rules={[
            { required: true, whitespace: true, message: t("meetings.actions.titleRequired") },
            { min: 2, message: t("meetings.actions.titleRequired") },
            { max: 200 },
          ]}
        >
          <Input.TextArea
            rows={2}
            placeholder={t("meetings.actions.titlePlaceholder")}
            data-testid="action-item-title"
          />
        </Form.Item>
        <Form.Item name="ownerKind" label={t("meetings.actions.owner")}>
          <Segmented
            options={[
              { value: "department", label: t("meetings.actions.ownerDepartment") },
              { value: "organisation", label: t("meetings.actions.ownerOrganisation") },
            ]}
          />
        </Form.Item>
        {kind === "department" ? (
          <Form.Item
            name="ownerDepartmentId"
            rules={[{ required: true, message: t("meetings.actions.ownerRequired") }]}
          >
            <DepartmentSelect data-testid="action-item-owner" />
          </Form.Item>
        ) : (
          <Form.Item
            name="ownerOrganisationId"
            rules={[{ required: true, message: t("meetings.actions.ownerRequired") }]}
          >
            <OrganisationPicker data-testid="action-item-owner-org" />
          </Form.Item>
        )}
        <Form.Item
          name="dueOn"
          label={t("meetings.actions.dueOn")}
          rules={[{ required: true, message: t("meetings.actions.dueOnRequired") }]}
        >
          <DatePicker
            style={{ width: "100%" }}
            disabledDate={(d) => d.isBefore(dayjs().startOf("day"))}
            data-testid="action-item-due"
          />
        </Form.Item>
        <Form.Item name="agendaItemId" label={t("meetings.actions.agendaItem")}>
          <Select
            allowClear
            placeholder={t("meetings.actions.agendaItemPlaceholder")}
            options={props.agenda
              .filter((g) => g.status !== "dropped")
              .map((g) => ({ value: g.id, label: g.title }))}
          />
        </Form.Item>
      </Form>
      {error ? <ErrorAlert error={error} /> : null}
    </Modal>
  );
}
