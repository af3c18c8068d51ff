/**
 * 时长核验 (/hours): the service hours the user may decide on (never their
 * own): a queue, oldest first, with batch 核验通过, 驳回 with a reason, 更正
 * with new minutes and a reason (logged), and each entry's history. An
 * attendance the system closed (未签退) is flagged and cannot be verified until
 * 补录签退时间 sets its real check-out time. For grid workers, associations
 * and team leaders.
 */
import { CheckOutlined } from "@ant-design/icons";
import {
  App,
  Button,
  type ButtonProps,
  Form,
  Input,
  InputNumber,
  Modal,
  Segmented,
  Space,
  Table,
  type TableColumnsType,
  Timeline,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { HOURS_STATUSES, SHIFT_RULES } from "../../../shared/schemas/volunteers.js";
import { describeError, ErrorAlert } from "../../ui/error-alert.js";
import { ListPage, SearchInput } from "../../ui/list-page.js";
import { useApi } from "../../ui/use-api.js";
import {
  CheckoutSourceTag,
  chinaLocalInput,
  clockText,
  fromChinaLocalInput,
  HoursStatusTag,
  hoursOf,
  shiftTimeText,
} from "./volunteer-bits.js";
import {
  correctHours,
  type HoursEntry,
  hoursHistory,
  hoursQueue,
  rejectHours,
  setCheckoutTime,
  verifyHours,
} from "./volunteers-api.js";

const PAGE = 50;
type Status = (typeof HOURS_STATUSES)[number];

export function HoursPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [status, setStatus] = useState<Status>("pending");
  const [q, setQ] = useState("");
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [rejecting, setRejecting] = useState<HoursEntry | null>(null);
  const [correcting, setCorrecting] = useState<HoursEntry | null>(null);
  const [closing, setClosing] = useState<HoursEntry | null>(null);
  const [history, setHistory] = useState<HoursEntry | null>(null);
  const request = { status, q: q || undefined, limit: PAGE, offset: (page - 1) * PAGE };
  const list = useApi(`hours:${JSON.stringify(request)}`, (signal) => hoursQueue(request, signal));

  const verify = async (ids: string[]) => {
    setBusy(true);
    try {
      const r = await verifyHours(ids);
      void message.success(t("volunteers.hours.verified", { count: r.verified.length }));
      setSelected([]);
      list.reload();
    } catch (err) {
      void message.error(describeError(err, t));
    } finally {
      setBusy(false);
    }
  };

  const columns: TableColumnsType<HoursEntry> = [
    { title: t("volunteers.list.name"), render: (_, e) => e.volunteer.name },
    {
      title: t("volunteers.hours.shift"),
      render: (_, e) => (
        <div>
          <Link to={`/shifts/${e.shift.id}`}>{e.shift.title}</Link>
          <div>
            <Typography.Text type="secondary">
              {shiftTimeText(e.shift.startsAt, e.shift.endsAt, i18n.resolvedLanguage)} ·{" "}
              {e.shift.areaName}
              {e.shift.teamName ? ` · ${e.shift.teamName}` : ""}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    {
      title: t("volunteers.hours.hours"),
      render: (_, e) => (
        <span data-testid="hours-minutes">
          {e.minutes !== null ? t("volunteers.shifts.minutes", { count: e.minutes }) : "—"}
        </span>
      ),
    },
    {
      title: t("volunteers.hours.status"),
      render: (_, e) => (
        <Space orientation="vertical" size={0}>
          <HoursStatusTag status={e.hoursStatus} />
          <CheckoutSourceTag source={e.checkoutSource} audience="verifier" />
          {e.rejectReason ? (
            <Typography.Text type="secondary">{e.rejectReason}</Typography.Text>
          ) : null}
          {e.verifiedBy ? <Typography.Text type="secondary">{e.verifiedBy}</Typography.Text> : null}
        </Space>
      ),
    },
    {
      title: "",
      render: (_, e) => (
        <Space wrap size={4}>
          {e.hoursStatus === "pending" && e.checkoutSource === "auto" ? (
            <Button
              size="small"
              type="primary"
              onClick={() => setClosing(e)}
              data-testid="hours-set-checkout"
            >
              {t("volunteers.checkout.set")}
            </Button>
          ) : null}
          {e.hoursStatus === "pending" ? (
            <>
              {e.checkoutSource !== "auto" ? (
                <Button
                  size="small"
                  type="primary"
                  onClick={() => verify([e.id])}
                  data-testid="hours-verify-one"
                >
                  {t("volunteers.hours.verify")}
                </Button>
              ) : null}
              <Button
                size="small"
                danger
                onClick={() => setRejecting(e)}
                data-testid="hours-reject"
              >
                {t("volunteers.hours.reject")}
              </Button>
            </>
          ) : null}
          <Button size="small" onClick={() => setCorrecting(e)} data-testid="hours-correct">
            {t("volunteers.hours.correct")}
          </Button>
          <Button size="small" type="link" onClick={() => setHistory(e)}>
            {t("volunteers.hours.history")}
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <ListPage
      testId="hours-page"
      title={t("volunteers.nav.hours")}
      intro={t("volunteers.hours.intro")}
      actions={
        status === "pending" ? (
          <Button
            type="primary"
            icon={<CheckOutlined />}
            disabled={selected.length === 0}
            loading={busy}
            onClick={() => verify(selected)}
            data-testid="hours-verify-selected"
          >
            {t("volunteers.hours.verifySelected", { count: selected.length })}
          </Button>
        ) : null
      }
      filters={
        <>
          <Segmented
            value={status}
            onChange={(v) => {
              setStatus(v as Status);
              setSelected([]);
              setPage(1);
            }}
            options={HOURS_STATUSES.map((s) => ({
              value: s,
              label: t(`volunteers.hoursStatus.${s}`),
            }))}
          />
          <SearchInput
            value={q}
            onSearch={(x) => {
              setQ(x);
              setPage(1);
            }}
            placeholder={t("volunteers.hours.search")}
          />
        </>
      }
    >
      {list.error ? <ErrorAlert error={list.error} onRetry={list.reload} /> : null}
      <Table<HoursEntry>
        rowKey="id"
        size="middle"
        scroll={{ x: true }}
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        columns={columns}
        data-testid="hours-table"
        rowSelection={
          status === "pending"
            ? {
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys.map(String)),
                // 未签退: the real check-out time comes first.
                getCheckboxProps: (e) => ({
                  disabled: e.checkoutSource === "auto",
                  title:
                    e.checkoutSource === "auto" ? t("volunteers.checkout.verifyFirst") : undefined,
                }),
              }
            : undefined
        }
        locale={{
          emptyText: t(
            status === "pending" ? "volunteers.hours.emptyPending" : "volunteers.hours.empty",
          ),
        }}
        pagination={{
          current: page,
          pageSize: PAGE,
          total: list.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
      />
      <ReasonModal
        entry={rejecting}
        title={t("volunteers.hours.rejectTitle")}
        withMinutes={false}
        onClose={() => setRejecting(null)}
        onSubmit={async (v) => {
          if (!rejecting) return;
          await rejectHours(rejecting.id, v.reason, rejecting.version);
          list.reload();
        }}
      />
      <ReasonModal
        entry={correcting}
        title={t("volunteers.hours.correctTitle")}
        withMinutes
        onClose={() => setCorrecting(null)}
        onSubmit={async (v) => {
          if (!correcting) return;
          await correctHours(correcting.id, v.minutes ?? 0, v.reason, correcting.version);
          list.reload();
        }}
      />
      <CheckoutModal
        entry={closing}
        onClose={() => setClosing(null)}
        onDone={() => {
          void message.success(t("volunteers.checkout.done"));
          list.reload();
        }}
      />
      <Modal
        open={history !== null}
        title={t("volunteers.hours.history")}
        footer={null}
        onCancel={() => setHistory(null)}
        destroyOnHidden
      >
        {history ? <HistoryList id={history.id} /> : null}
      </Modal>
    </ListPage>
  );
}

function ReasonModal(props: {
  entry: HoursEntry | null;
  title: string;
  withMinutes: boolean;
  onClose: () => void;
  onSubmit: (v: { reason: string; minutes?: number }) => Promise<void>;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string; minutes?: number }>();
  const [saving, setSaving] = useState(false);
  const e = props.entry;
  const cap = e
    ? Math.round((Date.parse(e.shift.endsAt) - Date.parse(e.shift.startsAt)) / 60_000)
    : 720;
  return (
    <Modal
      open={e !== null}
      title={props.title}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: saving, "data-testid": "hours-reason-submit" } as ButtonProps}
      destroyOnHidden
    >
      {e ? (
        <Typography.Paragraph>
          {e.volunteer.name} · {e.shift.title} · {e.minutes !== null ? hoursOf(e.minutes) : "—"} h
        </Typography.Paragraph>
      ) : null}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ minutes: e?.minutes ?? 0 }}
        onFinish={async (v) => {
          setSaving(true);
          try {
            await props.onSubmit(v);
            props.onClose();
          } catch (err) {
            void message.error(describeError(err, t));
          } finally {
            setSaving(false);
          }
        }}
      >
        {props.withMinutes ? (
          <Form.Item
            name="minutes"
            label={t("volunteers.hours.newMinutes", { cap })}
            rules={[{ required: true }]}
          >
            <InputNumber
              min={0}
              max={cap}
              style={{ width: "100%" }}
              data-testid="hours-new-minutes"
            />
          </Form.Item>
        ) : null}
        <Form.Item
          name="reason"
          label={t("volunteers.hours.reason")}
          rules={[{ required: true, min: 2, message: t("volunteers.hours.reasonRequired") }]}
        >
          <Input.TextArea rows={2} maxLength={500} data-testid="hours-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * 补录签退时间: the real check-out time (China time) of an attendance the
 * system closed, between the check-in and 2 hours after the shift's end, with
 * a reason. The server checks the range again and logs the change.
 */
function CheckoutModal(props: {
  entry: HoursEntry | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ time: string; reason: string }>();
  const [saving, setSaving] = useState(false);
  const e = props.entry;
  const lang = i18n.resolvedLanguage;
  const from = e?.checkedInAt ?? null;
  const to = e
    ? new Date(
        Date.parse(e.shift.endsAt) + SHIFT_RULES.autoCheckoutAfterHours * 3_600_000,
      ).toISOString()
    : null;
  const range = from && to ? { from: clockText(from, lang), to: clockText(to, lang) } : null;
  return (
    <Modal
      open={e !== null}
      title={t("volunteers.checkout.setTitle")}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: saving, "data-testid": "checkout-submit" } as ButtonProps}
      destroyOnHidden
    >
      {e && range ? (
        <Typography.Paragraph data-testid="checkout-intro">
          {t("volunteers.checkout.setIntro", {
            name: e.volunteer.name,
            checkedIn: range.from,
            ends: clockText(e.shift.endsAt, lang),
          })}
        </Typography.Paragraph>
      ) : null}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ time: e ? chinaLocalInput(e.shift.endsAt) : undefined }}
        onFinish={async (v) => {
          if (!e) return;
          setSaving(true);
          try {
            await setCheckoutTime(e.id, fromChinaLocalInput(v.time), v.reason.trim(), e.version);
            props.onClose();
            props.onDone();
          } catch (err) {
            void message.error(describeError(err, t));
          } finally {
            setSaving(false);
          }
        }}
      >
        <Form.Item
          name="time"
          label={t("volunteers.checkout.time")}
          extra={range ? t("volunteers.checkout.range", range) : null}
          rules={[
            { required: true, message: t("volunteers.checkout.timeRequired") },
            {
              validator: async (_, v?: string) => {
                if (!v || !from || !to || !range) return;
                const at = Date.parse(fromChinaLocalInput(v));
                if (Number.isNaN(at) || at < Date.parse(from) || at > Date.parse(to))
                  throw new Error(t("volunteers.checkout.outOfRange", range));
              },
            },
          ]}
        >
          <Input
            type="datetime-local"
            min={from ? chinaLocalInput(from) : undefined}
            max={to ? chinaLocalInput(to) : undefined}
            data-testid="checkout-time"
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t("volunteers.hours.reason")}
          rules={[
            {
              required: true,
              whitespace: true,
              min: 2,
              message: t("volunteers.hours.reasonRequired"),
            },
          ]}
        >
          <Input.TextArea rows={2} maxLength={500} data-testid="checkout-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function HistoryList(props: { id: string }) {
  const { t, i18n } = useTranslation();
  const h = useApi(`hours-history:${props.id}`, (signal) => hoursHistory(props.id, signal));
  if (h.error) return <ErrorAlert error={h.error} onRetry={h.reload} />;
  const fmt = new Intl.DateTimeFormat(i18n.resolvedLanguage === "en-US" ? "en-US" : "zh-CN", {
    timeZone: "Asia/Shanghai",
    dateStyle: "short",
    timeStyle: "short",
  });
  return (
    <Timeline
      data-testid="hours-history"
      items={(h.data?.items ?? []).map((x) => ({
        key: x.id,
        content: (
          <div>
            <Typography.Text strong>
              {t(`volunteers.hours.actions.${x.action}` as "volunteers.hours.actions.verify")}
            </Typography.Text>
            {` · ${x.actor ?? "—"} · ${fmt.format(new Date(x.createdAt))}`}
            {x.action === "correct" || x.newMinutes !== null ? (
              <div>
                {x.oldMinutes !== null ? `${x.oldMinutes} → ` : ""}
                {x.newMinutes ?? ""} {t("volunteers.hours.minuteUnit")}
              </div>
            ) : null}
            {x.newCheckedOutAt ? (
              <div>
                {t("volunteers.shift.out")}:{" "}
                {x.oldCheckedOutAt
                  ? `${clockText(x.oldCheckedOutAt, i18n.resolvedLanguage)} → `
                  : ""}
                {clockText(x.newCheckedOutAt, i18n.resolvedLanguage)}
              </div>
            ) : null}
            {x.reason ? <div>{x.reason}</div> : null}
          </div>
        ),
      }))}
    />
  );
}
