/**
 * An enterprise's page (/enterprises/:id), for government and for the
 * enterprise itself: 概况 (facts, figures, sites), 员工, 宿舍, then the other
 * parts of the workspace — 自查, 隐患整改, 预警与信用, 通知与调解 — and, for the
 * enterprise's managers, 员工账号 (its staff accounts). The tab is
 * kept in the URL (?tab=) so links and reloads land on it.
 */
import { ArrowLeftOutlined } from "@ant-design/icons";
import { Button, Space, Tabs, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { canBrowseEnterprises } from "../../auth/access.js";
import { useAuth } from "../../auth/auth-context.js";
import { DetailLoadFailed } from "../../ui/detail-load-failed.js";
import { PageLoading } from "../../ui/page-loading.js";
import { useApi } from "../../ui/use-api.js";
import { EnterpriseRiskTab } from "../enterprise-risk/enterprise-risk-tab.js";
import { EnterpriseHazardsTab } from "../inspections/enterprise-hazards-tab.js";
import { EnterpriseInspectionsTab } from "../inspections/enterprise-inspections-tab.js";
import { EnterpriseLiaisonTab } from "../liaison/enterprise-liaison-tab.js";
import { EnterpriseAccountsTab } from "./enterprise-accounts-tab.js";
import { RatingTag, WarningTag } from "./enterprise-bits.js";
import { EnterpriseDormitoriesTab } from "./enterprise-dormitories-tab.js";
import { EnterpriseEmployeesTab } from "./enterprise-employees-tab.js";
import { EnterpriseOverviewTab } from "./enterprise-overview-tab.js";
import { getEnterprise } from "./enterprises-api.js";

const TABS = [
  "overview",
  "employees",
  "dormitories",
  "inspections",
  "hazards",
  "risk",
  "liaison",
  "accounts",
] as const;
type TabKey = (typeof TABS)[number];

export function EnterpriseProfilePage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { id = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const res = useApi(`enterprise:${id}`, (signal) => getEnterprise(id, signal));
  const raw = params.get("tab");
  const asked: TabKey = (TABS as readonly string[]).includes(raw ?? "")
    ? (raw as TabKey)
    : "overview";
  const back = canBrowseEnterprises(me) ? (
    <Link to="/enterprises">
      <Button type="link" icon={<ArrowLeftOutlined />} style={{ paddingInline: 0 }}>
        {t("enterprises.back")}
      </Button>
    </Link>
  ) : null;

  const e = res.data?.id === id ? res.data : undefined;
  if (res.error && !e) {
    return (
      <DetailLoadFailed
        testId="enterprise-profile"
        back={back}
        error={res.error}
        notFoundText={t("enterprises.notFound")}
        onRetry={res.reload}
      />
    );
  }
  if (!e) return <PageLoading />;
  // A link to 员工账号 opens the overview for anyone who does not keep the accounts.
  const tab: TabKey =
    asked === "accounts" && !e.allowedActions.includes("manageStaff") ? "overview" : asked;

  const items = [
    {
      key: "overview",
      label: t("enterprises.tabs.overview"),
      children: <EnterpriseOverviewTab enterprise={e} onChanged={res.reload} />,
    },
    {
      key: "employees",
      label: t("enterprises.tabs.employees"),
      children: <EnterpriseEmployeesTab enterprise={e} onChanged={res.reload} />,
    },
    {
      key: "dormitories",
      label: t("enterprises.tabs.dormitories"),
      children: <EnterpriseDormitoriesTab enterprise={e} onChanged={res.reload} />,
    },
    {
      key: "inspections",
      label: t("enterprises.tabs.inspections"),
      children: <EnterpriseInspectionsTab enterpriseId={e.id} />,
    },
    {
      key: "hazards",
      label: t("enterprises.tabs.hazards"),
      children: <EnterpriseHazardsTab enterpriseId={e.id} />,
    },
    {
      key: "risk",
      label: t("enterprises.tabs.risk"),
      children: <EnterpriseRiskTab enterpriseId={e.id} />,
    },
    {
      key: "liaison",
      label: t("enterprises.tabs.liaison"),
      children: <EnterpriseLiaisonTab enterpriseId={e.id} />,
    },
    // 员工账号: for the enterprise's managers (and admins of its area) only.
    ...(e.allowedActions.includes("manageStaff")
      ? [
          {
            key: "accounts",
            label: t("enterprises.tabs.accounts"),
            children: <EnterpriseAccountsTab enterprise={e} />,
          },
        ]
      : []),
  ];

  return (
    <div data-testid="enterprise-profile" data-enterprise-id={e.id}>
      {back ? <div>{back}</div> : null}
      <Space wrap style={{ margin: "8px 0" }}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="enterprise-title">
          {e.name}
        </Typography.Title>
        {e.industry ? <Tag>{e.industry}</Tag> : null}
        <RatingTag rating={e.rating} />
        {e.warningLevel !== "none" ? <WarningTag level={e.warningLevel} /> : null}
      </Space>
      <Tabs
        activeKey={tab}
        onChange={(key) => {
          const next = new URLSearchParams(params);
          if (key === "overview") next.delete("tab");
          else next.set("tab", key);
          setParams(next, { replace: true });
        }}
        items={items}
        destroyOnHidden
        data-testid="enterprise-tabs"
      />
    </div>
  );
}
