/**
 * One shift (/shifts/:id). For the volunteer, phone-first: sign up or
 * withdraw, the big 签到 / 签退 button (the browser's position goes with it;
 * a refusal says how far from the area they are, or when check-in opens),
 * and 上报发现 while checked in (it becomes a case). For whoever oversees the
 * shift: everyone's sign-ups and hours, the observations, and calling it off.
 */

import { EnvironmentOutlined, LoginOutlined, LogoutOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  List,
  Popconfirm,
  Result,
  Space,
  Table,
  Tag,
  Typography,
} from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { SHIFT_RULES } from "../../../shared/schemas/volunteers.js";
import { ApiError } from "../../api/client.js";
import { DetailLoadFailed } from "../../ui/detail-load-failed.js";
import { describeError } from "../../ui/error-alert.js";
import { PageLoading } from "../../ui/page-loading.js";
import { useApi } from "../../ui/use-api.js";
import { newIdempotencyKey } from "../cases/case-model.js";
import { CategoryTreeSelect } from "../cases/category-tree-select.js";
import {
  CheckoutSourceTag,
  clockText,
  currentPosition,
  HoursStatusTag,
  ShiftKindTag,
  SignupStatusTag,
  shiftTimeText,
} from "./volunteer-bits.js";
import {
  cancelShift,
  cancelSignUp,
  checkIn,
  checkOut,
  getShift,
  type Observation,
  reportObservation,
  type ShiftDetail,
  type Signup,
  signUpForShift,
} from "./volunteers-api.js";

