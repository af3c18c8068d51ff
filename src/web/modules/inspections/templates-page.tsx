/**
 * 自查检查表 (/inspection-templates): the government's checklists — topic,
 * industries they apply to, monthly or quarterly, items (major ones
 * flagged) — with 新建, 编辑 (a new version; submitted inspections keep
 * theirs, and the unfilled ones of this period may switch to it at once)
 * and 停用 / 启用 after a confirmation.
 */
import { MinusCircleOutlined, PlusOutlined } from "@ant-design/icons";
import type { FormInstance, TableColumnsType } from "antd";
import {
  App,
  Button,
  Checkbox,
  Drawer,
  Form,
  Input,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  CHECKLIST_TOPICS,
  type ChecklistTemplate,
  INSPECTION_FREQUENCIES,
} from "../../../shared/schemas/inspections.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { ListPage } from "../../ui/list-page.js";
import { useApi } from "../../ui/use-api.js";
import { listIndustries } from "../organisations/organisations-api.js";
import { TopicTag } from "./inspection-bits.js";
import {
  createTemplate,
  listTemplates,
  setTemplateActive,
  updateTemplate,
} from "./inspections-api.js";

export function TemplatesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [topic, setTopic] = useState<string | undefined>();
  const [showInactive, setShowInactive] = useState(false);
  const [editing, setEditing] = useState<ChecklistTemplate | "new" | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const request = { topic, active: showInactive ? undefined : ("true" as const) };
  const list = useApi(`templates:${JSON.stringify(request)}`, (signal) =>
    listTemplates(request, signal),
  );
  const canCreate = true;

  const toggle = async (tpl: ChecklistTemplate) => {
    setActionError(null);
    try {
      await setTemplateActive(tpl.id, tpl.version, !tpl.active);
      message.success(
        tpl.active ? t("inspections.templates.deactivated") : t("inspections.templates.activated"),
      );
      list.reload();
    } catch (err) {
      setActionError(err);
    }
  };

  const columns: TableColumnsType<ChecklistTemplate> = [
    {
      key: "name",
      title: t("inspections.templates.name"),
      width: 240,
      render: (_v, tpl) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{tpl.name}</Typography.Text>
          <Typography.Text type="secondary" code>
            {tpl.code}
          </Typography.Text>
        </Space>
      ),
    },
    {
      key: "topic",
      title: t("inspections.topicLabel"),
      width: 110,
      render: (_v, tpl) => <TopicTag topic={tpl.topic} />,
    },
    {
      key: "frequency",
      title: t("inspections.templates.frequency"),
      width: 90,
      render: (_v, tpl) => t(`inspections.frequency.${tpl.frequency}`),
    },
    {
      key: "industries",
      title: t("inspections.templates.industries"),
      width: 220,
      render: (_v, tpl) =>
        tpl.industries.length === 0 ? (
          <Tag>{t("inspections.templates.allIndustries")}</Tag>
        ) : (
          <Space size={[4, 4]} wrap>
            {tpl.industries.map((i) => (
              <Tag key={i}>{i}</Tag>
            ))}
          </Space>
        ),
    },
    {
      key: "items",
      title: t("inspections.templates.items"),
      width: 100,
      render: (_v, tpl) =>
        t("inspections.templates.itemCount", {
          count: tpl.items.length,
          major: tpl.items.filter((i) => i.major).length,
        }),
    },
    {
      key: "version",
      title: t("inspections.templates.version"),
      width: 150,
      render: (_v, tpl) => (
        <Space orientation="vertical" size={0}>
          <span data-testid="template-version" data-version={tpl.version}>
            v{tpl.version}
          </span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {tpl.updatedAt.slice(0, 10)} {tpl.updatedBy ?? ""}
          </Typography.Text>
        </Space>
      ),
    },
    {
      key: "active",
      title: t("inspections.templates.state"),
      width: 80,
      render: (_v, tpl) =>
        tpl.active ? (
          <Tag color="green">{t("inspections.templates.active")}</Tag>
        ) : (
          <Tag>{t("inspections.templates.inactive")}</Tag>
        ),
    },
    {
      key: "actions",
      title: "",
      width: 150,
      render: (_v, tpl) => (
        <Space>
          {tpl.allowedActions.includes("edit") ? (
            <Button size="small" onClick={() => setEditing(tpl)} data-testid="template-edit">
              {t("inspections.templates.edit")}
            </Button>
          ) : null}
          {tpl.allowedActions.includes("deactivate") || tpl.allowedActions.includes("activate") ? (
            <Popconfirm
              title={
                tpl.active
                  ? t("inspections.templates.confirmDeactivate", { name: tpl.name })
                  : t("inspections.templates.confirmActivate", { name: tpl.name })
              }
              description={tpl.active ? t("inspections.templates.deactivateHint") : undefined}
              okText={t("common.confirm")}
              cancelText={t("common.cancel")}
              onConfirm={() => toggle(tpl)}
            >
              <Button size="small" danger={tpl.active} data-testid="template-toggle">
                {tpl.active
                  ? t("inspections.templates.deactivate")
                  : t("inspections.templates.activate")}
              </Button>
            </Popconfirm>
          ) : null}
        </Space>
      ),
    },
  ];

  return (
    <ListPage
      testId="templates-page"
      title={t("inspections.templates.title")}
      intro={t("inspections.templates.intro")}
      actions={
        canCreate ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing("new")}
            data-testid="template-new"
          >
            {t("inspections.templates.new")}
          </Button>
        ) : null
      }
      filters={
        <>
          <Select
            allowClear
            value={topic}
            onChange={setTopic}
            placeholder={t("inspections.allTopics")}
            style={{ width: 140 }}
            options={CHECKLIST_TOPICS.map((v) => ({
              value: v,
              label: t(`inspections.topic.${v}`),
            }))}
          />
          <Checkbox checked={showInactive} onChange={(e) => setShowInactive(e.target.checked)}>
            {t("inspections.templates.showInactive")}
          </Checkbox>
        </>
      }
    >
      {list.error ? <ErrorAlert error={list.error} onRetry={list.reload} /> : null}
      {actionError ? <ErrorAlert error={actionError} /> : null}
      <Table
        rowKey="id"
        size="middle"
        loading={list.loading}
        columns={columns}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 1000 }}
        data-testid="templates-table"
        expandable={{
          expandedRowRender: (tpl) => (
            <ol style={{ margin: 0, paddingLeft: 20 }}>
              {tpl.items.map((i) => (
                <li key={i.code}>
                  {i.text}
                  {i.major ? (
                    <Tag color="volcano" style={{ marginLeft: 6 }}>
                      {t("inspections.level.major")}
                    </Tag>
                  ) : null}
                  {i.guidance ? (
                    <Typography.Text type="secondary">（{i.guidance}）</Typography.Text>
                  ) : null}
                </li>
              ))}
            </ol>
          ),
        }}
      />
      {editing ? (
        <TemplateDrawer
          template={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            list.reload();
          }}
        />
      ) : null}
    </ListPage>
  );
}

