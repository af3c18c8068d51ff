/**
 * The report form (我要上报), for a phone first: the category in two steps
 * (family, then the category itself) with what it covers and its service
 * notice; categories the platform does not take show where to go instead
 * and cannot be sent; the category's own extra fields, checked as they are
 * typed by the shared validator the server uses; the description; the place
 * (a pin on the map, 使用我的位置, an optional address); for staff the channel
 * and, on the hotline, who called; for residents 匿名上报. One
 * Idempotency-Key per filled-in form, so a double tap or a retry after a
 * lost answer does not report the case twice.
 */
import { SendOutlined } from "@ant-design/icons";
import {
  Alert,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Switch,
  Typography,
} from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { mobileSchema } from "../../../shared/formats/mobile.js";
import {
  type CaseChannel,
  type CaseDetail,
  type CreateCaseBody,
  createCaseBody,
} from "../../../shared/schemas/cases.js";
import { ApiError } from "../../api/client.js";
import { useMeta } from "../../api/meta.js";
import { hasPermission, homeAreaCode, isResident } from "../../auth/access.js";
import { useAuth } from "../../auth/auth-context.js";
import { localizeMessage } from "../../i18n/index.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { GeolocateButton } from "../../ui/geolocate-button.js";
import { PageLoading } from "../../ui/page-loading.js";
import { applyServerErrors } from "../../ui/server-errors.js";
import { useApi } from "../../ui/use-api.js";
import { optionalZodRule, zodRule } from "../../ui/zod-rule.js";
import { type LngLat, LocationPicker } from "../areas/location-picker.js";
import { WideSubmitButton } from "./case-bits.js";
import {
  caseFieldsBody,
  categoryTree,
  checkCaseField,
  newIdempotencyKey,
  readableIssues,
  reportChannels,
} from "./case-model.js";
import { type Category, type CategoryField, createCase, loadCategories } from "./cases-api.js";

interface ReportValues {
  family?: string;
  categoryCode?: string;
  fields?: Record<string, unknown>;
  description?: string;
  location?: LngLat;
  address?: string;
  channel?: CaseChannel;
  onBehalfName?: string;
  onBehalfPhone?: string;
  anonymous?: boolean;
}

/** Where the server's field errors land: "body.fields.amount_lost" → ["fields", "amount_lost"]. */
function reportFieldOf(path: string): (string | number)[] | null {
  const name = path.replace(/^body\./, "");
  if (name.startsWith("fields.")) return ["fields", name.slice(7)];
  if (name === "lat" || name === "lng") return ["location"];
  if (name === "onBehalf.phone") return ["onBehalfPhone"];
  if (name.startsWith("onBehalf")) return ["onBehalfName"];
  return ["categoryCode", "description", "address", "channel"].includes(name) ? [name] : null;
}

/** One extra field of the chosen category, validated as it is typed. */
function CategoryFieldItem(props: { field: CategoryField }) {
  const { t } = useTranslation();
  const f = props.field;
  const testId = `report-field-${f.code}`;
  const control = (() => {
    switch (f.type) {
      case "integer":
      case "number":
        return (
          <InputNumber<number>
            precision={f.type === "integer" ? 0 : undefined}
            style={{ width: "100%", maxWidth: 240 }}
            inputMode={f.type === "integer" ? "numeric" : "decimal"}
            data-testid={testId}
          />
        );
      case "date":
        return <Input type="date" style={{ maxWidth: 240 }} data-testid={testId} />;
      case "select":
        return (
          <Select
            allowClear
            placeholder={t("report.choose")}
            options={(f.options ?? []).map((o) => ({ value: o.value, label: o.label }))}
            data-testid={testId}
          />
        );
      case "boolean":
        return (
          <Radio.Group
            optionType="button"
            options={[
              { value: true, label: t("common.yes") },
              { value: false, label: t("common.no") },
            ]}
            data-testid={testId}
          />
        );
      default:
        return (f.maxLength ?? 0) > 100 ? (
          <Input.TextArea rows={2} showCount maxLength={f.maxLength} data-testid={testId} />
        ) : (
          <Input showCount maxLength={f.maxLength} data-testid={testId} />
        );
    }
  })();
  return (
    <Form.Item
      name={["fields", f.code]}
      label={f.required ? f.label : `${f.label}${t("cases.optional")}`}
      required={f.required}
      extra={f.help}
      rules={[
        {
          validator: async (_rule, value: unknown) => {
            const problem = checkCaseField(f, value);
            if (problem) throw new Error(localizeMessage(problem));
          },
        },
      ]}
    >
      {control}
    </Form.Item>
  );
}

