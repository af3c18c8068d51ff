/**
 * One proposal (/proposals/:id), for a phone first: what is proposed and
 * where (with the proposer's photos), the support gathered against the threshold with the 附议 button (and
 * why one's support may not count), the department's answer, the milestones
 * and the timeline. The actions the server allows the caller appear where
 * they belong: the proposer withdraws; the department answers (with reasons)
 * and keeps the milestones; a coordinator sends early or gives it to another
 * department.
 */
import { CheckOutlined, LikeOutlined, PlusOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  List,
  Popconfirm,
  Radio,
  Row,
  Space,
  Tag,
  Timeline,
  Typography,
} from "antd";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import {
  PROPOSAL_ANSWERS,
  type ProposalAnswer,
  type ProposalDetail,
  type ProposalTransition,
} from "../../../shared/schemas/proposals.js";
import { DetailLoadFailed } from "../../ui/detail-load-failed.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { PageLoading } from "../../ui/page-loading.js";
import { DepartmentPicker } from "../../ui/search-picker.js";
import { useApi } from "../../ui/use-api.js";
import { LocationPicker } from "../areas/location-picker.js";
import { formatTime } from "../cases/case-bits.js";
import {
  AnswerTag,
  DueTag,
  formatDay,
  ProposalStatusTag,
  SupportBar,
  TopicTag,
} from "./proposal-bits.js";
import { ProposalPhotos } from "./proposal-photos.js";
import { act, getProposal, support, unsupport } from "./proposals-api.js";

type Run = (fn: () => Promise<ProposalDetail>, done?: string) => Promise<boolean>;

function SupportCard(props: { p: ProposalDetail; run: Run; busy: boolean }) {
  const { t } = useTranslation();
  const { p, run } = props;
  const me = p.me;
  const can = (a: string) => p.allowedActions.includes(a as never);
  let note: ReactNode = null;
  if (me.proposer) note = t("proposals.detail.yours");
  else if (me.supported)
    note = me.local
      ? t("proposals.detail.supportCounted", { community: p.community.name })
      : t("proposals.detail.supportNotCounted");
  else if (p.status !== "open") note = t("proposals.detail.supportClosed");
  return (
    <Card size="small" title={t("proposals.detail.support")} data-testid="proposal-support-card">
      <Space orientation="vertical" style={{ width: "100%" }} size={10}>
        <SupportBar p={p} />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t("proposals.detail.byBasis", {
            resident: p.supporters.byBasis.resident,
            volunteer: p.supporters.byBasis.volunteer,
            other: p.supporters.other,
          })}
        </Typography.Text>
        {can("support") && !me.local ? (
          <Alert
            type="info"
            showIcon
            title={t("proposals.detail.wontCount")}
            description={t(`proposals.detail.reason.${me.notCountedReason ?? "other_community"}`, {
              community: p.community.name,
            })}
            data-testid="proposal-support-reason"
          />
        ) : null}
        {can("support") ? (
          <Button
            type="primary"
            size="large"
            block
            icon={<LikeOutlined />}
            loading={props.busy}
            onClick={() => void run(() => support(p.id), t("proposals.detail.supported"))}
            data-testid="proposal-support-button"
          >
            {me.local ? t("proposals.detail.supportButton") : t("proposals.detail.supportAnyway")}
          </Button>
        ) : null}
        {note ? (
          <Typography.Text data-testid="proposal-support-note">
            {me.supported ? <CheckOutlined style={{ color: "#52c41a", marginRight: 6 }} /> : null}
            {note}
          </Typography.Text>
        ) : null}
        {can("unsupport") ? (
          <Popconfirm
            title={t("proposals.detail.unsupportConfirm")}
            onConfirm={() => void run(() => unsupport(p.id))}
          >
            <Button size="small" data-testid="proposal-unsupport-button">
              {t("proposals.detail.unsupport")}
            </Button>
          </Popconfirm>
        ) : null}
      </Space>
    </Card>
  );
}

