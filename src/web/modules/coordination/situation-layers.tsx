/**
 * Layers the coordination map draws over its shaded areas, each behind a
 * switch: 在办热力 (where open cases gather, from the case map's counts per
 * cell of the view, blurred into a heat map in a pane of its own) and 巡逻中
 * (the shifts being worked now, at the mean position of those checked in,
 * or the area's centre). The heat follows the view; both refresh with the page.
 */
import { Space, Switch, Typography } from "antd";
import type { TFunction } from "i18next";
import L from "leaflet";
import { type RefObject, useEffect, useState } from "react";
import { PUBLIC_OPEN_STATUSES } from "../../../shared/public-case.js";
import type { CaseMap } from "../../../shared/schemas/cases.js";
import type { UnderWay } from "../../../shared/schemas/volunteers.js";
import { api } from "../../api/client.js";
import { type ApiState, useApi } from "../../ui/use-api.js";
import { mapCases } from "../cases/cases-api.js";

export const HEAT_PANE = "gz-heat";
const OPEN = new Set<string>(PUBLIC_OPEN_STATUSES);

/** A switch with its label, saying how many are drawn once loaded. */
export function LayerSwitch(props: {
  on: boolean;
  onChange: (on: boolean) => void;
  loading: boolean;
  label: string;
  testId: string;
}) {
  return (
    <Space size={4}>
      <Switch
        size="small"
        checked={props.on}
        onChange={props.onChange}
        loading={props.on && props.loading}
        data-testid={props.testId}
      />
      <Typography.Text data-testid={`${props.testId}-label`}>{props.label}</Typography.Text>
    </Space>
  );
}

/** The map's view as the case map asks for it; changes when the user pans or zooms. */
function useView(mapRef: RefObject<L.Map | null>, on: boolean) {
  const [view, setView] = useState<{ bbox: [number, number, number, number]; zoom: number }>();
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !on) return;
    const read = () => {
      const b = map.getBounds();
      setView({
        bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()],
        zoom: Math.round(map.getZoom()),
      });
    };
    read();
    map.on("moveend", read);
    return () => {
      map.off("moveend", read);
    };
  }, [mapRef, on]);
  return view;
}

/** Heat colour for a share 0–1 of the hottest spot: yellow through orange to red. */
export function heatColor(share: number): string {
  const s = Math.max(0, Math.min(1, share));
  const hue = Math.round(55 - 55 * s);
  return `hsl(${hue}, 100%, ${Math.round(55 - 10 * s)}%)`;
}

/** The cases in view as the case map counts them (its cells carry how many are open). */
export function useHeat(mapRef: RefObject<L.Map | null>, on: boolean, tick: number) {
  const view = useView(mapRef, on);
  const key = on && view ? `coord-heat:${view.bbox.join(",")}:${view.zoom}:${tick}` : null;
  return useApi(key, (signal) =>
    mapCases({ inbox: "all", bbox: view?.bbox ?? [0, 0, 0, 0], zoom: view?.zoom ?? 11 }, signal),
  );
}

/**
 * Draws the heat: a soft disc per cell (or per case when few are in view),
 * its size and colour by how many open cases it holds against the hottest.
 */
export function drawHeat(layer: L.LayerGroup, data: CaseMap, t: TFunction) {
  layer.clearLayers();
  const spots =
    data.mode === "clusters"
      ? data.clusters.map((c) => ({ lat: c.lat, lng: c.lng, n: c.open }))
      : data.cases.map((c) => ({ lat: c.lat, lng: c.lng, n: OPEN.has(c.status) ? 1 : 0 }));
  const max = Math.max(1, ...spots.map((s) => s.n));
  for (const s of spots) {
    if (s.n <= 0) continue;
    const share = s.n / max;
    L.circleMarker([s.lat, s.lng], {
      pane: HEAT_PANE,
      radius: 10 + 26 * Math.sqrt(share),
      stroke: false,
      fillColor: heatColor(share),
      fillOpacity: 0.35 + 0.4 * share,
      interactive: false,
      className: "gz-heat-spot",
    }).addTo(layer);
  }
  // Counts to read under the blur: one label per cell with open cases.
  if (data.mode === "clusters")
    for (const c of data.clusters) {
      if (c.open <= 0) continue;
      L.circleMarker([c.lat, c.lng], { radius: 8, opacity: 0, fillOpacity: 0 })
        .bindTooltip(t("coordination.map.heatSpot", { count: c.open, overdue: c.overdue }))
        .addTo(layer);
    }
}

