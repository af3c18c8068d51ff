/**
 * 区域分布图: the streets, communities or grids under the chosen area, drawn
 * from our own boundaries (tiles only when the server configures them) and
 * shaded by a measure in quantile classes, with the legend under the map.
 * Hovering names an area and its value; clicking one drills into it. The
 * 重大隐患 switch draws the major hazards over it, as the case map does;
 * 在办热力 and 巡逻中 draw where open cases gather and the shifts being
 * worked now (situation-layers.tsx).
 */
import "leaflet/dist/leaflet.css";
import { Card, Segmented, Space, Spin, Typography } from "antd";
import L from "leaflet";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import { MAP_MEASURES, type MapMeasure } from "../../../shared/schemas/coordination.js";
import { useMeta } from "../../api/meta.js";
import { useAuth } from "../../auth/auth-context.js";
import { useApi } from "../../ui/use-api.js";
import { useTileLayer } from "../../ui/use-tile-layer.js";
import type { AreaFeatureProps } from "../areas/areas-api.js";
import { drawHazards, HazardsSwitch } from "../cases/cases-map.js";
import { isGovernment } from "../inspections/inspections-access.js";
import { hazardMap } from "../inspections/inspections-api.js";
import { loadAreaMeasures, loadLevelBoundaries, type Scope } from "./coordination-api.js";
import { CoordinationError } from "./coordination-bits.js";
import {
  classColor,
  classOf,
  formatKpi,
  formatNumber,
  type MapLevel,
  mapLevelsUnder,
  NO_DATA_COLOR,
  quantileClasses,
} from "./coordination-model.js";
import {
  drawHeat,
  drawPatrols,
  HEAT_PANE,
  heatLabel,
  LayerSwitch,
  patrolsLabel,
  useHeat,
  usePatrols,
} from "./situation-layers.js";

/** A legend's colour square. */
const Swatch = (props: { color: string }) => (
  <span
    style={{
      display: "inline-block",
      width: 14,
      height: 12,
      borderRadius: 2,
      background: props.color,
      verticalAlign: "middle",
    }}
  />
);

const kindOf = (m: MapMeasure) => (m === "resolveOnTimeRate" ? "rate" : "count");
/** A value as the legend and the tooltip read it: the risk index with one decimal. */
const valueText = (m: MapMeasure, v: number | null, none: string) =>
  m === "risk" ? formatNumber(v, none, 1) : formatKpi(kindOf(m), v, none);

