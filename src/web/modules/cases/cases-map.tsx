/**
 * The inbox as a map (事件地图): the same inbox and filters as the list, drawn
 * over our own boundaries. The server clusters: each settled move asks
 * GET /api/cases/map for the box in view and gets counts per cell zoomed out
 * (a red badge counts the overdue ones; a cluster of only overdue cases is
 * red; clicking one zooms into it) or the cases themselves zoomed in, as dots
 * coloured by due state: overdue red, due soon orange, others blue. Cases at
 * the same spot share one dot with their count. Hovering names a dot's case;
 * clicking opens a popup with code, category, status and deadline, the code
 * linking to the case. The view is kept in the URL as `at`.
 */
import { Space, Switch, Typography } from "antd";
import type { TFunction } from "i18next";
import L from "leaflet";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import type { CaseMap } from "../../../shared/schemas/cases.js";
import { useAuth } from "../../auth/auth-context.js";
import { type ApiState, useApi } from "../../ui/use-api.js";
import { BLUE, ClusterMapFrame, el, ORANGE, RED, useClusterMap } from "../areas/cluster-map.js";
import { isGovernment } from "../inspections/inspections-access.js";
import { type HazardMap, hazardMap } from "../inspections/inspections-api.js";
import { formatTime } from "./case-bits.js";
import { type CaseMapFilter, mapCases } from "./cases-api.js";

type Point = CaseMap["cases"][number];
type Due = Point["dueState"];

const DUE_RANK: Record<NonNullable<Due>, number> = { overdue: 2, due_soon: 1, on_time: 0 };
const colourOf = (d: Due) => (d === "overdue" ? RED : d === "due_soon" ? ORANGE : BLUE);

/** The most pressing due state among cases at one spot. */
function worstDue(cases: Point[]): Due {
  let worst: Due = null;
  for (const c of cases)
    if (c.dueState && (worst === null || DUE_RANK[c.dueState] > DUE_RANK[worst]))
      worst = c.dueState;
  return worst;
}

/** A dot in the colour of its most pressing deadline; the count when several cases share the spot. */
function spotIcon(cases: Point[], label: string): L.DivIcon {
  const due = worstDue(cases);
  const size = cases.length > 1 ? 24 : 18;
  const root = el(
    "div",
    {
      width: `${size}px`,
      height: `${size}px`,
      borderRadius: "50%",
      background: colourOf(due),
      border: "2px solid #fff",
      boxShadow: "0 1px 3px rgba(0,0,0,0.45)",
      color: "#fff",
      fontSize: "11px",
      fontWeight: "600",
      display: "flex",
      alignItems: "center",
      justifyContent: "center",
      boxSizing: "border-box",
      cursor: "pointer",
    },
    cases.length > 1 ? String(cases.length) : "",
  );
  root.dataset.testid = "case-marker";
  root.dataset.cases = String(cases.length);
  root.dataset.due = due ?? "none";
  if (cases.length === 1 && cases[0]) root.dataset.caseId = cases[0].id;
  root.setAttribute("role", "button");
  root.setAttribute("aria-label", label);
  return L.divIcon({
    html: root,
    className: "gz-case-marker",
    iconSize: [size, size],
    iconAnchor: [size / 2, size / 2],
  });
}

/** The popup of a spot: each case's code (a link to it), category, status and deadline. */
function spotPopup(
  cases: Point[],
  t: TFunction,
  lang: string | undefined,
  open: (id: string) => void,
): HTMLElement {
  const root = el("div", { maxHeight: "280px", overflowY: "auto", minWidth: "220px" });
  root.dataset.testid = "case-marker-popup";
  if (cases.length > 1)
    root.append(
      el(
        "div",
        { fontWeight: "600", marginBottom: "4px" },
        t("cases.mapSpot", { count: cases.length }),
      ),
    );
  cases.forEach((c, i) => {
    const row = el("div", {
      padding: "4px 0",
      borderTop: i > 0 ? "1px solid #f0f0f0" : "0",
      lineHeight: "1.6",
    });
    row.dataset.caseId = c.id;
    const link = el("a", { fontWeight: "600", color: BLUE }, c.code);
    link.href = `/cases/${c.id}`;
    link.dataset.testid = "case-marker-link";
    link.addEventListener("click", (e) => {
      // A plain click stays in the app; a middle or modified click opens a tab.
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
      e.preventDefault();
      open(c.id);
    });
    row.append(link);
    row.append(el("div", {}, c.categoryName));
    const status = el("div", { color: "#595959" }, t(`cases.statuses.${c.status}`));
    if (c.dueState && c.dueState !== "on_time")
      status.append(
        el(
          "span",
          { color: colourOf(c.dueState), fontWeight: "600", marginLeft: "6px" },
          t(`cases.dueStates.${c.dueState}`),
        ),
      );
    row.append(status);
    if (c.dueAt)
      row.append(
        el(
          "div",
          { color: "#8c8c8c", fontSize: "12px" },
          t("cases.mapDueAt", { time: formatTime(c.dueAt, lang) }),
        ),
      );
    root.append(row);
  });
  return root;
}

