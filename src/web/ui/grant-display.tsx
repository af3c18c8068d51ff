/** How a role grant reads on screen: the role's colour, its scope as text, and a tag. */
import { Tag } from "antd";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { Role } from "../../shared/roles.js";
import type { Grant } from "../../shared/schemas/auth.js";

export const ROLE_COLORS: Record<Role, string> = {
  admin: "red",
  coordinator: "blue",
  department_officer: "geekblue",
  grid_worker: "cyan",
  enterprise_officer: "orange",
  enterprise_manager: "volcano",
  association_rep: "purple",
  resident: "green",
};

/** "狮山街道 · 街道（320505002）", a department or organisation name, or 本人. */
export function scopeText(g: Pick<Grant, "scope" | "scopeKind">, t: TFunction): string {
  if (g.scope) {
    const parts = [g.scope.name];
    if (g.scope.level) parts.push(t(`levels.${g.scope.level}`));
    return `${parts.join(" · ")}${g.scope.code ? `（${g.scope.code}）` : ""}`;
  }
  return g.scopeKind === "self" ? t("scopeKinds.self") : t("home.scopeAll");
}

/** A compact tag: the role, then the scope's name (the full scope text on hover). */
export function GrantTag(props: { grant: Grant }) {
  const { t } = useTranslation();
  const g = props.grant;
  return (
    <Tag
      color={ROLE_COLORS[g.role]}
      title={`${t(`roles.${g.role}`)} · ${scopeText(g, t)}`}
      data-role={g.role}
      style={{
        display: "inline-block",
        marginInlineEnd: 0,
        maxWidth: "100%",
        overflow: "hidden",
        textOverflow: "ellipsis",
        whiteSpace: "nowrap",
        verticalAlign: "top",
      }}
    >
      {t(`roles.${g.role}`)}
      {g.scope ? <span style={{ opacity: 0.75 }}> · {g.scope.name}</span> : null}
    </Tag>
  );
}
