import {
  Alert,
  App,
  Card,
  Checkbox,
  Form,
  Input,
  Radio,
  Select,
  Space,
  Spin,
  Switch,
  TreeSelect,
  Typography,
} from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import {
  AUDIENCE_RATINGS,
  AUDIENCE_WARNING_LEVELS,
  NOTICE_IMPORTANCES,
  type NoticeAudienceInput,
  type NoticeDetail,
} from "../../../shared/schemas/liaison.js";
import { ComposeDrawer, useComposeSave } from "../../ui/compose-drawer.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { useApi } from "../../ui/use-api.js";
import { useDebounced } from "../../ui/use-debounced.js";
import { type AreaNode, buildAreaTree } from "../areas/area-tree-model.js";
import { loadAllAreas } from "../areas/areas-api.js";
import { EnterpriseMultiSelect } from "../organisations/enterprise-multi-select.js";
import { listIndustries } from "../organisations/organisations-api.js";
import {
  createNotice,
  type NoticeInput,
  previewAudience,
  sendNotice,
  updateNotice,
} from "./liaison-api.js";

type Mode = NoticeAudienceInput["mode"];

interface Values {
  title: string;
  body: string;
  importance: NoticeInput["importance"];
  ackRequired: boolean;
  ackDueOn?: string;
  mode: Mode;
  industries: string[];
  areaCodes: string[];
  ratings: NonNullable<NoticeAudienceInput["ratings"]>;
  warningLevels: NonNullable<NoticeAudienceInput["warningLevels"]>;
  enterpriseIds: string[];
}

const EMPTY: Values = {
  title: "",
  body: "",
  importance: "normal",
  ackRequired: false,
  mode: "all",
  industries: [],
  areaCodes: [],
  ratings: [],
  warningLevels: [],
  enterpriseIds: [],
};

function valuesOf(n: NoticeDetail | null | undefined): Values {
  if (!n?.audience) return EMPTY;
  return {
    title: n.title,
    body: n.body,
    importance: n.importance,
    ackRequired: n.ackRequired,
    ...(n.ackDueOn ? { ackDueOn: n.ackDueOn } : {}),
    mode: n.audience.mode,
    industries: n.audience.industries,
    areaCodes: n.audience.areaCodes,
    ratings: n.audience.ratings,
    warningLevels: n.audience.warningLevels,
    enterpriseIds: n.audience.enterpriseIds,
  };
}

function audienceOf(v: Partial<Values>): NoticeAudienceInput {
  const mode = v.mode ?? "all";
  return {
    mode,
    industries: mode === "filter" ? (v.industries ?? []) : [],
    areaCodes: mode === "filter" ? (v.areaCodes ?? []) : [],
    ratings: mode === "filter" ? (v.ratings ?? []) : [],
    warningLevels: mode === "filter" ? (v.warningLevels ?? []) : [],
    enterpriseIds: mode === "list" ? (v.enterpriseIds ?? []) : [],
  };
}

/** Could the server count this audience (a filter needs a criterion, a list a name)? */
function countable(a: NoticeAudienceInput): boolean {
  if (a.mode === "filter")
    return (
      (a.industries?.length ?? 0) +
        (a.areaCodes?.length ?? 0) +
        (a.ratings?.length ?? 0) +
        (a.warningLevels?.length ?? 0) >
      0
    );
  if (a.mode === "list") return (a.enterpriseIds?.length ?? 0) > 0;
  return true;
}

const fieldOf = (path: string) => {
  const name = path.replace(/^body\./, "").replace(/^audience\./, "");
  return [
    "title",
    "body",
    "importance",
    "ackRequired",
    "ackDueOn",
    "industries",
    "areaCodes",
    "ratings",
    "warningLevels",
    "enterpriseIds",
  ].includes(name)
    ? [name]
    : null;
};

