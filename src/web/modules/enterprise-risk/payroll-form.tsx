/**
 * The payroll declaration form (申报 / 更正), in a modal that fills a phone
 * screen: the month, paid on time?, the pay day, people and amounts, checked
 * live with the shared schema the server uses; a correction also asks why.
 */
import type { ButtonProps } from "antd";
import { Alert, App, Form, Input, InputNumber, Modal, Radio, Select, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { todayInChina } from "../../../shared/dates.js";
import {
  correctPayrollBody,
  DECLARE_MONTHS_BACK,
  declarePayrollBody,
  type PayrollDeclaration,
  shiftPeriod,
} from "../../../shared/schemas/enterprise-risk.js";
import { localizeMessage } from "../../i18n/index.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { applyServerErrors } from "../../ui/server-errors.js";
import { correctPayroll, type DeclareResult, declarePayroll } from "./risk-api.js";
import { formatYuan } from "./risk-bits.js";

interface Values {
  period: string;
  paidOnTime: boolean;
  paidOn?: string;
  headcountPaid?: number | null;
  amountDue?: number | null;
  amountPaid?: number | null;
  note?: string;
  reason?: string;
}

const FIELDS = [
  "period",
  "paidOnTime",
  "paidOn",
  "headcountPaid",
  "amountDue",
  "amountPaid",
  "note",
  "reason",
] as const;

/** "body.amountPaid" / "amountPaid" → the form field, if it is one. */
function fieldOf(path: string): [string] | null {
  const name = path.replace(/^(body|params)\./, "");
  return (FIELDS as readonly string[]).includes(name) ? [name] : null;
}

export function PayrollFormModal(props: {
  enterpriseId: string;
  open: boolean;
  /** the month to correct; absent: a new declaration */
  correcting?: PayrollDeclaration | null;
  /** months that can still be declared (not declared yet) */
  declarable: string[];
  currentPeriod: string;
  onClose: () => void;
  onDone: (r: DeclareResult) => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const c = props.correcting ?? null;
  const paidOnTime = Form.useWatch("paidOnTime", form);
  const due = Form.useWatch("amountDue", form);
  const paid = Form.useWatch("amountPaid", form);
  const owed = typeof due === "number" && typeof paid === "number" ? due - paid : 0;

  useEffect(() => {
    if (!props.open) return;
    setError(null);
    form.resetFields();
    form.setFieldsValue(
      c
        ? {
            period: c.period,
            paidOnTime: c.paidOnTime,
            paidOn: c.paidOn ?? "",
            headcountPaid: c.headcountPaid,
            amountDue: c.amountDue,
            amountPaid: c.amountPaid,
            note: c.note ?? "",
            reason: "",
          }
        : {
            period: props.declarable.includes(props.currentPeriod)
              ? props.currentPeriod
              : props.declarable[0],
            paidOnTime: true,
            paidOn: todayInChina(),
          },
    );
  }, [props.open, c, form, props.declarable, props.currentPeriod]);

  const periods = c
    ? [c.period]
    : Array.from({ length: DECLARE_MONTHS_BACK + 1 }, (_, i) =>
        shiftPeriod(props.currentPeriod, -i),
      ).filter((p) => props.declarable.includes(p));

  async function submit() {
    const v = form.getFieldsValue(true) as Values;
    const facts = {
      paidOnTime: v.paidOnTime,
      paidOn: v.paidOn ? v.paidOn : null,
      headcountPaid: v.headcountPaid ?? Number.NaN,
      amountDue: v.amountDue ?? Number.NaN,
      amountPaid: v.amountPaid ?? Number.NaN,
      ...(v.note?.trim() ? { note: v.note.trim() } : {}),
    };
    const parsed = c
      ? correctPayrollBody.safeParse({ ...facts, version: c.version, reason: v.reason ?? "" })
      : declarePayrollBody.safeParse({ ...facts, period: v.period });
    if (!parsed.success) {
      form.setFields(
        parsed.error.issues.map((i) => ({
          name: String(i.path[0] ?? "period") as keyof Values,
          errors: [localizeMessage(i.message)],
        })),
      );
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = c
        ? await correctPayroll(props.enterpriseId, c.period, {
            ...facts,
            version: c.version,
            reason: v.reason ?? "",
          })
        : await declarePayroll(props.enterpriseId, { ...facts, period: v.period });
      message.success(
        `${t(c ? "enterpriseRisk.payroll.correctedOk" : "enterpriseRisk.payroll.declaredOk", {
          period: r.declaration.period,
        })}；${t("enterpriseRisk.payroll.warningNow", {
          level: t(`enterpriseRisk.levels.${r.warning.level}`),
          score: r.warning.score,
        })}`,
      );
      props.onDone(r);
    } catch (err) {
      setError(applyServerErrors(form, err, fieldOf));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open={props.open}
      title={
        c
          ? t("enterpriseRisk.payroll.correctTitle", { period: c.period })
          : t("enterpriseRisk.payroll.declareTitle")
      }
      okText={c ? t("enterpriseRisk.payroll.submitCorrection") : t("enterpriseRisk.payroll.submit")}
      onOk={() => void submit()}
      okButtonProps={{ loading: busy, "data-testid": "payroll-submit" } as ButtonProps}
      onCancel={props.onClose}
      destroyOnHidden
      width={560}
      data-testid="payroll-form"
    >
      {error ? <ErrorAlert error={error} /> : null}
      <Form form={form} layout="vertical" requiredMark={false} data-testid="payroll-form-body">
        <Form.Item name="period" label={t("enterpriseRisk.payroll.period")}>
          <Select
            disabled={c !== null}
            options={periods.map((p) => ({ value: p, label: p }))}
            data-testid="payroll-period"
          />
        </Form.Item>
        <Form.Item
          name="paidOnTime"
          label={t("enterpriseRisk.payroll.paidOnTime")}
          extra={t("enterpriseRisk.payroll.paidOnTimeHelp")}
        >
          <Radio.Group optionType="button" data-testid="payroll-on-time">
            <Radio value={true} data-testid="payroll-on-time-yes">
              {t("enterpriseRisk.payroll.yes")}
            </Radio>
            <Radio value={false} data-testid="payroll-on-time-no">
              {t("enterpriseRisk.payroll.no")}
            </Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="paidOn" label={t("enterpriseRisk.payroll.paidOn")}>
          <Input
            type="date"
            max={todayInChina()}
            style={{ maxWidth: 240 }}
            data-testid="payroll-paid-on"
          />
        </Form.Item>
        <Form.Item name="headcountPaid" label={t("enterpriseRisk.payroll.headcount")}>
          <InputNumber
            min={0}
            precision={0}
            style={{ width: "100%" }}
            inputMode="numeric"
            data-testid="payroll-headcount"
          />
        </Form.Item>
        <Form.Item name="amountDue" label={t("enterpriseRisk.payroll.amountDue")}>
          <InputNumber
            min={0}
            precision={2}
            style={{ width: "100%" }}
            inputMode="decimal"
            data-testid="payroll-due"
          />
        </Form.Item>
        <Form.Item name="amountPaid" label={t("enterpriseRisk.payroll.amountPaid")}>
          <InputNumber
            min={0}
            precision={2}
            style={{ width: "100%" }}
            inputMode="decimal"
            data-testid="payroll-paid"
          />
        </Form.Item>
        {owed > 0 ? (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="payroll-arrears-hint"
            message={t("enterpriseRisk.payroll.arrearsHint", {
              amount: formatYuan(owed, i18n.resolvedLanguage),
            })}
          />
        ) : null}
        {paidOnTime === true && owed > 0 ? (
          <Typography.Paragraph type="danger">
            {localizeMessage(
              "未足额发放不能申报为按时足额 / wages not paid in full are not paid on time",
            )}
          </Typography.Paragraph>
        ) : null}
        <Form.Item name="note" label={t("enterpriseRisk.payroll.note")}>
          <Input.TextArea rows={2} maxLength={500} data-testid="payroll-note" />
        </Form.Item>
        {c ? (
          <Form.Item name="reason" label={t("enterpriseRisk.payroll.reason")}>
            <Input.TextArea rows={2} maxLength={500} data-testid="payroll-reason" />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}
