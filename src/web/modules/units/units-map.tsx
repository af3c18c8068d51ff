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
import "leaflet/dist/leaflet.css";
import { Alert, Grid, Space, Spin, Typography } from "antd";
import type { TFunction } from "i18next";
import L from "leaflet";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import type { UnitMap } from "../../../shared/schemas/housing.js";
import { homeAreaCode } from "../../auth/access.js";
import { useAuth } from "../../auth/auth-context.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { useApi } from "../../ui/use-api.js";
import { useDebounced } from "../../ui/use-debounced.js";
import { loadAreaView } from "../areas/areas-api.js";
import { mapUnits, type UnitFilter } from "./units-api.js";

const BLUE = "#1668dc";
const RED = "#cf1322";
const DEFAULT_CENTER: L.LatLngTuple = [31.32, 120.5];
const MAX_ZOOM = 19;
/** How far one click on a cluster zooms in at most. */
const MAP_STEP_MAX_ZOOM = 17;

type Point = UnitMap["units"][number];

interface View {
  bbox: [number, number, number, number];
  zoom: number;
}

/** `at=lat,lng,zoom` from the URL, when it is well formed. */
function parseAt(v: string | null): { center: L.LatLngTuple; zoom: number } | null {
  const m = v?.match(/^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?),(\d{1,2}(?:\.\d+)?)$/);
  if (!m) return null;
  const [lat, lng, zoom] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (Math.abs(lat) > 90 || Math.abs(lng) > 180 || zoom > MAX_ZOOM) return null;
  return { center: [lat, lng], zoom };
}

