/**
 * One ECharts chart in a React tree: created on mount (in the UI's language),
 * given the option whenever it changes, resized with its container, disposed
 * on unmount. Only the parts of ECharts used by the app are bundled; a page
 * that needs another series type or component registers it with
 * `use([...])` from "echarts/core" before it renders the chart.
 */
import { BarChart, LineChart, PieChart } from "echarts/charts";
import {
  AriaComponent,
  DatasetComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
} from "echarts/components";
import { type EChartsCoreOption, type EChartsType, init, use } from "echarts/core";
import { CanvasRenderer, SVGRenderer } from "echarts/renderers";
import { type CSSProperties, useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";

use([
  BarChart,
  LineChart,
  PieChart,
  AriaComponent,
  DatasetComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  CanvasRenderer,
  SVGRenderer,
]);

export type { EChartsCoreOption, EChartsType };

export interface EChartProps {
  option: EChartsCoreOption;
  /** CSS height of the chart; the width follows the container. Default 300. */
  height?: number | string;
  /** Canvas (default) for many points; SVG for crisp small charts. */
  renderer?: "canvas" | "svg";
  /** Shows ECharts' own spinner over the chart. */
  loading?: boolean;
  /**
   * Handlers by ECharts event name ("click", "legendselectchanged" …). The
   * names are read when the chart is created; the handlers may change freely.
   */
  onEvents?: Record<string, (params: unknown) => void>;
  /** Called with the instance after it is created (and again after it is re-created). */
  onReady?: (chart: EChartsType) => void;
  /** What a screen reader announces for the chart. */
  ariaLabel?: string;
  testId?: string;
  style?: CSSProperties;
}

export function EChart(props: EChartProps) {
  const { i18n } = useTranslation();
  const locale = i18n.resolvedLanguage === "en-US" ? "EN" : "ZH";
  const renderer = props.renderer ?? "canvas";
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  // The latest props, for the instance created once per renderer and language.
  const latest = useRef(props);
  latest.current = props;
  const applied = useRef<EChartsCoreOption | null>(null);

  useEffect(() => {
    const node = el.current;
    if (!node) return;
    const c = init(node, undefined, { renderer, locale });
    chart.current = c;
    const p = latest.current;
    c.setOption(p.option, { notMerge: true });
    applied.current = p.option;
    if (p.loading) c.showLoading();
    for (const name of Object.keys(p.onEvents ?? {}))
      c.on(name, (params: unknown) => latest.current.onEvents?.[name]?.(params));
    p.onReady?.(c);
    // Follow the container (a rotated phone, a collapsed side bar), once per frame.
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => c.resize());
    });
    observer.observe(node);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      c.dispose();
      chart.current = null;
      applied.current = null;
    };
  }, [renderer, locale]);

  useEffect(() => {
    const c = chart.current;
    if (!c || applied.current === props.option) return;
    c.setOption(props.option, { notMerge: true });
    applied.current = props.option;
  }, [props.option]);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    if (props.loading) c.showLoading();
    else c.hideLoading();
  }, [props.loading]);

  return (
    <div
      ref={el}
      role="img"
      aria-label={props.ariaLabel}
      data-testid={props.testId}
      style={{ width: "100%", height: props.height ?? 300, ...props.style }}
    />
  );
}
