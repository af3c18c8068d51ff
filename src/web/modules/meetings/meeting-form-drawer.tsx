/**
 * 召开会议 / 编辑会议: the title, the area whose coordination centre calls it
 * (default: the caller's widest), the time (only in the future), the place
 * and the participants — departments, enterprises and associations in one
 * picker. The server tells the invited; a 409 (someone changed the meeting
 * meanwhile) says so and the page reloads it.
 */
import { App, Button, DatePicker, Drawer, Form, Grid, Input, Space, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { MeetingDetail } from "../../../shared/schemas/meetings.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { applyServerErrors, type NamePath } from "../../ui/server-errors.js";
import { useApi } from "../../ui/use-api.js";
import { AreaTreeSelect, areasOnce } from "../organisations/area-tree-select.js";
import { AssistPartySelect, type PartyKey } from "../routing/routing-bits.js";
import { createMeeting, type MeetingInput, updateMeeting } from "./meetings-api.js";

interface Values {
  title: string;
  areaCode?: string;
  scheduledAt: Dayjs;
  place: string;
  participants: PartyKey[];
}

const keysOf = (m: MeetingDetail): PartyKey[] =>
  m.participants.map((p): PartyKey => (p.kind === "department" ? `d:${p.refId}` : `o:${p.refId}`));

function fieldOf(path: string): NamePath | null {
  if (path.startsWith("body.participants")) return ["participants"];
  const f = path.replace(/^body\./, "").split(".")[0];
  if (f === "areaId") return ["areaCode"];
  return f && ["title", "scheduledAt", "place"].includes(f) ? [f] : null;
}

export function MeetingFormDrawer(props: {
  open: boolean;
  /** the meeting being edited; none for a new one */
  meeting?: MeetingDetail | null;
  onClose: () => void;
  onSaved: (m: MeetingDetail) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const areas = useApi(props.open ? "areas:all" : null, (signal) => areasOnce(signal));
  const m = props.meeting;
  const known = useMemo(
    () =>
      new Map<PartyKey, string>(
        (m?.participants ?? []).map((p) => [
          p.kind === "department" ? (`d:${p.refId}` as const) : (`o:${p.refId}` as const),
          p.name,
        ]),
      ),
    [m],
  );

  const save = async () => {
    setError(null);
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      const participants = {
        departmentIds: v.participants.filter((k) => k.startsWith("d:")).map((k) => k.slice(2)),
        organisationIds: v.participants.filter((k) => k.startsWith("o:")).map((k) => k.slice(2)),
      };
      const body: MeetingInput = {
        title: v.title.trim(),
        scheduledAt: v.scheduledAt.second(0).millisecond(0).toISOString(),
        place: v.place.trim(),
        participants,
      };
      const saved = m
        ? await updateMeeting(m.id, { ...body, version: m.version })
        : await createMeeting({
            ...body,
            areaId: v.areaCode ? areas.data?.find((a) => a.code === v.areaCode)?.id : undefined,
          });
      message.success(m ? t("meetings.form.updated") : t("meetings.form.created"));
      form.resetFields();
      props.onSaved(saved);
    } catch (err) {
      setError(applyServerErrors(form, err, fieldOf));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer
      open={props.open}
      onClose={props.onClose}
      title={m ? t("meetings.form.titleEdit") : t("meetings.form.titleNew")}
      size={screens.md === false ? "100%" : 560}
      destroyOnHidden
      data-testid="meeting-form-drawer"
      footer={
        <Space style={{ width: "100%", justifyContent: "flex-end" }}>
          <Button onClick={props.onClose}>{t("common.cancel")}</Button>
          <Button type="primary" loading={saving} onClick={save} data-testid="meeting-form-save">
            {m ? t("common.save") : t("meetings.form.submit")}
          </Button>
        </Space>
      }
    >
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark="optional"
        initialValues={
          m
            ? {
                title: m.title,
                areaCode: m.area.code,
                scheduledAt: dayjs(m.scheduledAt),
                place: m.place,
                participants: keysOf(m),
              }
            : { participants: [] }
        }
      >
        <Form.Item
          name="title"
          label={t("meetings.form.title")}
          rules={[
            { required: true, whitespace: true, message: t("meetings.form.titleRequired") },
            { min: 2, message: t("meetings.form.titleRequired") },
            { max: 100 },
          ]}
        >
          <Input placeholder={t("meetings.form.titlePlaceholder")} data-testid="meeting-title" />
        </Form.Item>
        <Form.Item
          name="areaCode"
          label={t("meetings.form.area")}
          extra={m ? t("meetings.form.areaFixed") : t("meetings.form.areaHint")}
        >
          {m ? (
            <Typography.Text>{m.area.name}</Typography.Text>
          ) : (
            <AreaTreeSelect
              placeholder={t("meetings.form.areaPlaceholder")}
              width="100%"
              data-testid="meeting-area"
            />
          )}
        </Form.Item>
        <Form.Item
          name="scheduledAt"
          label={t("meetings.form.scheduledAt")}
          rules={[
            { required: true, message: t("meetings.form.scheduledAtRequired") },
            {
              validator: async (_r, v: Dayjs | undefined) => {
                if (v?.isBefore(dayjs())) throw new Error(t("meetings.form.scheduledAtPast"));
              },
            },
          ]}
        >
          <DatePicker
            showTime={{ format: "HH:mm", minuteStep: 5 }}
            format="YYYY-MM-DD HH:mm"
            disabledDate={(d) => d.isBefore(dayjs().startOf("day"))}
            style={{ width: "100%" }}
            data-testid="meeting-time"
          />
        </Form.Item>
        <Form.Item
          name="place"
          label={t("meetings.form.place")}
          rules={[
            { required: true, whitespace: true, message: t("meetings.form.placeRequired") },
            { min: 2, message: t("meetings.form.placeRequired") },
            { max: 100 },
          ]}
        >
          <Input placeholder={t("meetings.form.placePlaceholder")} data-testid="meeting-place" />
        </Form.Item>
        <Form.Item
          name="participants"
          label={t("meetings.form.participants")}
          extra={t("meetings.form.participantsHint")}
          rules={[
            { required: true, type: "array", message: t("meetings.form.participantsRequired") },
            {
              validator: async (_r, v: PartyKey[] | undefined) => {
                if ((v?.length ?? 0) > 100) throw new Error(t("meetings.form.participantsTooMany"));
              },
            },
          ]}
        >
          <AssistPartySelect known={known} data-testid="meeting-participants" />
        </Form.Item>
      </Form>
      {error ? <ErrorAlert error={error} /> : null}
    </Drawer>
  );
}
