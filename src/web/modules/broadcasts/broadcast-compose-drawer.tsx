import { App, Card, Form, Input, Radio, Select, Space, Spin, Switch, Typography } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  AUDIENCE_KINDS,
  type AudienceKind,
  BROADCAST_CATEGORIES,
  type BroadcastAudienceInput,
  type BroadcastCategory,
  type BroadcastDetail,
} from "../../../shared/schemas/broadcasts.js";
import type { Team } from "../../../shared/schemas/volunteers.js";
import { ComposeDrawer, useComposeSave } from "../../ui/compose-drawer.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { useApi } from "../../ui/use-api.js";
import { useDebounced } from "../../ui/use-debounced.js";
import { AreaTreeSelect } from "../organisations/area-tree-select.js";
import { EnterpriseMultiSelect } from "../organisations/enterprise-multi-select.js";
import { listTeams } from "../volunteers/volunteers-api.js";
import {
  createBroadcast,
  previewAudience,
  sendBroadcast,
  updateBroadcast,
} from "./broadcasts-api.js";
import { ReachCounts } from "./broadcasts-bits.js";

interface Values {
  title: string;
  body: string;
  category: BroadcastCategory;
  sms: boolean;
  kind: AudienceKind;
  areaCode?: string;
  enterpriseIds: string[];
  volunteerScope: "area" | "team";
  teamId?: string;
}

const EMPTY: Values = {
  title: "",
  body: "",
  category: "anti_fraud",
  sms: true,
  kind: "residents",
  enterpriseIds: [],
  volunteerScope: "area",
};

function valuesOf(b: BroadcastDetail | null | undefined): Values {
  if (!b) return EMPTY;
  return {
    title: b.title,
    body: b.body,
    category: b.category,
    sms: b.sms,
    kind: b.audience.kind,
    ...(b.audience.areaCode ? { areaCode: b.audience.areaCode } : {}),
    enterpriseIds: b.audience.enterprises.map((e) => e.id),
    volunteerScope: b.audience.teamId ? "team" : "area",
    ...(b.audience.teamId ? { teamId: b.audience.teamId } : {}),
  };
}

/** The audience the form describes, as the API takes it. */
export function audienceOf(v: Partial<Values>): BroadcastAudienceInput {
  const kind = v.kind ?? "residents";
  if (kind === "employees") return { kind, enterpriseIds: v.enterpriseIds ?? [] };
  if (kind === "volunteers" && v.volunteerScope === "team")
    return v.teamId ? { kind, teamId: v.teamId } : { kind };
  return v.areaCode ? { kind, areaCode: v.areaCode } : { kind };
}

/** Can the server count it yet (an area, a team, an enterprise chosen)? */
export function countable(a: BroadcastAudienceInput): boolean {
  if (a.kind === "employees") return (a.enterpriseIds?.length ?? 0) > 0;
  return Boolean(a.areaCode || a.teamId);
}

const fieldOf = (path: string) => {
  const name = path.replace(/^body\./, "").replace(/^audience\./, "");
  return ["title", "body", "category", "areaCode", "enterpriseIds", "teamId"].includes(name)
    ? [name]
    : null;
};

