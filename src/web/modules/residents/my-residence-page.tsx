/**
 * 我的登记 (/me): a resident's own registration, on a phone. Registered: the
 * record with its history (numbers masked; the full number on request,
 * audited). Not yet: a short form to register themself at the standard
 * address they live at; an ID number already known links to that person.
 */
import { IdcardOutlined } from "@ant-design/icons";
import { App, Button, Card, Empty, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../../ui/error-alert.js";
import { PageLoading } from "../../ui/page-loading.js";
import { useApi } from "../../ui/use-api.js";
import { listResidents } from "./base-data-api.js";
import { RegisterResidentModal } from "./resident-bits.js";
import { ResidentDetailView } from "./resident-detail-page.js";

export function MyResidencePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [registering, setRegistering] = useState(false);
  // A resident's scope is themself: the list holds their own record or nothing.
  const mine = useApi("my-residence", (signal) => listResidents({ limit: 1, offset: 0 }, signal));

  if (mine.error && !mine.data) {
    return <ErrorAlert error={mine.error} title={t("errors.loadFailed")} onRetry={mine.reload} />;
  }
  if (!mine.data) return <PageLoading />;
  const own = mine.data.items[0];

  return (
    <div data-testid="my-residence">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t("me.title")}
      </Typography.Title>
      {own ? (
        <ResidentDetailView id={own.id} self />
      ) : (
        <Card size="small">
          <Empty
            image={<IdcardOutlined style={{ fontSize: 48, color: "#1668dc" }} />}
            description={
              <>
                <Typography.Paragraph strong style={{ marginBottom: 4 }}>
                  {t("me.notRegistered")}
                </Typography.Paragraph>
                <Typography.Paragraph type="secondary">{t("me.why")}</Typography.Paragraph>
              </>
            }
          >
            <Button
              type="primary"
              size="large"
              block
              onClick={() => setRegistering(true)}
              data-testid="me-register"
            >
              {t("me.register")}
            </Button>
          </Empty>
        </Card>
      )}
      <RegisterResidentModal
        self
        open={registering}
        onClose={() => setRegistering(false)}
        onDone={() => {
          setRegistering(false);
          void message.success(t("me.registered"));
          mine.reload();
        }}
      />
    </div>
  );
}
