/**
 * 排班 (/shifts) for grid workers and associations: the shifts they plan or
 * oversee (upcoming, past), and a form to plan one: kind, area (a grid or a
 * community: its boundary is the check-in fence), time, capacity and
 * optionally a team (then only its members may sign up) or a case (a visit).
 */
import { PlusOutlined } from "@ant-design/icons";
import {
  App,
  Button,
  type ButtonProps,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Segmented,
  Select,
  type TableColumnsType,
} from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router-dom";
import { SHIFT_KINDS, SHIFT_RULES } from "../../../shared/schemas/volunteers.js";
import { describeError } from "../../ui/error-alert.js";
import { ListPage, ListTable, param, useListQuery } from "../../ui/list-page.js";
import { applyServerErrors } from "../../ui/server-errors.js";
import { useApi } from "../../ui/use-api.js";
import { AreaSelect } from "./area-select.js";
import { ShiftKindTag, shiftTimeText } from "./volunteer-bits.js";
import { createShift, listShifts, listTeams, type Shift } from "./volunteers-api.js";

const WHEN = ["upcoming", "past", "all"] as const;

export function ShiftPlanPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [planning, setPlanning] = useState(params.get("plan") === "1");
  const query = useListQuery({
    filters: { when: param.oneOf(WHEN), kind: param.oneOf(SHIFT_KINDS) },
    sorts: ["startsAt"] as const,
    defaultSort: "startsAt",
  });
  const when = query.filters.when ?? "upcoming";
  const request = {
    view: "manage",
    when,
    kind: query.filters.kind,
    limit: query.limit,
    offset: query.offset,
  };
  const list = useApi(`shifts:${JSON.stringify(request)}`, (signal) => listShifts(request, signal));
  const columns: TableColumnsType<Shift> = [
    {
      title: t("volunteers.shift.time"),
      key: "startsAt",
      render: (_, s) => shiftTimeText(s.startsAt, s.endsAt, i18n.resolvedLanguage),
    },
    { title: t("volunteers.plan.title"), dataIndex: "title" },
    { title: t("volunteers.plan.kind"), render: (_, s) => <ShiftKindTag kind={s.kind} /> },
    { title: t("volunteers.shift.area"), render: (_, s) => s.area.name },
    { title: t("volunteers.shift.team"), render: (_, s) => s.team?.name ?? "—" },
    {
      title: t("volunteers.shift.places"),
      render: (_, s) => `${s.signedUp} / ${s.capacity}`,
    },
    {
      title: t("volunteers.shift.status"),
      render: (_, s) => (s.status === "cancelled" ? t("volunteers.shift.cancelled") : "—"),
    },
  ];
  return (
    <ListPage
      testId="shift-plan-page"
      title={t("volunteers.nav.plan")}
      intro={t("volunteers.plan.intro")}
      actions={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setPlanning(true)}
          data-testid="shift-plan-new"
        >
          {t("volunteers.plan.new")}
        </Button>
      }
      filters={
        <>
          <Segmented
            value={when}
            onChange={(v) => query.setFilters({ when: v as (typeof WHEN)[number] })}
            options={WHEN.map((w) => ({ value: w, label: t(`volunteers.plan.when.${w}`) }))}
          />
          <Select
            allowClear
            placeholder={t("volunteers.plan.allKinds")}
            value={query.filters.kind}
            onChange={(k) => query.setFilters({ kind: k })}
            options={SHIFT_KINDS.map((k) => ({ value: k, label: t(`volunteers.kinds.${k}`) }))}
            style={{ width: 140 }}
          />
        </>
      }
    >
      <ListTable<Shift, "startsAt">
        rowKey="id"
        query={query}
        list={list}
        columns={columns}
        testId="shifts"
        emptyText={t("volunteers.plan.empty")}
        noMatchText={t("volunteers.plan.noMatch")}
        scroll={{ x: true }}
        onRow={(s) => ({
          onClick: () => navigate(`/shifts/${s.id}`),
          style: { cursor: "pointer" },
        })}
      />
      <PlanShiftModal
        open={planning}
        caseId={params.get("caseId") ?? undefined}
        onClose={() => setPlanning(false)}
        onCreated={(id) => navigate(`/shifts/${id}`)}
      />
    </ListPage>
  );
}

