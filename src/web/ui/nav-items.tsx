/** The navigation menu, built from what the signed-in user may do. */
import {
  AimOutlined,
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BankOutlined,
  BarChartOutlined,
  CloudUploadOutlined,
  CommentOutlined,
  DashboardOutlined,
  EnvironmentOutlined,
  FileTextOutlined,
  FormOutlined,
  HeatMapOutlined,
  HomeOutlined,
  IdcardOutlined,
  KeyOutlined,
  MoneyCollectOutlined,
  NotificationOutlined,
  PartitionOutlined,
  ProfileOutlined,
  RiseOutlined,
  SettingOutlined,
  ShopOutlined,
  SolutionOutlined,
  SoundOutlined,
  TagsOutlined,
  TeamOutlined,
  TrophyOutlined,
  UsergroupAddOutlined,
  WarningOutlined,
} from "@ant-design/icons";
import type { MenuProps } from "antd";
import type { TFunction } from "i18next";
import type { MeResponse } from "../../shared/schemas/auth.js";
import {
  canBrowseAreas,
  canBrowseEnterprises,
  canEditAnyBaseData,
  canManageTokens,
  canManageUsers,
  isResident,
  isStaff,
  ownEnterprises,
} from "../auth/access.js";
import { issuesBroadcasts, receivesBroadcasts } from "../modules/broadcasts/broadcasts-access.js";
import { canCoordinate } from "../modules/coordination/coordination-access.js";
import { canSeeWageWarnings } from "../modules/enterprise-risk/risk-access.js";
import { canOpenGridRisk } from "../modules/grid-risk/grid-risk-access.js";
import { canManageInspections, canSeeHazards } from "../modules/inspections/inspections-access.js";
import { canUseMediations, canUseNotices } from "../modules/liaison/liaison-access.js";
import { canSeeMeetings } from "../modules/meetings/meetings-access.js";
import { canSeeParticipation } from "../modules/points/points-access.js";
import { canUseProposalDesk } from "../modules/proposals/proposals-access.js";
import { canUseReports } from "../modules/reports/reports-access.js";
import { volunteerNavItems } from "../modules/volunteers/volunteer-nav.js";

type MenuItem = Required<MenuProps>["items"][number];

