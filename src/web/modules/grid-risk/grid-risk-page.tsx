/**
 * 网格风险 (/coordination/risk): the grids ranked by their risk index, the
 * early warnings with their steps, and the weights with a preview of how the
 * ranking would change. The tab is in the URL (`tab`), and so are each tab's
 * filters, sort and page, so a view can be reloaded or shared.
 */
import { ThunderboltOutlined } from "@ant-design/icons";
import { App, Button, Tabs, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { useLiveRefresh } from "../../api/live.js";
import { useAuth } from "../../auth/auth-context.js";
import { ForbiddenPage } from "../../pages/status-pages.js";
import { describeError } from "../../ui/error-alert.js";
import { useApi } from "../../ui/use-api.js";
import { canOpenGridRisk, canSeeGridRisk } from "./grid-risk-access.js";
import { loadSettings, runNow } from "./grid-risk-api.js";
import { RankingTab } from "./ranking-tab.js";
import { WarningsTab } from "./warnings-tab.js";
import { WeightsTab } from "./weights-tab.js";

const TABS = ["ranking", "warnings", "weights"] as const;
type Tab = (typeof TABS)[number];

export function GridRiskPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  if (!canSeeGridRisk(me))
    return (
      <ForbiddenPage
        testId="grid-risk-forbidden"
        title={t("gridRisk.forbiddenTitle")}
        subTitle={t("gridRisk.forbiddenHint")}
      />
    );
  return <GridRisk wide={canOpenGridRisk(me)} />;
}

function GridRisk(props: { wide: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [search, setSearch] = useSearchParams();
  const raw = search.get("tab");
  const tab: Tab = TABS.includes(raw as Tab) ? (raw as Tab) : "ranking";
  const settings = useApi("grid-risk-settings", (signal) => loadSettings(signal));
  // Another coordinator's step, a recompute or new weights: the lists reload by themselves.
  // (Grid workers have no dashboard stream: they reload by hand.)
  const { tick, reloadNow: setTick } = useLiveRefresh(props.wide, ["grid-risk"]);

  const run = async () => {
    try {
      const r = await runNow();
      message.success(t("gridRisk.runDone", r));
      setTick();
    } catch (err) {
      message.error(describeError(err, t));
    }
  };

  return (
    <div data-testid="grid-risk-page">
      <div style={{ display: "flex", flexWrap: "wrap", gap: 12, alignItems: "center" }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("gridRisk.title")}
        </Typography.Title>
        <span style={{ flex: 1 }} />
        {settings.data?.canRun ? (
          <Button icon={<ThunderboltOutlined />} onClick={run} data-testid="grid-risk-run">
            {t("gridRisk.run")}
          </Button>
        ) : null}
      </div>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t("gridRisk.intro")}
      </Typography.Paragraph>
      <Tabs
        activeKey={tab}
        destroyOnHidden
        // A tab's own filters, sort and page do not carry over to another.
        onChange={(k) => setSearch(new URLSearchParams({ tab: k }), { replace: false })}
        items={TABS.filter((k) => k !== "weights" || props.wide).map((k) => ({
          key: k,
          label: <span data-testid={`grid-risk-tab-${k}`}>{t(`gridRisk.tabs.${k}`)}</span>,
          children:
            k === "ranking" ? (
              <RankingTab settings={settings.data} tick={tick} />
            ) : k === "warnings" ? (
              <WarningsTab tick={tick} />
            ) : (
              <WeightsTab settings={settings} onSaved={setTick} />
            ),
        }))}
      />
    </div>
  );
}