function AnswerForm(props: { p: ProposalDetail; run: Run; busy: boolean }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ answer?: ProposalAnswer; reason?: string }>();
  return (
    <Card size="small" title={t("proposals.detail.answerTitle")} data-testid="proposal-answer-form">
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(v) =>
          void props.run(
            () =>
              act(props.p.id, "answer", {
                version: props.p.version,
                answer: v.answer,
                reason: v.reason?.trim(),
              }),
            t("proposals.detail.answered"),
          )
        }
      >
        <Form.Item
          name="answer"
          label={t("proposals.detail.answerResult")}
          rules={[{ required: true, message: t("proposals.detail.answerRequired") }]}
        >
          <Radio.Group
            optionType="button"
            options={PROPOSAL_ANSWERS.map((a) => ({ value: a, label: t(`proposals.answer.${a}`) }))}
            data-testid="proposal-answer-choice"
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t("proposals.detail.answerReason")}
          rules={[
            { required: true, message: t("proposals.detail.reasonRequired") },
            { min: 5, message: t("proposals.detail.reasonRequired") },
          ]}
        >
          <Input.TextArea
            rows={4}
            maxLength={4000}
            showCount
            placeholder={t("proposals.detail.reasonPlaceholder")}
            data-testid="proposal-answer-reason"
          />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          loading={props.busy}
          data-testid="proposal-answer-submit"
        >
          {t("proposals.detail.answerSubmit")}
        </Button>
      </Form>
    </Card>
  );
}

function Milestones(props: { p: ProposalDetail; run: Run; busy: boolean }) {
  const { t } = useTranslation();
  const { p } = props;
  const [form] = Form.useForm<{ title?: string; dueOn?: string }>();
  const [completing, setCompleting] = useState<string | null>(null);
  const [note, setNote] = useState("");
  const canAdd = p.allowedActions.includes("add-milestone");
  const canComplete = p.allowedActions.includes("complete-milestone");
  if (p.milestones.length === 0 && !canAdd) return null;
  return (
    <Card size="small" title={t("proposals.detail.milestones")} data-testid="proposal-milestones">
      <List
        size="small"
        dataSource={p.milestones}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={t("proposals.detail.noMilestones")}
            />
          ),
        }}
        renderItem={(m) => (
          <List.Item key={m.id} data-testid="proposal-milestone" data-status={m.status}>
            <Space orientation="vertical" size={4} style={{ width: "100%" }}>
              <Space wrap size={6}>
                <Typography.Text strong>{m.title}</Typography.Text>
                <Tag color={m.status === "done" ? "green" : m.late ? "red" : "default"}>
                  {m.status === "done"
                    ? t("proposals.detail.milestoneDone")
                    : m.late
                      ? t("proposals.detail.milestoneLate")
                      : t("proposals.detail.milestoneOpen")}
                </Tag>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t("proposals.detail.milestoneDue", { day: m.dueOn })}
                </Typography.Text>
              </Space>
              {m.note ? <Typography.Text type="secondary">{m.note}</Typography.Text> : null}
              {canComplete && m.status === "open" ? (
                completing === m.id ? (
                  <Space.Compact style={{ width: "100%" }}>
                    <Input
                      value={note}
                      onChange={(e) => setNote(e.target.value)}
                      placeholder={t("proposals.detail.completeNote")}
                      data-testid="proposal-milestone-note"
                    />
                    <Button
                      type="primary"
                      loading={props.busy}
                      disabled={note.trim().length === 0}
                      onClick={async () => {
                        const ok = await props.run(() =>
                          act(p.id, "complete-milestone", {
                            version: p.version,
                            milestoneId: m.id,
                            note: note.trim(),
                          }),
                        );
                        if (ok) {
                          setCompleting(null);
                          setNote("");
                        }
                      }}
                      data-testid="proposal-milestone-complete-confirm"
                    >
                      {t("proposals.detail.complete")}
                    </Button>
                  </Space.Compact>
                ) : (
                  <Button
                    size="small"
                    onClick={() => setCompleting(m.id)}
                    data-testid="proposal-milestone-complete"
                  >
                    {t("proposals.detail.complete")}
                  </Button>
                )
              ) : null}
            </Space>
          </List.Item>
        )}
      />
      {canAdd ? (
        <Form
          form={form}
          layout="inline"
          style={{ marginTop: 8, rowGap: 8 }}
          onFinish={async (v) => {
            const ok = await props.run(() =>
              act(p.id, "add-milestone", {
                version: p.version,
                title: v.title?.trim(),
                dueOn: v.dueOn || undefined,
              }),
            );
            if (ok) form.resetFields();
          }}
          data-testid="proposal-milestone-form"
        >
          <Form.Item
            name="title"
            rules={[{ required: true, message: t("proposals.detail.milestoneTitleRequired") }]}
          >
            <Input
              placeholder={t("proposals.detail.milestoneTitle")}
              maxLength={100}
              data-testid="proposal-milestone-title"
            />
          </Form.Item>
          <Form.Item
            name="dueOn"
            rules={[{ required: true, message: t("proposals.detail.milestoneDueRequired") }]}
          >
            <Input
              type="date"
              aria-label={t("proposals.detail.milestoneDueOn")}
              style={{ width: 160 }}
              data-testid="proposal-milestone-due"
            />
          </Form.Item>
          <Button
            htmlType="submit"
            icon={<PlusOutlined />}
            loading={props.busy}
            data-testid="proposal-milestone-add"
          >
            {t("proposals.detail.addMilestone")}
          </Button>
        </Form>
      ) : null}
    </Card>
  );
}

