/**
 * 发起提案 (/proposals/new), for a phone first: title, topic, what and why,
 * and the place — a pin on the map or 使用我的位置 (a proposal without a place
 * cannot be sent) — and up to 4 photos of it, uploaded once the proposal
 * exists. 事件转提案 (/proposals/from-cases?caseIds=…), for
 * coordinators: the same form prefilled from the cases (their place, a title
 * and text naming them), with the cases listed above it.
 */
import { SendOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  List,
  Select,
  Space,
  Typography,
  type UploadFile,
} from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import {
  PROPOSAL_TOPICS,
  type ProposalTopic,
  proposalText,
  proposalTitle,
} from "../../../shared/schemas/proposals.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { GeolocateButton } from "../../ui/geolocate-button.js";
import { PageLoading } from "../../ui/page-loading.js";
import { applyServerErrors } from "../../ui/server-errors.js";
import { useApi } from "../../ui/use-api.js";
import { zodRule } from "../../ui/zod-rule.js";
import { type LngLat, LocationPicker } from "../areas/location-picker.js";
import { readableIssues } from "../cases/case-model.js";
import { PhotoPicker, uploadPicked } from "./proposal-photos.js";
import {
  createFromCases,
  createProposal,
  loadContext,
  loadFromCasesDraft,
} from "./proposals-api.js";

interface Values {
  title?: string;
  topic?: ProposalTopic;
  body?: string;
  location?: LngLat;
  address?: string;
  /** the new-proposal form only */
  photos?: UploadFile[];
}

function fieldOf(path: string): (string | number)[] | null {
  const name = path.replace(/^body\./, "");
  if (name === "lat" || name === "lng") return ["location"];
  return ["title", "topic", "body", "address"].includes(name) ? [name] : null;
}

/** The fields both forms share. */
function ProposalFields(props: { form: ReturnType<typeof Form.useForm<Values>>[0] }) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item
        name="title"
        label={t("proposals.form.title")}
        required
        rules={[zodRule(proposalTitle)]}
      >
        <Input
          showCount
          maxLength={60}
          placeholder={t("proposals.form.titlePlaceholder")}
          data-testid="proposal-title"
        />
      </Form.Item>
      <Form.Item
        name="topic"
        label={t("proposals.form.topic")}
        rules={[{ required: true, message: t("proposals.form.topicRequired") }]}
      >
        <Select
          placeholder={t("proposals.form.topicPlaceholder")}
          options={PROPOSAL_TOPICS.map((x) => ({ value: x, label: t(`proposals.topic.${x}`) }))}
          data-testid="proposal-topic"
        />
      </Form.Item>
      <Form.Item
        name="body"
        label={t("proposals.form.body")}
        required
        rules={[zodRule(proposalText)]}
      >
        <Input.TextArea
          rows={5}
          showCount
          maxLength={4000}
          placeholder={t("proposals.form.bodyPlaceholder")}
          data-testid="proposal-body"
        />
      </Form.Item>
      <Form.Item label={t("proposals.form.place")} required>
        <GeolocateButton
          testId="proposal-geolocate"
          onFound={(p) => {
            props.form.setFieldValue("location", p);
            void props.form.validateFields(["location"]);
          }}
        />
        <Form.Item
          name="location"
          noStyle
          rules={[{ required: true, message: t("proposals.form.placeRequired") }]}
        >
          <LocationPicker
            height={240}
            testId="proposal-map"
            label={t("proposals.form.place")}
            help={t("proposals.form.placeHelp")}
          />
        </Form.Item>
      </Form.Item>
      <Form.Item name="address" label={t("proposals.form.address")}>
        <Input
          maxLength={200}
          placeholder={t("proposals.form.addressPlaceholder")}
          data-testid="proposal-address"
        />
      </Form.Item>
    </>
  );
}

