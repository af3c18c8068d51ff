/**
 * The units map: Leaflet over our own boundaries (tiles only when the server
 * configures a tile URL, as on the area map). The server clusters: each move
 * asks GET /api/units/map for the box in view and gets counts per cell
 * (zoomed out) or the units themselves (zoomed in), so the browser never
 * holds the district's tens of thousands of units. Clusters with overcrowded
 * units carry a red count, wholly overcrowded ones are red; clicking a
 * cluster zooms into it. Single units are drawn per building (red when one of
 * its units is overcrowded); clicking opens the unit, or lists the building's
 * units first. The view (centre and zoom) is kept in the URL as `at`.
 */
import { Typography } from "antd";
import type { TFunction } from "i18next";
import L from "leaflet";
import { useTranslation } from "react-i18next";
import type { UnitMap } from "../../../shared/schemas/housing.js";
import { BLUE, ClusterMapFrame, el, RED, useClusterMap } from "../areas/cluster-map.js";
import { mapUnits, type UnitFilter } from "./units-api.js";

type Point = UnitMap["units"][number];

/**
 * A building's pin: the number of its units; red when all of them are
 * overcrowded, with a red count when some are (as on the clusters).
 */
function buildingIcon(units: Point[], label: string): L.DivIcon {
  const overcrowded = units.filter((u) => u.overcrowding.overcrowded).length;
  const all = overcrowded === units.length;
  const size = units.length > 1 ? 26 : 20;
  const root = el("div", { position: "relative", width: `${size}px`, height: `${size}px` });
  root.append(
    el(
      "div",
      {
        width: "100%",
        height: "100%",
        borderRadius: "6px",
        background: all ? RED : BLUE,
        border: "2px solid #fff",
        boxShadow: "0 1px 3px rgba(0,0,0,0.4)",
        color: "#fff",
        fontSize: "11px",
        fontWeight: "600",
        display: "flex",
        alignItems: "center",
        justifyContent: "center",
        boxSizing: "border-box",
        cursor: "pointer",
      },
      units.length > 1 ? String(units.length) : "",
    ),
  );
  if (overcrowded > 0 && !all) {
    root.append(
      el(
        "div",
        {
          position: "absolute",
          top: "-7px",
          right: "-9px",
          minWidth: "16px",
          height: "16px",
          padding: "0 3px",
          borderRadius: "8px",
          background: RED,
          color: "#fff",
          fontSize: "10px",
          lineHeight: "16px",
          textAlign: "center",
          border: "1px solid #fff",
          boxSizing: "border-box",
        },
        String(overcrowded),
      ),
    );
  }
  root.dataset.testid = "unit-marker";
  root.dataset.overcrowded = String(overcrowded);
  root.dataset.units = String(units.length);
  if (units.length === 1 && units[0]) root.dataset.unitId = units[0].id;
  root.setAttribute("role", "button");
  root.setAttribute("aria-label", label);
  return L.divIcon({
    html: root,
    className: "gz-unit-marker",
    iconSize: [size, size],
    iconAnchor: [size / 2, size / 2],
  });
}

/** The popup of a building with several units: each one a link to its detail. */
function buildingPopup(units: Point[], t: TFunction, open: (id: string) => void): HTMLElement {
  const root = el("div", { maxHeight: "260px", overflowY: "auto", minWidth: "200px" });
  root.dataset.testid = "unit-marker-popup";
  root.append(
    el(
      "div",
      { fontWeight: "600", marginBottom: "6px" },
      t("units.mapBuildingUnits", { count: units.length }),
    ),
  );
  for (const u of units) {
    const row = el("button", {
      display: "flex",
      gap: "6px",
      width: "100%",
      padding: "4px 0",
      border: "0",
      borderTop: "1px solid #f0f0f0",
      background: "none",
      textAlign: "left",
      cursor: "pointer",
      font: "inherit",
      color: BLUE,
    });
    row.type = "button";
    row.dataset.unitId = u.id;
    row.append(el("span", { flex: "1" }, u.address));
    row.append(el("span", { color: "#595959" }, t("units.occupantsValue", { count: u.occupants })));
    if (u.overcrowding.overcrowded)
      row.append(el("span", { color: RED, fontWeight: "600" }, t("units.overcrowded")));
    row.addEventListener("click", () => open(u.id));
    root.append(row);
  }
  return root;
}

export function UnitsMap(props: {
  filter: UnitFilter;
  tileUrl: string | null;
  tileAttribution: string | null;
  districtCode: string | null;
  onOpenUnit: (id: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const { q, rental, overcrowded } = props.filter;
  const { containerRef, data } = useClusterMap({
    tileUrl: props.tileUrl,
    tileAttribution: props.tileAttribution,
    districtCode: props.districtCode,
    requestKey: `units-map:${JSON.stringify({ q, rental, overcrowded })}`,
    load: (view, signal) => mapUnits({ q, rental, overcrowded, ...view }, signal),
    look: (c: UnitMap["clusters"][number]) => ({
      label: t("units.mapCluster", { count: c.count, overcrowded: c.overcrowded }),
      flagged: c.overcrowded,
      className: "gz-unit-cluster",
      badgeTestId: "unit-cluster-overcrowded",
      dataset: { testid: "unit-cluster", overcrowded: String(c.overcrowded) },
    }),
    draw: (layer, answer: UnitMap) => {
      const byBuilding = new Map<string, Point[]>();
      for (const u of answer.units) {
        const list = byBuilding.get(u.buildingId) ?? [];
        list.push(u);
        byBuilding.set(u.buildingId, list);
      }
      for (const units of byBuilding.values()) {
        const first = units[0];
        if (!first) continue;
        const crowded = units.filter((u) => u.overcrowding.overcrowded).length;
        const label =
          units.length === 1
            ? `${first.address}${crowded ? ` · ${t("units.overcrowded")}` : ""}`
            : t("units.mapBuilding", { count: units.length, overcrowded: crowded });
        const marker = L.marker([first.lat, first.lng], {
          icon: buildingIcon(units, label),
          title: label,
          riseOnHover: true,
        });
        if (units.length === 1) marker.on("click", () => props.onOpenUnit(first.id));
        else marker.bindPopup(buildingPopup(units, t, props.onOpenUnit));
        marker.addTo(layer);
      }
    },
    redrawKey: i18n.resolvedLanguage,
  });

  const result = data.data;
  return (
    <ClusterMapFrame
      testId="units-map"
      containerRef={containerRef}
      data={data}
      label={t("units.mapLabel")}
      summary={
        result ? (
          <Typography.Text data-testid="units-map-summary">
            {t("units.mapSummary", { total: result.total, overcrowded: result.overcrowded })}
          </Typography.Text>
        ) : null
      }
      hint={result?.mode === "units" ? t("units.mapUnitsHint") : t("units.mapClustersHint")}
      emptyText={t("units.mapEmpty")}
      legend={[
        { color: BLUE, label: t("units.legendUnits") },
        { color: BLUE, square: true, label: t("units.legendBuilding") },
        { color: RED, label: t("units.legendOvercrowded") },
      ]}
    />
  );
}
