/**
 * One case as its page shows it, to staff and to its reporter alike (the
 * server already left out what the reader may not see): the header with
 * code, category, status, severity and deadlines; what waits (a rating, the
 * reporter's reply, an extension, open assisting tasks); the description
 * with the category's extra fields by their labels; the place on a small
 * map; the parties; the rating; and the timeline, internal entries marked
 * and a comment's @mentions listed.
 */
import {
  Alert,
  Card,
  Col,
  Descriptions,
  Empty,
  List,
  Rate,
  Row,
  Space,
  Tag,
  Timeline,
  Typography,
} from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { CaseDetail, TIMELINE_ACTIONS } from "../../../shared/schemas/cases.js";
import { LocationPicker } from "../areas/location-picker.js";
import { FromCasesLink } from "../proposals/from-cases-link.js";
import { MediatorInvite } from "../volunteers/mediator-invite.js";
import { CaseAttachments } from "./case-attachments.js";
import { CaseStatusTag, DueStateTag, formatTime, SeverityTag, SupervisedTag } from "./case-bits.js";
import { caseFieldText, familyOf } from "./case-model.js";
import type { Category } from "./cases-api.js";

type TimelineAction = (typeof TIMELINE_ACTIONS)[number];

const ACTION_COLORS: Partial<Record<TimelineAction, string>> = {
  report: "blue",
  dispatch: "blue",
  verify: "blue",
  reassign: "blue",
  accept: "cyan",
  start: "cyan",
  resolve: "green",
  close: "green",
  feedback: "gold",
  return: "orange",
  reopen: "orange",
  withdraw: "gray",
  supervise: "red",
  escalate: "red",
};