interface TemplateForm {
  code: string;
  name: string;
  topic: (typeof CHECKLIST_TOPICS)[number];
  frequency: (typeof INSPECTION_FREQUENCIES)[number];
  industries: string[];
  description?: string;
  items: { code: string; text: string; guidance?: string; major: boolean }[];
  applyToDue?: boolean;
}

function TemplateDrawer(props: {
  template: ChecklistTemplate | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<TemplateForm>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const industries = useApi("organisation-industries", (signal) => listIndustries(signal));
  const tpl = props.template;

  const save = async () => {
    const v = await form.validateFields();
    const fields = {
      name: v.name,
      topic: v.topic,
      frequency: v.frequency,
      industries: v.industries ?? [],
      description: v.description || null,
      items: v.items.map((i) => ({
        code: i.code,
        text: i.text,
        guidance: i.guidance || null,
        major: i.major === true,
      })),
    };
    setBusy(true);
    setError(null);
    try {
      if (tpl) {
        const saved = await updateTemplate(tpl.id, {
          ...fields,
          version: tpl.version,
          applyToDue: v.applyToDue === true,
        });
        message.success(
          saved.refreshedInspections > 0
            ? t("inspections.templates.savedRefreshed", {
                version: saved.version,
                count: saved.refreshedInspections,
              })
            : t("inspections.templates.savedVersion", { version: saved.version }),
        );
      } else {
        await createTemplate({ ...fields, code: v.code });
        message.success(t("inspections.templates.saved"));
      }
      props.onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open
      size={640}
      title={
        tpl
          ? t("inspections.templates.editTitle", { name: tpl.name })
          : t("inspections.templates.new")
      }
      onClose={props.onClose}
      destroyOnHidden
      extra={
        <Button
          type="primary"
          loading={busy}
          onClick={() => void save()}
          data-testid="template-save"
        >
          {t("common.save")}
        </Button>
      }
    >
      {tpl ? (
        <Typography.Paragraph type="secondary">
          {t("inspections.templates.versionHint")}
        </Typography.Paragraph>
      ) : null}
      <Form<TemplateForm>
        form={form}
        layout="vertical"
        initialValues={
          tpl
            ? {
                code: tpl.code,
                name: tpl.name,
                topic: tpl.topic,
                frequency: tpl.frequency,
                industries: tpl.industries,
                description: tpl.description ?? undefined,
                items: tpl.items.map((i) => ({ ...i, guidance: i.guidance ?? undefined })),
                applyToDue: true,
              }
            : {
                topic: "fire",
                frequency: "monthly",
                industries: [],
                items: [{ code: "1", text: "", major: false }],
              }
        }
      >
        <Form.Item
          name="code"
          label={t("inspections.templates.code")}
          rules={[
            {
              required: true,
              pattern: /^[A-Z0-9_-]{2,30}$/,
              message: t("inspections.templates.codeRule"),
            },
          ]}
        >
          <Input disabled={tpl !== null} data-testid="template-code" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t("inspections.templates.name")}
          rules={[{ required: true, min: 2 }]}
        >
          <Input maxLength={60} data-testid="template-name" />
        </Form.Item>
        <Space wrap>
          <Form.Item name="topic" label={t("inspections.topicLabel")}>
            <Select
              style={{ width: 160 }}
              options={CHECKLIST_TOPICS.map((v) => ({
                value: v,
                label: t(`inspections.topic.${v}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="frequency" label={t("inspections.templates.frequency")}>
            <Select
              style={{ width: 120 }}
              options={INSPECTION_FREQUENCIES.map((v) => ({
                value: v,
                label: t(`inspections.frequency.${v}`),
              }))}
            />
          </Form.Item>
        </Space>
        <Form.Item
          name="industries"
          label={t("inspections.templates.industries")}
          extra={t("inspections.templates.industriesHint")}
        >
          <Select
            mode="tags"
            options={(industries.data?.items ?? []).map((i) => ({
              value: i.industry,
              label: i.industry,
            }))}
          />
        </Form.Item>
        <Form.Item name="description" label={t("inspections.templates.description")}>
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={500} />
        </Form.Item>
        {tpl ? (
          <Form.Item
            name="applyToDue"
            valuePropName="checked"
            extra={t("inspections.templates.applyToDueHint")}
          >
            <Checkbox data-testid="template-apply-to-due">
              {t("inspections.templates.applyToDue")}
            </Checkbox>
          </Form.Item>
        ) : null}
        <Typography.Text strong>{t("inspections.templates.items")}</Typography.Text>
        <Form.List
          name="items"
          rules={[
            {
              validator: async (_r, items?: unknown[]) => {
                if (!items || items.length === 0)
                  throw new Error(t("inspections.templates.needItems"));
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.map((f) => (
                <div
                  key={f.key}
                  style={{
                    border: "1px solid #f0f0f0",
                    borderRadius: 6,
                    padding: 8,
                    margin: "8px 0",
                  }}
                  data-testid="template-item"
                >
                  <Space align="start" wrap style={{ width: "100%" }}>
                    <Form.Item
                      name={[f.name, "code"]}
                      rules={[
                        {
                          required: true,
                          pattern: /^[A-Za-z0-9_-]{1,20}$/,
                          message: t("inspections.templates.itemCodeRule"),
                        },
                      ]}
                      style={{ marginBottom: 4 }}
                    >
                      <Input
                        placeholder={t("inspections.templates.itemCode")}
                        style={{ width: 80 }}
                        data-testid="template-item-code"
                      />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, "text"]}
                      rules={[
                        {
                          required: true,
                          min: 2,
                          message: t("inspections.templates.itemTextRule"),
                        },
                      ]}
                      style={{ marginBottom: 4, minWidth: 300, flex: 1 }}
                    >
                      <Input
                        placeholder={t("inspections.templates.itemText")}
                        maxLength={200}
                        data-testid="template-item-text"
                      />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, "major"]}
                      valuePropName="checked"
                      style={{ marginBottom: 4 }}
                    >
                      <Switch
                        checkedChildren={t("inspections.level.major")}
                        unCheckedChildren={t("inspections.level.general")}
                      />
                    </Form.Item>
                    <Button
                      type="text"
                      icon={<MinusCircleOutlined />}
                      onClick={() => remove(f.name)}
                      aria-label={t("inspections.templates.removeItem")}
                    />
                  </Space>
                  <Form.Item name={[f.name, "guidance"]} style={{ marginBottom: 0 }}>
                    <Input placeholder={t("inspections.templates.itemGuidance")} maxLength={500} />
                  </Form.Item>
                </div>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({ code: nextItemCode(form), text: "", major: false })}
                block
                data-testid="template-add-item"
              >
                {t("inspections.templates.addItem")}
              </Button>
              <Form.ErrorList errors={errors} />
            </>
          )}
        </Form.List>
      </Form>
      {error ? (
        <div style={{ marginTop: 12 }}>
          <ErrorAlert error={error} />
        </div>
      ) : null}
    </Drawer>
  );
}

/**
 * A code for a new item that no item in the form has yet, in the style of
 * the last one: F08 after F01…F07, 8 after 1…7.
 */
function nextItemCode(form: FormInstance<TemplateForm>): string {
  const items: { code?: string }[] = form.getFieldValue("items") ?? [];
  const taken = new Set(items.map((i) => i.code ?? ""));
  const [, prefix = "", digits = ""] = /^(.*?)(\d*)$/.exec(items.at(-1)?.code ?? "") ?? [];
  let n = items.reduce((max, i) => {
    const m = /^(.*?)(\d+)$/.exec(i.code ?? "");
    return m && m[1] === prefix ? Math.max(max, Number(m[2])) : max;
  }, 0);
  for (;;) {
    n++;
    const code = `${prefix}${String(n).padStart(digits.length, "0")}`;
    if (!taken.has(code) && code.length <= 20) return code;
  }
}
