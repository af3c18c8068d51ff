/** Pieces the points screens share: an entry's line, the ladder of rungs. */
import { Space, Steps, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { RUNGS } from "../../../shared/schemas/points.js";
import type { Participant, PointsEntry } from "./points-api.js";

export function EntryText(props: { e: PointsEntry }) {
  const { t } = useTranslation();
  const { e } = props;
  return (
    <Space orientation="vertical" size={0} style={{ minWidth: 0 }}>
      <Space size={6} wrap>
        <Typography.Text strong>{t(`points.rules.${e.rule}`)}</Typography.Text>
        {e.cappedBy ? (
          <Tag color="orange">
            {e.cappedBy === "day" ? t("points.cappedDay") : t("points.cappedMonth")}
          </Tag>
        ) : null}
      </Space>
      {e.source ? <Typography.Text type="secondary">{e.source}</Typography.Text> : null}
      {e.note ? <Typography.Text type="secondary">{e.note}</Typography.Text> : null}
      {e.correctsId ? (
        <Typography.Text type="secondary">
          {t("points.correction", { id: e.correctsId })}
        </Typography.Text>
      ) : null}
      {e.createdBy ? (
        <Typography.Text type="secondary">{t("points.by", { name: e.createdBy })}</Typography.Text>
      ) : null}
    </Space>
  );
}

export function Points(props: { amount: number }) {
  const color = props.amount < 0 ? "#cf1322" : "#389e0d";
  return (
    <Typography.Text strong style={{ color, whiteSpace: "nowrap" }} data-amount={props.amount}>
      {props.amount > 0 ? `+${props.amount}` : props.amount}
    </Typography.Text>
  );
}

/** The ladder as steps: reached rungs with their date, the highest one current. */
export function Ladder(props: { p: Participant; direction?: "vertical" | "horizontal" }) {
  const { t } = useTranslation();
  const current = props.p.rung ? RUNGS.indexOf(props.p.rung) : -1;
  return (
    <Steps
      size="small"
      orientation={props.direction ?? "vertical"}
      current={current}
      data-testid="participation-ladder"
      data-rung={props.p.rung ?? ""}
      items={RUNGS.map((r) => {
        const date = props.p.rungs[r];
        return {
          title: t(`points.rungs.${r}`),
          status: date ? "finish" : "wait",
          content: (
            <>
              <div>{t(`points.rungHelp.${r}`)}</div>
              <Typography.Text type="secondary">
                {date ? t("points.reachedOn", { date }) : t("points.notReached")}
              </Typography.Text>
            </>
          ),
        };
      })}
    />
  );
}