export function ShiftDetailPage() {
  const { id = "" } = useParams();
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const shift = useApi(`shift:${id}`, (signal) => getShift(id, signal));
  const [busy, setBusy] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<{ text: string; distanceM?: number } | null>(null);
  const [position, setPosition] = useState<{ accuracy?: number } | null>(null);

  if (shift.error && !shift.data)
    return (
      <DetailLoadFailed
        testId="shift-detail"
        back={<Link to="/volunteer/shifts">{t("volunteers.nav.myShifts")}</Link>}
        error={shift.error}
        notFoundText={t("volunteers.shift.notFound")}
        onRetry={shift.reload}
      />
    );
  if (!shift.data) return <PageLoading />;
  const s = shift.data;
  const can = (a: ShiftDetail["allowedActions"][number]) => s.allowedActions.includes(a);

  const run = async (key: string, fn: () => Promise<ShiftDetail>, done?: string) => {
    setBusy(key);
    setRefusal(null);
    try {
      await fn();
      if (done) void message.success(done);
      shift.reload();
    } catch (err) {
      if (err instanceof ApiError && (err.status === 422 || err.status === 409)) {
        const d = err.details as { distanceM?: number } | undefined;
        setRefusal({
          text: describeError(err, t),
          ...(typeof d?.distanceM === "number" ? { distanceM: d.distanceM } : {}),
        });
      } else if (err instanceof ApiError) void message.error(describeError(err, t));
      else setRefusal({ text: (err as Error).message });
    } finally {
      setBusy(null);
    }
  };
  const withPosition = (key: string, call: typeof checkIn, done: string) =>
    run(
      key,
      async () => {
        const pos = await currentPosition(t);
        setPosition(pos);
        return call(id, pos);
      },
      done,
    );

  const mine = s.mySignup;
  return (
    <Space orientation="vertical" size={12} style={{ width: "100%" }} data-testid="shift-detail">
      <Card>
        <Space style={{ width: "100%", justifyContent: "space-between" }} align="start">
          <Typography.Title level={4} style={{ margin: 0 }}>
            {s.title}
          </Typography.Title>
          <Space size={4}>
            <ShiftKindTag kind={s.kind} />
            {s.status === "cancelled" ? <Tag>{t("volunteers.shift.cancelled")}</Tag> : null}
          </Space>
        </Space>
        <Descriptions column={1} size="small" style={{ marginTop: 8 }}>
          <Descriptions.Item label={t("volunteers.shift.time")}>
            <span data-testid="shift-time">
              {shiftTimeText(s.startsAt, s.endsAt, i18n.resolvedLanguage)}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t("volunteers.shift.area")}>
            <EnvironmentOutlined /> {s.area.name}
            <Typography.Text type="secondary">
              {` · ${t("volunteers.shift.fence", { m: s.fenceToleranceM })}`}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t("volunteers.shift.places")}>
            {t("volunteers.shifts.places", { signedUp: s.signedUp, capacity: s.capacity })}
          </Descriptions.Item>
          {s.team ? (
            <Descriptions.Item label={t("volunteers.shift.team")}>{s.team.name}</Descriptions.Item>
          ) : null}
          {s.case ? (
            <Descriptions.Item label={t("volunteers.shift.case")}>
              <Link to={`/cases/${s.case.id}`}>{s.case.code}</Link>
            </Descriptions.Item>
          ) : null}
          <Descriptions.Item label={t("volunteers.shift.plannedBy")}>
            {s.createdBy}
          </Descriptions.Item>
        </Descriptions>
        {s.description ? <Typography.Paragraph>{s.description}</Typography.Paragraph> : null}
      </Card>

      {mine ? (
        <Card size="small" title={t("volunteers.shift.mySignup")} data-testid="shift-my-signup">
          <Space wrap>
            <SignupStatusTag status={mine.status} />
            <HoursStatusTag status={mine.hoursStatus} />
            <CheckoutSourceTag source={mine.checkoutSource} audience="volunteer" />
            {mine.minutes !== null ? (
              <span data-testid="shift-my-minutes">
                {t("volunteers.shifts.minutes", { count: mine.minutes })}
              </span>
            ) : null}
          </Space>
          {mine.checkoutSource === "auto" ? (
            <Alert
              type="warning"
              showIcon
              style={{ marginTop: 8 }}
              title={t("volunteers.checkout.autoNotice", {
                hours: SHIFT_RULES.autoCheckoutAfterHours,
              })}
              data-testid="shift-auto-checkout-notice"
            />
          ) : mine.checkoutSource === "verifier" && mine.checkedOutAt ? (
            <Alert
              type="info"
              style={{ marginTop: 8 }}
              title={t("volunteers.checkout.verifierNotice", {
                time: clockText(mine.checkedOutAt, i18n.resolvedLanguage),
              })}
            />
          ) : null}
          {mine.rejectReason ? (
            <Alert
              type="warning"
              style={{ marginTop: 8 }}
              title={t("volunteers.shift.rejected", { reason: mine.rejectReason })}
            />
          ) : null}
        </Card>
      ) : null}

      {refusal ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          data-testid="shift-refusal"
          title={refusal.text}
          description={
            position?.accuracy !== undefined
              ? t("volunteers.shift.accuracy", { m: position.accuracy })
              : undefined
          }
        />
      ) : null}

      {can("check_in") ? (
        <Button
          type="primary"
          size="large"
          block
          icon={<LoginOutlined />}
          style={{ height: 64, fontSize: 20 }}
          loading={busy === "check_in"}
          onClick={() => withPosition("check_in", checkIn, t("volunteers.shift.checkedIn"))}
          data-testid="shift-check-in"
        >
          {t("volunteers.shift.checkIn")}
        </Button>
      ) : null}
      {can("check_out") ? (
        <Button
          type="primary"
          size="large"
          block
          danger
          icon={<LogoutOutlined />}
          style={{ height: 64, fontSize: 20 }}
          loading={busy === "check_out"}
          onClick={() => withPosition("check_out", checkOut, t("volunteers.shift.checkedOut"))}
          data-testid="shift-check-out"
        >
          {t("volunteers.shift.checkOut")}
        </Button>
      ) : null}
      {can("sign_up") ? (
        <Button
          type="primary"
          size="large"
          block
          loading={busy === "sign_up"}
          onClick={() => run("sign_up", () => signUpForShift(id), t("volunteers.shift.signedUp"))}
          data-testid="shift-sign-up"
        >
          {t("volunteers.shift.signUp")}
        </Button>
      ) : null}
      {can("cancel_sign_up") ? (
        <Popconfirm
          title={t("volunteers.shift.cancelSignUpConfirm")}
          onConfirm={() => run("cancel_sign_up", () => cancelSignUp(id))}
        >
          <Button block loading={busy === "cancel_sign_up"} data-testid="shift-cancel-sign-up">
            {t("volunteers.shift.cancelSignUp")}
          </Button>
        </Popconfirm>
      ) : null}

      {can("observe") ? <ObservationForm shiftId={id} onDone={shift.reload} /> : null}

      {s.observations.length > 0 ? (
        <Card
          size="small"
          title={t("volunteers.shift.observations")}
          data-testid="shift-observations"
        >
          <ObservationList items={s.observations} />
        </Card>
      ) : null}

      {s.signups.length > 0 || can("cancel") ? (
        <Card
          size="small"
          title={t("volunteers.shift.signups")}
          extra={
            can("cancel") ? (
              <Popconfirm
                title={t("volunteers.shift.cancelShiftConfirm")}
                onConfirm={() => run("cancel", () => cancelShift(id))}
              >
                <Button danger size="small" data-testid="shift-cancel">
                  {t("volunteers.shift.cancelShift")}
                </Button>
              </Popconfirm>
            ) : null
          }
        >
          <SignupTable signups={s.signups} />
        </Card>
      ) : null}
    </Space>
  );
}