function viewOf(map: L.Map): View {
  // A margin around the screen, so a short pan does not show empty edges.
  const b = map.getBounds().pad(0.15);
  const clamp = (v: number, lim: number) => Math.max(-lim, Math.min(lim, v));
  return {
    bbox: [
      clamp(b.getWest(), 180),
      clamp(b.getSouth(), 90),
      clamp(b.getEast(), 180),
      clamp(b.getNorth(), 90),
    ],
    zoom: Math.max(0, Math.min(22, Math.round(map.getZoom()))),
  };
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  style: Partial<CSSStyleDeclaration>,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  Object.assign(e.style, style);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A round count; red when every unit in it is overcrowded, with a red badge when some are. */
function clusterIcon(count: number, overcrowded: number, label: string): L.DivIcon {
  const size = Math.round(30 + 10 * Math.log10(Math.max(1, count)));
  const all = overcrowded > 0 && overcrowded === count;
  const root = el("div", { position: "relative", width: `${size}px`, height: `${size}px` });
  root.dataset.testid = "unit-cluster";
  root.dataset.count = String(count);
  root.dataset.overcrowded = String(overcrowded);
  root.setAttribute("role", "button");
  root.setAttribute("aria-label", label);
  const disc = el(
    "div",
    {
      width: "100%",
      height: "100%",
      borderRadius: "50%",
      background: all ? RED : BLUE,
      opacity: "0.88",
      border: "3px solid rgba(255,255,255,0.85)",
      boxShadow: "0 1px 4px rgba(0,0,0,0.35)",
      color: "#fff",
      fontWeight: "600",
      fontSize: count >= 1000 ? "11px" : "12px",
      display: "flex",
      alignItems: "center",
      justifyContent: "center",
      boxSizing: "border-box",
    },
    count >= 10000 ? `${Math.round(count / 1000)}k` : String(count),
  );
  root.append(disc);
  if (overcrowded > 0 && !all) {
    const badge = el(
      "div",
      {
        position: "absolute",
        top: "-6px",
        right: "-8px",
        minWidth: "18px",
        height: "18px",
        padding: "0 4px",
        borderRadius: "9px",
        background: RED,
        color: "#fff",
        fontSize: "11px",
        lineHeight: "18px",
        textAlign: "center",
        border: "1px solid #fff",
        boxSizing: "border-box",
      },
      String(overcrowded),
    );
    badge.dataset.testid = "unit-cluster-overcrowded";
    root.append(badge);
  }
  return L.divIcon({
    html: root,
    className: "gz-unit-cluster",
    iconSize: [size, size],
    iconAnchor: [size / 2, size / 2],
  });
}

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
  const { t } = useTranslation();
  const { me } = useAuth();
  const screens = Grid.useBreakpoint();
  const height = screens.md === false ? 440 : 580;
  const [search, setSearch] = useSearchParams();
  const containerRef = useRef<HTMLElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const layerRef = useRef<L.LayerGroup | null>(null);
  const openRef = useRef(props.onOpenUnit);
  openRef.current = props.onOpenUnit;
  const searchRef = useRef({ search, setSearch });
  searchRef.current = { search, setSearch };
  const startAt = useRef(parseAt(search.get("at")));
  const [view, setView] = useState<View | null>(null);

  // Where the user works: their first area grant (a grid worker's grid), else the district.
  const homeCode = homeAreaCode(me) ?? props.districtCode;
  const home = useApi(homeCode ? `units-map-home:${homeCode}` : null, (signal) =>
    loadAreaView(homeCode ?? "", signal),
  );

  // The map is created once; Leaflet owns this DOM node from here on.
  useEffect(() => {
    const node = containerRef.current;
    if (!node) return;
    const map = L.map(node, { zoomSnap: 1, maxZoom: MAX_ZOOM, attributionControl: true });
    map.attributionControl.setPrefix(false);
    const at = startAt.current;
    map.setView(at?.center ?? DEFAULT_CENTER, at?.zoom ?? 11);
    mapRef.current = map;
    layerRef.current = L.layerGroup().addTo(map);
    const moved = () => {
      setView(viewOf(map));
      const c = map.getCenter();
      const { search: s, setSearch: set } = searchRef.current;
      const next = new URLSearchParams(s);
      next.set("at", `${c.lat.toFixed(5)},${c.lng.toFixed(5)},${map.getZoom()}`);
      set(next, { replace: true });
    };
    map.on("moveend", moved);
    setView(viewOf(map));
    const ro = new ResizeObserver(() => map.invalidateSize());
    ro.observe(node);
    return () => {
      ro.disconnect();
      map.off("moveend", moved);
      map.remove();
      mapRef.current = null;
      layerRef.current = null;
    };
  }, []);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !props.tileUrl) return;
    const tiles = L.tileLayer(props.tileUrl, {
      maxZoom: MAX_ZOOM,
      ...(props.tileAttribution ? { attribution: props.tileAttribution } : {}),
    }).addTo(map);
    return () => {
      tiles.remove();
    };
  }, [props.tileUrl, props.tileAttribution]);

  // The home area's outline and its parts, for orientation; fitted once when no view was linked.
  const homeView = home.data;
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !homeView) return;
    const group = L.featureGroup();
    if (homeView.children.features.length > 0) {
      L.geoJSON(homeView.children, {
        interactive: false,
        style: { color: "#8c8c8c", weight: 1, fill: false, opacity: 0.6 },
      }).addTo(group);
    }
    if (homeView.detail.boundary) {
      L.geoJSON(homeView.detail.boundary, {
        interactive: false,
        style: { color: "#262626", weight: 2, dashArray: "6 4", fill: false },
      }).addTo(group);
    }
    group.addTo(map);
    group.bringToBack();
    if (!startAt.current) {
      const b = group.getBounds();
      if (b.isValid()) map.fitBounds(b, { padding: [12, 12], animate: false });
      startAt.current = { center: [map.getCenter().lat, map.getCenter().lng], zoom: map.getZoom() };
    }
    return () => {
      group.remove();
    };
  }, [homeView]);

  const settled = useDebounced(view, 200);
  const { q, rental, overcrowded } = props.filter;
  const request = settled ? { q, rental, overcrowded, ...settled } : null;
  const data = useApi(request ? `units-map:${JSON.stringify(request)}` : null, (signal) =>
    mapUnits(request ?? { bbox: [0, 0, 1, 1], zoom: 0 }, signal),
  );

  const result = data.data;
  useEffect(() => {
    const map = mapRef.current;
    const layer = layerRef.current;
    if (!map || !layer || !result) return;
    layer.clearLayers();
    for (const c of result.clusters) {
      const label = t("units.mapCluster", { count: c.count, overcrowded: c.overcrowded });
      const marker = L.marker([c.lat, c.lng], {
        icon: clusterIcon(c.count, c.overcrowded, label),
        title: label,
        riseOnHover: true,
      });
      marker.on("click", () => {
        const [w, s, e, n] = c.bbox;
        const b = L.latLngBounds([s, w], [n, e]);
        // One building (or one spot): zoom in far enough to see its units.
        if (b.getNorthEast().distanceTo(b.getSouthWest()) < 30)
          map.setView(b.getCenter(), Math.max(map.getZoom() + 2, MAP_STEP_MAX_ZOOM));
        // Never deeper than street level in one step, so the place stays recognisable.
        else map.fitBounds(b.pad(0.1), { maxZoom: MAP_STEP_MAX_ZOOM });
      });
      marker.addTo(layer);
    }
    const byBuilding = new Map<string, Point[]>();
    for (const u of result.units) {
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
      if (units.length === 1) marker.on("click", () => openRef.current(first.id));
      else marker.bindPopup(buildingPopup(units, t, (id) => openRef.current(id)));
      marker.addTo(layer);
    }
  }, [result, t]);

  return (
    <div data-testid="units-map-view">
      <Space wrap style={{ marginBottom: 8, minHeight: 24 }}>
        {result ? (
          <Typography.Text data-testid="units-map-summary">
            {t("units.mapSummary", { total: result.total, overcrowded: result.overcrowded })}
          </Typography.Text>
        ) : null}
        {data.loading ? <Spin size="small" /> : null}
        <Typography.Text type="secondary">
          {result?.mode === "units" ? t("units.mapUnitsHint") : t("units.mapClustersHint")}
        </Typography.Text>
      </Space>
      {data.error ? (
        <div style={{ marginBottom: 8 }}>
          <ErrorAlert error={data.error} title={t("errors.loadFailed")} onRetry={data.reload} />
        </div>
      ) : null}
      {result && result.total === 0 && !data.loading ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 8 }}
          title={t("units.mapEmpty")}
          data-testid="units-map-empty"
        />
      ) : null}
      <section
        ref={containerRef}
        className="gz-map"
        data-testid="units-map"
        data-mode={result?.mode ?? ""}
        aria-label={t("units.mapLabel")}
        style={{ height, width: "100%", borderRadius: 6, zIndex: 0 }}
      />
      <Space wrap size={16} style={{ marginTop: 8, fontSize: 12 }}>
        <Space size={4}>
          <span style={legendDot(BLUE)} />
          {t("units.legendUnits")}
        </Space>
        <Space size={4}>
          <span style={{ ...legendDot(BLUE), borderRadius: 3 }} />
          {t("units.legendBuilding")}
        </Space>
        <Space size={4}>
          <span style={legendDot(RED)} />
          {t("units.legendOvercrowded")}
        </Space>
      </Space>
    </div>
  );
}

function legendDot(color: string) {
  return {
    display: "inline-block",
    width: 12,
    height: 12,
    borderRadius: "50%",
    background: color,
    verticalAlign: "middle",
  } as const;
}