export function BroadcastComposeDrawer(props: {
  open: boolean;
  /** a draft being edited; none for a new broadcast */
  broadcast?: BroadcastDetail | null;
  onClose: () => void;
  onSaved: (b: BroadcastDetail) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const watched = Form.useWatch([], form) as Partial<Values> | undefined;
  const current = watched ?? valuesOf(props.broadcast);
  const audience = audienceOf(current);
  const sms = current.sms ?? true;
  const settled = useDebounced({ audience, sms }, 350);
  const key = JSON.stringify(settled);
  const preview = useApi(
    props.open && countable(settled.audience) ? `broadcast-preview:${key}` : null,
    (signal) => previewAudience(settled.audience, settled.sms, signal),
  );
  const stale = key !== JSON.stringify({ audience, sms });
  const count = preview.data && !stale && countable(audience) ? preview.data.targeted : null;
  const kind = current.kind ?? "residents";

  const { saving, error, save } = useComposeSave(form, fieldOf, async (v, send) => {
    const body = {
      title: v.title,
      body: v.body,
      category: v.category,
      sms: v.sms,
      audience: audienceOf(v),
    };
    let saved = props.broadcast
      ? await updateBroadcast(props.broadcast.id, { ...body, version: props.broadcast.version })
      : await createBroadcast(body);
    if (send) {
      saved = await sendBroadcast(saved.id, saved.version);
      message.success(t("broadcasts.form.sent", { count: count ?? 0 }));
    } else message.success(t("broadcasts.form.saved"));
    form.resetFields();
    props.onSaved(saved);
  });

  return (
    <ComposeDrawer
      open={props.open}
      onClose={props.onClose}
      title={props.broadcast ? t("broadcasts.form.titleEdit") : t("broadcasts.form.titleNew")}
      width={600}
      testIdPrefix="broadcast"
      saving={saving}
      onSave={save}
      count={count}
      error={error}
      labels={{
        saveDraft: t("broadcasts.form.saveDraft"),
        saveSend: t("broadcasts.form.saveSend"),
        sendConfirm: t("broadcasts.form.sendConfirm", { count: count ?? 0 }),
        send: t("broadcasts.detail.send"),
      }}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={valuesOf(props.broadcast)}
        requiredMark="optional"
      >
        <Form.Item name="category" label={t("broadcasts.form.category")}>
          <Radio.Group
            optionType="button"
            options={BROADCAST_CATEGORIES.map((c) => ({
              value: c,
              label: t(`broadcasts.categories.${c}`),
            }))}
            data-testid="broadcast-category-input"
          />
        </Form.Item>
        <Form.Item
          name="title"
          label={t("broadcasts.form.title")}
          rules={[
            {
              required: true,
              whitespace: true,
              min: 2,
              message: t("broadcasts.form.titleRequired"),
            },
          ]}
        >
          <Input
            placeholder={t("broadcasts.form.titlePlaceholder")}
            maxLength={60}
            showCount
            data-testid="broadcast-title"
          />
        </Form.Item>
        <Form.Item
          name="body"
          label={t("broadcasts.form.body")}
          extra={t("broadcasts.form.bodyHint")}
          rules={[
            {
              required: true,
              whitespace: true,
              min: 5,
              message: t("broadcasts.form.bodyRequired"),
            },
          ]}
        >
          <Input.TextArea rows={5} maxLength={500} showCount data-testid="broadcast-body" />
        </Form.Item>
        <Form.Item
          name="sms"
          label={t("broadcasts.form.sms")}
          valuePropName="checked"
          extra={t("broadcasts.form.smsHint")}
        >
          <Switch data-testid="broadcast-sms" />
        </Form.Item>

        <Typography.Title level={5}>{t("broadcasts.form.audience")}</Typography.Title>
        <Form.Item name="kind">
          <Radio.Group
            options={AUDIENCE_KINDS.map((k) => ({
              value: k,
              label: t(`broadcasts.audienceKinds.${k}`),
            }))}
            data-testid="broadcast-audience-kind"
          />
        </Form.Item>
        {kind === "volunteers" ? (
          <Form.Item name="volunteerScope" label={t("broadcasts.form.volunteerScope")}>
            <Radio.Group
              optionType="button"
              options={[
                { value: "area", label: t("broadcasts.form.byArea") },
                { value: "team", label: t("broadcasts.form.byTeam") },
              ]}
              data-testid="broadcast-volunteer-scope"
            />
          </Form.Item>
        ) : null}
        {kind === "residents" || (kind === "volunteers" && current.volunteerScope !== "team") ? (
          <Form.Item
            name="areaCode"
            label={t("broadcasts.form.area")}
            rules={[{ required: true, message: t("broadcasts.form.areaRequired") }]}
          >
            <AreaTreeSelect
              width="100%"
              placeholder={t("broadcasts.form.areaPlaceholder")}
              data-testid="broadcast-area"
            />
          </Form.Item>
        ) : null}
        {kind === "employees" ? (
          <Form.Item
            name="enterpriseIds"
            label={t("broadcasts.form.enterprises")}
            rules={[
              {
                required: true,
                type: "array",
                min: 1,
                message: t("broadcasts.form.enterprisesRequired"),
              },
            ]}
          >
            <EnterpriseMultiSelect
              placeholder={t("broadcasts.form.enterprisesPlaceholder")}
              testId="broadcast-enterprises"
            />
          </Form.Item>
        ) : null}
        {kind === "volunteers" && current.volunteerScope === "team" ? (
          <Form.Item
            name="teamId"
            label={t("broadcasts.form.team")}
            rules={[{ required: true, message: t("broadcasts.form.teamRequired") }]}
          >
            <TeamSelect />
          </Form.Item>
        ) : null}
        <Card size="small" title={t("broadcasts.preview.title")} data-testid="broadcast-preview">
          {!countable(audience) ? (
            <Typography.Text type="secondary">
              {t("broadcasts.preview.needsAudience")}
            </Typography.Text>
          ) : preview.error ? (
            <ErrorAlert error={preview.error} onRetry={preview.reload} />
          ) : !preview.data || stale || preview.loading ? (
            <Space>
              <Spin size="small" />
              <Typography.Text type="secondary">{t("broadcasts.preview.loading")}</Typography.Text>
            </Space>
          ) : (
            <ReachCounts counts={preview.data} />
          )}
        </Card>
      </Form>
    </ComposeDrawer>
  );
}

/** A volunteer team picked by name. */
function TeamSelect(props: {
  value?: string;
  onChange?: (v: string | undefined) => void;
  id?: string;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState("");
  const settled = useDebounced(q.trim(), 250);
  const found = useApi(`broadcast-team-pick:${settled}`, (signal) =>
    listTeams({ q: settled || undefined, limit: 30, offset: 0 }, signal),
  );
  const seen = useRef(new Map<string, Team>());
  for (const x of found.data?.items ?? []) seen.current.set(x.id, x);
  const chosen = props.value ? seen.current.get(props.value) : undefined;
  const items = found.data?.items ?? [];
  const list = chosen && !items.some((x) => x.id === chosen.id) ? [chosen, ...items] : items;
  return (
    <Select<string>
      id={props.id}
      allowClear
      value={props.value}
      onChange={(v) => props.onChange?.(v)}
      showSearch={{ filterOption: false, onSearch: setQ }}
      loading={found.loading}
      placeholder={t("broadcasts.form.teamPlaceholder")}
      options={list.map((x) => ({ value: x.id, label: `${x.name}（${x.members}）` }))}
      data-testid="broadcast-team"
    />
  );
}
