/**
 * The enterprise officer's self-inspections due (within two weeks, or
 * missed) and hazards to rectify, for the workspace home, with links to
 * fill in and to act.
 */
import { Badge, Button, Card, Empty, List, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { ErrorAlert } from "../../ui/error-alert.js";
import { useApi } from "../../ui/use-api.js";
import { HazardStatusTag, InspectionStatusTag, OverdueTag } from "./inspection-bits.js";
import { addDays, listHazards, listInspections, todayInChina } from "./inspections-api.js";

export function InspectionsHomeCard(props: { enterpriseId: string }) {
  const { t } = useTranslation();
  const id = props.enterpriseId;
  const soon = addDays(todayInChina(), 14);
  const data = useApi(`inspections-home:${id}`, async (signal) => {
    const [due, hazards] = await Promise.all([
      listInspections(
        { organisationId: id, status: "due", dueBefore: soon, sort: "dueOn", limit: 5, offset: 0 },
        signal,
      ),
      listHazards(
        { organisationId: id, status: "open,rectifying", sort: "deadline", limit: 5, offset: 0 },
        signal,
      ),
    ]);
    return { due, hazards };
  });
  const d = data.data;
  return (
    <Card
      size="small"
      title={t("inspections.home.title")}
      loading={data.loading && !d}
      data-testid="inspections-home-card"
      extra={<Link to={`/enterprises/${id}?tab=inspections`}>{t("inspections.home.all")}</Link>}
    >
      {data.error && !d ? <ErrorAlert error={data.error} onRetry={data.reload} /> : null}
      {d ? (
        <Space orientation="vertical" size={12} style={{ width: "100%" }}>
          <div>
            <Space style={{ marginBottom: 4 }}>
              <Typography.Text strong>{t("inspections.home.due")}</Typography.Text>
              <Badge
                count={d.due.total}
                color={d.due.items.some((i) => i.overdue) ? "red" : "blue"}
              />
            </Space>
            {d.due.items.length === 0 ? (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={t("inspections.home.noneDue")}
              />
            ) : (
              <List
                size="small"
                dataSource={d.due.items}
                data-testid="home-due-inspections"
                renderItem={(i) => (
                  <List.Item
                    key={i.id}
                    actions={[
                      <Link key="fill" to={`/inspections/${i.id}`}>
                        <Button size="small" type="primary" data-testid="home-fill-inspection">
                          {t("inspections.fill")}
                        </Button>
                      </Link>,
                    ]}
                  >
                    <Space orientation="vertical" size={0}>
                      <Typography.Text>{i.template.name}</Typography.Text>
                      <Space size={4}>
                        <InspectionStatusTag inspection={i} />
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {t("inspections.home.dueOn", { due: i.dueOn })}
                        </Typography.Text>
                      </Space>
                    </Space>
                  </List.Item>
                )}
              />
            )}
          </div>
          <div>
            <Space style={{ marginBottom: 4 }}>
              <Typography.Text strong>{t("inspections.home.toRectify")}</Typography.Text>
              <Badge
                count={d.hazards.total}
                color={d.hazards.items.some((h) => h.overdue) ? "red" : "orange"}
              />
            </Space>
            {d.hazards.items.length === 0 ? (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={t("inspections.home.noHazards")}
              />
            ) : (
              <List
                size="small"
                dataSource={d.hazards.items}
                data-testid="home-hazards"
                renderItem={(h) => (
                  <List.Item key={h.id}>
                    <Space orientation="vertical" size={0}>
                      <Link to={`/hazards/${h.id}`} data-testid="home-hazard-link">
                        {h.title}
                      </Link>
                      <Space size={4}>
                        <HazardStatusTag status={h.status} />
                        <OverdueTag overdue={h.overdue} />
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {t("inspections.home.deadline", { deadline: h.deadline })}
                        </Typography.Text>
                      </Space>
                    </Space>
                  </List.Item>
                )}
              />
            )}
            <Link to="/hazards">{t("inspections.home.allHazards")}</Link>
          </div>
        </Space>
      ) : null}
    </Card>
  );
}