interface PlanValues {
  kind: (typeof SHIFT_KINDS)[number];
  title: string;
  areaCode?: string;
  window?: [Dayjs, Dayjs];
  capacity: number;
  teamId?: string;
  caseId?: string;
  fenceToleranceM: number;
  description?: string;
}

function PlanShiftModal(props: {
  open: boolean;
  caseId: string | undefined;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<PlanValues>();
  const [saving, setSaving] = useState(false);
  const teams = useApi(props.open ? "teams:manageable" : null, (signal) =>
    listTeams({ manageable: "true", limit: 200 }, signal),
  );
  const submit = async (v: PlanValues) => {
    setSaving(true);
    try {
      const [from, to] = v.window as [Dayjs, Dayjs];
      const created = await createShift({
        kind: v.kind,
        title: v.title,
        areaCode: v.areaCode,
        startsAt: from.toISOString(),
        endsAt: to.toISOString(),
        capacity: v.capacity,
        fenceToleranceM: v.fenceToleranceM,
        ...(v.teamId ? { teamId: v.teamId } : {}),
        ...(v.caseId ? { caseId: v.caseId } : {}),
        ...(v.description?.trim() ? { description: v.description.trim() } : {}),
      });
      void message.success(t("volunteers.plan.created"));
      props.onCreated(created.id);
    } catch (err) {
      const rest = applyServerErrors(form, err, (p) => {
        const f = p.startsWith("body.") ? p.slice(5) : null;
        return f === "startsAt" || f === "endsAt" ? ["window"] : f ? [f] : null;
      });
      if (rest) void message.error(describeError(rest, t));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={props.open}
      title={t("volunteers.plan.new")}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      okText={t("volunteers.plan.submit")}
      okButtonProps={{ loading: saving, "data-testid": "shift-plan-submit" } as ButtonProps}
      destroyOnHidden
    >
      <Form<PlanValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          kind: props.caseId ? "visit" : "patrol",
          capacity: 6,
          fenceToleranceM: SHIFT_RULES.defaultFenceToleranceM,
          caseId: props.caseId,
        }}
        data-testid="shift-plan-form"
      >
        <Form.Item name="kind" label={t("volunteers.plan.kind")} rules={[{ required: true }]}>
          <Select
            options={SHIFT_KINDS.map((k) => ({ value: k, label: t(`volunteers.kinds.${k}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="title"
          label={t("volunteers.plan.title")}
          rules={[{ required: true, min: 2, message: t("volunteers.plan.titleRequired") }]}
        >
          <Input maxLength={80} data-testid="shift-plan-title" />
        </Form.Item>
        <Form.Item
          name="areaCode"
          label={t("volunteers.plan.area")}
          extra={t("volunteers.plan.areaHelp")}
          rules={[{ required: true, message: t("volunteers.plan.areaRequired") }]}
        >
          <AreaSelect levels={["grid", "community"]} data-testid="shift-plan-area" />
        </Form.Item>
        <Form.Item
          name="window"
          label={t("volunteers.plan.window")}
          extra={t("volunteers.plan.windowHelp", { hours: SHIFT_RULES.maxHours })}
          rules={[{ required: true, message: t("volunteers.plan.windowRequired") }]}
        >
          <DatePicker.RangePicker
            showTime={{ format: "HH:mm", minuteStep: 15 }}
            format="YYYY-MM-DD HH:mm"
            style={{ width: "100%" }}
            data-testid="shift-plan-window"
          />
        </Form.Item>
        <Form.Item
          name="capacity"
          label={t("volunteers.plan.capacity")}
          rules={[{ required: true }]}
        >
          <InputNumber min={1} max={SHIFT_RULES.maxCapacity} style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item
          name="teamId"
          label={t("volunteers.plan.team")}
          extra={t("volunteers.plan.teamHelp")}
        >
          <Select
            allowClear
            loading={teams.loading}
            options={(teams.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))}
            data-testid="shift-plan-team"
          />
        </Form.Item>
        <Form.Item
          name="caseId"
          label={t("volunteers.plan.caseId")}
          extra={t("volunteers.plan.caseHelp")}
        >
          <Input inputMode="numeric" />
        </Form.Item>
        <Form.Item name="fenceToleranceM" label={t("volunteers.plan.fence")}>
          <InputNumber min={0} max={2000} addonAfter="m" style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item name="description" label={t("volunteers.plan.description")}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
