/** An account's status as a badge: 正常, 已停用, or 已锁定 with when the lock ends. */
import { Badge, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { AdminUser } from "../../../shared/schemas/users.js";

const BADGE = { active: "success", locked: "warning", disabled: "default" } as const;

export function UserStatusBadge(props: {
  user: Pick<AdminUser, "status" | "lockedUntil">;
  lang: string | undefined;
}) {
  const { t } = useTranslation();
  const { status, lockedUntil } = props.user;
  const until = lockedUntil ? new Date(lockedUntil) : null;
  return (
    <span data-testid="user-status" data-status={status}>
      <Badge status={BADGE[status]} text={t(`userStatus.${status}`)} />
      {status === "locked" ? (
        <Typography.Text type="secondary" style={{ display: "block", fontSize: 12 }}>
          {until && until.getTime() > Date.now()
            ? t("users.lockedUntil", {
                at: until.toLocaleString(props.lang, { dateStyle: "short", timeStyle: "short" }),
              })
            : t("users.lockExpired")}
        </Typography.Text>
      ) : null}
    </span>
  );
}