export function MeasureMap(props: {
  scope: Scope;
  tick: number;
  /** the area whose parts are shaded: its code and level */
  area: { code: string; level: string } | undefined;
  measure: MapMeasure;
  onMeasure: (m: MapMeasure) => void;
  level: MapLevel;
  onLevel: (l: MapLevel) => void;
  onDrill: (areaId: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const { me } = useAuth();
  const meta = useMeta();
  const navigate = useNavigate();
  const { scope, area, measure, level } = props;
  const levels = area ? mapLevelsUnder(area.level) : [];
  const shown: MapLevel | null = levels.includes(level) ? level : (levels.at(-1) ?? null);

  const bounds = useApi(area && shown ? `coord-bounds:${area.code}:${shown}` : null, (signal) =>
    loadLevelBoundaries(area?.code ?? "", shown ?? "grid", signal),
  );
  const values = useApi(
    shown ? `coord-map:${JSON.stringify(scope)}:${measure}:${shown}:${props.tick}` : null,
    (signal) => loadAreaMeasures(scope, measure, shown ?? "grid", signal),
  );
  const [hazardsOn, setHazardsOn] = useState(false);
  const hazards = useApi(hazardsOn ? "hazard-map" : null, hazardMap);
  const [heatOn, setHeatOn] = useState(false);
  const [patrolsOn, setPatrolsOn] = useState(false);

  // The values of the answer that matches what is asked (not a stale one still shown).
  const current =
    values.data && values.data.measure === measure && values.data.level === shown
      ? values.data
      : undefined;
  const classes = useMemo(
    () => quantileClasses(current?.items.map((i) => i.value) ?? []),
    [current],
  );
  const lowerIsWorse = measure === "resolveOnTimeRate";
  const none = t("coordination.map.noValue");

  const containerRef = useRef<HTMLElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const shapesRef = useRef<L.LayerGroup | null>(null);
  const hazardLayerRef = useRef<L.LayerGroup | null>(null);
  const heatLayerRef = useRef<L.LayerGroup | null>(null);
  const patrolLayerRef = useRef<L.LayerGroup | null>(null);
  const drillRef = useRef(props.onDrill);
  drillRef.current = props.onDrill;
  const navigateRef = useRef(navigate);
  navigateRef.current = navigate;

  // Leaflet owns the node from here on; one map for the page's life.
  useEffect(() => {
    const node = containerRef.current;
    if (!node) return;
    const map = L.map(node, { zoomSnap: 0.25, attributionControl: true }).setView(
      [31.32, 120.5],
      11,
    );
    map.attributionControl.setPrefix(false);
    shapesRef.current = L.layerGroup().addTo(map);
    // The heat sits over the shading in a pane of its own, blurred into a glow.
    const heatPane = map.createPane(HEAT_PANE);
    heatPane.style.zIndex = "450";
    heatPane.style.filter = "blur(8px)";
    heatPane.style.pointerEvents = "none";
    heatLayerRef.current = L.layerGroup().addTo(map);
    hazardLayerRef.current = L.layerGroup().addTo(map);
    patrolLayerRef.current = L.layerGroup().addTo(map);
    mapRef.current = map;
    const ro = new ResizeObserver(() => map.invalidateSize());
    ro.observe(node);
    return () => {
      ro.disconnect();
      map.remove();
      mapRef.current = null;
    };
  }, []);

  useTileLayer(mapRef, meta?.mapTileUrl ?? null, meta?.mapTileAttribution ?? null);

  // Fit the view when the areas drawn change (not when only their values do).
  const fc = bounds.data;
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !fc || fc.features.length === 0) return;
    const b = L.geoJSON(fc).getBounds();
    if (b.isValid()) map.fitBounds(b, { padding: [12, 12], animate: false });
  }, [fc]);

  useEffect(() => {
    const layer = shapesRef.current;
    if (!layer) return;
    layer.clearLayers();
    if (!fc) return;
    const byCode = new Map((current?.items ?? []).map((i) => [i.code, i]));
    L.geoJSON(fc, {
      style: (f) => {
        const code = (f?.properties as AreaFeatureProps | undefined)?.code ?? "";
        const v = byCode.get(code)?.value ?? null;
        const c = classOf(v, classes);
        return {
          color: "#595959",
          weight: 1,
          opacity: 0.8,
          fillOpacity: 0.75,
          fillColor:
            c === null ? NO_DATA_COLOR : classColor(c, classes.ranges.length, lowerIsWorse),
          className: `gz-measure-area gz-measure-class-${c ?? "none"}`,
        };
      },
      onEachFeature: (f, shape) => {
        const p = f.properties as AreaFeatureProps;
        const v = byCode.get(p.code)?.value ?? null;
        const label = `${p.name}：${valueText(measure, v, none)}`;
        shape.bindTooltip(label, { sticky: true, className: "gz-area-label" });
        shape.on("mouseover", () => (shape as L.Path).setStyle({ weight: 3 }));
        shape.on("mouseout", () => (shape as L.Path).setStyle({ weight: 1 }));
        // By risk, a grid opens its risk profile (网格风险); otherwise a click drills in.
        // A grid shown under a grid is the area itself: nothing deeper to open.
        if (measure === "risk" && p.level === "grid")
          shape.on("click", () => navigateRef.current(`/coordination/risk/grids/${p.code}`));
        else if (p.level !== area?.level) shape.on("click", () => drillRef.current(p.id));
      },
    }).addTo(layer);
  }, [fc, current, classes, lowerIsWorse, measure, none, area?.level]);

  useEffect(() => {
    const layer = hazardLayerRef.current;
    if (!layer) return;
    layer.clearLayers();
    if (hazardsOn && hazards.data)
      drawHazards(layer, hazards.data, t, (id) => navigate(`/hazards/${id}`));
  }, [hazardsOn, hazards.data, navigate, t]);

  const heat = useHeat(mapRef, heatOn, props.tick);
  useEffect(() => {
    const layer = heatLayerRef.current;
    if (!layer) return;
    layer.clearLayers();
    if (heatOn && heat.data) drawHeat(layer, heat.data, t);
  }, [heatOn, heat.data, t]);

  const patrols = usePatrols(patrolsOn, area?.code, props.tick);
  useEffect(() => {
    const layer = patrolLayerRef.current;
    if (!layer) return;
    layer.clearLayers();
    if (patrolsOn && patrols.data) drawPatrols(layer, patrols.data, t, i18n.resolvedLanguage);
  }, [patrolsOn, patrols.data, t, i18n.resolvedLanguage]);

  const error =
    values.error ??
    bounds.error ??
    (hazardsOn ? hazards.error : undefined) ??
    (heatOn ? heat.error : undefined) ??
    (patrolsOn ? patrols.error : undefined);
  const reload = () => {
    values.reload();
    bounds.reload();
    if (hazardsOn) hazards.reload();
    if (heatOn) heat.reload();
    if (patrolsOn) patrols.reload();
  };
  const loading = values.loading || bounds.loading;
  return (
    <Card
      size="small"
      data-testid="coordination-map-card"
      title={t("coordination.map.title")}
      extra={loading ? <Spin size="small" /> : null}
    >
      <Space wrap size={[12, 8]} style={{ marginBottom: 8 }}>
        <Segmented<MapMeasure>
          size="small"
          value={measure}
          onChange={props.onMeasure}
          data-testid="map-measure"
          aria-label={t("coordination.map.measure")}
          options={MAP_MEASURES.map((m) => ({
            value: m,
            label: t(`coordination.map.measures.${m}`),
          }))}
        />
        {levels.length > 1 ? (
          <Segmented<MapLevel>
            size="small"
            value={shown ?? undefined}
            onChange={props.onLevel}
            data-testid="map-level"
            aria-label={t("coordination.map.level")}
            options={levels.map((l) => ({ value: l, label: t(`coordination.map.levels.${l}`) }))}
          />
        ) : null}
        {isGovernment(me) ? (
          <HazardsSwitch
            on={hazardsOn}
            onChange={setHazardsOn}
            hazards={hazards}
            testId="map-hazards"
          />
        ) : null}
        <LayerSwitch
          on={heatOn}
          onChange={setHeatOn}
          loading={heat.loading}
          label={heatLabel(t, heatOn, heat)}
          testId="map-heat"
        />
        <LayerSwitch
          on={patrolsOn}
          onChange={setPatrolsOn}
          loading={patrols.loading}
          label={patrolsLabel(t, patrolsOn, patrols)}
          testId="map-patrols"
        />
      </Space>
      {error ? <CoordinationError error={error} onRetry={reload} /> : null}
      {fc && fc.features.length === 0 && !bounds.loading ? (
        <Typography.Text type="secondary" data-testid="map-no-boundaries">
          {t("coordination.map.noBoundaries")}
        </Typography.Text>
      ) : null}
      <section
        ref={containerRef}
        className="gz-map"
        data-testid="coordination-map"
        data-measure={measure}
        data-level={shown ?? ""}
        aria-label={t("coordination.map.aria")}
        style={{ height: 420, width: "100%", borderRadius: 6, zIndex: 0 }}
      />
      <Space
        wrap
        size={12}
        style={{ marginTop: 8, fontSize: 12 }}
        data-testid="map-legend"
        data-measure={current?.measure ?? ""}
      >
        <Typography.Text strong style={{ fontSize: 12 }}>
          {t(`coordination.map.measures.${measure}`)}
        </Typography.Text>
        {classes.ranges.map(([lo, hi], i) => (
          <Space size={4} key={`${lo}-${hi}`} data-testid="map-legend-class">
            <Swatch color={classColor(i, classes.ranges.length, lowerIsWorse)} />
            {lo === hi
              ? valueText(measure, lo, none)
              : `${valueText(measure, lo, none)} – ${valueText(measure, hi, none)}`}
          </Space>
        ))}
        <Space size={4}>
          <Swatch color={NO_DATA_COLOR} />
          {none}
        </Space>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t(
            measure === "risk" && shown === "grid"
              ? "coordination.map.riskHint"
              : "coordination.map.hint",
          )}
        </Typography.Text>
        {area?.level === "grid" ? (
          <Link to={`/coordination/risk/grids/${area.code}`} data-testid="map-risk-profile">
            {t("coordination.map.riskProfile")}
          </Link>
        ) : null}
      </Space>
    </Card>
  );
}
