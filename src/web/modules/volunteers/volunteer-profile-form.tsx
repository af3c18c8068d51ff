/**
 * The volunteer's profile as a phone-first form: skills (a fixed list),
 * languages and dialects, where they come from, when they are usually free,
 * and the communities they would serve in. Signs up, or edits.
 */
import { App, Button, Checkbox, Form, Input, Select } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  DIALECTS,
  PROVINCE_DIALECTS,
  TIME_SLOTS,
  VOLUNTEER_LANGUAGES,
  VOLUNTEER_SKILLS,
  type VolunteerDetail,
} from "../../../shared/schemas/volunteers.js";
import { describeError } from "../../ui/error-alert.js";
import { applyServerErrors } from "../../ui/server-errors.js";
import { useApi } from "../../ui/use-api.js";
import {
  listCommunities,
  type MyVolunteer,
  signUpVolunteer,
  updateMyVolunteer,
} from "./volunteers-api.js";

interface Values {
  skills: string[];
  languages: string[];
  dialects: string[];
  originProvince?: string | null;
  availability: string[];
  preferredAreaCodes: string[];
  bio?: string;
}

/** "body.preferredAreaCodes.0" → the form field "preferredAreaCodes". */
export const fieldOf = (path: string) =>
  path.startsWith("body.") ? [path.slice(5).split(".")[0] as string] : null;

const slotKey = (s: { weekday: number; slot: string }) => `${s.weekday}-${s.slot}`;

export function VolunteerProfileForm(props: {
  mine: MyVolunteer;
  onSaved: (v: VolunteerDetail) => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const communities = useApi("volunteer-communities", listCommunities);
  const v = props.mine.volunteer;
  const s = props.mine.suggestions;
  const initial: Values = v
    ? {
        skills: v.skills,
        languages: v.languages,
        dialects: v.dialects,
        originProvince: v.originProvince,
        availability: v.availability.map(slotKey),
        preferredAreaCodes: v.preferredAreas.map((a) => a.code),
        bio: v.bio ?? "",
      }
    : {
        skills: [],
        languages: ["普通话"],
        dialects: s.dialects,
        originProvince: s.originProvince,
        availability: [],
        preferredAreaCodes: s.community ? [s.community.code] : [],
      };

  const submit = async (values: Values) => {
    setSaving(true);
    const body = {
      skills: values.skills,
      languages: values.languages,
      dialects: values.dialects,
      originProvince: values.originProvince || null,
      availability: values.availability.map((k) => {
        const [weekday, slot] = k.split("-");
        return { weekday: Number(weekday), slot };
      }),
      preferredAreaCodes: values.preferredAreaCodes,
      bio: values.bio?.trim() ? values.bio.trim() : null,
    };
    try {
      const saved = v
        ? await updateMyVolunteer({ ...body, version: v.version })
        : await signUpVolunteer(body);
      void message.success(t(v ? "volunteers.profile.saved" : "volunteers.profile.welcome"));
      props.onSaved(saved);
    } catch (err) {
      const rest = applyServerErrors(form, err, fieldOf);
      if (rest) void message.error(describeError(rest, t));
    } finally {
      setSaving(false);
    }
  };

  const weekdays = [1, 2, 3, 4, 5, 6, 7];
  return (
    <Form<Values>
      form={form}
      layout="vertical"
      initialValues={initial}
      onFinish={submit}
      data-testid="volunteer-profile-form"
      requiredMark={false}
    >
      <Form.Item
        name="skills"
        label={t("volunteers.profile.skills")}
        rules={[{ required: true, message: t("volunteers.profile.skillsRequired") }]}
      >
        <Checkbox.Group
          data-testid="volunteer-skills"
          options={VOLUNTEER_SKILLS.map((k) => ({ value: k, label: t(`volunteers.skills.${k}`) }))}
        />
      </Form.Item>
      <Form.Item
        name="preferredAreaCodes"
        label={t("volunteers.profile.communities")}
        extra={t("volunteers.profile.communitiesHelp")}
        rules={[{ required: true, message: t("volunteers.profile.communitiesRequired") }]}
      >
        <Select
          mode="multiple"
          maxCount={5}
          loading={communities.loading}
          showSearch={{ optionFilterProp: "label" }}
          data-testid="volunteer-communities"
          placeholder={t("volunteers.profile.communitiesPlaceholder")}
          options={(communities.data?.items ?? []).map((c) => ({
            value: c.code,
            label: `${c.name}（${c.street}）`,
          }))}
        />
      </Form.Item>
      <Form.Item name="originProvince" label={t("volunteers.profile.origin")}>
        <Select
          allowClear
          showSearch
          data-testid="volunteer-origin"
          options={Object.keys(PROVINCE_DIALECTS).map((p) => ({ value: p, label: p }))}
          onChange={(p?: string) => {
            // Suggest the province's dialects when none are chosen yet.
            if (p && (form.getFieldValue("dialects") as string[]).length === 0)
              form.setFieldValue("dialects", [...(PROVINCE_DIALECTS[p] ?? [])]);
          }}
        />
      </Form.Item>
      <Form.Item name="dialects" label={t("volunteers.profile.dialects")}>
        <Select
          mode="multiple"
          data-testid="volunteer-dialects"
          options={DIALECTS.map((d) => ({ value: d, label: d }))}
        />
      </Form.Item>
      <Form.Item name="languages" label={t("volunteers.profile.languages")}>
        <Select
          mode="multiple"
          options={VOLUNTEER_LANGUAGES.map((d) => ({ value: d, label: d }))}
        />
      </Form.Item>
      <Form.Item
        name="availability"
        label={t("volunteers.profile.availability")}
        extra={t("volunteers.profile.availabilityHelp")}
      >
        <Select
          mode="multiple"
          data-testid="volunteer-availability"
          options={weekdays.flatMap((w) =>
            TIME_SLOTS.map((slot) => ({
              value: `${w}-${slot}`,
              label: `${t(`volunteers.weekdays.${w}` as "volunteers.weekdays.1")}${t(`volunteers.slots.${slot}`)}`,
            })),
          )}
        />
      </Form.Item>
      <Form.Item name="bio" label={t("volunteers.profile.bio")}>
        <Input.TextArea rows={2} maxLength={500} showCount />
      </Form.Item>
      <Button
        type="primary"
        htmlType="submit"
        size="large"
        block
        loading={saving}
        data-testid="volunteer-submit"
      >
        {t(v ? "common.save" : "volunteers.profile.signUp")}
      </Button>
      {props.onCancel ? (
        <Button block style={{ marginTop: 8 }} onClick={props.onCancel}>
          {t("common.cancel")}
        </Button>
      ) : null}
    </Form>
  );
}