export function CasesMap(props: {
  filter: CaseMapFilter;
  tileUrl: string | null;
  tileAttribution: string | null;
  districtCode: string | null;
  onOpenCase: (id: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage;
  const { inbox, q, status, category } = props.filter;
  const filter = { inbox, q, status, category };
  const { containerRef, data, mapRef } = useClusterMap({
    tileUrl: props.tileUrl,
    tileAttribution: props.tileAttribution,
    districtCode: props.districtCode,
    requestKey: `cases-map:${JSON.stringify(filter)}`,
    load: (view, signal) => mapCases({ ...filter, ...view }, signal),
    look: (c: CaseMap["clusters"][number]) => ({
      label: t("cases.mapCluster", { count: c.count, overdue: c.overdue }),
      flagged: c.overdue,
      className: "gz-case-cluster",
      badgeTestId: "case-cluster-overdue",
      dataset: { testid: "case-cluster", overdue: String(c.overdue), open: String(c.open) },
    }),
    draw: (layer, answer: CaseMap) => {
      const bySpot = new Map<string, Point[]>();
      for (const c of answer.cases) {
        const key = `${c.lat},${c.lng}`;
        bySpot.set(key, [...(bySpot.get(key) ?? []), c]);
      }
      for (const cases of bySpot.values()) {
        const first = cases[0];
        if (!first) continue;
        const label =
          cases.length === 1
            ? `${first.code} · ${first.categoryName} · ${t(`cases.statuses.${first.status}`)}`
            : t("cases.mapSpot", { count: cases.length });
        const marker = L.marker([first.lat, first.lng], {
          icon: spotIcon(cases, label),
          riseOnHover: true,
        })
          .bindTooltip(label, { direction: "top", offset: [0, -8] })
          .bindPopup(spotPopup(cases, t, lang, props.onOpenCase));
        // The popup says all the tooltip did; the tooltip would only cover it.
        marker.on("popupopen", () => marker.closeTooltip());
        marker.addTo(layer);
      }
    },
    redrawKey: lang,
  });

  const result = data.data;
  const { me } = useAuth();
  const navigate = useNavigate();
  const [hazardsOn, setHazardsOn] = useState(false);
  const hazards = useApi(hazardsOn ? "hazard-map" : null, hazardMap);
  const hazardLayer = useRef<L.LayerGroup | null>(null);
  // Major hazards over the cases, on request: their own layer, redrawn when they load.
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    hazardLayer.current ??= L.layerGroup().addTo(map);
    const layer = hazardLayer.current;
    layer.clearLayers();
    if (!hazardsOn || !hazards.data) return;
    drawHazards(layer, hazards.data, t, (id) => navigate(`/hazards/${id}`));
  }, [hazardsOn, hazards.data, mapRef, navigate, t]);

  return (
    <ClusterMapFrame
      testId="cases-map"
      containerRef={containerRef}
      data={data}
      label={t("cases.mapLabel")}
      summary={
        <Space wrap size={12}>
          {result ? (
            <Typography.Text data-testid="cases-map-summary">
              {t("cases.mapSummary", {
                total: result.total,
                open: result.open,
                overdue: result.overdue,
              })}
            </Typography.Text>
          ) : null}
          {isGovernment(me) ? (
            <HazardsSwitch
              on={hazardsOn}
              onChange={setHazardsOn}
              hazards={hazards}
              testId="cases-map-hazards"
            />
          ) : null}
        </Space>
      }
      hint={result?.mode === "cases" ? t("cases.mapPointsHint") : t("cases.mapClustersHint")}
      emptyText={t("cases.mapEmpty")}
      legend={[
        { color: BLUE, label: t("cases.legendClusters") },
        { color: RED, label: t("cases.legendOverdue") },
        { color: ORANGE, label: t("cases.legendDueSoon") },
        { color: BLUE, label: t("cases.legendOther") },
      ]}
    />
  );
}

