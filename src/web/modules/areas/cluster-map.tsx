/**
 * What the server-clustered maps (实有房屋, 事件) share. Leaflet over our own
 * boundaries: the user's home area outlined with its parts, tiles only when
 * the server configures a tile URL. The view (centre and zoom) is kept in the
 * URL as `at`; each settled move asks the server for the box and zoom in
 * view, which answers counts per cell zoomed out and the records themselves
 * zoomed in. The clusters are drawn here (a round count, a red badge for the
 * flagged ones; a click zooms in), the records by the caller. The frame
 * around the map shows the summary, loading, error, empty state and legend.
 */
import "leaflet/dist/leaflet.css";
import { Alert, Grid, Space, Spin, Typography } from "antd";
import L from "leaflet";
import { type ReactNode, type RefObject, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { homeAreaCode } from "../../auth/access.js";
import { useAuth } from "../../auth/auth-context.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { type ApiState, useApi } from "../../ui/use-api.js";
import { useDebounced } from "../../ui/use-debounced.js";
import { loadAreaView } from "./areas-api.js";

export const BLUE = "#1668dc";
export const RED = "#cf1322";
export const ORANGE = "#d46b08";
const DEFAULT_CENTER: L.LatLngTuple = [31.32, 120.5];
const MAX_ZOOM = 19;
/** How far one click on a cluster zooms in at most. */
const MAP_STEP_MAX_ZOOM = 17;

/** The box [west, south, east, north] and zoom to ask the server for. */
export interface MapView {
  bbox: [number, number, number, number];
  zoom: number;
}

/** A cell of the server's answer zoomed out. */
interface Cluster {
  lat: number;
  lng: number;
  count: number;
  bbox: [number, number, number, number];
}

/** What a map endpoint answers: clusters, or (by `mode`) the records themselves. */
interface ClusteredAnswer<C extends Cluster> {
  mode: string;
  total: number;
  clusters: C[];
}

/** How a cluster reads: its label, how many of it are flagged, and its test hooks. */
export interface ClusterLook {
  label: string;
  flagged: number;
  className: string;
  badgeTestId: string;
  dataset: Record<string, string>;
}

/** `at=lat,lng,zoom` from the URL, when it is well formed. */
function parseAt(v: string | null): { center: L.LatLngTuple; zoom: number } | null {
  const m = v?.match(/^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?),(\d{1,2}(?:\.\d+)?)$/);
  if (!m) return null;
  const [lat, lng, zoom] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (Math.abs(lat) > 90 || Math.abs(lng) > 180 || zoom > MAX_ZOOM) return null;
  return { center: [lat, lng], zoom };
}

function viewOf(map: L.Map): MapView {
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

/** A DOM element for a marker's icon or popup (Leaflet takes nodes, not React). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  style: Partial<CSSStyleDeclaration>,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  Object.assign(e.style, style);
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * A round count, with a red badge counting the `flagged` ones (overcrowded,
 * overdue); wholly red when all of them are. `dataset` goes on the root, for
 * tests and assistive tools.
 */
function clusterIcon(c: ClusterLook & { count: number }): L.DivIcon {
  const { count, flagged } = c;
  const size = Math.round(30 + 10 * Math.log10(Math.max(1, count)));
  const all = flagged > 0 && flagged === count;
  const root = el("div", { position: "relative", width: `${size}px`, height: `${size}px` });
  Object.assign(root.dataset, c.dataset);
  root.dataset.count = String(count);
  root.setAttribute("role", "button");
  root.setAttribute("aria-label", c.label);
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
  if (flagged > 0 && !all) {
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
      String(flagged),
    );
    badge.dataset.testid = c.badgeTestId;
    root.append(badge);
  }
  return L.divIcon({
    html: root,
    className: c.className,
    iconSize: [size, size],
    iconAnchor: [size / 2, size / 2],
  });
}

/** Clicking a cluster: zoom to its extent, never deeper than street level in one step. */
function zoomIntoCluster(map: L.Map, bbox: readonly [number, number, number, number]) {
  const [w, s, e, n] = bbox;
  const b = L.latLngBounds([s, w], [n, e]);
  // One building (or one spot): zoom in far enough to see what is there.
  if (b.getNorthEast().distanceTo(b.getSouthWest()) < 30)
    map.setView(b.getCenter(), Math.max(map.getZoom() + 2, MAP_STEP_MAX_ZOOM));
  // Never deeper than street level in one step, so the place stays recognisable.
  else map.fitBounds(b.pad(0.1), { maxZoom: MAP_STEP_MAX_ZOOM });
}

