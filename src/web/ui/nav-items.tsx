/** The navigation menu, built from what the signed-in user may do. */
import {
  AlertOutlined,
  ApartmentOutlined,
  BankOutlined,
  BarChartOutlined,
  CloudUploadOutlined,
  EnvironmentOutlined,
  FormOutlined,
  HomeOutlined,
  IdcardOutlined,
  KeyOutlined,
  PartitionOutlined,
  SettingOutlined,
  TagsOutlined,
  TeamOutlined,
} from "@ant-design/icons";
import type { MenuProps } from "antd";
import type { TFunction } from "i18next";
import type { MeResponse } from "../../shared/schemas/auth.js";
import {
  canBrowseAreas,
  canEditAnyBaseData,
  canManageTokens,
  canManageUsers,
  isResident,
  isStaff,
} from "../auth/access.js";

type MenuItem = Required<MenuProps>["items"][number];

export function navItems(me: MeResponse | null, t: TFunction): MenuItem[] {
  const items: MenuItem[] = [{ key: "/", icon: <HomeOutlined />, label: t("nav.home") }];
  const report: MenuItem = { key: "/report", icon: <FormOutlined />, label: t("nav.report") };
  // Staff work the case inbox first; everyone else reports and follows their own reports.
  if (isStaff(me))
    items.push({ key: "/cases", icon: <AlertOutlined />, label: t("nav.cases") }, report);
  else if (me)
    items.push(report, { key: "/cases", icon: <AlertOutlined />, label: t("nav.myReports") });
  if (canBrowseAreas(me))
    items.push({ key: "/areas", icon: <ApartmentOutlined />, label: t("nav.areas") });
  if (isResident(me)) items.push({ key: "/me", icon: <IdcardOutlined />, label: t("nav.me") });
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
    "/report",
    "/routing-rules",
    "/categories",
    "/residents",
    "/units",
    "/organisations",
    "/imports",
  ];
  return (
    keys.find((k) => pathname === k || pathname.startsWith(`${k}/`)) ??
    (pathname === "/" ? "/" : "")
  );
}