/** The proposer's and the coordinator's steps: withdraw, send early, give to another department. */
function OtherActions(props: { p: ProposalDetail; run: Run; busy: boolean }) {
  const { t } = useTranslation();
  const { p } = props;
  const [note, setNote] = useState("");
  const [dept, setDept] = useState<string | undefined>();
  const can = (a: ProposalTransition) => p.allowedActions.includes(a);
  if (!can("withdraw") && !can("submit") && !can("reassign")) return null;
  return (
    <Card size="small" title={t("proposals.detail.actions")} data-testid="proposal-actions">
      <Space orientation="vertical" style={{ width: "100%" }}>
        <Input.TextArea
          rows={2}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder={t("proposals.detail.notePlaceholder")}
          maxLength={2000}
          data-testid="proposal-action-note"
        />
        {can("reassign") ? (
          <DepartmentPicker
            value={dept}
            onChange={setDept}
            data-testid="proposal-reassign-department"
          />
        ) : null}
        <Space wrap>
          {can("withdraw") ? (
            <Popconfirm
              title={t("proposals.detail.withdrawConfirm")}
              onConfirm={() =>
                void props.run(() =>
                  act(p.id, "withdraw", {
                    version: p.version,
                    ...(note.trim() ? { note: note.trim() } : {}),
                  }),
                )
              }
            >
              <Button danger loading={props.busy} data-testid="proposal-withdraw">
                {t("proposals.detail.withdraw")}
              </Button>
            </Popconfirm>
          ) : null}
          {can("submit") ? (
            <Button
              loading={props.busy}
              onClick={() =>
                void props.run(() =>
                  act(p.id, "submit", {
                    version: p.version,
                    ...(note.trim() ? { note: note.trim() } : {}),
                  }),
                )
              }
              data-testid="proposal-submit-early"
            >
              {t("proposals.detail.submitEarly")}
            </Button>
          ) : null}
          {can("reassign") ? (
            <Button
              disabled={!dept}
              loading={props.busy}
              onClick={() =>
                void props.run(() =>
                  act(p.id, "reassign", {
                    version: p.version,
                    departmentId: dept,
                    ...(note.trim() ? { note: note.trim() } : {}),
                  }),
                )
              }
              data-testid="proposal-reassign"
            >
              {t("proposals.detail.reassign")}
            </Button>
          ) : null}
        </Space>
      </Space>
    </Card>
  );
}