type HazardPoint = HazardMap["features"][number]["properties"];

/** The 重大隐患 switch of a map, saying how many are drawn once they are loaded. */
export function HazardsSwitch(props: {
  on: boolean;
  onChange: (on: boolean) => void;
  hazards: ApiState<HazardMap>;
  testId: string;
}) {
  const { t } = useTranslation();
  const { on, hazards } = props;
  return (
    <Space size={4}>
      <Switch
        size="small"
        checked={on}
        onChange={props.onChange}
        loading={on && hazards.loading}
        data-testid={props.testId}
      />
      <Typography.Text>
        {on && hazards.data
          ? t("cases.mapHazardsCount", { count: hazards.data.features.length })
          : t("cases.mapHazards")}
      </Typography.Text>
    </Space>
  );
}

/** The major hazards as markers on `layer` (also the 综治中心 map's 重大隐患 layer). */
export function drawHazards(
  layer: L.LayerGroup,
  hazards: HazardMap,
  t: TFunction,
  open: (id: string) => void,
) {
  for (const f of hazards.features) {
    const [lng, lat] = f.geometry.coordinates;
    L.marker([lat, lng], {
      icon: hazardIcon(f.properties, t),
      riseOnHover: true,
      zIndexOffset: 1000,
    })
      .bindTooltip(`${f.properties.enterpriseName} · ${f.properties.title}`, {
        direction: "top",
        offset: [0, -10],
      })
      .bindPopup(hazardPopup(f.properties, t, open))
      // The popup says all the tooltip did; the tooltip would only cover it.
      .on("popupopen", (e) => (e.target as L.Marker).closeTooltip())
      .addTo(layer);
  }
}
const PURPLE = "#722ed1";

/** A major hazard: a purple diamond, red-edged when its deadline has passed. */
function hazardIcon(h: HazardPoint, t: TFunction): L.DivIcon {
  const root = el("div", {
    width: "16px",
    height: "16px",
    transform: "rotate(45deg)",
    background: PURPLE,
    border: `2px solid ${h.overdue ? RED : "#fff"}`,
    boxShadow: "0 1px 3px rgba(0,0,0,0.45)",
    boxSizing: "border-box",
    cursor: "pointer",
  });
  root.dataset.testid = "hazard-marker";
  root.dataset.hazardId = h.id;
  root.dataset.overdue = String(h.overdue);
  root.setAttribute("role", "button");
  root.setAttribute("aria-label", `${t("cases.mapHazard")}：${h.enterpriseName} ${h.title}`);
  return L.divIcon({
    html: root,
    className: "gz-hazard-marker",
    iconSize: [16, 16],
    iconAnchor: [8, 8],
  });
}

/** A major hazard's popup: its title (a link to it), enterprise, status and deadline. */
function hazardPopup(h: HazardPoint, t: TFunction, open: (id: string) => void): HTMLElement {
  const root = el("div", { minWidth: "220px", lineHeight: "1.6" });
  root.dataset.testid = "hazard-marker-popup";
  const link = el("a", { fontWeight: "600", color: PURPLE }, h.title);
  link.href = `/hazards/${h.id}`;
  link.addEventListener("click", (e) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    open(h.id);
  });
  root.append(link);
  root.append(el("div", {}, h.enterpriseName));
  const status = el("div", { color: "#595959" }, t(`inspections.hazardStatus.${h.status}`));
  if (h.overdue)
    status.append(
      el("span", { color: RED, fontWeight: "600", marginLeft: "6px" }, t("cases.mapHazardOverdue")),
    );
  root.append(status);
  root.append(
    el(
      "div",
      { color: "#8c8c8c", fontSize: "12px" },
      `${t("cases.mapHazardDeadline", { date: h.deadline })}${h.supervised ? ` · ${t("cases.mapHazardSupervised")}` : ""}`,
    ),
  );
  return root;
}
