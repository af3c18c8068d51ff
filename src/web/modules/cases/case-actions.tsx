/**
 * The buttons of a case: exactly its allowedActions (the server decides who
 * may do what), each opening a dialog that asks for what that step needs —
 * the outcome, a reason, a rating, a department, who may see a comment (and
 * whom it @mentions: staff pick colleagues as they type "@"), the
 * days of an extension, the party and task of an invitation — and confirms
 * the steps that end or hand back a case. Every step sends the version the
 * page shows; a 409 (someone acted first, or the case moved on) or a 403 is
 * handed to the page, which explains it and reloads.
 */
import {
  Alert,
  App,
  Button,
  type ButtonProps,
  Form,
  Input,
  InputNumber,
  Mentions,
  Modal,
  Radio,
  Rate,
  Select,
  Space,
  Typography,
} from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CaseDetail, MentionableUser, TransitionBody } from "../../../shared/schemas/cases.js";
import { transitionBody } from "../../../shared/schemas/cases.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { DepartmentPicker, SearchPicker } from "../../ui/search-picker.js";
import { applyServerErrors } from "../../ui/server-errors.js";
import { useApi } from "../../ui/use-api.js";
import { zodRule } from "../../ui/zod-rule.js";
import { listOrganisations } from "../organisations/organisations-api.js";
import { mentionedUsers, readableIssues, stepRefusal } from "./case-model.js";
import { type CaseStep, listMentionable } from "./cases-api.js";

/** What a step asks for. */
interface StepSpec {
  note?: "required" | "optional";
  department?: "required" | "optional";
  rating?: true;
  /** staff choose who sees a comment */
  visibility?: true;
  days?: true;
  invite?: true;
  /** merge: choose the case to merge into among the likely duplicates */
  mergeTarget?: true;
  /** ends or hands back the case: a red button and a warning */
  danger?: true;
  /** the usual next step */
  primary?: true;
}

const STEPS: Record<CaseStep, StepSpec> = {
  verify: { note: "optional", primary: true },
  dispatch: { department: "optional", note: "optional", primary: true },
  accept: { note: "optional", primary: true },
  start: { note: "optional" },
  resolve: { note: "required", primary: true },
  feedback: { rating: true, note: "optional", primary: true },
  complete_task: { note: "required", primary: true },
  resume: { note: "optional", primary: true },
  grant_extension: { note: "optional", primary: true },
  comment: { note: "required", visibility: true },
  invite: { invite: true },
  request_extension: { days: true, note: "required" },
  wait_reporter: { note: "required" },
  reassign: { department: "required", note: "optional" },
  supervise: { note: "required" },
  deny_extension: { note: "optional", danger: true },
  reopen: { note: "required" },
  close: { note: "optional" },
  merge: { mergeTarget: true, note: "optional", danger: true },
  return: { note: "required", danger: true },
  withdraw: { note: "optional", danger: true },
};

/** Button order: the usual next steps first, the ones that end or hand back a case last. */
const ORDER = Object.keys(STEPS) as CaseStep[];

interface StepValues {
  note?: string;
  departmentId?: string;
  rating?: number;
  visibility?: "internal" | "public";
  days?: number | null;
  partyKind?: "department" | "organisation";
  organisationId?: string;
  task?: string;
  dueAt?: string;
  targetId?: string;
}

/** Why a step was refused in a way that needs the case reloaded (a 403 stays in the dialog). */
type StepRefusal = "stale" | "state";

function stepFieldOf(path: string): string[] | null {
  const name = path.replace(/^body\./, "");
  return [
    "note",
    "departmentId",
    "rating",
    "visibility",
    "days",
    "organisationId",
    "task",
    "dueAt",
    "targetId",
  ].includes(name)
    ? [name]
    : null;
}

