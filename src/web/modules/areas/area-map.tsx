/**
 * The area map: our own GeoJSON drawn with Leaflet. The selected area's
 * children are interactive polygons (hover highlights, click selects); the
 * selected area itself is a dashed, non-interactive outline. Tiles are added
 * only when the server configures a tile URL; otherwise a plain background.
 */
import "leaflet/dist/leaflet.css";
import L from "leaflet";
import { useEffect, useRef } from "react";
import type { AreaLevel } from "../../../shared/roles.js";
import type { AreaDetail } from "../../../shared/schemas/areas.js";
import type { AreaFeatureCollection, AreaFeatureProps } from "./areas-api.js";

/** Fill and stroke per level, so a street map and a grid map read differently. */
const LEVEL_COLORS: Record<AreaLevel, string> = {
  district: "#1668dc",
  street: "#1668dc",
  community: "#13a8a8",
  grid: "#d46b08",
};

const BASE_STYLE: L.PathOptions = { weight: 1.5, opacity: 0.9, fillOpacity: 0.22 };
const HOVER_STYLE: L.PathOptions = { weight: 3, fillOpacity: 0.45 };

const MAX_FIXED_LABELS = 24;
const MIN_WIDTH_FOR_LABELS = 560;

// Roughly the centre of the demo district, used before any data arrives.
const DEFAULT_CENTER: L.LatLngTuple = [31.32, 120.5];

export interface AreaMapProps {
  focus: AreaDetail | undefined;
  childAreas: AreaFeatureCollection | undefined;
  tileUrl: string | null;
  tileAttribution?: string | null;
  onSelect: (code: string) => void;
  height: number;
  label: string;
}

export function AreaMap(props: AreaMapProps) {
  const containerRef = useRef<HTMLElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const onSelectRef = useRef(props.onSelect);
  onSelectRef.current = props.onSelect;

  // Create the map once; Leaflet owns this DOM node from here on.
  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const map = L.map(el, { zoomSnap: 0.25, attributionControl: false, preferCanvas: false });
    map.setView(DEFAULT_CENTER, 11);
    mapRef.current = map;
    const ro = new ResizeObserver(() => map.invalidateSize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      map.remove();
      mapRef.current = null;
    };
  }, []);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !props.tileUrl) return;
    const tiles = L.tileLayer(props.tileUrl, {
      maxZoom: 19,
      ...(props.tileAttribution ? { attribution: props.tileAttribution } : {}),
    });
    tiles.addTo(map);
    return () => {
      tiles.remove();
    };
  }, [props.tileUrl, props.tileAttribution]);

  const { focus, childAreas } = props;
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !focus) return;
    const hasChildren = (childAreas?.features.length ?? 0) > 0;
    const group = L.featureGroup().addTo(map);

    if (focus.boundary) {
      const color = LEVEL_COLORS[focus.level];
      L.geoJSON(focus.boundary, {
        interactive: false,
        style: hasChildren
          ? { color: "#262626", weight: 2, dashArray: "6 4", fill: false }
          : { ...BASE_STYLE, color, fillColor: color, fillOpacity: 0.3, weight: 2.5 },
      }).addTo(group);
    }

    let childLayer: L.GeoJSON | null = null;
    if (childAreas && hasChildren) {
      const labelled =
        childAreas.features.length <= MAX_FIXED_LABELS && map.getSize().x >= MIN_WIDTH_FOR_LABELS;
      const layer = L.geoJSON<AreaFeatureProps>(childAreas, {
        style: (f) => {
          const c = LEVEL_COLORS[f?.properties.level ?? "grid"];
          return { ...BASE_STYLE, color: c, fillColor: c };
        },
        onEachFeature: (feature, l) => {
          const p = feature.properties;
          // A few areas get permanent labels; many would only clutter, so they label on hover.
          if (labelled) {
            l.bindTooltip(p.name, {
              permanent: true,
              direction: "center",
              className: "gz-area-label gz-area-label-fixed",
            });
          } else {
            l.bindTooltip(p.name, { sticky: true, className: "gz-area-label", direction: "top" });
          }
          // Name the SVG path after its area, for assistive tech and browser tests.
          l.on("add", () => {
            const el = (l as L.Path).getElement();
            el?.setAttribute("data-code", p.code);
            el?.setAttribute("data-level", p.level);
            el?.setAttribute("aria-label", p.name);
          });
          l.on({
            mouseover: (e) => {
              const path = e.target as L.Path;
              path.setStyle(HOVER_STYLE);
              path.bringToFront();
            },
            mouseout: (e) => layer.resetStyle(e.target as L.Path),
            click: () => onSelectRef.current(p.code),
          });
        },
      });
      layer.addTo(group);
      childLayer = layer;
    }

    const bounds = childLayer?.getBounds().isValid()
      ? childLayer.getBounds()
      : group.getBounds().isValid()
        ? group.getBounds()
        : focus.bbox
          ? L.latLngBounds([focus.bbox[1], focus.bbox[0]], [focus.bbox[3], focus.bbox[2]])
          : null;
    if (bounds?.isValid()) map.fitBounds(bounds, { padding: [16, 16], animate: false });

    return () => {
      group.remove();
    };
  }, [focus, childAreas]);

  return (
    <section
      ref={containerRef}
      className="gz-map"
      data-testid="area-map"
      aria-label={props.label}
      style={{ height: props.height, width: "100%", borderRadius: 6, zIndex: 0 }}
    />
  );
}
