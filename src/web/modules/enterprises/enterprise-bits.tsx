/** Small shared pieces of the enterprise screens: rating, warning and site-kind tags. */
import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { Rating, SiteKind, WarningLevel } from "../../../shared/schemas/enterprises.js";

const RATING_COLORS: Record<Rating, string> = { A: "green", B: "blue", C: "orange", D: "red" };
const WARNING_COLORS: Record<WarningLevel, string> = {
  none: "default",
  watch: "gold",
  warning: "orange",
  alarm: "red",
};

export function RatingTag(props: { rating: Rating | null }) {
  const { t } = useTranslation();
  if (!props.rating) return <Tag data-rating="none">{t("enterprises.noRating")}</Tag>;
  return (
    <Tag color={RATING_COLORS[props.rating]} data-rating={props.rating}>
      {t(`enterprises.ratings.${props.rating}`)}
    </Tag>
  );
}

export function WarningTag(props: { level: WarningLevel }) {
  const { t } = useTranslation();
  return (
    <Tag color={WARNING_COLORS[props.level]} data-warning={props.level}>
      {t(`enterprises.warningLevels.${props.level}`)}
    </Tag>
  );
}

export function SiteKindTag(props: { kind: SiteKind }) {
  const { t } = useTranslation();
  return (
    <Tag color={props.kind === "dormitory" ? "purple" : "geekblue"} data-kind={props.kind}>
      {t(`enterprises.sites.kinds.${props.kind}`)}
    </Tag>
  );
}
