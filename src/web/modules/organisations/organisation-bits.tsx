/**
 * Small shared pieces of the organisation screens: the kind tags and the
 * register / edit dialog. The dialog checks as the user types with the same
 * rules as the server (the shared USCC parser says which check character is
 * expected); association fields appear only for associations.
 */
import {
  AutoComplete,
  type ButtonProps,
  Checkbox,
  Form,
  Input,
  Modal,
  Radio,
  Select,
  Tag,
  Typography,
} from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { mobileSchema } from "../../../shared/formats/mobile.js";
import { PROVINCES } from "../../../shared/formats/regions.js";
import { parseUscc } from "../../../shared/formats/uscc.js";
import {
  ASSOCIATION_KINDS,
  createOrganisationBody,
  ENTERPRISE_SIZES,
  type OrganisationDetail,
} from "../../../shared/schemas/organisations.js";
import { localizeMessage } from "../../i18n/index.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { applyServerErrors } from "../../ui/server-errors.js";
import { useApi } from "../../ui/use-api.js";
import { optionalZodRule, zodRule } from "../../ui/zod-rule.js";
import { AreaTreeSelect } from "./area-tree-select.js";
import {
  type AssociationKind,
  createOrganisation,
  type EnterpriseSize,
  listIndustries,
  type OrganisationKind,
  updateOrganisation,
} from "./organisations-api.js";

export function KindTag(props: { kind: OrganisationKind }) {
  const { t } = useTranslation();
  return (
    <Tag color={props.kind === "enterprise" ? "blue" : "purple"} data-kind={props.kind}>
      {t(`organisations.kinds.${props.kind}`)}
    </Tag>
  );
}

export function AssociationKindTag(props: { kind: AssociationKind | null }) {
  const { t } = useTranslation();
  if (!props.kind) return null;
  return <Tag color="geekblue">{t(`organisations.associationKinds.${props.kind}`)}</Tag>;
}

interface OrgForm {
  kind: OrganisationKind;
  name: string;
  uscc?: string;
  gridCode?: string;
  address?: string;
  industry?: string;
  size?: EnterpriseSize;
  legalRepresentative?: string;
  safetyOfficer?: string;
  safetyOfficerPhone?: string;
  /** Editing only: remove the stored phone number. */
  clearSafetyOfficerPhone?: boolean;
  associationKind?: AssociationKind;
  provinces?: string[];
  dialects?: string[];
  sectors?: string[];
}

const FIELDS = [
  "kind",
  "name",
  "uscc",
  "gridCode",
  "address",
  "industry",
  "size",
  "legalRepresentative",
  "safetyOfficer",
  "safetyOfficerPhone",
  "associationKind",
  "provinces",
  "dialects",
  "sectors",
];

/** "body.uscc" → ["uscc"] when it is one of the form's fields. */
function fieldOf(path: string): string[] | null {
  const name = path.replace(/^body\./, "").split(".")[0] ?? "";
  return FIELDS.includes(name) ? [name] : null;
}

const PROVINCE_OPTIONS = Object.values(PROVINCES).map((p) => ({ value: p, label: p }));
const text = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);

function formOf(o: OrganisationDetail): OrgForm {
  const v = <T,>(x: T | null) => x ?? undefined;
  return {
    kind: o.kind,
    name: o.name,
    uscc: v(o.uscc),
    gridCode: o.grid.code,
    address: v(o.address),
    industry: v(o.industry),
    size: v(o.size),
    legalRepresentative: v(o.legalRepresentative),
    safetyOfficer: v(o.safetyOfficer),
    safetyOfficerPhone: undefined,
    associationKind: v(o.associationKind),
    provinces: o.provinces,
    dialects: o.dialects,
    sectors: o.sectors,
  };
}

/**
 * 登记单位 (no `organisation`) or 修改 (with it). Calls `onDone` with the
 * saved organisation.
 */
