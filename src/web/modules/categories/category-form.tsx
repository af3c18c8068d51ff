/**
 * Adding or changing a category: name, severity, deadlines, flags, where to
 * go instead (for what is not handled here), the notice to reporters and the
 * extra form fields. The server checks the taxonomy's rules; its field errors
 * land on the fields they name. A stale version reloads instead of
 * overwriting someone else's change.
 */
import { MinusCircleOutlined, PlusOutlined } from "@ant-design/icons";
import type { ButtonProps } from "antd";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Space,
  Switch,
  Typography,
} from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { CASE_SEVERITIES, CATEGORY_FIELD_TYPES } from "../../../shared/case-taxonomy.js";
import { ApiError } from "../../api/client.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { applyServerErrors } from "../../ui/server-errors.js";
import {
  type Category,
  type CategoryDetail,
  createCategory,
  updateCategory,
} from "./categories-api.js";
import {
  type CategoryFormValues,
  categoryBody,
  formPathOf,
  formValuesOf,
} from "./categories-model.js";

export interface CategoryFormTarget {
  /** the entry being changed; null to add one */
  editing: CategoryDetail | null;
  /** when adding: the family of the new category (null: a new family) */
  parent: Category | null;
}

export function CategoryFormModal(props: {
  target: CategoryFormTarget | null;
  families: Category[];
  onClose: () => void;
  onDone: (c: CategoryDetail) => void;
  /** The entry changed meanwhile: the page reloads it. */
  onStale: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<CategoryFormValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const target = props.target;
  const editing = target?.editing ?? null;
  const isFamily = editing ? editing.parent === null : target?.parent === null;

  useEffect(() => {
    if (!target) return;
    setError(null);
    form.resetFields();
    if (target.editing) form.setFieldsValue(formValuesOf(target.editing));
    else
      form.setFieldsValue({
        code: target.parent ? `${target.parent.code}.` : "",
        parent: target.parent?.code ?? null,
        severity: target.parent?.severity ?? "normal",
        invalid: false,
        sensitive: target.parent?.sensitive ?? false,
        verify: false,
        acceptHours: target.parent?.acceptHours ?? 4,
        resolveDays: target.parent?.resolveDays ?? 10,
        fields: [],
      });
  }, [target, form]);

  const invalid = Form.useWatch("invalid", form) ?? false;

  const submit = async () => {
    let values: CategoryFormValues;
    try {
      values = await form.validateFields();
    } catch {
      return; // the form shows what is missing
    }
    setSaving(true);
    setError(null);
    try {
      const body = categoryBody({ ...values, parent: editing ? editing.parent : values.parent });
      const saved = editing
        ? await updateCategory(editing.code, {
            ...(({ code: _c, parent: _p, ...rest }) => rest)(body),
            version: editing.version,
          })
        : await createCategory(body);
      props.onDone(saved);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && editing) {
        const current = (err.details as { currentVersion?: number } | undefined)?.currentVersion;
        void message.warning(t("categories.conflict", { version: current ?? "?" }));
        props.onStale();
        props.onClose();
      } else {
        setError(applyServerErrors(form, err, formPathOf));
      }
    } finally {
      setSaving(false);
    }
  };

  const title = editing
    ? t("categories.editTitle", { name: editing.name })
    : isFamily
      ? t("categories.createFamilyTitle")
      : t("categories.createTitle");

  return (
    <Modal
      open={target !== null}
      title={title}
      onCancel={props.onClose}
      onOk={() => void submit()}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      width={760}
      destroyOnHidden
      okButtonProps={{ "data-testid": "category-form-submit" } as ButtonProps}
    >
      <Form form={form} layout="vertical" data-testid="category-form" requiredMark>
        {error ? <ErrorAlert error={error} /> : null}
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="name"
              label={t("categories.name")}
              rules={[{ required: true, whitespace: true, max: 40 }]}
            >
              <Input maxLength={40} data-testid="category-name" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="code"
              label={t("categories.code")}
              extra={editing ? undefined : t("categories.codeHelp")}
              rules={[{ required: true, whitespace: true, max: 64 }]}
            >
              <Input disabled={editing !== null} data-testid="category-code" />
            </Form.Item>
          </Col>
        </Row>
        {!editing && !isFamily ? (
          <Form.Item name="parent" label={t("categories.parent")} rules={[{ required: true }]}>
            <Select
              data-testid="category-parent"
              options={props.families.map((f) => ({ value: f.code, label: f.name }))}
              onChange={(v: string) => {
                const code = form.getFieldValue("code") as string | undefined;
                const rest = code?.includes(".") ? code.slice(code.indexOf(".") + 1) : "";
                form.setFieldValue("code", `${v}.${rest}`);
              }}
            />
          </Form.Item>
        ) : null}
        <Row gutter={12}>
          <Col xs={24} sm={8}>
            <Form.Item
              name="severity"
              label={t("categories.severity")}
              rules={[{ required: true }]}
            >
              <Select
                data-testid="category-severity"
                options={CASE_SEVERITIES.map((s) => ({
                  value: s,
                  label: t(`cases.severities.${s}`),
                }))}
              />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item
              name="acceptHours"
              label={t("categories.acceptHours")}
              rules={[{ required: true, type: "number", min: 0.5, max: 72 }]}
            >
              <InputNumber
                min={0.5}
                max={72}
                step={0.5}
                style={{ width: "100%" }}
                data-testid="category-accept-hours"
              />
            </Form.Item>
          </Col>
          <Col xs={12} sm={8}>
            <Form.Item
              name="resolveDays"
              label={t("categories.resolveDays")}
              rules={[{ required: true, type: "integer", min: 1, max: 90 }]}
            >
              <InputNumber
                min={1}
                max={90}
                precision={0}
                style={{ width: "100%" }}
                data-testid="category-resolve-days"
              />
            </Form.Item>
          </Col>
        </Row>
        <Space size={24} wrap>
          <Form.Item
            name="verify"
            valuePropName="checked"
            label={t("categories.verify")}
            tooltip={t("categories.verifyHelp")}
          >
            <Switch data-testid="category-verify" />
          </Form.Item>
          <Form.Item
            name="sensitive"
            valuePropName="checked"
            label={t("categories.sensitive")}
            tooltip={t("categories.sensitiveHelp")}
          >
            <Switch data-testid="category-sensitive" />
          </Form.Item>
          <Form.Item
            name="invalid"
            valuePropName="checked"
            label={t("categories.invalid")}
            tooltip={t("categories.invalidHelp")}
          >
            <Switch data-testid="category-invalid" />
          </Form.Item>
        </Space>
        {invalid ? (
          <Form.Item
            name="redirect"
            label={t("categories.redirect")}
            rules={[{ required: true, whitespace: true, max: 200 }]}
          >
            <Input
              placeholder={t("categories.redirectPlaceholder")}
              maxLength={200}
              data-testid="category-redirect"
            />
          </Form.Item>
        ) : null}
        <Form.Item
          name="description"
          label={t("categories.description")}
          rules={[{ required: true, whitespace: true, max: 200 }]}
        >
          <Input.TextArea rows={2} maxLength={200} showCount data-testid="category-description" />
        </Form.Item>
        <Form.Item
          name="serviceNotice"
          label={t("categories.serviceNotice")}
          rules={[{ max: 300 }]}
        >
          <Input.TextArea
            rows={2}
            maxLength={300}
            placeholder={t("categories.serviceNoticePlaceholder")}
          />
        </Form.Item>

        <Typography.Title level={5}>{t("categories.fields")}</Typography.Title>
        {isFamily ? (
          <Alert type="info" showIcon title={t("categories.familyNoFields")} />
        ) : invalid ? null : (
          <FieldsEditor />
        )}

        <Form.Item
          name="note"
          label={t("categories.note")}
          rules={[{ max: 200 }]}
          style={{ marginTop: 16 }}
        >
          <Input
            maxLength={200}
            placeholder={t("categories.notePlaceholder")}
            data-testid="category-note"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function FieldsEditor() {
  const { t } = useTranslation();
  return (
    <Form.List name="fields">
      {(items, { add, remove }) => (
        <Space
          orientation="vertical"
          style={{ width: "100%" }}
          size={8}
          data-testid="category-fields-editor"
        >
          {items.map(({ key, name }) => (
            <Card
              key={key}
              size="small"
              data-testid={`category-field-${name}`}
              extra={
                <Button
                  type="text"
                  danger
                  icon={<MinusCircleOutlined />}
                  aria-label={t("categories.removeField")}
                  onClick={() => remove(name)}
                />
              }
            >
              <Row gutter={8}>
                <Col xs={24} sm={7}>
                  <Form.Item
                    name={[name, "label"]}
                    label={t("categories.fieldLabel")}
                    rules={[{ required: true, whitespace: true, max: 40 }]}
                  >
                    <Input maxLength={40} data-testid="category-field-label" />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={7}>
                  <Form.Item
                    name={[name, "code"]}
                    label={t("categories.fieldCode")}
                    rules={[{ required: true, pattern: /^[a-z][a-z0-9_]*$/ }]}
                  >
                    <Input data-testid="category-field-code" />
                  </Form.Item>
                </Col>
                <Col xs={16} sm={6}>
                  <Form.Item
                    name={[name, "type"]}
                    label={t("categories.fieldType")}
                    rules={[{ required: true }]}
                  >
                    <Select
                      data-testid="category-field-type"
                      options={CATEGORY_FIELD_TYPES.map((v) => ({
                        value: v,
                        label: t(`categories.fieldTypes.${v}`),
                      }))}
                    />
                  </Form.Item>
                </Col>
                <Col xs={8} sm={4}>
                  <Form.Item
                    name={[name, "required"]}
                    valuePropName="checked"
                    label={t("categories.fieldRequired")}
                  >
                    <Switch data-testid="category-field-required" />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item noStyle shouldUpdate>
                {(form) => {
                  const type = form.getFieldValue(["fields", name, "type"]) as string | undefined;
                  if (type === "integer" || type === "number")
                    return (
                      <Row gutter={8}>
                        <Col span={12}>
                          <Form.Item name={[name, "min"]} label={t("categories.fieldMin")}>
                            <InputNumber style={{ width: "100%" }} />
                          </Form.Item>
                        </Col>
                        <Col span={12}>
                          <Form.Item name={[name, "max"]} label={t("categories.fieldMax")}>
                            <InputNumber style={{ width: "100%" }} />
                          </Form.Item>
                        </Col>
                      </Row>
                    );
                  if (type === "text")
                    return (
                      <Form.Item
                        name={[name, "maxLength"]}
                        label={t("categories.fieldMaxLength")}
                        rules={[{ required: true }]}
                      >
                        <InputNumber
                          min={1}
                          max={2000}
                          precision={0}
                          data-testid="category-field-max-length"
                        />
                      </Form.Item>
                    );
                  if (type === "select")
                    return (
                      <Form.List name={[name, "options"]}>
                        {(opts, o) => (
                          <Form.Item label={t("categories.fieldOptions")} required>
                            {opts.map((opt) => (
                              <Space key={opt.key} align="baseline">
                                <Form.Item
                                  name={[opt.name, "label"]}
                                  rules={[{ required: true, whitespace: true }]}
                                >
                                  <Input placeholder={t("categories.optionLabel")} />
                                </Form.Item>
                                <Form.Item
                                  name={[opt.name, "value"]}
                                  rules={[{ required: true, pattern: /^[a-z][a-z0-9_]*$/ }]}
                                >
                                  <Input placeholder={t("categories.optionValue")} />
                                </Form.Item>
                                <MinusCircleOutlined onClick={() => o.remove(opt.name)} />
                              </Space>
                            ))}
                            <Button type="dashed" icon={<PlusOutlined />} onClick={() => o.add({})}>
                              {t("categories.addOption")}
                            </Button>
                          </Form.Item>
                        )}
                      </Form.List>
                    );
                  return null;
                }}
              </Form.Item>
              <Form.Item
                name={[name, "help"]}
                label={t("categories.fieldHelp")}
                rules={[{ max: 200 }]}
              >
                <Input maxLength={200} />
              </Form.Item>
            </Card>
          ))}
          <Button
            type="dashed"
            icon={<PlusOutlined />}
            onClick={() => add({ type: "text", required: false, maxLength: 200 })}
            data-testid="category-add-field"
          >
            {t("categories.addField")}
          </Button>
        </Space>
      )}
    </Form.List>
  );
}
