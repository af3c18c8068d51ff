/**
 * 综治中心 (/coordination): the control-room screen of a district for its
 * admins and coordinators. An area (default: the user's widest) and a period
 * (default: the last 30 days) drive every card: the KPI tiles, the trend, the
 * map and the breakdowns. Drilling into a sub-area (a table row or a map
 * click) moves the whole page there; the breadcrumb goes back up. What is
 * chosen is kept in the URL, so a view can be shared or reloaded.
 *
 * Fresh figures: the page listens to `dashboard` events (SSE) and reloads at
 * most every few seconds when one arrives; it also reloads every 60 s in case
 * the stream is unavailable, and soon after a load that says some actions
 * were not yet counted (`pending`).
 */
import { ReloadOutlined } from "@ant-design/icons";
import {
  Breadcrumb,
  Button,
  Col,
  DatePicker,
  Row,
  Segmented,
  Tag,
  Tooltip,
  Typography,
} from "antd";
import dayjs from "dayjs";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { todayInChina } from "../../../shared/dates.js";
import { MAP_MEASURES, type MapMeasure } from "../../../shared/schemas/coordination.js";
import { useLiveRefresh } from "../../api/live.js";
import { useAuth } from "../../auth/auth-context.js";
import { ForbiddenPage } from "../../pages/status-pages.js";
import { useApi } from "../../ui/use-api.js";
import { AreaTreeSelect, areasOnce } from "../organisations/area-tree-select.js";
import { BREAKDOWN_TABS, BreakdownCard, type BreakdownTab } from "./breakdown-card.js";
import { canCoordinate, coordinatedAreaCodes } from "./coordination-access.js";
import { loadKpis, type Scope } from "./coordination-api.js";
import { CoordinationError } from "./coordination-bits.js";
import {
  checkPeriod,
  codeOfPath,
  crumbCodes,
  type MapLevel,
  PERIOD_PRESETS,
  type PeriodPreset,
  presetPeriod,
} from "./coordination-model.js";
import { KpiCards } from "./kpi-cards.js";
import { MeasureMap } from "./measure-map.js";
import { NetworkCard } from "./network-card.js";
import { TrendCard } from "./trend-card.js";

/** After an answer with uncounted actions, look again this soon. */
const PENDING_RETRY_MS = 5_000;

const oneOf = <T extends string>(all: readonly T[], v: string | null, fallback: T): T =>
  all.includes(v as T) ? (v as T) : fallback;

export function CoordinationPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  if (!canCoordinate(me))
    return (
      <ForbiddenPage
        testId="coordination-forbidden"
        title={t("coordination.forbiddenTitle")}
        subTitle={t("coordination.forbiddenHint")}
      />
    );
  return <CoordinationCentre />;
}