/** What the chosen category says about itself, or (not taken here) where to go instead. */
function CategoryNotice(props: { family: Category | undefined; leaf: Category | undefined }) {
  const { t } = useTranslation();
  const refused = props.leaf?.invalid ? props.leaf : props.family?.invalid ? props.family : null;
  if (refused) {
    return (
      <Alert
        type="error"
        showIcon
        role="alert"
        style={{ marginBottom: 16 }}
        title={<span style={{ fontSize: 18, fontWeight: 600 }}>{refused.redirect}</span>}
        description={t("report.notAccepted")}
        data-testid="report-redirect"
      />
    );
  }
  if (!props.leaf) return null;
  return (
    <Space orientation="vertical" style={{ width: "100%", marginBottom: 16 }} size={8}>
      {props.leaf.description ? (
        <Typography.Text type="secondary" data-testid="report-category-description">
          {props.leaf.description}
        </Typography.Text>
      ) : null}
      {props.leaf.serviceNotice ? (
        <Alert
          type="warning"
          showIcon
          title={props.leaf.serviceNotice}
          data-testid="report-service-notice"
        />
      ) : null}
    </Space>
  );
}

/**
 * The form. `publicMode`: the anonymous page outside the login wall (always
 * anonymous). `onReported` gets the new case; `anonymous` tells that its
 * tracking code and secret must be shown now, as they never are again.
 */
