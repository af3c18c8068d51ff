/**
 * A point on a Leaflet map: tap (or click) to place the pin, drag it to
 * correct it; without `onChange` it only shows the pin (a case's place).
 * An area's outline (`outlineCode`, e.g. the user's grid) is drawn for
 * orientation when the user may read areas, else the district's public
 * outline; tiles only when the server
 * configures a tile URL, as on the other maps.
 */
import "leaflet/dist/leaflet.css";
import { Typography } from "antd";
import L from "leaflet";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client.js";
import { useMeta } from "../../api/meta.js";
import { useApi } from "../../ui/use-api.js";
import { useTileLayer } from "../../ui/use-tile-layer.js";
import { loadAreaView } from "./areas-api.js";

/** [lng, lat], as the API takes points. */
export type LngLat = [number, number];

// Roughly the centre of the demo district, used before any outline arrives.
const DEFAULT_CENTER: L.LatLngTuple = [31.32, 120.5];
/** How close a placed or found point is shown. */
const POINT_ZOOM = 16;

const PIN_HTML =
  '<div style="width:18px;height:18px;border-radius:50%;background:#1668dc;border:3px solid #fff;box-shadow:0 1px 4px rgba(0,0,0,.45)"></div>';

export function LocationPicker(props: {
  value?: LngLat | undefined;
  onChange?: (v: LngLat) => void;
  /** An area to outline (and to fit, while no point is placed). */
  outlineCode?: string | null | undefined;
  height?: number;
  testId: string;
  label: string;
  /** Shown under the map while no point is placed. */
  help?: string;
  id?: string;
}) {
  const { t } = useTranslation();
  const meta = useMeta();
  const ref = useRef<HTMLElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const markerRef = useRef<L.Marker | null>(null);
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;
  const editable = props.onChange !== undefined;
  const outlineCode = props.outlineCode ?? null;
  const outline = useApi(outlineCode ? `picker-outline:${outlineCode}` : null, (signal) =>
    loadAreaView(outlineCode ?? "", signal),
  );
  // Without an area to show (a resident, an anonymous reporter) the district's
  // public outline still tells where a pin may go.
  const district = useApi(outlineCode ? null : "picker-district-outline", (signal) =>
    api<{ geometry: GeoJSON.Geometry }>("/api/district.geojson", { signal }),
  );
  // The first view: the point when there is one (a case's place), else the default.
  const initial = useRef(props.value);

  useEffect(() => {
    const node = ref.current;
    if (!node) return;
    const map = L.map(node, { attributionControl: false, zoomSnap: 1 });
    const start = initial.current;
    map.setView(start ? [start[1], start[0]] : DEFAULT_CENTER, start ? POINT_ZOOM : 11);
    if (editable)
      map.on("click", (e: L.LeafletMouseEvent) => onChange.current?.([e.latlng.lng, e.latlng.lat]));
    mapRef.current = map;
    const ro = new ResizeObserver(() => map.invalidateSize());
    ro.observe(node);
    return () => {
      ro.disconnect();
      map.remove();
      mapRef.current = null;
      markerRef.current = null;
    };
  }, [editable]);

  useTileLayer(mapRef, meta?.mapTileUrl ?? null, meta?.mapTileAttribution ?? null);

  const shape = outline.data?.detail.boundary ?? district.data?.geometry ?? null;
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !shape) return;
    const layer = L.geoJSON(shape as GeoJSON.GeoJsonObject, {
      interactive: false,
      style: { color: "#d46b08", weight: 2, dashArray: "6 4", fillOpacity: 0.06 },
    }).addTo(map);
    if (!markerRef.current) map.fitBounds(layer.getBounds(), { padding: [8, 8], animate: false });
    return () => {
      layer.remove();
    };
  }, [shape]);

  const value = props.value;
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    if (!value) {
      markerRef.current?.remove();
      markerRef.current = null;
      return;
    }
    const at: L.LatLngTuple = [value[1], value[0]];
    if (markerRef.current) markerRef.current.setLatLng(at);
    else {
      const m = L.marker(at, {
        draggable: editable,
        keyboard: false,
        icon: L.divIcon({
          className: "gz-pick-marker",
          html: PIN_HTML,
          iconSize: [18, 18],
          iconAnchor: [9, 9],
        }),
      }).addTo(map);
      m.on("dragend", () => {
        const p = m.getLatLng();
        onChange.current?.([p.lng, p.lat]);
      });
      markerRef.current = m;
    }
    // A point set from outside (使用我的位置) may lie off screen: bring it into view.
    if (!map.getBounds().contains(at)) map.setView(at, Math.max(map.getZoom(), POINT_ZOOM));
  }, [value, editable]);

  return (
    <div>
      <section
        ref={ref}
        id={props.id}
        className="gz-map"
        aria-label={props.label}
        data-testid={props.testId}
        data-lng={value ? value[0].toFixed(6) : ""}
        data-lat={value ? value[1].toFixed(6) : ""}
        style={{
          height: props.height ?? 240,
          width: "100%",
          borderRadius: 6,
          zIndex: 0,
          cursor: editable ? "crosshair" : "default",
        }}
      />
      {editable || !value ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {value
            ? t("map.pointValue", { lng: value[0].toFixed(6), lat: value[1].toFixed(6) })
            : props.help}
        </Typography.Text>
      ) : null}
    </div>
  );
}
