/**
 * 区域浏览 (/areas, /areas/:code): the tree on the left, the map of the
 * selected area's children and its details on the right. The URL holds the
 * selection so it can be shared and the back button works.
 */
import { Alert, Card, Col, Empty, Grid, Row, Skeleton, Spin, Typography } from "antd";
import { useCallback, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useParams } from "react-router-dom";
import type { AreaSummary } from "../../../shared/schemas/areas.js";
import { useMeta } from "../../api/meta.js";
import { useAuth } from "../../auth/auth-context.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { useApi } from "../../ui/use-api.js";
import { AreaDetailView } from "./area-detail-card.js";
import { AreaMap } from "./area-map.js";
import { AreaTree } from "./area-tree.js";
import { buildAreaTree } from "./area-tree-model.js";
import { loadAllAreas, loadAreaView } from "./areas-api.js";

export function AreaBrowserPage() {
  const { t } = useTranslation();
  const params = useParams<{ code?: string }>();
  const navigate = useNavigate();
  const meta = useMeta();
  const screens = Grid.useBreakpoint();
  const isPhone = screens.md === false;

  const all = useApi("areas:all", loadAllAreas);
  const { roots, byCode } = useMemo(() => {
    const list = all.data ?? [];
    return {
      roots: buildAreaTree(list),
      byCode: new Map<string, AreaSummary>(list.map((a) => [a.code, a])),
    };
  }, [all.data]);

  // Without a code in the URL, start where the user works (a grid worker's
  // grid, say), else at the top of the tree.
  const { me } = useAuth();
  const homeCode = me?.grants.find(
    (g) => g.scopeKind === "area" && g.scope?.code && byCode.has(g.scope.code),
  )?.scope?.code;
  const code = params.code ?? homeCode ?? roots[0]?.area.code;
  const view = useApi(code ? `area:${code}` : null, (signal) => loadAreaView(code ?? "", signal));
  // While the next area loads, the previous one stays on screen under a spinner.
  const current = view.error ? undefined : view.data;

  const select = useCallback((c: string) => navigate(`/areas/${c}`), [navigate]);

  const treeHeight = isPhone ? 280 : 620;
  const mapHeight = isPhone ? 360 : 520;
  const childCount = current?.children.features.length ?? 0;

  return (
    <div data-testid="area-browser">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t("areas.title")}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={9} lg={8} xl={7}>
          <Card size="small" title={t("areas.tree")}>
            {all.error ? (
              <ErrorAlert error={all.error} title={t("errors.loadFailed")} onRetry={all.reload} />
            ) : all.loading && !all.data ? (
              <div data-testid="area-tree-loading">
                <Skeleton active paragraph={{ rows: 8 }} />
              </div>
            ) : (
              <AreaTree
                roots={roots}
                byCode={byCode}
                selectedCode={code}
                onSelect={select}
                height={treeHeight}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} md={15} lg={16} xl={17}>
          <Card
            size="small"
            title={current ? current.detail.name : t("areas.map")}
            extra={
              current && childCount > 0 ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t("areas.showChildren", { count: childCount })}
                </Typography.Text>
              ) : null
            }
          >
            {view.error ? (
              <div style={{ marginBottom: 12 }}>
                <ErrorAlert
                  error={view.error}
                  title={t("errors.loadFailed")}
                  onRetry={view.reload}
                />
              </div>
            ) : null}
            <Spin spinning={view.loading} description={t("areas.mapLoading")}>
              <div style={{ position: "relative" }}>
                <AreaMap
                  focus={current?.detail}
                  childAreas={current?.children}
                  tileUrl={meta?.mapTileUrl ?? null}
                  tileAttribution={meta?.mapTileAttribution ?? null}
                  onSelect={select}
                  height={mapHeight}
                  label={t("areas.map")}
                />
                {current && !current.detail.boundary && childCount === 0 ? (
                  <MapNotice text={t("areas.noBoundary")} />
                ) : current && childCount === 0 ? (
                  <MapNotice text={t("areas.noChildren")} />
                ) : null}
              </div>
            </Spin>
          </Card>
          <Card size="small" title={t("areas.detail")} style={{ marginTop: 16 }}>
            {current ? (
              <Spin spinning={view.loading}>
                <AreaDetailView area={current.detail} />
              </Spin>
            ) : view.loading || all.loading ? (
              <Skeleton active paragraph={{ rows: 3 }} />
            ) : view.error ? null : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("areas.selectHint")} />
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}

function MapNotice(props: { text: string }) {
  return (
    <div
      style={{
        position: "absolute",
        top: 12,
        left: 56,
        right: 12,
        zIndex: 1000,
        pointerEvents: "none",
      }}
    >
      <Alert
        type="info"
        showIcon
        title={props.text}
        style={{ display: "inline-flex", pointerEvents: "auto" }}
      />
    </div>
  );
}