export function ProposalDetailPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { id = "" } = useParams();
  const loaded = useApi(`proposal:${id}`, (signal) => getProposal(id, signal));
  const [fresh, setFresh] = useState<ProposalDetail | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const p = fresh && fresh.id === id ? fresh : loaded.data;
  const lang = i18n.resolvedLanguage;

  const run: Run = async (fn, done) => {
    setBusy(true);
    setError(null);
    try {
      setFresh(await fn());
      if (done) void message.success(done);
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };

  if (loaded.error && !p)
    return (
      <DetailLoadFailed
        testId="proposal-detail-failed"
        back={<Link to="/proposals">{t("proposals.detail.back")}</Link>}
        error={loaded.error}
        notFoundText={t("proposals.detail.notFound")}
        onRetry={loaded.reload}
      />
    );
  if (!p) return <PageLoading />;

  return (
    <div data-testid="proposal-detail" data-proposal-id={p.id} data-version={p.version}>
      <Typography.Title
        level={3}
        style={{ marginTop: 0, marginBottom: 8 }}
        data-testid="proposal-title-text"
      >
        {p.title}
      </Typography.Title>
      <Space size={[0, 6]} wrap style={{ marginBottom: 12 }}>
        <ProposalStatusTag status={p.status} />
        <TopicTag topic={p.topic} />
        <AnswerTag answer={p.answer} />
        <DueTag p={p} />
        {p.answerLate ? <Tag color="red">{t("proposals.detail.answeredLate")}</Tag> : null}
      </Space>
      {error ? (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert error={error} title={t("proposals.detail.actionFailed")} />
        </div>
      ) : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Space orientation="vertical" style={{ width: "100%" }} size={16}>
            <SupportCard p={p} run={run} busy={busy} />
            {p.allowedActions.includes("answer") ? (
              <AnswerForm p={p} run={run} busy={busy} />
            ) : null}
            {p.answer ? (
              <Card
                size="small"
                title={t("proposals.detail.answerCard")}
                data-testid="proposal-answer-card"
              >
                <Space orientation="vertical" size={6}>
                  <Space wrap>
                    <AnswerTag answer={p.answer} />
                    <Typography.Text type="secondary">
                      {[p.answeredBy, formatTime(p.answeredAt, lang)].filter(Boolean).join(" · ")}
                    </Typography.Text>
                  </Space>
                  <Typography.Paragraph style={{ whiteSpace: "pre-wrap", marginBottom: 0 }}>
                    {p.answerReason}
                  </Typography.Paragraph>
                </Space>
              </Card>
            ) : null}
            <Milestones p={p} run={run} busy={busy} />
            <Card size="small" title={t("proposals.detail.content")}>
              <Typography.Paragraph
                style={{ whiteSpace: "pre-wrap" }}
                data-testid="proposal-body-text"
              >
                {p.body}
              </Typography.Paragraph>
              {p.basisCases.length ? (
                <div style={{ marginBottom: 8 }} data-testid="proposal-basis-cases">
                  <Typography.Text type="secondary">
                    {t("proposals.detail.basisCases")}
                  </Typography.Text>{" "}
                  <Space wrap size={4}>
                    {p.basisCases.map((c) =>
                      c.id ? (
                        <Link key={c.code} to={`/cases/${c.id}`}>
                          {c.code}
                        </Link>
                      ) : (
                        <Tag key={c.code}>{c.code}</Tag>
                      ),
                    )}
                  </Space>
                </div>
              ) : null}
              <LocationPicker
                value={[p.lng, p.lat]}
                height={200}
                testId="proposal-place"
                label={t("proposals.detail.place")}
              />
            </Card>
            <ProposalPhotos p={p} onChanged={() => run(() => getProposal(p.id))} />
            <OtherActions p={p} run={run} busy={busy} />
          </Space>
        </Col>
        <Col xs={24} lg={10}>
          <Space orientation="vertical" style={{ width: "100%" }} size={16}>
            <Card size="small">
              <Descriptions
                column={1}
                size="small"
                items={[
                  {
                    key: "community",
                    label: t("proposals.detail.community"),
                    children: `${p.community.name} · ${p.grid.name}`,
                  },
                  ...(p.address
                    ? [
                        {
                          key: "address",
                          label: t("proposals.detail.address"),
                          children: p.address,
                        },
                      ]
                    : []),
                  {
                    key: "proposer",
                    label: t("proposals.detail.proposer"),
                    children: `${p.proposer}（${t(`proposals.proposerKind.${p.proposerKind}`)}）`,
                  },
                  {
                    key: "created",
                    label: t("proposals.detail.created"),
                    children: formatTime(p.createdAt, lang),
                  },
                  {
                    key: "rule",
                    label: t("proposals.detail.rule"),
                    children: t("proposals.detail.ruleText", {
                      threshold: p.supportThreshold,
                      days: p.answerWorkingDays,
                    }),
                  },
                  ...(p.department
                    ? [
                        {
                          key: "department",
                          label: t("proposals.detail.department"),
                          children: p.department.name,
                        },
                      ]
                    : []),
                  ...(p.answerDueAt
                    ? [
                        {
                          key: "due",
                          label: t("proposals.detail.answerDue"),
                          children: formatDay(p.answerDueAt, lang),
                        },
                      ]
                    : []),
                  ...(p.withdrawReason
                    ? [
                        {
                          key: "withdrawn",
                          label: t("proposals.detail.withdrawReason"),
                          children: p.withdrawReason,
                        },
                      ]
                    : []),
                ]}
              />
            </Card>
            <Card
              size="small"
              title={t("proposals.detail.timeline")}
              data-testid="proposal-timeline"
            >
              <Timeline
                items={p.timeline.map((s) => ({
                  key: s.id,
                  color: s.action === "overdue" ? "red" : s.action === "answer" ? "purple" : "blue",
                  content: (
                    <div data-testid="proposal-step" data-action={s.action}>
                      <Typography.Text strong>{t(`proposals.action.${s.action}`)}</Typography.Text>{" "}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {s.actor} · {formatTime(s.createdAt, lang)}
                      </Typography.Text>
                      {s.note ? <div style={{ whiteSpace: "pre-wrap" }}>{s.note}</div> : null}
                    </div>
                  ),
                }))}
              />
            </Card>
          </Space>
        </Col>
      </Row>
    </div>
  );
}