function OrganisationPicker(props: {
  id?: string;
  value?: string;
  onChange?: (v?: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <SearchPicker
      {...props}
      cacheKey="organisations"
      search={(q, signal) => listOrganisations({ q: q || undefined, limit: 30, offset: 0 }, signal)}
      detail={(o) => [t(`organisations.kinds.${o.kind}`), o.address].filter(Boolean).join(" · ")}
      placeholder={t("cases.organisationPlaceholder")}
      data-testid="case-step-organisation"
    />
  );
}

/**
 * The comment box of staff: typing "@" offers the people who may be
 * mentioned (an internal comment: staff only), each with whom they work for.
 */
function MentionNote(props: {
  id?: string;
  value?: string;
  onChange?: (v: string) => void;
  users: MentionableUser[];
  loading: boolean;
  onPick: (userId: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <Mentions
      id={props.id}
      value={props.value ?? ""}
      onChange={(v) => props.onChange?.(v)}
      onSelect={(o) => {
        if (o.key) props.onPick(String(o.key));
      }}
      loading={props.loading}
      rows={3}
      maxLength={2000}
      placeholder={t("cases.mentionPlaceholder")}
      notFoundContent={t("cases.mentionNone")}
      options={props.users.map((u) => ({
        key: u.id,
        value: u.displayName,
        label: (
          <div data-testid="mention-option" data-user-id={u.id}>
            <div>{u.displayName}</div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {u.organisation ?? t("cases.mentionReporter")}
            </Typography.Text>
          </div>
        ),
      }))}
      data-testid="case-step-note"
    />
  );
}

/** The dialog of one step. */
function StepModal(props: {
  c: CaseDetail;
  action: CaseStep | null;
  staff: boolean;
  perform: (action: CaseStep, body: TransitionBody) => Promise<CaseDetail>;
  onDone: (updated: CaseDetail, action: CaseStep) => void;
  onRefused: (why: StepRefusal, action: CaseStep) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<StepValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const partyKind = Form.useWatch("partyKind", form);
  const rating = Form.useWatch("rating", form);
  const visibility = Form.useWatch("visibility", form) ?? "internal";
  const action = props.action;
  const spec = action ? STEPS[action] : {};
  // Staff commenting may mention people; the list is asked for when the box opens.
  const mentioning = action === "comment" && props.staff;
  const mentionable = useApi(
    mentioning ? `mentionable:${props.c.id}:${props.c.version}` : null,
    (signal) => listMentionable(props.c.id, signal),
  );
  const picked = useRef(new Set<string>());
  // Whom this comment may mention: everyone listed in a public one, staff in an internal one.
  const canMention = (mentionable.data?.items ?? []).filter(
    (u) => visibility === "public" || u.staff,
  );

  const close = () => {
    form.resetFields();
    setError(null);
    picked.current.clear();
    props.onClose();
  };

  const submit = async (v: StepValues) => {
    if (!action) return;
    setSaving(true);
    setError(null);
    const note = v.note?.trim();
    const body: TransitionBody = {
      version: props.c.version,
      ...(note ? { note } : {}),
      ...(v.rating !== undefined && spec.rating ? { rating: v.rating } : {}),
      ...(spec.visibility && props.staff && v.visibility ? { visibility: v.visibility } : {}),
      ...(spec.days && typeof v.days === "number" ? { days: v.days } : {}),
      ...(spec.invite && v.task?.trim() ? { task: v.task.trim() } : {}),
      ...(spec.invite && v.dueAt ? { dueAt: new Date(v.dueAt).toISOString() } : {}),
      ...(spec.mergeTarget && v.targetId ? { targetId: v.targetId } : {}),
    };
    const mentions = mentioning
      ? mentionedUsers(note ?? "", mentionable.data?.items ?? [], picked.current)
      : [];
    if (mentions.length > 0) body.mentions = mentions.map((u) => u.id);
    const useOrganisation = spec.invite && v.partyKind === "organisation";
    if (useOrganisation && v.organisationId) body.organisationId = v.organisationId;
    else if ((spec.department || spec.invite) && v.departmentId) body.departmentId = v.departmentId;
    try {
      const updated = await props.perform(action, body);
      form.resetFields();
      picked.current.clear();
      props.onDone(updated, action);
    } catch (err) {
      const why = stepRefusal(err);
      if (why === "stale" || why === "state") {
        form.resetFields();
        props.onRefused(why, action);
      } else {
        setError(applyServerErrors(form, readableIssues(err), stepFieldOf));
      }
    } finally {
      setSaving(false);
    }
  };

  const noteRules = [
    ...(spec.note === "required"
      ? [
          {
            required: true,
            whitespace: true,
            message: t("cases.noteRequired", {
              what: action ? t(`cases.noteLabels.${action}`) : "",
            }),
          },
        ]
      : []),
    ...(mentioning
      ? [
          {
            // The reporter reads public comments only: an internal one may not name them.
            validator: async (_r: unknown, v: string | undefined) => {
              const outside = mentionedUsers(
                v ?? "",
                mentionable.data?.items ?? [],
                picked.current,
              ).filter((u) => visibility === "internal" && !u.staff);
              if (outside.length > 0)
                throw new Error(
                  t("cases.mentionInternal", {
                    names: outside.map((u) => u.displayName).join("、"),
                  }),
                );
            },
          },
        ]
      : []),
  ];

  return (
    <Modal
      open={action !== null}
      title={action ? `${t(`cases.actions.${action}`)} · ${props.c.code}` : ""}
      okText={action ? t(`cases.actions.${action}`) : t("common.confirm")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={close}
      okButtonProps={
        { danger: spec.danger === true, "data-testid": "case-step-submit" } as ButtonProps
      }
      mask={{ closable: false }}
      destroyOnHidden
    >
      {action ? (
        <Form<StepValues>
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={submit}
          initialValues={{ visibility: "internal", partyKind: "department" }}
          autoComplete="off"
          data-testid="case-step-form"
          data-action={action}
        >
          <Alert
            type={spec.danger ? "warning" : "info"}
            showIcon
            style={{ marginBottom: 16 }}
            title={t(`cases.stepHelp.${action}`)}
          />
          {action === "grant_extension" || action === "deny_extension" ? (
            <Typography.Paragraph>
              {t("cases.extensionAsked", { days: props.c.extensionRequestedDays ?? 0 })}
            </Typography.Paragraph>
          ) : null}
          {spec.rating ? (
            <Form.Item
              name="rating"
              label={t("cases.rating")}
              rules={[{ required: true, message: t("cases.ratingRequired") }]}
              extra={
                rating !== undefined && rating <= 2 ? (
                  <Typography.Text type="warning" data-testid="case-rating-low">
                    {t("cases.ratingLow")}
                  </Typography.Text>
                ) : undefined
              }
            >
              <Rate
                count={5}
                tooltips={[
                  t("cases.ratingWords.1"),
                  t("cases.ratingWords.2"),
                  t("cases.ratingWords.3"),
                  t("cases.ratingWords.4"),
                  t("cases.ratingWords.5"),
                ]}
                style={{ fontSize: 32 }}
                data-testid="case-step-rating"
              />
            </Form.Item>
          ) : null}
          {spec.mergeTarget ? (
            <Form.Item
              name="targetId"
              label={t("cases.mergeTarget")}
              rules={[{ required: true, message: t("cases.mergeTargetRequired") }]}
            >
              <Select
                placeholder={t("cases.mergeTargetRequired")}
                notFoundContent={t("cases.mergeTargetNone")}
                options={props.c.possibleDuplicates.map((d) => ({
                  value: d.id,
                  label: `${d.code} · ${d.categoryName} · ${t("cases.distance", { m: d.distanceM })}`,
                }))}
                data-testid="case-step-merge-target"
              />
            </Form.Item>
          ) : null}
          {spec.department ? (
            <Form.Item
              name="departmentId"
              label={t("cases.leadDepartment")}
              extra={spec.department === "optional" ? t("cases.dispatchByRouting") : undefined}
              rules={
                spec.department === "required"
                  ? [{ required: true, message: t("cases.departmentRequired") }]
                  : []
              }
            >
              <DepartmentPicker
                placeholder={t("cases.departmentPlaceholder")}
                data-testid="case-step-department"
              />
            </Form.Item>
          ) : null}
          {spec.invite ? (
            <>
              <Form.Item name="partyKind" label={t("cases.inviteParty")}>
                <Radio.Group
                  optionType="button"
                  options={[
                    { value: "department", label: t("cases.inviteDepartment") },
                    { value: "organisation", label: t("cases.inviteOrganisation") },
                  ]}
                />
              </Form.Item>
              {partyKind === "organisation" ? (
                <Form.Item
                  name="organisationId"
                  label={t("cases.inviteOrganisation")}
                  rules={[{ required: true, message: t("cases.partyRequired") }]}
                >
                  <OrganisationPicker />
                </Form.Item>
              ) : (
                <Form.Item
                  name="departmentId"
                  label={t("cases.inviteDepartment")}
                  rules={[{ required: true, message: t("cases.partyRequired") }]}
                >
                  <DepartmentPicker
                    placeholder={t("cases.departmentPlaceholder")}
                    data-testid="case-step-department"
                  />
                </Form.Item>
              )}
              <Form.Item
                name="task"
                label={t("cases.task")}
                rules={[
                  { required: true, whitespace: true, message: t("cases.taskRequired") },
                  zodRule(transitionBody.shape.task.unwrap()),
                ]}
              >
                <Input.TextArea rows={2} showCount maxLength={500} data-testid="case-step-task" />
              </Form.Item>
              <Form.Item
                name="dueAt"
                label={t("cases.taskDue")}
                extra={t("cases.taskDueHelp")}
                rules={[
                  {
                    validator: async (_r, v: string | undefined) => {
                      if (v && new Date(v).getTime() <= Date.now())
                        throw new Error(t("cases.taskDuePast"));
                    },
                  },
                ]}
              >
                <Input
                  type="datetime-local"
                  style={{ maxWidth: 260 }}
                  data-testid="case-step-due"
                />
              </Form.Item>
            </>
          ) : null}
          {spec.days ? (
            <Form.Item
              name="days"
              label={t("cases.extensionDays")}
              rules={[
                { required: true, message: t("cases.extensionDaysRequired") },
                zodRule(transitionBody.shape.days.unwrap()),
              ]}
            >
              <InputNumber<number>
                precision={0}
                suffix={t("cases.workingDays")}
                style={{ width: 160 }}
                data-testid="case-step-days"
              />
            </Form.Item>
          ) : null}
          {spec.visibility && props.staff ? (
            <Form.Item name="visibility" label={t("cases.visibility")}>
              <Radio.Group
                options={[
                  { value: "internal", label: t("cases.visibilityInternal") },
                  { value: "public", label: t("cases.visibilityPublic") },
                ]}
                data-testid="case-step-visibility"
              />
            </Form.Item>
          ) : null}
          {spec.note ? (
            <Form.Item
              name="note"
              label={`${t(`cases.noteLabels.${action}`)}${spec.note === "optional" ? t("cases.optional") : ""}`}
              rules={noteRules}
              dependencies={mentioning ? ["visibility"] : []}
              extra={mentioning && canMention.length > 0 ? t("cases.mentionHelp") : undefined}
            >
              {mentioning ? (
                <MentionNote
                  users={canMention}
                  loading={mentionable.loading}
                  onPick={(id) => picked.current.add(id)}
                />
              ) : (
                <Input.TextArea rows={3} showCount maxLength={2000} data-testid="case-step-note" />
              )}
            </Form.Item>
          ) : null}
          {error ? <ErrorAlert error={error} /> : null}
        </Form>
      ) : null}
    </Modal>
  );
}

/**
 * The action bar: one button per allowed action, the dialog they open, and —
 * after a refusal that needed a reload — what happened, above the buttons.
 */
export function CaseActions(props: {
  c: CaseDetail;
  /** staff choose whether a comment is internal */
  staff: boolean;
  perform: (action: CaseStep, body: TransitionBody) => Promise<CaseDetail>;
  onDone: (updated: CaseDetail) => void;
  /** Someone acted first or the case moved on: load it again. */
  onStale: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState<CaseStep | null>(null);
  const [refused, setRefused] = useState<StepRefusal | null>(null);
  const allowed = ORDER.filter((a) => (props.c.allowedActions as string[]).includes(a));
  return (
    <>
      {refused ? (
        <Alert
          type="warning"
          showIcon
          closable={{ onClose: () => setRefused(null) }}
          style={{ marginBottom: 12 }}
          title={refused === "stale" ? t("cases.staleReloaded") : t("cases.stateReloaded")}
          data-testid="case-refused"
        />
      ) : null}
      {allowed.length > 0 ? (
        <Space wrap data-testid="case-actions">
          {allowed.map((a) => (
            <Button
              key={a}
              type={STEPS[a].primary ? "primary" : "default"}
              danger={STEPS[a].danger === true}
              onClick={() => setOpen(a)}
              data-testid={`case-action-${a}`}
            >
              {t(`cases.actions.${a}`)}
            </Button>
          ))}
        </Space>
      ) : null}
      <StepModal
        c={props.c}
        action={open}
        staff={props.staff}
        perform={props.perform}
        onClose={() => setOpen(null)}
        onDone={(updated, action) => {
          setOpen(null);
          setRefused(null);
          void message.success(t("cases.stepDone", { action: t(`cases.actions.${action}`) }));
          props.onDone(updated);
        }}
        onRefused={(why) => {
          setOpen(null);
          setRefused(why);
          props.onStale();
        }}
      />
    </>
  );
}
