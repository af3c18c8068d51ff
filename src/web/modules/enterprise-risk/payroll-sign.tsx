/**
 * The manager's signature on a payroll declaration (签字确认): who signed and
 * when, or — for the enterprise's manager — a button to sign the month as
 * shown, behind a confirmation. A correction clears the signature.
 */
import { App, Button, Popconfirm, Space, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { PayrollDeclaration } from "../../../shared/schemas/enterprise-risk.js";
import { describeError } from "../../ui/error-alert.js";
import { formatTime } from "../cases/case-bits.js";
import { signPayroll } from "./risk-api.js";

export function PayrollSignature(props: {
  enterpriseId: string;
  declaration: PayrollDeclaration;
  maySign: boolean;
  onSigned: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const d = props.declaration;
  if (d.signedAt)
    return (
      <Space orientation="vertical" size={0} data-testid={`payroll-signed-${d.period}`}>
        <Tag color="green">{t("enterpriseRisk.payroll.signed", { name: d.signedBy ?? "" })}</Tag>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {formatTime(d.signedAt, i18n.resolvedLanguage)}
        </Typography.Text>
      </Space>
    );
  if (!props.maySign) return <Tag>{t("enterpriseRisk.payroll.unsigned")}</Tag>;
  return (
    <Popconfirm
      title={t("enterpriseRisk.payroll.signConfirm", { period: d.period })}
      okText={t("enterpriseRisk.payroll.sign")}
      cancelText={t("common.cancel")}
      onConfirm={async () => {
        setBusy(true);
        try {
          await signPayroll(props.enterpriseId, d.period, d.version);
          void message.success(t("enterpriseRisk.payroll.signedOk", { period: d.period }));
          props.onSigned();
        } catch (err) {
          void message.error(describeError(err, t));
        } finally {
          setBusy(false);
        }
      }}
    >
      <Button size="small" loading={busy} data-testid={`payroll-sign-${d.period}`}>
        {t("enterpriseRisk.payroll.sign")}
      </Button>
    </Popconfirm>
  );
}