export function ReportForm(props: {
  publicMode?: boolean;
  onReported: (c: CaseDetail, anonymous: boolean) => void;
}) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const meta = useMeta();
  const [form] = Form.useForm<ReportValues>();
  const categories = useApi("case-categories", () => loadCategories());
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [keyReused, setKeyReused] = useState(false);
  const key = useRef(newIdempotencyKey());

  const familyCode = Form.useWatch("family", form);
  const leafCode = Form.useWatch("categoryCode", form);
  const channel = Form.useWatch("channel", form);

  const publicMode = props.publicMode === true;
  const signedIn = !publicMode && me !== null;
  const channels = reportChannels(signedIn ? me : null);
  const chooseChannel = signedIn && channels.options.length > 1;
  const canGoAnonymous = signedIn && isResident(me);
  // Outlines come from the area API, which only staff may read.
  const outlineCode = hasPermission(me, "areas.read")
    ? (homeAreaCode(me) ?? meta?.district?.code ?? null)
    : null;

  if (categories.error && !categories.data) {
    return (
      <ErrorAlert
        error={categories.error}
        title={t("errors.loadFailed")}
        onRetry={categories.reload}
      />
    );
  }
  if (!categories.data) return <PageLoading />;

  const tree = categoryTree(categories.data);
  const family = tree.find((f) => f.family.code === familyCode);
  const leaf = family?.leaves.find((c) => c.code === leafCode);
  const refused = leaf?.invalid === true || family?.family.invalid === true;

  const submit = async (v: ReportValues) => {
    if (!leaf || leaf.invalid || !v.location) return;
    setSubmitting(true);
    setError(null);
    setKeyReused(false);
    const anonymous = publicMode || v.anonymous === true;
    const fields = caseFieldsBody(leaf.fields, v.fields);
    const address = v.address?.trim();
    const body: CreateCaseBody = {
      categoryCode: leaf.code,
      description: (v.description ?? "").trim(),
      lng: v.location[0],
      lat: v.location[1],
      ...(address ? { address } : {}),
      ...(Object.keys(fields).length > 0 ? { fields } : {}),
      ...(chooseChannel && v.channel ? { channel: v.channel } : {}),
      ...(chooseChannel && v.channel === "hotline"
        ? {
            onBehalf: {
              name: (v.onBehalfName ?? "").trim(),
              ...(v.onBehalfPhone?.trim() ? { phone: v.onBehalfPhone.trim() } : {}),
            },
          }
        : {}),
      // Signed in on the public page, or a resident who chose to: still anonymous.
      ...(anonymous && me !== null ? { anonymous: true } : {}),
    };
    try {
      const created = await createCase(body, key.current);
      key.current = newIdempotencyKey();
      props.onReported(created, anonymous);
    } catch (err) {
      // The key already carried a different report (sent, then edited after a lost answer).
      if (err instanceof ApiError && err.status === 422) setKeyReused(true);
      setError(applyServerErrors(form, readableIssues(err), reportFieldOf));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Form<ReportValues>
      form={form}
      layout="vertical"
      requiredMark={false}
      onFinish={submit}
      scrollToFirstError
      initialValues={{ channel: channels.preferred, anonymous: false }}
      autoComplete="off"
      data-testid="report-form"
    >
      <Card size="small" title={t("report.categoryStep")} style={{ marginBottom: 12 }}>
        <Form.Item
          name="family"
          label={t("report.family")}
          rules={[{ required: true, message: t("report.familyRequired") }]}
        >
          <Select
            showSearch={{ optionFilterProp: "label" }}
            placeholder={t("report.familyPlaceholder")}
            options={tree.map((f) => ({ value: f.family.code, label: f.family.name }))}
            onChange={() => form.setFieldsValue({ categoryCode: undefined, fields: {} })}
            optionRender={(o) => {
              const f = tree.find((x) => x.family.code === o.value)?.family;
              return (
                <div style={{ whiteSpace: "normal" }}>
                  <div>{o.label}</div>
                  {f?.description ? (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {f.description}
                    </Typography.Text>
                  ) : null}
                </div>
              );
            }}
            data-testid="report-family"
          />
        </Form.Item>
        <Form.Item
          name="categoryCode"
          label={t("report.category")}
          rules={[{ required: true, message: t("report.categoryRequired") }]}
        >
          <Select
            showSearch={{ optionFilterProp: "label" }}
            disabled={!family}
            placeholder={family ? t("report.categoryPlaceholder") : t("report.familyFirst")}
            options={(family?.leaves ?? []).map((c) => ({ value: c.code, label: c.name }))}
            onChange={() => form.setFieldValue("fields", {})}
            data-testid="report-category"
          />
        </Form.Item>
        <CategoryNotice family={family?.family} leaf={leaf} />
      </Card>

      {refused ? null : (
        <>
          {leaf && leaf.fields.length > 0 ? (
            <Card
              size="small"
              title={t("report.extraStep")}
              style={{ marginBottom: 12 }}
              data-testid="report-extra-fields"
            >
              {leaf.fields.map((f) => (
                <CategoryFieldItem key={`${leaf.code}:${f.code}`} field={f} />
              ))}
            </Card>
          ) : null}

          <Card size="small" title={t("report.detailStep")} style={{ marginBottom: 12 }}>
            <Form.Item
              name="description"
              label={t("report.description")}
              required
              rules={[zodRule(createCaseBody.shape.description)]}
            >
              <Input.TextArea
                rows={4}
                showCount
                maxLength={2000}
                placeholder={t("report.descriptionPlaceholder")}
                data-testid="report-description"
              />
            </Form.Item>
            <Form.Item label={t("report.location")} required>
              <GeolocateButton
                testId="report-geolocate"
                problemTestId="report-geo-problem"
                onFound={(p) => {
                  form.setFieldValue("location", p);
                  void form.validateFields(["location"]);
                }}
              />
              <Form.Item
                name="location"
                noStyle
                rules={[{ required: true, message: t("report.locationRequired") }]}
              >
                <LocationPicker
                  outlineCode={outlineCode}
                  height={260}
                  testId="report-map"
                  label={t("report.mapLabel")}
                  help={t("report.locationHelp")}
                />
              </Form.Item>
            </Form.Item>
            <Form.Item
              name="address"
              label={`${t("report.address")}${t("cases.optional")}`}
              extra={t("report.addressHelp")}
              rules={[optionalZodRule(createCaseBody.shape.address)]}
            >
              <Input maxLength={200} data-testid="report-address" />
            </Form.Item>
          </Card>

          {chooseChannel || canGoAnonymous ? (
            <Card size="small" title={t("report.reporterStep")} style={{ marginBottom: 12 }}>
              {chooseChannel ? (
                <Form.Item name="channel" label={t("report.channel")}>
                  <Radio.Group
                    optionType="button"
                    options={channels.options.map((c) => ({
                      value: c,
                      label: t(`cases.channels.${c}`),
                    }))}
                    data-testid="report-channel"
                  />
                </Form.Item>
              ) : null}
              {chooseChannel && channel === "hotline" ? (
                <Space wrap size={12} align="start">
                  <Form.Item
                    name="onBehalfName"
                    label={t("report.callerName")}
                    rules={[
                      { required: true, whitespace: true, message: t("report.callerNameRequired") },
                      { max: 40, message: t("report.callerNameTooLong") },
                    ]}
                  >
                    <Input maxLength={40} style={{ width: 180 }} data-testid="report-caller-name" />
                  </Form.Item>
                  <Form.Item
                    name="onBehalfPhone"
                    label={`${t("report.callerPhone")}${t("cases.optional")}`}
                    rules={[optionalZodRule(mobileSchema)]}
                  >
                    <Input
                      inputMode="tel"
                      maxLength={20}
                      style={{ width: 180 }}
                      data-testid="report-caller-phone"
                    />
                  </Form.Item>
                </Space>
              ) : null}
              {canGoAnonymous ? (
                <Form.Item
                  name="anonymous"
                  label={t("report.anonymous")}
                  valuePropName="checked"
                  extra={t("report.anonymousHelp")}
                >
                  <Switch data-testid="report-anonymous" />
                </Form.Item>
              ) : null}
            </Card>
          ) : null}

          {publicMode ? (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              title={t("report.publicNotice")}
            />
          ) : null}
          {keyReused ? (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              title={t("report.keyReused")}
              action={
                <Button
                  size="small"
                  onClick={() => {
                    key.current = newIdempotencyKey();
                    setKeyReused(false);
                    setError(null);
                    form.submit();
                  }}
                  data-testid="report-submit-new"
                >
                  {t("report.submitAsNew")}
                </Button>
              }
            />
          ) : error ? (
            <div style={{ marginBottom: 12 }}>
              <ErrorAlert error={error} title={t("report.failed")} />
            </div>
          ) : null}
          <WideSubmitButton icon={<SendOutlined />} loading={submitting} testId="report-submit">
            {t("report.submit")}
          </WideSubmitButton>
        </>
      )}
    </Form>
  );
}
