/**
 * 申请调解: the enterprise describes a dispute among its workers and picks an
 * association. Hometown associations of the workers' home provinces come
 * first (the provinces default to where its workforce comes from), then the
 * associations of its trade; one of its own cases may be linked.
 */
import { SendOutlined } from "@ant-design/icons";
import {
  App,
  Button,
  Drawer,
  Form,
  Grid,
  Input,
  InputNumber,
  Select,
  Space,
  Tag,
  Typography,
} from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { PROVINCES } from "../../../shared/formats/regions.js";
import type { MediationDetail } from "../../../shared/schemas/liaison.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { applyServerErrors } from "../../ui/server-errors.js";
import { useApi } from "../../ui/use-api.js";
import { useDebounced } from "../../ui/use-debounced.js";
import { listCases } from "../cases/cases-api.js";
import { createMediation, type MediationInput, suggestAssociations } from "./liaison-api.js";

interface Values {
  workerProvinces: string[];
  associationId?: string;
  subject: string;
  description: string;
  peopleInvolved?: number;
  caseId?: string;
}

const PROVINCE_NAMES = Object.values(PROVINCES) as string[];

const fieldOf = (path: string) => {
  const name = path.replace(/^body\./, "");
  return [
    "workerProvinces",
    "associationId",
    "subject",
    "description",
    "peopleInvolved",
    "caseId",
  ].includes(name)
    ? [name]
    : null;
};