function CoordinationCentre() {
  const { t, i18n } = useTranslation();
  const { me } = useAuth();
  const [search, setSearch] = useSearchParams();
  const set = useCallback(
    (changes: Record<string, string | null>) =>
      setSearch(
        (cur) => {
          const next = new URLSearchParams(cur);
          for (const [k, v] of Object.entries(changes))
            if (v === null) next.delete(k);
            else next.set(k, v);
          return next;
        },
        { replace: false },
      ),
    [setSearch],
  );

  // What is chosen, from the URL.
  const areaId = search.get("areaId") ?? undefined;
  const preset =
    search.get("from") && search.get("to")
      ? "custom"
      : oneOf(PERIOD_PRESETS, search.get("p"), "30d");
  const today = todayInChina();
  const period =
    preset === "custom"
      ? { from: search.get("from") as string, to: search.get("to") as string }
      : presetPeriod(preset, today);
  const periodProblem = checkPeriod(period);
  const tab = oneOf<BreakdownTab>(BREAKDOWN_TABS, search.get("tab"), "department");
  const measure = oneOf<MapMeasure>(MAP_MEASURES, search.get("measure"), "open");
  const level = oneOf<MapLevel>(["street", "community", "grid"], search.get("level"), "grid");

  const scope: Scope = useMemo(
    () => ({ from: period.from, to: period.to, areaId }),
    [period.from, period.to, areaId],
  );
  const { tick, refresh } = useLiveRefresh(true);
  const kpis = useApi(
    periodProblem ? null : `coord-kpis:${JSON.stringify(scope)}:${tick}`,
    (signal) => loadKpis(scope, signal),
  );
  const k = kpis.data;

  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  useEffect(() => {
    if (k) setUpdatedAt(new Date());
  }, [k]);
  // Some actions not yet counted: the rollup job catches up within seconds, so look again.
  useEffect(() => {
    if (!k || k.pending === 0) return;
    const id = setTimeout(refresh, PENDING_RETRY_MS);
    return () => clearTimeout(id);
  }, [k, refresh]);

  const areas = useApi("areas:all", (signal) => areasOnce(signal));
  const byCode = useMemo(() => new Map((areas.data ?? []).map((a) => [a.code, a])), [areas.data]);
  const homeCodes = useMemo(() => coordinatedAreaCodes(me), [me]);
  const area = k?.area;
  const areaCode = area ? codeOfPath(area.path) : undefined;
  const crumbs = area ? crumbCodes(area.path, homeCodes) : [];

  const drill = useCallback((id: string) => set({ areaId: id }), [set]);
  const nameOf = (code: string) =>
    (code === areaCode ? area?.name : byCode.get(code)?.name) ?? code;

  return (
    <div
      data-testid="coordination-page"
      // minmax(0, 1fr): a wide table scrolls inside its card instead of widening the page.
      style={{ display: "grid", gridTemplateColumns: "minmax(0, 1fr)", gap: 12 }}
    >
      <div style={{ display: "flex", flexWrap: "wrap", gap: 12, alignItems: "center" }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("coordination.title")}
        </Typography.Title>
        <AreaTreeSelect
          value={areaCode}
          onChange={(code) => set({ areaId: code ? (byCode.get(code)?.id ?? null) : null })}
          placeholder={t("coordination.areaPlaceholder")}
          width={220}
          data-testid="coordination-area"
        />
        <Segmented<PeriodPreset | "custom">
          value={preset}
          data-testid="coordination-period"
          onChange={(v) =>
            v === "custom"
              ? set({ p: null, from: period.from, to: period.to })
              : set({ p: v, from: null, to: null })
          }
          options={[...PERIOD_PRESETS, "custom" as const].map((p) => ({
            value: p,
            label: t(`coordination.presets.${p}`),
          }))}
        />
        {preset === "custom" ? (
          <DatePicker.RangePicker
            allowClear={false}
            data-testid="coordination-range"
            value={[dayjs(period.from), dayjs(period.to)]}
            disabledDate={(d) => d.format("YYYY-MM-DD") > today}
            onChange={(r) => {
              if (r?.[0] && r[1])
                set({ from: r[0].format("YYYY-MM-DD"), to: r[1].format("YYYY-MM-DD") });
            }}
          />
        ) : null}
        <Typography.Text type="secondary">
          {t("coordination.periodShown", { from: period.from, to: period.to })}
        </Typography.Text>
        <span style={{ flex: 1 }} />
        {k && k.pending > 0 ? (
          <Tooltip title={t("coordination.pendingHint", { count: k.pending })}>
            <Tag color="orange" data-testid="coordination-pending">
              {t("coordination.pending", { count: k.pending })}
            </Tag>
          </Tooltip>
        ) : null}
        <Tooltip title={t("coordination.liveHint")}>
          <Tag color="green">{t("coordination.live")}</Tag>
        </Tooltip>
        {updatedAt ? (
          <Typography.Text type="secondary" data-testid="coordination-updated">
            {t("coordination.updatedAt", {
              time: updatedAt.toLocaleTimeString(i18n.resolvedLanguage ?? "zh-CN", {
                hour12: false,
              }),
            })}
          </Typography.Text>
        ) : null}
        <Button
          size="small"
          icon={<ReloadOutlined />}
          onClick={refresh}
          loading={kpis.loading}
          aria-label={t("coordination.refresh")}
        />
      </div>

      {periodProblem ? (
        <Typography.Text type="danger" data-testid="coordination-period-problem">
          {t(`coordination.periodProblem.${periodProblem}`)}
        </Typography.Text>
      ) : null}

      {crumbs.length > 0 ? (
        <Breadcrumb
          data-testid="coordination-breadcrumb"
          aria-label={t("coordination.crumbsLabel")}
          items={crumbs.map((code, i) => {
            const last = i === crumbs.length - 1;
            const id = byCode.get(code)?.id;
            return {
              key: code,
              title:
                last || !id ? (
                  <span data-testid="coordination-crumb">{nameOf(code)}</span>
                ) : (
                  <Typography.Link data-testid="coordination-crumb" onClick={() => drill(id)}>
                    {nameOf(code)}
                  </Typography.Link>
                ),
            };
          })}
        />
      ) : null}

      {kpis.error ? <CoordinationError error={kpis.error} onRetry={kpis.reload} /> : null}

      {kpis.error && !k ? null : (
        <>
          <KpiCards data={k} loading={kpis.loading} />
          <Row gutter={[12, 12]}>
            <Col xs={24} xl={12}>
              <TrendCard data={k} loading={kpis.loading} />
            </Col>
            <Col xs={24} xl={12}>
              <MeasureMap
                scope={scope}
                tick={tick}
                area={area && areaCode ? { code: areaCode, level: area.level } : undefined}
                measure={measure}
                onMeasure={(m) => set({ measure: m })}
                level={level}
                onLevel={(l) => set({ level: l })}
                onDrill={drill}
              />
            </Col>
          </Row>
          {k ? (
            <BreakdownCard
              scope={scope}
              tick={tick}
              tab={tab}
              onTab={(v) => set({ tab: v })}
              areaName={k.area.name}
              onDrill={drill}
            />
          ) : null}
          {k ? (
            <NetworkCard
              scope={scope}
              tick={tick}
              areaLevel={k.area.level}
              areaName={k.area.name}
            />
          ) : null}
        </>
      )}
    </div>
  );
}
