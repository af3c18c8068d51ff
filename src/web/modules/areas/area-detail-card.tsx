/** The selected area's facts: code, level, parent chain, children, extent. */
import { Breadcrumb, Descriptions, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { AreaDetail } from "../../../shared/schemas/areas.js";

const fmt = (n: number) => n.toFixed(5);

export function AreaDetailView(props: { area: AreaDetail }) {
  const { t, i18n } = useTranslation();
  const a = props.area;
  const chain = [...a.ancestors].sort((x, y) => x.path.length - y.path.length);
  return (
    <div data-testid="area-detail" data-code={a.code} data-level={a.level}>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          ...chain.map((p) => ({
            key: p.code,
            title: <Link to={`/areas/${p.code}`}>{p.name}</Link>,
          })),
          { key: a.code, title: <span data-testid="area-detail-name">{a.name}</span> },
        ]}
      />
      <Descriptions
        size="small"
        bordered
        styles={{ label: { whiteSpace: "nowrap" } }}
        column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 3, xxl: 3 }}
        items={[
          { key: "name", label: t("areas.name"), children: a.name },
          {
            key: "code",
            label: t("areas.code"),
            children: <Typography.Text copyable>{a.code}</Typography.Text>,
          },
          {
            key: "level",
            label: t("areas.level"),
            children: <Tag data-testid="area-detail-level">{t(`levels.${a.level}`)}</Tag>,
          },
          {
            key: "parents",
            label: t("areas.parents"),
            children: chain.length ? chain.map((p) => p.name).join(" / ") : t("common.none"),
          },
          {
            key: "children",
            label: t("areas.childCount"),
            children: <span data-testid="area-detail-children">{a.childCount}</span>,
          },
          {
            key: "bbox",
            label: t("areas.bbox"),
            children: a.bbox
              ? t("areas.bboxValue", {
                  minLng: fmt(a.bbox[0]),
                  minLat: fmt(a.bbox[1]),
                  maxLng: fmt(a.bbox[2]),
                  maxLat: fmt(a.bbox[3]),
                })
              : t("areas.noBoundary"),
          },
          {
            key: "centroid",
            label: t("areas.centroid"),
            children: a.centroid
              ? `${fmt(a.centroid[0])}, ${fmt(a.centroid[1])}`
              : t("common.none"),
          },
          {
            key: "updated",
            label: t("areas.updatedAt"),
            children: new Date(a.updatedAt).toLocaleString(i18n.resolvedLanguage),
          },
          { key: "version", label: t("areas.version"), children: a.version },
        ]}
      />
      {a.allowedActions.includes("edit_boundary") ? (
        <Typography.Paragraph
          type="secondary"
          style={{ marginTop: 8, marginBottom: 0, fontSize: 12 }}
        >
          {t("areas.canEdit")}
        </Typography.Paragraph>
      ) : null}
    </div>
  );
}
