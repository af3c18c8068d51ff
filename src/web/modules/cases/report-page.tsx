/**
 * 我要上报 (/report, signed in) and 匿名上报 (/report/anonymous, public): the
 * report form, then either the new case's page, or — for an anonymous
 * report — its tracking code and secret, shown this once with a copy button
 * and the warning that the secret is what follows the case from now on.
 */
import { SearchOutlined } from "@ant-design/icons";
import { Alert, App, Button, Card, Descriptions, Result, Space, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import type { CaseDetail } from "../../../shared/schemas/cases.js";
import { ReportForm } from "./report-form.js";

/** The anonymous report's receipt: the only time its secret is ever shown. */
export function TrackingReceipt(props: { code: string; secret: string; onAnother: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Card data-testid="report-tracking">
      <Result
        status="success"
        style={{ padding: "16px 0" }}
        title={t("report.anonymousDone")}
        subTitle={t("report.anonymousDoneSub")}
      />
      <Alert
        type="warning"
        showIcon
        role="alert"
        style={{ marginBottom: 16 }}
        title={t("report.secretOnce")}
        description={t("report.secretOnceBody")}
      />
      <Descriptions
        bordered
        size="small"
        column={1}
        items={[
          {
            key: "code",
            label: t("track.code"),
            children: (
              <Typography.Text
                strong
                copyable={{ text: props.code, tooltips: [t("report.copy"), t("report.copied")] }}
                data-testid="tracking-code"
              >
                {props.code}
              </Typography.Text>
            ),
          },
          {
            key: "secret",
            label: t("track.secret"),
            children: (
              <Typography.Text
                code
                copyable={{ text: props.secret, tooltips: [t("report.copy"), t("report.copied")] }}
                style={{ wordBreak: "break-all" }}
                data-testid="tracking-secret"
              >
                {props.secret}
              </Typography.Text>
            ),
          },
        ]}
      />
      <Space wrap style={{ marginTop: 16 }}>
        <Button
          type="primary"
          icon={<SearchOutlined />}
          onClick={() =>
            // The secret travels in memory, never in the address bar (history, logs).
            navigate("/track", { state: { code: props.code, secret: props.secret } })
          }
          data-testid="tracking-follow"
        >
          {t("report.followProgress")}
        </Button>
        <Button onClick={props.onAnother} data-testid="report-another">
          {t("report.another")}
        </Button>
      </Space>
    </Card>
  );
}

function ReportScreen(props: { publicMode: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [receipt, setReceipt] = useState<{ code: string; secret: string } | null>(null);
  // A new key gives a fresh, empty form after "再报一件".
  const [formKey, setFormKey] = useState(0);

  const reported = (c: CaseDetail, anonymous: boolean) => {
    if (anonymous && c.tracking) {
      setReceipt(c.tracking);
      window.scrollTo({ top: 0 });
      return;
    }
    void message.success(t("report.reportedOk", { code: c.code }));
    navigate(`/cases/${c.id}`);
  };

  return (
    <div data-testid={props.publicMode ? "anonymous-report-page" : "report-page"}>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {props.publicMode ? t("report.anonymousTitle") : t("report.title")}
      </Typography.Title>
      {receipt ? (
        <TrackingReceipt
          code={receipt.code}
          secret={receipt.secret}
          onAnother={() => {
            setReceipt(null);
            setFormKey((k) => k + 1);
          }}
        />
      ) : (
        <>
          <Typography.Paragraph type="secondary">
            {props.publicMode ? t("report.anonymousIntro") : t("report.intro")}
          </Typography.Paragraph>
          <ReportForm key={formKey} publicMode={props.publicMode} onReported={reported} />
          {props.publicMode ? (
            <Typography.Paragraph style={{ marginTop: 16, textAlign: "center" }}>
              <Link to="/track" data-testid="report-track-link">
                {t("public.trackLink")}
              </Link>
            </Typography.Paragraph>
          ) : null}
        </>
      )}
    </div>
  );
}

export function ReportPage() {
  return (
    <div style={{ maxWidth: 760 }}>
      <ReportScreen publicMode={false} />
    </div>
  );
}

export function AnonymousReportPage() {
  return <ReportScreen publicMode />;
}