/**
 * The map itself, created once on `containerRef`'s node, with tiles and the
 * home area's outlines. After each settled move it loads the view (`load`;
 * `requestKey` names the filters, so a change of filter reloads too) and
 * draws the answer: the clusters as `look` says, then the rest by `draw`.
 * `data` is the load's state, for the frame.
 */
export function useClusterMap<C extends Cluster, R extends ClusteredAnswer<C>>(o: {
  tileUrl: string | null;
  tileAttribution: string | null;
  districtCode: string | null;
  requestKey: string;
  load: (view: MapView, signal: AbortSignal) => Promise<R>;
  look: (c: C) => ClusterLook;
  draw: (layer: L.LayerGroup, answer: R) => void;
  /** Redraws when it changes (the language of the labels). */
  redrawKey: string | undefined;
}) {
  const { me } = useAuth();
  const [search, setSearch] = useSearchParams();
  const containerRef = useRef<HTMLElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const layerRef = useRef<L.LayerGroup | null>(null);
  const searchRef = useRef({ search, setSearch });
  searchRef.current = { search, setSearch };
  const startAt = useRef(parseAt(search.get("at")));
  const [view, setView] = useState<MapView | null>(null);

  // Where the user works: their first area grant (a grid worker's grid), else the district.
  const homeCode = homeAreaCode(me) ?? o.districtCode;
  const home = useApi(homeCode ? `map-home:${homeCode}` : null, (signal) =>
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
    if (!map || !o.tileUrl) return;
    const tiles = L.tileLayer(o.tileUrl, {
      maxZoom: MAX_ZOOM,
      ...(o.tileAttribution ? { attribution: o.tileAttribution } : {}),
    }).addTo(map);
    return () => {
      tiles.remove();
    };
  }, [o.tileUrl, o.tileAttribution]);

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
  const latest = useRef(o);
  latest.current = o;
  const data = useApi(settled ? `${o.requestKey}@${JSON.stringify(settled)}` : null, (signal) =>
    latest.current.load(settled as MapView, signal),
  );

  const answer = data.data;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `redrawKey` redraws the labels in a new language
  useEffect(() => {
    const map = mapRef.current;
    const layer = layerRef.current;
    if (!map || !layer || !answer) return;
    layer.clearLayers();
    for (const c of answer.clusters) {
      const look = latest.current.look(c);
      L.marker([c.lat, c.lng], {
        icon: clusterIcon({ ...look, count: c.count }),
        title: look.label,
        riseOnHover: true,
      })
        .on("click", () => zoomIntoCluster(map, c.bbox))
        .addTo(layer);
    }
    latest.current.draw(layer, answer);
  }, [answer, o.redrawKey]);

  return { containerRef, data, mapRef };
}

/**
 * Around the map: the summary of what is in view (with a spinner while it
 * loads), a hint, the error with a retry, the empty state, and the legend.
 */
export function ClusterMapFrame(props: {
  testId: string;
  containerRef: RefObject<HTMLElement | null>;
  data: ApiState<{ mode: string; total: number }>;
  label: string;
  summary: ReactNode;
  hint: ReactNode;
  /** Shown when nothing in view matches. */
  emptyText: string;
  legend: { color: string; square?: boolean; label: string }[];
}) {
  const { t } = useTranslation();
  const { data: answer, loading, error, reload } = props.data;
  const screens = Grid.useBreakpoint();
  const height = screens.md === false ? 440 : 580;
  return (
    <div data-testid={`${props.testId}-view`}>
      <Space wrap style={{ marginBottom: 8, minHeight: 24 }}>
        {props.summary}
        {loading ? <Spin size="small" /> : null}
        <Typography.Text type="secondary">{props.hint}</Typography.Text>
      </Space>
      {error ? (
        <div style={{ marginBottom: 8 }}>
          <ErrorAlert error={error} title={t("errors.loadFailed")} onRetry={reload} />
        </div>
      ) : null}
      {answer?.total === 0 && !loading ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 8 }}
          title={props.emptyText}
          data-testid={`${props.testId}-empty`}
        />
      ) : null}
      <section
        ref={props.containerRef}
        className="gz-map"
        data-testid={props.testId}
        data-mode={answer?.mode ?? ""}
        aria-label={props.label}
        style={{ height, width: "100%", borderRadius: 6, zIndex: 0 }}
      />
      <Space wrap size={16} style={{ marginTop: 8, fontSize: 12 }}>
        {props.legend.map((l) => (
          <Space size={4} key={l.label}>
            <span
              style={{
                display: "inline-block",
                width: 12,
                height: 12,
                borderRadius: l.square ? 3 : "50%",
                background: l.color,
                verticalAlign: "middle",
              }}
            />
            {l.label}
          </Space>
        ))}
      </Space>
    </div>
  );
}