export function NewProposalPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const context = useApi("proposal-context", (signal) => loadContext(signal));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const ctx = context.data;
  if (context.error && !ctx)
    return (
      <ErrorAlert error={context.error} title={t("errors.loadFailed")} onRetry={context.reload} />
    );
  if (!ctx) return <PageLoading />;
  if (!ctx.mayPropose)
    return (
      <Alert
        type="info"
        showIcon
        title={t("proposals.form.mayNotPropose")}
        data-testid="proposal-not-allowed"
      />
    );

  const submit = async (v: Values) => {
    if (!v.location || !v.topic) return;
    setBusy(true);
    setError(null);
    try {
      const created = await createProposal({
        title: (v.title ?? "").trim(),
        body: (v.body ?? "").trim(),
        topic: v.topic,
        lng: v.location[0],
        lat: v.location[1],
        ...(v.address?.trim() ? { address: v.address.trim() } : {}),
      });
      const failed = await uploadPicked(created.id, v.photos ?? []);
      if (failed) void message.warning(t("proposals.photos.someFailed", { count: failed }), 8);
      navigate(`/proposals/${created.id}`, { replace: true });
    } catch (err) {
      setError(applyServerErrors(form, readableIssues(err), fieldOf));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ maxWidth: 640 }} data-testid="proposal-new-page">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t("proposals.form.heading")}
      </Typography.Title>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        title={t("proposals.form.howItWorks", {
          threshold: ctx.supportThreshold,
          days: ctx.answerWorkingDays,
        })}
      />
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        scrollToFirstError
        autoComplete="off"
        data-testid="proposal-form"
      >
        <Card size="small">
          <ProposalFields form={form} />
          <Form.Item name="photos" label={t("proposals.photos.title")} style={{ marginBottom: 0 }}>
            <PhotoPicker />
          </Form.Item>
        </Card>
        {error ? (
          <div style={{ marginTop: 12 }}>
            <ErrorAlert error={error} title={t("proposals.form.failed")} />
          </div>
        ) : null}
        <Button
          type="primary"
          htmlType="submit"
          size="large"
          block
          icon={<SendOutlined />}
          loading={busy}
          style={{ marginTop: 12 }}
          data-testid="proposal-submit"
        >
          {t("proposals.form.submit")}
        </Button>
      </Form>
    </div>
  );
}

export function FromCasesPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const caseIds = (params.get("caseIds") ?? "").split(",").filter((x) => /^\d+$/.test(x));
  const [form] = Form.useForm<Values>();
  const draft = useApi(caseIds.length ? `from-cases:${caseIds.join(",")}` : null, (signal) =>
    loadFromCasesDraft(caseIds, signal),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const d = draft.data;
  useEffect(() => {
    if (d)
      form.setFieldsValue({
        title: d.title,
        body: d.body,
        topic: d.topic,
        location: [d.lng, d.lat],
        address: d.address ?? undefined,
      });
  }, [d, form]);

  if (caseIds.length === 0)
    return <Alert type="info" showIcon title={t("proposals.fromCases.noCases")} />;
  if (draft.error && !d)
    return <ErrorAlert error={draft.error} title={t("errors.loadFailed")} onRetry={draft.reload} />;
  if (!d) return <PageLoading />;

  const submit = async (v: Values) => {
    if (!v.location || !v.topic) return;
    setBusy(true);
    setError(null);
    try {
      const created = await createFromCases({
        caseIds: d.cases.map((c) => c.id),
        title: (v.title ?? "").trim(),
        body: (v.body ?? "").trim(),
        topic: v.topic,
        lng: v.location[0],
        lat: v.location[1],
        ...(v.address?.trim() ? { address: v.address.trim() } : {}),
      });
      navigate(`/proposals/${created.id}`, { replace: true });
    } catch (err) {
      setError(applyServerErrors(form, readableIssues(err), fieldOf));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ maxWidth: 760 }} data-testid="proposal-from-cases-page">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t("proposals.fromCases.heading")}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {t("proposals.fromCases.intro", { count: d.cases.length, community: d.community.name })}
      </Typography.Paragraph>
      <Card size="small" title={t("proposals.fromCases.cases")} style={{ marginBottom: 12 }}>
        <List
          size="small"
          dataSource={d.cases}
          renderItem={(c) => (
            <List.Item key={c.id}>
              <Space wrap size={6}>
                <Link to={`/cases/${c.id}`}>{c.code}</Link>
                <span>{c.categoryName}</span>
                <Typography.Text type="secondary">
                  {new Date(c.createdAt).toLocaleDateString(i18n.resolvedLanguage, {
                    timeZone: "Asia/Shanghai",
                  })}
                </Typography.Text>
                {c.address ? <Typography.Text type="secondary">{c.address}</Typography.Text> : null}
              </Space>
            </List.Item>
          )}
        />
      </Card>
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        data-testid="proposal-form"
      >
        <Card size="small">
          <ProposalFields form={form} />
        </Card>
        {error ? (
          <div style={{ marginTop: 12 }}>
            <ErrorAlert error={error} title={t("proposals.form.failed")} />
          </div>
        ) : null}
        <Button
          type="primary"
          htmlType="submit"
          icon={<SendOutlined />}
          loading={busy}
          style={{ marginTop: 12 }}
          data-testid="proposal-submit"
        >
          {t("proposals.fromCases.submit")}
        </Button>
      </Form>
    </div>
  );
}
