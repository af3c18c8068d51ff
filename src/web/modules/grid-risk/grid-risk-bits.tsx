/** Small pieces the 网格风险 pages share: level and status tags, a signal tag, the error that says what to do. */
import { Alert, Space, Tag, Tooltip, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type {
  GridRiskLevel,
  GridRiskSignal,
  GridWarningStatus,
} from "../../../shared/schemas/grid-risk.js";
import { ApiError } from "../../api/client.js";
import { localizeMessage } from "../../i18n/index.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { LEVEL_HEX, LEVEL_TAG } from "./grid-risk-model.js";

export function LevelTag(props: { level: GridRiskLevel }) {
  const { t } = useTranslation();
  return (
    <Tag color={LEVEL_TAG[props.level]} data-level={props.level}>
      {t(`gridRisk.levels.${props.level}`)}
    </Tag>
  );
}

/** The score in its level's colour, with the level. */
export function ScoreWithLevel(props: { score: number; level: GridRiskLevel }) {
  return (
    <Space size={4}>
      <Typography.Text strong style={{ color: LEVEL_HEX[props.level] }} data-testid="risk-score">
        {props.score.toFixed(1)}
      </Typography.Text>
      <LevelTag level={props.level} />
    </Space>
  );
}

const STATUS_COLOR: Record<GridWarningStatus, string> = {
  open: "red",
  acknowledged: "orange",
  task_created: "blue",
  dismissed: "default",
};

export function WarningStatusTag(props: { status: GridWarningStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[props.status]} data-status={props.status}>
      {t(`gridRisk.warnings.statuses.${props.status}`)}
    </Tag>
  );
}

/** "矛盾纠纷 12.5 分", with the normalised value on hover. */
export function SignalTag(props: {
  code: GridRiskSignal;
  contribution: number;
  normalised: number;
}) {
  const { t } = useTranslation();
  return (
    <Tooltip title={`${t("gridRisk.profile.normalised")}：${props.normalised}`}>
      <Tag data-signal={props.code}>
        {t(`gridRisk.signals.${props.code}`)} {t("gridRisk.points", { points: props.contribution })}
      </Tag>
    </Tooltip>
  );
}

/** A failed load: 403 says whose permission is missing or that the area is not the user's; 400 the reason. */
export function GridRiskError(props: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  const e = props.error;
  if (e instanceof ApiError && e.status === 403)
    return (
      <Alert
        type="warning"
        showIcon
        role="alert"
        data-testid="grid-risk-forbidden-alert"
        title={t("gridRisk.forbiddenTitle")}
        description={
          /区域|area/i.test(e.message) ? t("gridRisk.forbiddenArea") : t("gridRisk.forbiddenHint")
        }
      />
    );
  if (e instanceof ApiError && e.status === 400)
    return <Alert type="info" showIcon title={localizeMessage(e.message)} />;
  return <ErrorAlert error={e} title={t("gridRisk.loadFailed")} onRetry={props.onRetry} />;
}
