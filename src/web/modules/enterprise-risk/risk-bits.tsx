/** Small shared pieces of the risk screens: level and grade tags, and the texts of signals, factors and improvements. */
import { Tag } from "antd";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type {
  Improvement,
  Rating,
  RatingFactor,
  WarningLevel,
  WarningSignal,
} from "../../../shared/schemas/enterprise-risk.js";

export const LEVEL_COLORS: Record<WarningLevel, string> = {
  none: "default",
  watch: "gold",
  warning: "orange",
  alarm: "red",
};
/** The gauge and chart colours of the levels (antd's gold, orange, red). */
export const LEVEL_HEX: Record<WarningLevel, string> = {
  none: "#52c41a",
  watch: "#faad14",
  warning: "#fa8c16",
  alarm: "#f5222d",
};
export const RATING_COLORS: Record<Rating, string> = {
  A: "green",
  B: "blue",
  C: "orange",
  D: "red",
};
export const RATING_HEX: Record<Rating, string> = {
  A: "#52c41a",
  B: "#1677ff",
  C: "#fa8c16",
  D: "#f5222d",
};

export function LevelTag(props: { level: WarningLevel; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={LEVEL_COLORS[props.level]} data-level={props.level} data-testid={props.testId}>
      {t(`enterpriseRisk.levels.${props.level}`)}
    </Tag>
  );
}

export function GradeTag(props: { rating: Rating | null; testId?: string }) {
  const { t } = useTranslation();
  if (!props.rating)
    return (
      <Tag data-rating="none" data-testid={props.testId}>
        {t("enterpriseRisk.noRating")}
      </Tag>
    );
  return (
    <Tag color={RATING_COLORS[props.rating]} data-rating={props.rating} data-testid={props.testId}>
      {t(`enterpriseRisk.ratings.${props.rating}`)}
    </Tag>
  );
}

/** 1234567.5 → "1,234,567.50" */
export function formatYuan(v: number, lang?: string): string {
  return v.toLocaleString(lang === "en-US" ? "en-US" : "zh-CN", {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
}

const list = (v: unknown) => (Array.isArray(v) ? (v as string[]) : []);

/** What a signal measured, in the UI language. */
export function signalValueText(s: WarningSignal, t: TFunction, lang?: string): string {
  const d = s.detail;
  switch (s.code) {
    case "arrears":
      return Number(d.owed) > 0
        ? t("enterpriseRisk.signalValues.arrears", {
            owed: formatYuan(Number(d.owed), lang),
            share: `${Math.round(s.value * 1000) / 10}%`,
          })
        : t("enterpriseRisk.signalValues.arrearsNone");
    case "late_payment":
      return s.value > 0
        ? t("enterpriseRisk.signalValues.late_payment", {
            count: s.value,
            months: list(d.months).join("、"),
          })
        : t("enterpriseRisk.signalValues.late_paymentNone");
    case "missing_declaration":
      return s.value > 0
        ? t("enterpriseRisk.signalValues.missing_declaration", {
            missing: list(d.missing).length,
            late: list(d.lateFiled).length,
          })
        : t("enterpriseRisk.signalValues.missing_declarationNone");
    case "labour_cases":
      return s.value > 0
        ? t("enterpriseRisk.signalValues.labour_cases", { count: s.value })
        : t("enterpriseRisk.signalValues.labour_casesNone");
    case "overdue_rectification":
      return s.value > 0
        ? t("enterpriseRisk.signalValues.overdue_rectification", {
            count: s.value,
            major: Number(d.major ?? 0),
          })
        : t("enterpriseRisk.signalValues.overdue_rectificationNone");
  }
}

/** What a rating factor measured, in the UI language. */
export function factorValueText(f: RatingFactor, t: TFunction): string {
  const d = f.detail;
  const total = (...keys: string[]) => keys.reduce((s, k) => s + Number(d[k] ?? 0), 0);
  switch (f.code) {
    case "inspections":
      return total("onTime", "late", "missed") > 0
        ? t("enterpriseRisk.factorValues.inspections", d)
        : t("enterpriseRisk.factorValues.inspectionsNone");
    case "hazards":
      return total("onTime", "late", "overdueOpen") > 0
        ? t("enterpriseRisk.factorValues.hazards", d)
        : t("enterpriseRisk.factorValues.hazardsNone");
    case "incidents":
      return total("count") > 0
        ? t("enterpriseRisk.factorValues.incidents", d)
        : t("enterpriseRisk.factorValues.incidentsNone");
    case "cooperation":
      return total("onTime", "late", "overdueOpen") > 0
        ? t("enterpriseRisk.factorValues.cooperation", d)
        : t("enterpriseRisk.factorValues.cooperationNone");
  }
}

const IMPROVEMENT_CODES = [
  "inspectionsOnTime",
  "inspectionsMissed",
  "hazardsOverdue",
  "hazardsOnTime",
  "incidentsExpire",
  "tasksOverdue",
  "tasksOnTime",
] as const;

/** "按期完成接下来的 2 次自查（+5 分，可升至 A 级）" in the UI language. */
export function improvementText(i: Improvement, t: TFunction): string {
  const code = (IMPROVEMENT_CODES as readonly string[]).includes(i.code)
    ? (i.code as (typeof IMPROVEMENT_CODES)[number])
    : null;
  // An improvement this page does not know yet: the server's own words.
  if (!code) return i.text;
  const what = t(`enterpriseRisk.improve.${code}`, i.params);
  const extra = [
    i.gain > 0 ? t("enterpriseRisk.improve.gain", { gain: i.gain }) : null,
    i.params.reaches ? t("enterpriseRisk.improve.reaches", { rating: i.params.reaches }) : null,
    i.params.liftsCap ? t("enterpriseRisk.improve.liftsCap") : null,
  ].filter(Boolean);
  return extra.length ? `${what}（${extra.join("，")}）` : what;
}
