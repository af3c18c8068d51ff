/** The volunteering entries of the navigation menu (nav-items.tsx mounts them). */
import {
  CalendarOutlined,
  CheckSquareOutlined,
  HeartOutlined,
  ScheduleOutlined,
  TeamOutlined,
  UsergroupAddOutlined,
} from "@ant-design/icons";
import type { MenuProps } from "antd";
import type { TFunction } from "i18next";
import type { MeResponse } from "../../../shared/schemas/auth.js";
import { canManageVolunteers, canVolunteer } from "./volunteers-access.js";

type MenuItem = Required<MenuProps>["items"][number];

export function volunteerNavItems(me: MeResponse | null, t: TFunction): MenuItem[] {
  const items: MenuItem[] = [];
  if (canVolunteer(me))
    items.push(
      { key: "/volunteer", icon: <HeartOutlined />, label: t("volunteers.nav.volunteer") },
      { key: "/volunteer/shifts", icon: <CalendarOutlined />, label: t("volunteers.nav.myShifts") },
    );
  if (canManageVolunteers(me))
    items.push({
      key: "volunteering",
      icon: <HeartOutlined />,
      label: t("volunteers.nav.volunteer"),
      children: [
        { key: "/shifts", icon: <ScheduleOutlined />, label: t("volunteers.nav.plan") },
        { key: "/hours", icon: <CheckSquareOutlined />, label: t("volunteers.nav.hours") },
        {
          key: "/volunteers",
          icon: <UsergroupAddOutlined />,
          label: t("volunteers.nav.volunteers"),
        },
        { key: "/teams", icon: <TeamOutlined />, label: t("volunteers.nav.teams") },
      ],
    });
  return items;
}
