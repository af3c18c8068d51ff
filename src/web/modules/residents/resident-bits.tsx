/** Small shared pieces of the resident screens: the status tag and the register dialog. */
import { type ButtonProps, Form, Input, Modal, Select, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { mobileSchema } from "../../../shared/formats/mobile.js";
import { residentIdSchema } from "../../../shared/formats/resident-id.js";
import { type Resident, registerResidentBody } from "../../../shared/schemas/residents.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { applyServerErrors } from "../../ui/server-errors.js";
import { optionalZodRule, zodRule } from "../../ui/zod-rule.js";
import { type ResidentStatus, registerResident } from "./base-data-api.js";
import { UnitSelect } from "./unit-select.js";

const STATUS_COLORS: Record<ResidentStatus, string> = {
  registered: "blue",
  permit_holder: "green",
  departed: "default",
};

export function ResidentStatusTag(props: { status: ResidentStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[props.status]} data-status={props.status}>
      {t(`residents.statuses.${props.status}`)}
    </Tag>
  );
}

export function EligibleTag() {
  const { t } = useTranslation();
  return (
    <Tag color="gold" data-testid="permit-eligible">
      {t("residents.eligible")}
    </Tag>
  );
}

interface RegisterForm {
  employerId?: string;
  name: string;
  idNumber: string;
  phone?: string;
  arrivalDate?: string;
  unitId?: string;
  movedIn?: string;
}

const FIELDS = ["name", "idNumber", "phone", "arrivalDate", "unitId", "movedIn"];

/** "body.idNumber" → ["idNumber"] when it is one of the form's fields. */
function fieldOf(path: string): string[] | null {
  const name = path.replace(/^body\./, "");
  return FIELDS.includes(name) ? [name] : null;
}

export function RegisterResidentModal(props: {
  open: boolean;
  onClose: () => void;
  onDone: (r: Resident, created: boolean) => void;
  /** A resident registering themself: addresses come from the standard-address lookup. */
  self?: boolean;
  /** An enterprise registering its employees: which enterprise (required). */
  employers?: { id: string; name: string }[];
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<RegisterForm>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const unitId = Form.useWatch("unitId", form);

  const close = () => {
    form.resetFields();
    setError(null);
    props.onClose();
  };

  const submit = async (v: RegisterForm) => {
    setSaving(true);
    setError(null);
    const opt = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);
    const phone = opt(v.phone);
    const arrivalDate = opt(v.arrivalDate);
    const unit = opt(v.unitId);
    const movedIn = unit ? opt(v.movedIn) : undefined;
    try {
      const { resident, created } = await registerResident({
        name: v.name.trim(),
        idNumber: residentIdSchema.parse(v.idNumber),
        ...(phone ? { phone: mobileSchema.parse(phone) } : {}),
        ...(arrivalDate ? { arrivalDate } : {}),
        ...(unit ? { unitId: unit } : {}),
        ...(movedIn ? { movedIn } : {}),
        ...(v.employerId ? { employerId: v.employerId } : {}),
      });
      form.resetFields();
      props.onDone(resident, created);
    } catch (err) {
      setError(applyServerErrors(form, err, fieldOf));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={props.open}
      title={props.self ? t("me.registerTitle") : t("residents.register")}
      okText={t("residents.registerSubmit")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={close}
      okButtonProps={{ "data-testid": "resident-register-submit" } as ButtonProps}
      mask={{ closable: false }}
      forceRender
    >
      <Form<RegisterForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        data-testid="resident-register-form"
        autoComplete="off"
      >
        {props.employers?.length ? (
          <Form.Item
            name="employerId"
            label={t("residents.employer")}
            initialValue={props.employers[0]?.id}
            rules={[{ required: true, message: t("residents.employerRequired") }]}
          >
            <Select
              data-testid="resident-employer"
              options={props.employers.map((e) => ({ value: e.id, label: e.name }))}
            />
          </Form.Item>
        ) : null}
        <Form.Item
          name="name"
          label={t("residents.name")}
          rules={[zodRule(registerResidentBody.shape.name)]}
        >
          <Input maxLength={40} data-testid="resident-name" />
        </Form.Item>
        <Form.Item
          name="idNumber"
          label={t("residents.idNumber")}
          extra={t("residents.idHelp")}
          rules={[zodRule(residentIdSchema)]}
          hasFeedback
        >
          <Input
            maxLength={20}
            inputMode="text"
            autoCapitalize="characters"
            spellCheck={false}
            data-testid="resident-id-number"
          />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t("residents.phone")}
          extra={t("residents.phoneHelp")}
          rules={[optionalZodRule(mobileSchema)]}
        >
          <Input maxLength={20} inputMode="tel" data-testid="resident-phone" />
        </Form.Item>
        <Form.Item name="arrivalDate" label={t("residents.arrivalDate")}>
          <Input type="date" data-testid="resident-arrival" />
        </Form.Item>
        <Form.Item name="unitId" label={t("residents.unit")} extra={t("residents.unitHelp")}>
          <UnitSelect data-testid="resident-unit" source={props.self ? "addresses" : "units"} />
        </Form.Item>
        {unitId ? (
          <Form.Item name="movedIn" label={t("residents.movedIn")} extra={t("residents.dateHelp")}>
            <Input type="date" data-testid="resident-moved-in" />
          </Form.Item>
        ) : null}
        {error ? <ErrorAlert error={error} /> : null}
      </Form>
    </Modal>
  );
}