export function MediationRequestDrawer(props: {
  open: boolean;
  onClose: () => void;
  onCreated: (m: MediationDetail) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const provinces = (Form.useWatch("workerProvinces", form) as string[] | undefined) ?? [];
  const [q, setQ] = useState("");
  const settledQ = useDebounced(q.trim(), 250);
  const suggestions = useApi(
    props.open ? `mediation-associations:${provinces.join(",")}:${settledQ}` : null,
    (signal) => suggestAssociations({ q: settledQ || undefined, provinces }, signal),
  );
  // The workforce's provinces, offered once, as the starting point.
  const [seeded, setSeeded] = useState(false);
  useEffect(() => {
    if (!props.open) setSeeded(false);
  }, [props.open]);
  useEffect(() => {
    if (seeded || !suggestions.data || provinces.length) return;
    setSeeded(true);
    const top = suggestions.data.provinces.slice(0, 3).map((p) => p.province);
    if (top.length) form.setFieldValue("workerProvinces", top);
  }, [seeded, suggestions.data, provinces.length, form]);
  const cases = useApi(props.open ? "mediation-cases" : null, (signal) =>
    listCases({ inbox: "all", sort: "newest", limit: 50, offset: 0 }, signal),
  );

  const submit = async () => {
    setError(null);
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    try {
      const body: MediationInput = {
        associationId: v.associationId as string,
        subject: v.subject,
        description: v.description,
        peopleInvolved: v.peopleInvolved as number,
        workerProvinces: v.workerProvinces ?? [],
        caseId: v.caseId || undefined,
      };
      const created = await createMediation(body);
      message.success(t("liaison.mediation.form.submitted"));
      form.resetFields();
      props.onCreated(created);
    } catch (err) {
      setError(applyServerErrors(form, err, fieldOf));
    } finally {
      setSaving(false);
    }
  };

  const workforce = suggestions.data?.provinces ?? [];
  return (
    <Drawer
      open={props.open}
      onClose={props.onClose}
      title={t("liaison.mediation.newRequest")}
      size={screens.md === false ? "100%" : 560}
      destroyOnHidden
      data-testid="mediation-request-drawer"
      footer={
        <Space style={{ width: "100%", justifyContent: "flex-end" }}>
          <Button onClick={props.onClose}>{t("common.cancel")}</Button>
          <Button
            type="primary"
            icon={<SendOutlined />}
            loading={saving}
            onClick={submit}
            data-testid="mediation-submit"
          >
            {t("liaison.mediation.form.submit")}
          </Button>
        </Space>
      }
    >
      <Form<Values> form={form} layout="vertical" initialValues={{ workerProvinces: [] }}>
        <Form.Item
          name="subject"
          label={t("liaison.mediation.form.subject")}
          rules={[
            {
              required: true,
              whitespace: true,
              min: 4,
              message: t("liaison.mediation.form.subjectRequired"),
            },
          ]}
        >
          <Input
            maxLength={100}
            placeholder={t("liaison.mediation.form.subjectPlaceholder")}
            data-testid="mediation-subject"
          />
        </Form.Item>
        <Form.Item
          name="description"
          label={t("liaison.mediation.form.description")}
          rules={[
            {
              required: true,
              whitespace: true,
              min: 10,
              message: t("liaison.mediation.form.descriptionRequired"),
            },
          ]}
        >
          <Input.TextArea rows={4} maxLength={4000} showCount data-testid="mediation-description" />
        </Form.Item>
        <Form.Item
          name="peopleInvolved"
          label={t("liaison.mediation.form.people")}
          rules={[{ required: true, message: t("liaison.mediation.form.peopleRequired") }]}
        >
          <InputNumber
            min={1}
            max={100000}
            precision={0}
            style={{ width: 160 }}
            data-testid="mediation-people"
          />
        </Form.Item>
        <Form.Item
          name="workerProvinces"
          label={t("liaison.mediation.form.provinces")}
          extra={
            workforce.length
              ? t("liaison.mediation.form.provincesWorkforce", {
                  list: workforce
                    .slice(0, 5)
                    .map((p) => `${p.province} ${p.workers}`)
                    .join("、"),
                })
              : t("liaison.mediation.form.provincesHint")
          }
        >
          <Select
            mode="multiple"
            allowClear
            maxCount={10}
            options={PROVINCE_NAMES.map((p) => ({ value: p, label: p }))}
            data-testid="mediation-provinces"
          />
        </Form.Item>
        <Form.Item
          name="associationId"
          label={t("liaison.mediation.form.association")}
          rules={[{ required: true, message: t("liaison.mediation.form.associationRequired") }]}
        >
          <Select
            showSearch={{ filterOption: false, onSearch: setQ }}
            loading={suggestions.loading}
            placeholder={t("liaison.mediation.form.associationPlaceholder")}
            options={(suggestions.data?.items ?? []).map((a) => ({
              value: a.id,
              label: a.name,
              suggestion: a,
            }))}
            optionRender={(o) => {
              const a = o.data.suggestion;
              return (
                <div data-testid="mediation-association-option" data-match={a.match}>
                  <Space size={4} wrap>
                    <span>{a.name}</span>
                    {a.match === "province" ? (
                      <Tag color="green">
                        {a.matchedWorkers
                          ? t("liaison.mediation.form.matchProvince", { count: a.matchedWorkers })
                          : t("liaison.mediation.form.matchProvinceNoCount")}
                      </Tag>
                    ) : a.match === "sector" ? (
                      <Tag color="blue">{t("liaison.mediation.form.matchSector")}</Tag>
                    ) : null}
                  </Space>
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {[
                        a.associationKind
                          ? t(`organisations.associationKinds.${a.associationKind}`)
                          : null,
                        a.provinces.join("、") || null,
                        a.dialects.join("、") || null,
                      ]
                        .filter(Boolean)
                        .join(" · ")}
                    </Typography.Text>
                  </div>
                </div>
              );
            }}
            data-testid="mediation-association"
          />
        </Form.Item>
        <Form.Item name="caseId" label={t("liaison.mediation.form.case")}>
          <Select
            allowClear
            loading={cases.loading}
            placeholder={t("liaison.mediation.form.casePlaceholder")}
            options={(cases.data?.items ?? []).map((c) => ({
              value: c.id,
              label: `${c.code} ${c.categoryName}：${c.description.slice(0, 24)}`,
            }))}
            data-testid="mediation-case"
          />
        </Form.Item>
      </Form>
      {error ? <ErrorAlert error={error} /> : null}
    </Drawer>
  );
}
