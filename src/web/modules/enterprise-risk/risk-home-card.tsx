/**
 * 信用与预警 on the enterprise officer's workspace home: the safety credit
 * grade, the wage-arrears warning level and score, and this month's payroll
 * declaration (due, with a link to declare it, or done).
 */
import { RightOutlined } from "@ant-design/icons";
import { Button, Card, Space, Statistic, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { ErrorAlert } from "../../ui/error-alert.js";
import { useApi } from "../../ui/use-api.js";
import { getRisk } from "./risk-api.js";
import { LEVEL_HEX, LevelTag, RATING_HEX } from "./risk-bits.js";

export function RiskHomeCard(props: { enterpriseId: string }) {
  const { t } = useTranslation();
  const id = props.enterpriseId;
  const risk = useApi(`enterprise-risk:${id}:home`, (signal) => getRisk(id, signal));
  const r = risk.data;
  const tab = `/enterprises/${encodeURIComponent(id)}?tab=risk`;
  return (
    <Card
      size="small"
      title={t("enterpriseRisk.home.title")}
      loading={risk.loading && !r}
      data-testid="risk-home-card"
      extra={<Link to={tab}>{t("enterpriseRisk.home.open")}</Link>}
    >
      {risk.error && !r ? <ErrorAlert error={risk.error} onRetry={risk.reload} /> : null}
      {r ? (
        <>
          <div style={{ display: "grid", gridTemplateColumns: "1fr 1fr", gap: 12 }}>
            <Statistic
              title={t("enterpriseRisk.rating.title")}
              value={r.rating.rating ?? "—"}
              styles={{
                content: { color: r.rating.rating ? RATING_HEX[r.rating.rating] : undefined },
              }}
              suffix={r.rating.score !== null ? <small>（{r.rating.score}）</small> : null}
              data-testid="risk-home-rating"
            />
            <Statistic
              title={t("enterpriseRisk.warning.title")}
              value={r.warning.score}
              styles={{ content: { color: LEVEL_HEX[r.warning.level] } }}
              suffix={<LevelTag level={r.warning.level} testId="risk-home-level" />}
            />
          </div>
          <Space
            style={{ width: "100%", justifyContent: "space-between", marginTop: 12 }}
            wrap
            data-testid="risk-home-payroll"
            data-declared={String(r.payroll.currentDeclared)}
          >
            <Space direction="vertical" size={0}>
              <Typography.Text type="secondary">
                {t("enterpriseRisk.home.payrollDue")}
              </Typography.Text>
              {r.payroll.currentDeclared ? (
                <Typography.Text>
                  {t("enterpriseRisk.home.payrollDone", { period: r.payroll.currentPeriod })}
                </Typography.Text>
              ) : (
                <Typography.Text strong type="warning">
                  {t("enterpriseRisk.home.payrollDueText", { period: r.payroll.currentPeriod })}
                </Typography.Text>
              )}
            </Space>
            {r.payroll.currentDeclared ? null : (
              <Link to={tab} data-testid="risk-home-declare">
                <Button type="primary" size="small" icon={<RightOutlined />}>
                  {t("enterpriseRisk.home.goDeclare")}
                </Button>
              </Link>
            )}
          </Space>
        </>
      ) : null}
    </Card>
  );
}