export function OrganisationFormModal(props: {
  open: boolean;
  organisation?: OrganisationDetail | null;
  onClose: () => void;
  onDone: (o: OrganisationDetail) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<OrgForm>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const editing = props.organisation ?? null;
  const kind: OrganisationKind = Form.useWatch("kind", form) ?? editing?.kind ?? "enterprise";
  const industries = useApi(props.open ? "organisation-industries" : null, (signal) =>
    listIndustries(signal),
  );

  useEffect(() => {
    if (!props.open) return;
    form.resetFields();
    if (editing) form.setFieldsValue(formOf(editing));
  }, [props.open, editing, form]);

  const close = () => {
    setError(null);
    props.onClose();
  };

  const usccRule = {
    validator: async (_rule: unknown, value: unknown) => {
      const v = typeof value === "string" ? value.trim() : "";
      if (!v) {
        if (kind === "enterprise") throw new Error(t("organisations.usccRequired"));
        return;
      }
      const r = parseUscc(v);
      if (!r.ok) throw new Error(localizeMessage(r.error));
    },
  };
  const phoneRule = optionalZodRule(mobileSchema);

  const submit = async (v: OrgForm) => {
    setSaving(true);
    setError(null);
    const uscc = text(v.uscc);
    const parsed = uscc ? parseUscc(uscc) : null;
    const normalizedUscc = parsed?.ok ? parsed.value.normalized : uscc;
    const phone = text(v.safetyOfficerPhone);
    // The kind is not a field when editing (it cannot change).
    const isAssoc = (editing?.kind ?? v.kind) === "association";
    try {
      let saved: OrganisationDetail;
      if (editing) {
        const orNull = (s: string | undefined) => text(s) ?? null;
        saved = await updateOrganisation(editing.id, {
          name: v.name.trim(),
          ...(normalizedUscc ? { uscc: normalizedUscc } : isAssoc ? { uscc: null } : {}),
          ...(v.gridCode ? { gridCode: v.gridCode } : {}),
          address: orNull(v.address),
          legalRepresentative: orNull(v.legalRepresentative),
          safetyOfficer: orNull(v.safetyOfficer),
          ...(phone
            ? { safetyOfficerPhone: phone }
            : v.clearSafetyOfficerPhone
              ? { safetyOfficerPhone: null }
              : {}),
          ...(isAssoc
            ? {
                ...(v.associationKind ? { associationKind: v.associationKind } : {}),
                provinces: v.provinces ?? [],
                dialects: v.dialects ?? [],
                sectors: v.sectors ?? [],
              }
            : { industry: orNull(v.industry), size: v.size ?? null }),
        });
      } else {
        saved = await createOrganisation({
          kind: v.kind,
          name: v.name.trim(),
          ...(normalizedUscc ? { uscc: normalizedUscc } : {}),
          gridCode: v.gridCode ?? "",
          ...(text(v.address) ? { address: text(v.address) } : {}),
          ...(text(v.legalRepresentative)
            ? { legalRepresentative: text(v.legalRepresentative) }
            : {}),
          ...(text(v.safetyOfficer) ? { safetyOfficer: text(v.safetyOfficer) } : {}),
          ...(phone ? { safetyOfficerPhone: phone } : {}),
          ...(isAssoc
            ? {
                ...(v.associationKind ? { associationKind: v.associationKind } : {}),
                provinces: v.provinces ?? [],
                dialects: v.dialects ?? [],
                sectors: v.sectors ?? [],
              }
            : {
                ...(text(v.industry) ? { industry: text(v.industry) } : {}),
                ...(v.size ? { size: v.size } : {}),
              }),
        });
      }
      props.onDone(saved);
    } catch (err) {
      setError(applyServerErrors(form, err, fieldOf));
    } finally {
      setSaving(false);
    }
  };

  const industryOptions = (industries.data?.items ?? []).map((i) => ({
    value: i.industry,
    label: i.industry,
  }));

  return (
    <Modal
      open={props.open}
      title={
        editing ? t("organisations.editTitle", { name: editing.name }) : t("organisations.register")
      }
      okText={editing ? t("common.save") : t("organisations.registerSubmit")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={close}
      okButtonProps={{ "data-testid": "organisation-submit" } as ButtonProps}
      mask={{ closable: false }}
      width={640}
      forceRender
    >
      <Form<OrgForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        initialValues={{ kind: "enterprise", provinces: [], dialects: [], sectors: [] }}
        data-testid="organisation-form"
        autoComplete="off"
      >
        {editing ? null : (
          <Form.Item name="kind" label={t("organisations.kind")}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              onChange={() => form.validateFields(["uscc"]).catch(() => undefined)}
              options={[
                {
                  value: "enterprise",
                  label: (
                    <span data-testid="organisation-kind-enterprise">
                      {t("organisations.kinds.enterprise")}
                    </span>
                  ),
                },
                {
                  value: "association",
                  label: (
                    <span data-testid="organisation-kind-association">
                      {t("organisations.kinds.association")}
                    </span>
                  ),
                },
              ]}
            />
          </Form.Item>
        )}
        <Form.Item
          name="name"
          label={t("organisations.name")}
          rules={[zodRule(createOrganisationBody.shape.name)]}
        >
          <Input maxLength={100} data-testid="organisation-name" />
        </Form.Item>
        <Form.Item
          name="uscc"
          label={t("organisations.uscc")}
          extra={
            kind === "enterprise"
              ? t("organisations.usccHelp")
              : t("organisations.usccHelpAssociation")
          }
          rules={[usccRule]}
          hasFeedback
        >
          <Input
            maxLength={20}
            autoCapitalize="characters"
            spellCheck={false}
            style={{ fontFamily: "monospace" }}
            data-testid="organisation-uscc"
          />
        </Form.Item>
        <Form.Item
          name="gridCode"
          label={t("organisations.grid")}
          extra={t("organisations.gridHelp")}
          rules={[{ required: true, message: t("organisations.gridRequired") }]}
        >
          <AreaTreeSelect gridOnly width="100%" data-testid="organisation-grid" />
        </Form.Item>
        <Form.Item name="address" label={t("organisations.address")}>
          <Input maxLength={120} data-testid="organisation-address" />
        </Form.Item>
        {kind === "enterprise" ? (
          <div style={{ display: "flex", gap: 16, flexWrap: "wrap" }}>
            <Form.Item
              name="industry"
              label={t("organisations.industry")}
              style={{ flex: "1 1 220px" }}
            >
              <AutoComplete
                allowClear
                options={industryOptions}
                placeholder={t("organisations.industryPlaceholder")}
                filterOption={(input, option) => String(option?.value ?? "").includes(input.trim())}
                data-testid="organisation-industry"
              />
            </Form.Item>
            <Form.Item name="size" label={t("organisations.size")} style={{ flex: "1 1 160px" }}>
              <Select
                allowClear
                options={ENTERPRISE_SIZES.map((s) => ({
                  value: s,
                  label: t(`organisations.sizes.${s}`),
                }))}
                data-testid="organisation-size"
              />
            </Form.Item>
          </div>
        ) : (
          <>
            <Form.Item
              name="associationKind"
              label={t("organisations.associationKind")}
              rules={[{ required: true, message: t("organisations.associationKindRequired") }]}
            >
              <Select
                options={ASSOCIATION_KINDS.map((k) => ({
                  value: k,
                  label: t(`organisations.associationKinds.${k}`),
                }))}
                data-testid="organisation-association-kind"
              />
            </Form.Item>
            <Form.Item
              name="provinces"
              label={t("organisations.provinces")}
              extra={t("organisations.provincesHelp")}
            >
              <Select
                mode="multiple"
                allowClear
                options={PROVINCE_OPTIONS}
                data-testid="organisation-provinces"
              />
            </Form.Item>
            <Form.Item
              name="dialects"
              label={t("organisations.dialects")}
              extra={t("organisations.tagsHelp")}
            >
              <Select
                mode="tags"
                open={false}
                suffixIcon={null}
                data-testid="organisation-dialects"
              />
            </Form.Item>
            <Form.Item
              name="sectors"
              label={t("organisations.sectors")}
              extra={t("organisations.tagsHelp")}
            >
              <Select
                mode="tags"
                open={false}
                suffixIcon={null}
                data-testid="organisation-sectors"
              />
            </Form.Item>
          </>
        )}
        <Form.Item name="legalRepresentative" label={t("organisations.legalRepresentative")}>
          <Input maxLength={40} data-testid="organisation-legal-rep" />
        </Form.Item>
        <div style={{ display: "flex", gap: 16, flexWrap: "wrap" }}>
          <Form.Item
            name="safetyOfficer"
            label={t("organisations.safetyOfficer")}
            style={{ flex: "1 1 200px" }}
          >
            <Input maxLength={40} data-testid="organisation-safety-officer" />
          </Form.Item>
          <Form.Item
            name="safetyOfficerPhone"
            label={t("organisations.safetyOfficerPhone")}
            rules={[phoneRule]}
            style={{ flex: "1 1 200px" }}
            extra={
              editing?.safetyOfficerPhone
                ? t("organisations.phoneKeep", { phone: editing.safetyOfficerPhone })
                : undefined
            }
          >
            <Input maxLength={20} inputMode="tel" data-testid="organisation-safety-phone" />
          </Form.Item>
        </div>
        {editing?.safetyOfficerPhone ? (
          <Form.Item
            name="clearSafetyOfficerPhone"
            valuePropName="checked"
            style={{ marginTop: -8 }}
          >
            <Checkbox data-testid="organisation-clear-phone">
              {t("organisations.clearPhone")}
            </Checkbox>
          </Form.Item>
        ) : null}
        {editing ? (
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {t("organisations.auditNote")}
          </Typography.Paragraph>
        ) : null}
        {error ? <ErrorAlert error={error} /> : null}
      </Form>
    </Modal>
  );
}