export function navItems(me: MeResponse | null, t: TFunction): MenuItem[] {
  const items: MenuItem[] = [{ key: "/", icon: <HomeOutlined />, label: t("nav.home") }];
  const report: MenuItem = { key: "/report", icon: <FormOutlined />, label: t("nav.report") };
  // Staff work the case inbox first; everyone else reports and follows their own reports.
  if (isStaff(me))
    items.push({ key: "/cases", icon: <AlertOutlined />, label: t("nav.cases") }, report);
  else if (me)
    items.push(report, { key: "/cases", icon: <AlertOutlined />, label: t("nav.myReports") });
  // 议事协商: staff land on their desk, everyone else on the proposals around them.
  if (me)
    items.push({
      key: canUseProposalDesk(me) ? "/proposals/desk" : "/proposals",
      icon: <CommentOutlined />,
      label: t("proposals.nav"),
    });
  if (canCoordinate(me))
    items.push({
      key: "/coordination",
      icon: <DashboardOutlined />,
      label: t("coordination.nav"),
    });
  if (canOpenGridRisk(me))
    items.push({
      key: "/coordination/risk",
      icon: <HeatMapOutlined />,
      label: t("gridRisk.nav"),
    });
  if (canUseReports(me))
    items.push({
      key: "/coordination/reports",
      icon: <FileTextOutlined />,
      label: t("reports.nav"),
    });
  // 联席会议: the coordination centre runs them; the invited see theirs and their action items.
  if (canSeeMeetings(me))
    items.push({ key: "/meetings", icon: <UsergroupAddOutlined />, label: t("meetings.nav") });
  // 定向广播 for government; residents find the broadcasts sent to them.
  if (issuesBroadcasts(me))
    items.push({ key: "/broadcasts", icon: <SoundOutlined />, label: t("broadcasts.nav") });
  else if (receivesBroadcasts(me))
    items.push({ key: "/broadcasts", icon: <SoundOutlined />, label: t("broadcasts.navMine") });
  if (canBrowseAreas(me))
    items.push({ key: "/areas", icon: <ApartmentOutlined />, label: t("nav.areas") });
  if (isResident(me)) items.push({ key: "/me", icon: <IdcardOutlined />, label: t("nav.me") });
  items.push(...volunteerNavItems(me, t));
  if (isResident(me))
    items.push({ key: "/points", icon: <TrophyOutlined />, label: t("points.nav") });
  if (canSeeParticipation(me))
    items.push({
      key: "/participation",
      icon: <RiseOutlined />,
      label: t("points.navParticipation"),
    });
  if (isStaff(me))
    items.push({
      key: "/routing-rules",
      icon: <PartitionOutlined />,
      label: t("nav.routingRules"),
    });
  if (isStaff(me))
    items.push({ key: "/categories", icon: <TagsOutlined />, label: t("nav.categories") });
  if (isStaff(me))
    items.push({ key: "/residents", icon: <IdcardOutlined />, label: t("nav.residents") });
  if (isStaff(me))
    items.push({ key: "/units", icon: <EnvironmentOutlined />, label: t("nav.units") });
  if (isStaff(me))
    items.push({ key: "/organisations", icon: <BankOutlined />, label: t("nav.organisations") });
  // 企业 for government; an enterprise officer's 我的企业 leads to their own page.
  if (canBrowseEnterprises(me))
    items.push({ key: "/enterprises", icon: <ShopOutlined />, label: t("enterprises.nav") });
  else if (ownEnterprises(me).length > 0)
    items.push({ key: "/enterprises", icon: <ShopOutlined />, label: t("enterprises.navMine") });
  if (canSeeWageWarnings(me))
    items.push({
      key: "/wage-warnings",
      icon: <MoneyCollectOutlined />,
      label: t("enterpriseRisk.nav.wageWarnings"),
    });
  if (canSeeHazards(me))
    items.push(
      { key: "/inspections", icon: <AuditOutlined />, label: t("inspections.nav.inspections") },
      { key: "/hazards", icon: <WarningOutlined />, label: t("inspections.nav.hazards") },
    );
  if (canManageInspections(me))
    items.push(
      {
        key: "/inspection-templates",
        icon: <ProfileOutlined />,
        label: t("inspections.nav.templates"),
      },
      { key: "/spot-checks", icon: <AimOutlined />, label: t("inspections.nav.spotChecks") },
    );
  if (canUseNotices(me))
    items.push({
      key: "/notices",
      icon: <NotificationOutlined />,
      label: t("liaison.nav.notices"),
    });
  if (canUseMediations(me))
    items.push({
      key: "/mediations",
      icon: <SolutionOutlined />,
      label: t("liaison.nav.mediations"),
    });
  if (canEditAnyBaseData(me))
    items.push({ key: "/imports", icon: <CloudUploadOutlined />, label: t("nav.imports") });
  const admin: MenuItem[] = [];
  if (canManageUsers(me))
    admin.push({ key: "/admin/users", icon: <TeamOutlined />, label: t("nav.users") });
  if (canManageTokens(me))
    admin.push({ key: "/admin/tokens", icon: <KeyOutlined />, label: t("nav.tokens") });
  if (admin.length > 0) {
    items.push({ key: "admin", icon: <SettingOutlined />, label: t("nav.admin"), children: admin });
  }
  // Public figures, for everyone (the page needs no login).
  items.push({ key: "/open-data", icon: <BarChartOutlined />, label: t("nav.openData") });
  return items;
}

/** The menu key that owns a path: the longest key that is a prefix of it. */
export function selectedNavKey(pathname: string): string {
  const keys = [
    "/admin/users",
    "/admin/tokens",
    "/areas",
    "/cases",
    "/proposals/desk",
    "/proposals",
    "/report",
    "/routing-rules",
    "/categories",
    "/points",
    "/participation",
    "/volunteer/shifts",
    "/volunteer",
    "/shifts",
    "/volunteers",
    "/teams",
    "/hours",
    "/residents",
    "/units",
    "/organisations",
    "/enterprises",
    "/wage-warnings",
    "/imports",
    "/notices",
    "/mediations",
    "/inspections",
    "/inspection-templates",
    "/hazards",
    "/spot-checks",
    "/coordination/reports",
    "/coordination/risk",
    "/coordination",
    "/broadcasts",
    "/meetings",
  ];
  return (
    keys.find((k) => pathname === k || pathname.startsWith(`${k}/`)) ??
    (pathname === "/" ? "/" : "")
  );
}