export function underWay(areaCode: string | undefined, signal?: AbortSignal) {
  return api<UnderWay>("/api/shifts/under-way", {
    query: areaCode ? { areaCode } : {},
    ...(signal ? { signal } : {}),
  });
}

export function usePatrols(on: boolean, areaCode: string | undefined, tick: number) {
  return useApi(on ? `coord-patrols:${areaCode ?? ""}:${tick}` : null, (signal) =>
    underWay(areaCode, signal),
  );
}

const GREEN = "#389e0d";

/** One marker per shift under way: a shield with the number on duty; a popup says what and until when. */
export function drawPatrols(
  layer: L.LayerGroup,
  data: UnderWay,
  t: TFunction,
  lang: string | undefined,
) {
  layer.clearLayers();
  const time = (iso: string) =>
    new Date(iso).toLocaleTimeString(lang ?? "zh-CN", {
      hour: "2-digit",
      minute: "2-digit",
      timeZone: "Asia/Shanghai",
    });
  for (const s of data.items) {
    if (s.lat === null || s.lng === null) continue;
    const icon = L.divIcon({
      className: "gz-patrol",
      html: `<span data-testid="patrol-marker" data-on-duty="${s.onDuty}" style="display:inline-flex;align-items:center;justify-content:center;min-width:26px;height:26px;padding:0 4px;border-radius:13px;background:${GREEN};color:#fff;font-size:12px;font-weight:600;border:2px solid #fff;box-shadow:0 1px 4px rgba(0,0,0,.4)">${s.onDuty}</span>`,
      iconSize: [26, 26],
      iconAnchor: [13, 13],
    });
    const root = document.createElement("div");
    root.dataset.testid = "patrol-popup";
    const title = document.createElement("strong");
    title.textContent = s.title;
    root.append(title);
    for (const line of [
      `${t(`coordination.map.patrolKinds.${s.kind}`)} · ${s.area.name}${s.team ? ` · ${s.team}` : ""}`,
      t("coordination.map.patrolDuty", {
        onDuty: s.onDuty,
        signedUp: s.signedUp,
        capacity: s.capacity,
      }),
      t("coordination.map.patrolTime", { from: time(s.startsAt), to: time(s.endsAt) }),
    ]) {
      const p = document.createElement("div");
      p.textContent = line;
      root.append(p);
    }
    L.marker([s.lat, s.lng], { icon, riseOnHover: true })
      .bindTooltip(`${s.title}（${t("coordination.map.patrolOnDuty", { count: s.onDuty })}）`, {
        direction: "top",
        offset: [0, -12],
      })
      .bindPopup(root)
      .addTo(layer);
  }
}

/** Labels of the two switches, with counts once loaded. */
export function heatLabel(t: TFunction, on: boolean, heat: ApiState<CaseMap>) {
  return on && heat.data
    ? t("coordination.map.heatCount", { count: heat.data.open })
    : t("coordination.map.heat");
}

export function patrolsLabel(t: TFunction, on: boolean, patrols: ApiState<UnderWay>) {
  return on && patrols.data
    ? t("coordination.map.patrolsCount", {
        count: patrols.data.total,
        onDuty: patrols.data.onDuty,
      })
    : t("coordination.map.patrols");
}