function TimelineCard(props: { c: CaseDetail }) {
  const { t, i18n } = useTranslation();
  const entries = props.c.timeline;
  return (
    <Card size="small" title={t("cases.timeline")} data-testid="case-timeline">
      {entries.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("cases.noTimeline")} />
      ) : (
        <Timeline
          items={entries.map((e) => ({
            key: e.id,
            color: ACTION_COLORS[e.action] ?? "gray",
            content: (
              <div
                data-testid="timeline-entry"
                data-action={e.action}
                data-visibility={e.visibility}
              >
                <Space wrap size={6}>
                  <Typography.Text strong>{t(`cases.actions.${e.action}`)}</Typography.Text>
                  {e.toStatus && e.toStatus !== e.fromStatus ? (
                    <CaseStatusTag status={e.toStatus} />
                  ) : null}
                  {e.visibility === "internal" ? (
                    <Tag color="default" data-testid="timeline-internal">
                      {t("cases.internalOnly")}
                    </Tag>
                  ) : null}
                </Space>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {e.actor} · {formatTime(e.createdAt, i18n.resolvedLanguage)}
                  </Typography.Text>
                </div>
                {e.note ? (
                  <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: "pre-wrap" }}>
                    {e.note}
                  </Typography.Paragraph>
                ) : null}
                {e.mentions?.length ? (
                  <Space wrap size={4} data-testid="timeline-mentions">
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t("cases.mentioned")}
                    </Typography.Text>
                    {e.mentions.map((m) => (
                      <Tag key={m.id} color="blue" data-user-id={m.id}>
                        @{m.name}
                      </Tag>
                    ))}
                  </Space>
                ) : null}
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}

/** What is waiting on the case, said plainly above everything else. */
function WaitingNotes(props: { c: CaseDetail; reporterView: boolean }) {
  const { t } = useTranslation();
  const c = props.c;
  const staffView = !props.reporterView;
  const notes: {
    key: string;
    show: boolean;
    type: "success" | "warning" | "info";
    title: string;
  }[] = [
    {
      key: "rate",
      show: c.status === "resolved" && c.allowedActions.includes("feedback"),
      type: "success",
      title: t("cases.pleaseRate"),
    },
    {
      key: "paused",
      show: c.pausedAt !== null,
      type: "warning",
      title: staffView ? t("cases.pausedStaff") : t("cases.pausedReporter"),
    },
    {
      key: "extension",
      show: c.extensionRequestedDays !== null && staffView,
      type: "info",
      title: t("cases.extensionPending", { days: c.extensionRequestedDays ?? 0 }),
    },
    {
      key: "tasks",
      show: c.openTasks > 0 && staffView,
      type: "info",
      title: t("cases.openTasks", { count: c.openTasks }),
    },
  ];
  const shown = notes.filter((n) => n.show);
  if (shown.length === 0) return null;
  return (
    <Space orientation="vertical" style={{ width: "100%", marginBottom: 12 }}>
      {shown.map((n) => (
        <Alert
          key={n.key}
          type={n.type}
          showIcon
          title={n.title}
          data-testid={`case-note-${n.key}`}
        />
      ))}
    </Space>
  );
}

export function CaseView(props: {
  c: CaseDetail;
  categories: Category[] | undefined;
  /** The action bar (CaseActions), or nothing. */
  actions: ReactNode;
  /** The reporter's own view (a resident, an anonymous reporter): less staff detail. */
  reporterView: boolean;
  /** An area outline for the map (staff only may read areas). */
  outlineCode?: string | null;
  /** The anonymous reporter's tracking secret (their attachments go through it). */
  secret?: string | undefined;
  /** Something changed beside the actions (an attachment): reload the case. */
  onChanged?: () => void;
}) {
  const { t, i18n } = useTranslation();
  const c = props.c;
  const lang = i18n.resolvedLanguage;
  const category = props.categories?.find((x) => x.code === c.categoryCode);
  const family = props.categories?.find((x) => x.code === familyOf(c.categoryCode));
  const words = { yes: t("common.yes"), no: t("common.no") };
  const fieldItems = Object.entries(c.fields).map(([code, value]) => {
    const def = category?.fields.find((f) => f.code === code);
    return {
      key: `field-${code}`,
      label: def?.label ?? code,
      children: <span data-testid={`case-field-${code}`}>{caseFieldText(def, value, words)}</span>,
    };
  });

  const info = [
    {
      key: "category",
      label: t("cases.category"),
      children:
        family && family.code !== c.categoryCode
          ? `${family.name} / ${c.categoryName}`
          : c.categoryName,
    },
    {
      key: "description",
      label: t("cases.description"),
      span: "filled" as const,
      children: (
        <Typography.Paragraph
          style={{ marginBottom: 0, whiteSpace: "pre-wrap" }}
          data-testid="case-description"
        >
          {c.description}
        </Typography.Paragraph>
      ),
    },
    ...fieldItems,
    { key: "channel", label: t("cases.channel"), children: t(`cases.channels.${c.channel}`) },
    { key: "reporter", label: t("cases.reporter"), children: c.reporter.label || "—" },
    { key: "createdAt", label: t("cases.createdAt"), children: formatTime(c.createdAt, lang) },
    { key: "grid", label: t("cases.grid"), children: c.grid?.name ?? "—" },
    {
      key: "acceptDue",
      label: t("cases.acceptDue"),
      children: formatTime(c.acceptDueAt, lang),
    },
    {
      key: "resolveDue",
      label: t("cases.resolveDue"),
      children: formatTime(c.resolveDueAt, lang),
    },
  ];

  return (
    <div
      data-testid="case-view"
      data-case-id={c.id}
      data-status={c.status}
      data-version={c.version}
    >
      <Space orientation="vertical" size={4} style={{ width: "100%", margin: "8px 0 12px" }}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="case-code">
          {c.code}
        </Typography.Title>
        <Typography.Text strong data-testid="case-category">
          {c.categoryName}
        </Typography.Text>
        <Space wrap size={4}>
          <CaseStatusTag status={c.status} />
          <SeverityTag severity={c.severity} />
          <DueStateTag dueState={c.dueState} showOnTime />
          <SupervisedTag supervised={c.supervised} />
        </Space>
        {c.lead ? (
          <Typography.Text type="secondary" data-testid="case-lead">
            {t("cases.leadIs", { name: c.lead.name })}
          </Typography.Text>
        ) : null}
      </Space>
      <WaitingNotes c={c} reporterView={props.reporterView} />
      {c.mergedInto ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="case-merged-into"
          title={
            props.reporterView ? (
              t("cases.mergedInto", { code: c.mergedInto.code })
            ) : (
              <Link to={`/cases/${c.mergedInto.id}`}>
                {t("cases.mergedInto", { code: c.mergedInto.code })}
              </Link>
            )
          }
        />
      ) : null}
      {props.actions ? <div style={{ marginBottom: 16 }}>{props.actions}</div> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Space orientation="vertical" size={16} style={{ width: "100%" }}>
            <Card size="small" title={t("cases.info")}>
              <Descriptions size="small" column={{ xs: 1, sm: 2 }} items={info} />
            </Card>
            <TimelineCard c={c} />
          </Space>
        </Col>
        <Col xs={24} lg={10}>
          <Space orientation="vertical" size={16} style={{ width: "100%" }}>
            <Card size="small" title={t("cases.place")}>
              <LocationPicker
                value={[c.lng, c.lat]}
                outlineCode={props.outlineCode}
                height={200}
                testId="case-map"
                label={t("cases.place")}
              />
              <div style={{ marginTop: 8 }} data-testid="case-address">
                {c.address ?? t("cases.noAddress")}
              </div>
            </Card>
            <Card size="small" title={t("cases.parties")} data-testid="case-parties">
              {c.parties.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("cases.noParties")} />
              ) : (
                <List
                  size="small"
                  dataSource={c.parties}
                  renderItem={(p) => (
                    <List.Item
                      key={p.id}
                      data-party-role={p.role}
                      data-testid="case-party"
                      data-party-status={p.status}
                    >
                      <List.Item.Meta
                        title={
                          <Space wrap size={6}>
                            <span>{p.name}</span>
                            <Tag
                              color={
                                p.role === "lead"
                                  ? "blue"
                                  : p.role === "mediator"
                                    ? "green"
                                    : "default"
                              }
                            >
                              {p.role === "mediator"
                                ? t("volunteers.mediation.role")
                                : t(p.role === "lead" ? "cases.leadRole" : "cases.assistRole")}
                            </Tag>
                            {p.task ? (
                              <Tag color={p.status === "done" ? "success" : "processing"}>
                                {t(p.status === "done" ? "cases.taskDone" : "cases.taskOpen")}
                              </Tag>
                            ) : null}
                          </Space>
                        }
                        description={
                          p.task || p.note || p.dueAt ? (
                            <>
                              {p.task ? <div>{t("cases.taskIs", { task: p.task })}</div> : null}
                              {p.dueAt ? (
                                <div>{t("cases.taskDueAt", { at: formatTime(p.dueAt, lang) })}</div>
                              ) : null}
                              {p.note ? <div>{t("cases.taskResult", { note: p.note })}</div> : null}
                            </>
                          ) : undefined
                        }
                      />
                    </List.Item>
                  )}
                />
              )}
            </Card>
            <CaseAttachments
              caseId={c.id}
              secret={props.secret}
              staff={!props.reporterView}
              {...(props.onChanged ? { onAdded: props.onChanged } : {})}
            />
            <MediatorInvite c={c} reporterView={props.reporterView} onInvited={props.onChanged} />
            {c.possibleDuplicates.length > 0 ? (
              <Card
                size="small"
                title={t("cases.duplicates")}
                data-testid="case-duplicates"
                extra={
                  <Space size={12}>
                    <Typography.Text type="secondary">
                      {c.possibleDuplicates.length}
                    </Typography.Text>
                    <FromCasesLink caseIds={[c.id, ...c.possibleDuplicates.map((d) => d.id)]} />
                  </Space>
                }
              >
                <List
                  size="small"
                  dataSource={c.possibleDuplicates}
                  renderItem={(d) => (
                    <List.Item key={d.id} data-duplicate-id={d.id}>
                      <List.Item.Meta
                        title={<Link to={`/cases/${d.id}`}>{d.code}</Link>}
                        description={
                          <Space wrap size={6}>
                            <span>{d.categoryName}</span>
                            <CaseStatusTag status={d.status} />
                            <span>{t("cases.distance", { m: d.distanceM })}</span>
                            <span>{formatTime(d.createdAt, lang)}</span>
                          </Space>
                        }
                      />
                    </List.Item>
                  )}
                />
              </Card>
            ) : null}
            {c.feedback ? (
              <Card size="small" title={t("cases.feedback")} data-testid="case-feedback">
                <Rate disabled value={c.feedback.rating} />
                {c.feedback.comment ? (
                  <Typography.Paragraph style={{ marginTop: 8, marginBottom: 0 }}>
                    {c.feedback.comment}
                  </Typography.Paragraph>
                ) : null}
              </Card>
            ) : null}
          </Space>
        </Col>
      </Row>
    </div>
  );
}
