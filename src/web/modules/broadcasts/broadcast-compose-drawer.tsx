/**
 * 发布广播 / 编辑草稿: title, text, category, SMS or not, and the audience —
 * the residents of an area, the employees of enterprises picked by name, or
 * the volunteers of an area or of one team — with a live count of how many
 * people each channel reaches (never who). 保存草稿 keeps it; 保存并发送
 * confirms the count and sends; after that it cannot be changed.
 */
import { SendOutlined } from "@ant-design/icons";
import {
  App,
  Button,
  type ButtonProps,
  Card,
  Drawer,
  Form,
  Grid,
  Input,
  Popconfirm,
  Radio,
  Select,
  Space,
  Spin,
  Switch,
  Typography,
} from "antd";
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
import type { Organisation } from "../../../shared/schemas/organisations.js";
import type { Team } from "../../../shared/schemas/volunteers.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { applyServerErrors } from "../../ui/server-errors.js";
import { useApi } from "../../ui/use-api.js";
import { useDebounced } from "../../ui/use-debounced.js";
import { AreaTreeSelect } from "../organisations/area-tree-select.js";
import { listOrganisations } from "../organisations/organisations-api.js";
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
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState<"draft" | "send" | null>(null);
  const [error, setError] = useState<unknown>(null);
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

  const save = async (send: boolean) => {
    setError(null);
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(send ? "send" : "draft");
    try {
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
    } catch (err) {
      setError(applyServerErrors(form, err, fieldOf));
    } finally {
      setSaving(null);
    }
  };

  return (
    <Drawer
      open={props.open}
      onClose={props.onClose}
      title={props.broadcast ? t("broadcasts.form.titleEdit") : t("broadcasts.form.titleNew")}
      size={screens.md === false ? "100%" : 600}
      destroyOnHidden
      data-testid="broadcast-compose-drawer"
      footer={
        <Space style={{ width: "100%", justifyContent: "flex-end" }} wrap>
          <Button onClick={props.onClose}>{t("common.cancel")}</Button>
          <Button
            onClick={() => save(false)}
            loading={saving === "draft"}
            disabled={saving !== null}
            data-testid="broadcast-save-draft"
          >
            {t("broadcasts.form.saveDraft")}
          </Button>
          <Popconfirm
            title={t("broadcasts.form.sendConfirm", { count: count ?? 0 })}
            onConfirm={() => save(true)}
            okText={t("broadcasts.detail.send")}
            cancelText={t("common.cancel")}
            okButtonProps={{ "data-testid": "broadcast-send-confirm" } as ButtonProps}
            disabled={count === null || count === 0}
          >
            <Button
              type="primary"
              icon={<SendOutlined />}
              loading={saving === "send"}
              disabled={saving !== null || count === null || count === 0}
              data-testid="broadcast-save-send"
            >
              {t("broadcasts.form.saveSend")}
            </Button>
          </Popconfirm>
        </Space>
      }
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
            <EnterpriseMultiSelect />
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
        {error ? (
          <div style={{ marginTop: 12 }}>
            <ErrorAlert error={error} />
          </div>
        ) : null}
      </Form>
    </Drawer>
  );
}

/** Enterprises picked by name, searched on the server as one types. */
function EnterpriseMultiSelect(props: {
  value?: string[];
  onChange?: (v: string[]) => void;
  id?: string;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState("");
  const settled = useDebounced(q.trim(), 250);
  const found = useApi(`broadcast-enterprise-pick:${settled}`, (signal) =>
    listOrganisations(
      { kind: "enterprise", q: settled || undefined, limit: 30, offset: 0 },
      signal,
    ),
  );
  const seen = useRef(new Map<string, Organisation>());
  for (const o of found.data?.items ?? []) seen.current.set(o.id, o);
  const chosen = (props.value ?? []).map((id) => seen.current.get(id)).filter((o) => !!o);
  const list = [
    ...chosen,
    ...(found.data?.items ?? []).filter((o) => !props.value?.includes(o.id)),
  ] as Organisation[];
  return (
    <Select
      id={props.id}
      mode="multiple"
      allowClear
      value={props.value}
      onChange={props.onChange}
      showSearch={{ filterOption: false, onSearch: setQ }}
      loading={found.loading}
      placeholder={t("broadcasts.form.enterprisesPlaceholder")}
      options={list.map((o) => ({
        value: o.id,
        label: o.name,
        detail: [o.industry, o.grid.name].filter(Boolean).join(" · "),
      }))}
      optionRender={(o) => (
        <div>
          <div>{o.label}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {String(o.data.detail ?? "")}
          </Typography.Text>
        </div>
      )}
      data-testid="broadcast-enterprises"
    />
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
