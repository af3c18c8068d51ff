/**
 * The proposals on a Leaflet map: a dot per proposal (coloured by status),
 * the outline of the user's community (or the district's public outline) and
 * the user's own position when known; tap a dot to open the proposal. Tiles
 * only when the server configures a tile URL, as on the other maps.
 */
import "leaflet/dist/leaflet.css";
import L from "leaflet";
import { useEffect, useRef } from "react";
import { useNavigate } from "react-router-dom";
import type { ProposalStatus, ProposalSummary } from "../../../shared/schemas/proposals.js";
import { api } from "../../api/client.js";
import { useMeta } from "../../api/meta.js";
import { useApi } from "../../ui/use-api.js";

const DEFAULT_CENTER: L.LatLngTuple = [31.32, 120.5];
const COLORS: Record<ProposalStatus, string> = {
  open: "#1668dc",
  submitted: "#fa8c16",
  answered: "#722ed1",
  in_progress: "#13c2c2",
  done: "#52c41a",
  withdrawn: "#8c8c8c",
};

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

export function ProposalsMap(props: {
  items: ProposalSummary[];
  /** GeoJSON geometry of the community to outline */
  outline?: unknown;
  me?: { lat: number; lng: number } | null;
  height?: number;
  label: string;
}) {
  const navigate = useNavigate();
  const meta = useMeta();
  const ref = useRef<HTMLElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const nav = useRef(navigate);
  nav.current = navigate;
  const district = useApi(props.outline ? null : "proposals-district-outline", (signal) =>
    api<{ geometry: GeoJSON.Geometry }>("/api/district.geojson", { signal }),
  );

  useEffect(() => {
    const node = ref.current;
    if (!node) return;
    const map = L.map(node, { attributionControl: false, zoomSnap: 1 });
    map.setView(DEFAULT_CENTER, 11);
    mapRef.current = map;
    const ro = new ResizeObserver(() => map.invalidateSize());
    ro.observe(node);
    return () => {
      ro.disconnect();
      map.remove();
      mapRef.current = null;
    };
  }, []);

  const tileUrl = meta?.mapTileUrl ?? null;
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !tileUrl) return;
    const tiles = L.tileLayer(tileUrl, { maxZoom: 19 }).addTo(map);
    return () => {
      tiles.remove();
    };
  }, [tileUrl]);

  const shape = (props.outline ?? district.data?.geometry ?? null) as GeoJSON.GeoJsonObject | null;
  const items = props.items;
  const me = props.me ?? null;
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const group = L.featureGroup().addTo(map);
    const outline = shape
      ? L.geoJSON(shape, {
          interactive: false,
          style: { color: "#d46b08", weight: 2, dashArray: "6 4", fillOpacity: 0.05 },
        }).addTo(map)
      : null;
    for (const p of items) {
      L.circleMarker([p.lat, p.lng], {
        radius: 7 + Math.min(6, Math.floor(p.localSupportCount / 5)),
        color: "#fff",
        weight: 2,
        fillColor: COLORS[p.status],
        fillOpacity: 0.9,
      })
        .bindTooltip(escapeHtml(p.title))
        .on("click", () => nav.current(`/proposals/${p.id}`))
        .addTo(group);
    }
    if (me)
      L.circleMarker([me.lat, me.lng], {
        radius: 6,
        color: "#1668dc",
        weight: 3,
        fillColor: "#fff",
        fillOpacity: 1,
      }).addTo(group);
    const bounds = group.getLayers().length ? group.getBounds() : outline?.getBounds();
    if (bounds?.isValid())
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16, animate: false });
    return () => {
      group.remove();
      outline?.remove();
    };
  }, [items, shape, me]);

  return (
    <section
      ref={ref}
      className="gz-map"
      aria-label={props.label}
      data-testid="proposals-map"
      data-count={items.length}
      style={{ height: props.height ?? 260, width: "100%", borderRadius: 6, zIndex: 0 }}
    />
  );
}