function SignupTable(props: { signups: Signup[] }) {
  const { t, i18n } = useTranslation();
  const time = (iso: string | null) =>
    iso
      ? new Intl.DateTimeFormat(i18n.resolvedLanguage === "en-US" ? "en-US" : "zh-CN", {
          timeZone: "Asia/Shanghai",
          hour: "2-digit",
          minute: "2-digit",
          hour12: false,
        }).format(new Date(iso))
      : "—";
  return (
    <Table<Signup>
      size="small"
      rowKey="id"
      pagination={false}
      scroll={{ x: true }}
      dataSource={props.signups}
      data-testid="shift-signups"
      columns={[
        { title: t("volunteers.list.name"), render: (_, g) => g.volunteer.name },
        {
          title: t("volunteers.shift.status"),
          render: (_, g) => <SignupStatusTag status={g.status} />,
        },
        { title: t("volunteers.shift.in"), render: (_, g) => time(g.checkedInAt) },
        { title: t("volunteers.shift.out"), render: (_, g) => time(g.checkedOutAt) },
        {
          title: t("volunteers.hours.hours"),
          render: (_, g) =>
            g.minutes !== null ? t("volunteers.shifts.minutes", { count: g.minutes }) : "—",
        },
        {
          title: t("volunteers.hours.status"),
          render: (_, g) => (
            <Space size={0} wrap>
              <HoursStatusTag status={g.hoursStatus} />
              <CheckoutSourceTag source={g.checkoutSource} audience="verifier" />
            </Space>
          ),
        },
      ]}
    />
  );
}

function ObservationList(props: { items: Observation[] }) {
  return (
    <List
      size="small"
      dataSource={props.items}
      renderItem={(o) => (
        <List.Item key={o.id}>
          <List.Item.Meta
            title={<Link to={`/cases/${o.caseId}`}>{`${o.caseCode} ${o.categoryName}`}</Link>}
            description={`${o.volunteer}：${o.description}`}
          />
        </List.Item>
      )}
    />
  );
}

/** 上报发现: what I see on patrol, with my position, becomes a case. */
function ObservationForm(props: { shiftId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ categoryCode?: string; description: string }>();
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [done, setDone] = useState<Observation | null>(null);
  // One key per report: a resend after a lost answer gets the same case.
  const key = useRef(newIdempotencyKey());
  if (done)
    return (
      <Result
        status="success"
        title={t("volunteers.observe.done", { code: done.caseCode })}
        data-testid="observation-done"
        extra={[
          <Link key="case" to={`/cases/${done.caseId}`}>
            <Button>{t("volunteers.observe.openCase")}</Button>
          </Link>,
          <Button key="again" onClick={() => setDone(null)}>
            {t("volunteers.observe.again")}
          </Button>,
        ]}
      />
    );
  if (!open)
    return (
      <Button block size="large" onClick={() => setOpen(true)} data-testid="shift-observe">
        {t("volunteers.observe.open")}
      </Button>
    );
  const submit = async (v: { categoryCode?: string; description: string }) => {
    setSaving(true);
    try {
      const pos = await currentPosition(t);
      const o = await reportObservation(
        props.shiftId,
        {
          categoryCode: v.categoryCode,
          description: v.description,
          lat: pos.lat,
          lng: pos.lng,
        },
        key.current,
      );
      key.current = newIdempotencyKey();
      form.resetFields();
      setOpen(false);
      setDone(o);
      props.onDone();
    } catch (err) {
      void message.error(err instanceof ApiError ? describeError(err, t) : (err as Error).message);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Card size="small" title={t("volunteers.observe.title")} data-testid="observation-form">
      <Typography.Paragraph type="secondary">{t("volunteers.observe.intro")}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item
          name="categoryCode"
          label={t("volunteers.observe.category")}
          rules={[{ required: true, message: t("volunteers.observe.categoryRequired") }]}
        >
          <CategoryTreeSelect width="100%" allowClear={false} data-testid="observation-category" />
        </Form.Item>
        <Form.Item
          name="description"
          label={t("volunteers.observe.description")}
          rules={[{ required: true, min: 5, message: t("volunteers.observe.descriptionRequired") }]}
        >
          <Input.TextArea rows={3} maxLength={2000} data-testid="observation-description" />
        </Form.Item>
        <Space orientation="vertical" style={{ width: "100%" }}>
          <Button
            type="primary"
            htmlType="submit"
            block
            size="large"
            loading={saving}
            data-testid="observation-submit"
          >
            {t("volunteers.observe.submit")}
          </Button>
          <Button block onClick={() => setOpen(false)}>
            {t("common.cancel")}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}
