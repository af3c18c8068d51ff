/** Small shared pieces of the housing screens: the overcrowding flag and the rental tag. */
import { WarningFilled } from "@ant-design/icons";
import { Space, Tag, Tooltip } from "antd";
import { useTranslation } from "react-i18next";
import type { Unit } from "../../../shared/schemas/housing.js";

/** Why a unit counts as overcrowded, in words ("超核定人数（3/2 人）", …). */
export function useOvercrowdingReasons() {
  const { t } = useTranslation();
  return (u: Pick<Unit, "overcrowding" | "occupants" | "declaredCapacity">): string[] => {
    const out: string[] = [];
    if (u.overcrowding.overCapacity)
      out.push(
        t("units.overCapacityDetail", { occupants: u.occupants, capacity: u.declaredCapacity }),
      );
    if (u.overcrowding.underAreaPerPerson)
      out.push(t("units.underArea", { area: u.overcrowding.areaPerPersonM2 }));
    return out;
  };
}

/**
 * 群租 with its reasons, red; nothing for a unit that is not overcrowded.
 * `inline` spells the reasons out (detail page, phone), otherwise they are in
 * the tooltip and the tag's accessible name.
 */
export function OvercrowdingFlag(props: {
  unit: Pick<Unit, "overcrowding" | "occupants" | "declaredCapacity">;
  inline?: boolean;
}) {
  const { t } = useTranslation();
  const reasonsOf = useOvercrowdingReasons();
  if (!props.unit.overcrowding.overcrowded) return null;
  const reasons = reasonsOf(props.unit);
  const text = reasons.join("；");
  const tag = (
    <Tag
      color="red"
      icon={<WarningFilled />}
      data-testid="unit-overcrowded"
      aria-label={`${t("units.overcrowded")}：${text}`}
      style={{ marginInlineEnd: 0 }}
    >
      {t("units.overcrowded")}
    </Tag>
  );
  if (props.inline) {
    return (
      <Space size={4} wrap>
        {tag}
        <span style={{ color: "#cf1322" }} data-testid="unit-overcrowded-reason">
          {text}
        </span>
      </Space>
    );
  }
  return (
    <Space size={4} wrap>
      {tag}
      <Tooltip title={text}>
        <span style={{ color: "#cf1322", fontSize: 12 }} data-testid="unit-overcrowded-reason">
          {text}
        </span>
      </Tooltip>
    </Space>
  );
}

export function RentalTag(props: { isRental: boolean }) {
  const { t } = useTranslation();
  return props.isRental ? (
    <Tag color="blue" data-testid="unit-rental">
      {t("units.rental")}
    </Tag>
  ) : (
    <Tag>{t("units.notRentalShort")}</Tag>
  );
}