export function NoticeComposeDrawer(props: {
  open: boolean;
  /** a draft being edited; none for a new notice */
  notice?: NoticeDetail | null;
  onClose: () => void;
  onSaved: (n: NoticeDetail) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const watched = Form.useWatch([], form) as Partial<Values> | undefined;
  const audience = audienceOf(watched ?? valuesOf(props.notice));
  const settled = useDebounced(audience, 350);
  const key = JSON.stringify(settled);
  const preview = useApi(
    props.open && countable(settled) ? `notice-preview:${key}` : null,
    (signal) => previewAudience(settled, signal),
  );
  const stale = key !== JSON.stringify(audience);
  const count = preview.data && !stale && countable(audience) ? preview.data.count : null;
  const ackRequired = watched?.ackRequired ?? false;
  const mode = watched?.mode ?? "all";

  const { saving, error, save } = useComposeSave(form, fieldOf, async (v, send) => {
    const body: NoticeInput = {
      title: v.title,
      body: v.body,
      importance: v.importance,
      ackRequired: v.ackRequired,
      ackDueOn: v.ackRequired && v.ackDueOn ? v.ackDueOn : null,
      audience: audienceOf(v),
    };
    let saved = props.notice
      ? await updateNotice(props.notice.id, { ...body, version: props.notice.version })
      : await createNotice(body);
    if (send) {
      saved = await sendNotice(saved.id, saved.version);
      message.success(t("liaison.compose.sent", { count: saved.counts?.recipients ?? 0 }));
    } else message.success(t("liaison.compose.saved"));
    form.resetFields();
    props.onSaved(saved);
  });

  return (
    <ComposeDrawer
      open={props.open}
      onClose={props.onClose}
      title={props.notice ? t("liaison.compose.titleEdit") : t("liaison.compose.titleNew")}
      width={640}
      testIdPrefix="notice"
      saving={saving}
      onSave={save}
      count={count}
      error={error}
      labels={{
        saveDraft: t("liaison.compose.saveDraft"),
        saveSend: t("liaison.compose.saveAndSend"),
        sendConfirm: t("liaison.compose.sendConfirm", { count: count ?? 0 }),
        send: t("liaison.detail.send"),
      }}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={valuesOf(props.notice)}
        requiredMark="optional"
      >
        <Form.Item
          name="title"
          label={t("liaison.compose.title")}
          rules={[
            { required: true, whitespace: true, message: t("liaison.compose.titleRequired") },
            { max: 100 },
          ]}
        >
          <Input
            placeholder={t("liaison.compose.titlePlaceholder")}
            maxLength={100}
            data-testid="notice-title"
          />
        </Form.Item>
        <Form.Item
          name="body"
          label={t("liaison.compose.body")}
          rules={[{ required: true, whitespace: true, message: t("liaison.compose.bodyRequired") }]}
        >
          <Input.TextArea rows={6} maxLength={10_000} showCount data-testid="notice-body" />
        </Form.Item>
        <Form.Item name="importance" label={t("liaison.compose.importance")}>
          <Radio.Group
            optionType="button"
            options={NOTICE_IMPORTANCES.map((i) => ({
              value: i,
              label: t(`liaison.importance.${i}`),
            }))}
            data-testid="notice-importance"
          />
        </Form.Item>
        <Space align="start" wrap size={24}>
          <Form.Item
            name="ackRequired"
            label={t("liaison.compose.ackRequired")}
            valuePropName="checked"
          >
            <Switch data-testid="notice-ack-required" />
          </Form.Item>
          {ackRequired ? (
            <Form.Item
              name="ackDueOn"
              label={t("liaison.compose.ackDueOn")}
              extra={t("liaison.compose.ackDueOnHint")}
            >
              <Input type="date" style={{ width: 180 }} data-testid="notice-ack-due" />
            </Form.Item>
          ) : null}
        </Space>

        <Typography.Title level={5}>{t("liaison.compose.audience")}</Typography.Title>
        <Form.Item name="mode">
          <Radio.Group
            options={(["all", "filter", "list"] as const).map((m) => ({
              value: m,
              label: t(`liaison.compose.modes.${m}`),
            }))}
            data-testid="notice-audience-mode"
          />
        </Form.Item>
        {mode === "filter" ? (
          <>
            <Form.Item name="industries" label={t("liaison.compose.industries")}>
              <IndustrySelect />
            </Form.Item>
            <Form.Item name="areaCodes" label={t("liaison.compose.areas")}>
              <AreaMultiSelect />
            </Form.Item>
            <Form.Item name="ratings" label={t("liaison.compose.ratings")}>
              <Checkbox.Group
                options={AUDIENCE_RATINGS.map((r) => ({
                  value: r,
                  label: t(`liaison.compose.ratingNames.${r}`),
                }))}
                data-testid="notice-ratings"
              />
            </Form.Item>
            <Form.Item name="warningLevels" label={t("liaison.compose.warningLevels")}>
              <Checkbox.Group
                options={AUDIENCE_WARNING_LEVELS.map((w) => ({
                  value: w,
                  label: t(`liaison.compose.warningNames.${w}`),
                }))}
                data-testid="notice-warning-levels"
              />
            </Form.Item>
          </>
        ) : null}
        {mode === "list" ? (
          <Form.Item name="enterpriseIds" label={t("liaison.compose.enterprises")}>
            <EnterpriseMultiSelect
              placeholder={t("liaison.compose.enterprisesPlaceholder")}
              testId="notice-enterprises"
            />
          </Form.Item>
        ) : null}
        <AudiencePreviewCard
          countable={countable(audience)}
          loading={preview.loading || stale}
          error={preview.error}
          data={preview.data && !stale ? preview.data : undefined}
          onRetry={preview.reload}
        />
      </Form>
    </ComposeDrawer>
  );
}

function AudiencePreviewCard(props: {
  countable: boolean;
  loading: boolean;
  error: unknown;
  data: Awaited<ReturnType<typeof previewAudience>> | undefined;
  onRetry: () => void;
}) {
  const { t } = useTranslation();
  if (!props.countable)
    return <Alert type="info" showIcon title={t("liaison.compose.previewNeedsCriterion")} />;
  if (props.error) return <ErrorAlert error={props.error} onRetry={props.onRetry} />;
  const d = props.data;
  return (
    <Card size="small" data-testid="notice-preview" data-count={d && !props.loading ? d.count : ""}>
      {!d || props.loading ? (
        <Space>
          <Spin size="small" />
          <Typography.Text type="secondary">{t("liaison.compose.previewLoading")}</Typography.Text>
        </Space>
      ) : (
        <>
          <Typography.Text strong data-testid="notice-preview-count">
            {t("liaison.compose.preview", { count: d.count })}
          </Typography.Text>
          {d.sample.length ? (
            <Typography.Paragraph type="secondary" style={{ margin: "4px 0 0", fontSize: 12 }}>
              {t("liaison.compose.previewSample", {
                names: d.sample
                  .slice(0, 6)
                  .map((s) => s.name)
                  .join("、"),
              })}
              {d.count > 6 ? t("liaison.compose.previewMore") : ""}
            </Typography.Paragraph>
          ) : null}
          {d.outOfScope ? (
            <Typography.Paragraph type="warning" style={{ margin: "4px 0 0", fontSize: 12 }}>
              {t("liaison.compose.previewOutOfScope", { count: d.outOfScope })}
            </Typography.Paragraph>
          ) : null}
        </>
      )}
    </Card>
  );
}

function IndustrySelect(props: {
  value?: string[];
  onChange?: (v: string[]) => void;
  id?: string;
}) {
  const { t } = useTranslation();
  const industries = useApi("organisation-industries", (signal) => listIndustries(signal));
  return (
    <Select
      id={props.id}
      mode="multiple"
      allowClear
      value={props.value}
      onChange={props.onChange}
      loading={industries.loading}
      placeholder={t("liaison.compose.industriesPlaceholder")}
      options={(industries.data?.items ?? []).map((i) => ({
        value: i.industry,
        label: `${i.industry}（${i.count}）`,
      }))}
      data-testid="notice-industries"
    />
  );
}

interface TreeOption {
  value: string;
  title: string;
  children: TreeOption[];
}

function AreaMultiSelect(props: {
  value?: string[];
  onChange?: (v: string[]) => void;
  id?: string;
}) {
  const { t } = useTranslation();
  const areas = useApi("areas:all", (signal) => loadAllAreas(signal));
  const treeData = useMemo(() => {
    const toOption = (n: AreaNode): TreeOption => ({
      value: n.area.code,
      title: n.area.name,
      children: n.children.map(toOption),
    });
    return buildAreaTree(areas.data ?? []).map(toOption);
  }, [areas.data]);
  return (
    <TreeSelect<string[]>
      id={props.id}
      multiple
      value={props.value}
      onChange={(v) => props.onChange?.(v ?? [])}
      treeData={treeData}
      treeNodeFilterProp="title"
      showSearch
      allowClear
      loading={areas.loading}
      placeholder={t("liaison.compose.areasPlaceholder")}
      treeDefaultExpandedKeys={treeData.map((n) => n.value)}
      style={{ width: "100%" }}
      data-testid="notice-areas"
    />
  );
}
