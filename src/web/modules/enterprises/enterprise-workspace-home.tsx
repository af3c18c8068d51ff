/**
 * The enterprise officer's workspace home (/ for that role): their
 * enterprise, its workforce and dormitories at a glance, the case tasks
 * departments gave it, and the cards of the other parts of the workspace
 * (self-inspections due, rating and warning, notices); a manager also gets
 * a way to the staff accounts (员工账号). Cards sit in a grid
 * that wraps to one column on a phone.
 */
import { AlertOutlined, RightOutlined, TeamOutlined } from "@ant-design/icons";
import { Button, Card, Empty, List, Space, Statistic, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { chinaDatetime, todayInChina } from "../../../shared/dates.js";
import { useAuth } from "../../auth/auth-context.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { useApi } from "../../ui/use-api.js";
import { RiskHomeCard } from "../enterprise-risk/risk-home-card.js";
import { InspectionsHomeCard } from "../inspections/inspections-home-card.js";
import { LiaisonHomeCard } from "../liaison/liaison-home-card.js";
import { RatingTag, WarningTag } from "./enterprise-bits.js";
import { getEnterprise, getWorkforce, listTasks } from "./enterprises-api.js";

export function EnterpriseWorkspaceHome(props: { enterprise: { id: string; name: string } }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const id = props.enterprise.id;
  const detail = useApi(`enterprise:${id}`, (signal) => getEnterprise(id, signal));
  const e = detail.data;
  return (
    <div data-testid="home-page">
      <div data-testid="enterprise-workspace" data-enterprise-id={id}>
        <Typography.Title level={3} style={{ marginTop: 0, marginBottom: 4 }}>
          {t("enterprises.home.title")}
        </Typography.Title>
        <Typography.Paragraph type="secondary">
          {t("home.welcome", { name: me?.user.displayName || me?.user.username })}
          {" · "}
          {t("enterprises.home.intro", { name: e?.name ?? props.enterprise.name })}
        </Typography.Paragraph>
        <Card size="small" style={{ marginBottom: 16 }} data-testid="workspace-enterprise">
          <Space style={{ width: "100%", justifyContent: "space-between" }} wrap>
            <Space wrap>
              <Typography.Text strong style={{ fontSize: 16 }}>
                {e?.name ?? props.enterprise.name}
              </Typography.Text>
              {e?.industry ? <Tag>{e.industry}</Tag> : null}
              {e ? <RatingTag rating={e.rating} /> : null}
              {e && e.warningLevel !== "none" ? <WarningTag level={e.warningLevel} /> : null}
            </Space>
            <Space wrap>
              {/* A manager's staff accounts, one tap away on a phone (the tab bar scrolls). */}
              {e?.allowedActions.includes("manageStaff") ? (
                <Link to={`/enterprises/${id}?tab=accounts`} data-testid="workspace-open-accounts">
                  <Button icon={<TeamOutlined />}>{t("enterprises.tabs.accounts")}</Button>
                </Link>
              ) : null}
              <Link to={`/enterprises/${id}`} data-testid="workspace-open-profile">
                <Button type="primary" icon={<RightOutlined />}>
                  {t("enterprises.home.openProfile")}
                </Button>
              </Link>
            </Space>
          </Space>
        </Card>
        {detail.error && !e ? (
          <ErrorAlert error={detail.error} title={t("errors.loadFailed")} onRetry={detail.reload} />
        ) : null}
        <div
          style={{
            display: "grid",
            gridTemplateColumns: "repeat(auto-fill, minmax(300px, 1fr))",
            gap: 16,
            alignItems: "start",
          }}
        >
          <WorkforceCard enterpriseId={id} />
          <TasksCard enterpriseId={id} />
          <InspectionsHomeCard enterpriseId={id} />
          <RiskHomeCard enterpriseId={id} />
          <LiaisonHomeCard enterpriseId={id} />
        </div>
      </div>
    </div>
  );
}

function WorkforceCard(props: { enterpriseId: string }) {
  const { t } = useTranslation();
  const w = useApi(`enterprise-workforce:${props.enterpriseId}:home`, (signal) =>
    getWorkforce(props.enterpriseId, signal),
  );
  const thisMonth = todayInChina().slice(0, 7);
  const d = w.data;
  return (
    <Card
      size="small"
      title={t("enterprises.home.workforce")}
      loading={w.loading && !d}
      data-testid="workspace-workforce"
      extra={
        <Link to={`/enterprises/${props.enterpriseId}?tab=employees`}>
          {t("enterprises.tabs.employees")}
        </Link>
      }
    >
      {w.error && !d ? <ErrorAlert error={w.error} onRetry={w.reload} /> : null}
      {d ? (
        <div style={{ display: "grid", gridTemplateColumns: "1fr 1fr", gap: 12 }}>
          <Statistic
            title={t("enterprises.home.headcount")}
            value={d.headcount}
            data-testid="workspace-headcount"
          />
          <Statistic
            title={t("enterprises.home.hiresThisMonth")}
            value={d.months.find((m) => m.month === thisMonth)?.hires ?? 0}
          />
          <Statistic
            title={t("enterprises.home.dormOccupancy")}
            value={t("enterprises.home.dormOccupancyValue", {
              occupants: d.dormitory.occupants,
              capacity: d.dormitory.capacity,
            })}
          />
          <Link to={`/enterprises/${props.enterpriseId}?tab=dormitories`}>
            <Statistic
              title={t("enterprises.home.overcrowdedRooms")}
              value={d.dormitory.overcrowdedRooms}
              styles={{
                content: { color: d.dormitory.overcrowdedRooms > 0 ? "#cf1322" : undefined },
              }}
              data-testid="workspace-overcrowded"
            />
          </Link>
        </div>
      ) : null}
    </Card>
  );
}

function TasksCard(props: { enterpriseId: string }) {
  const { t } = useTranslation();
  const tasks = useApi(`enterprise-tasks:${props.enterpriseId}`, (signal) =>
    listTasks(props.enterpriseId, signal),
  );
  return (
    <Card
      size="small"
      title={
        <Space>
          <AlertOutlined />
          {t("enterprises.home.tasks")}
          {tasks.data?.total ? <Tag color="blue">{tasks.data.total}</Tag> : null}
        </Space>
      }
      loading={tasks.loading && !tasks.data}
      data-testid="workspace-tasks"
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t("enterprises.home.tasksIntro")}
      </Typography.Paragraph>
      {tasks.error && !tasks.data ? (
        <ErrorAlert error={tasks.error} onRetry={tasks.reload} />
      ) : null}
      {tasks.data && tasks.data.items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("enterprises.home.noTasks")} />
      ) : (
        <List
          size="small"
          dataSource={tasks.data?.items ?? []}
          renderItem={(task) => (
            <List.Item key={task.partyId}>
              <Space orientation="vertical" size={0} style={{ width: "100%" }}>
                <Space wrap size={4}>
                  <Link to={`/cases/${task.caseId}`}>{task.caseCode}</Link>
                  <Typography.Text type="secondary">{task.category}</Typography.Text>
                  {task.overdue ? <Tag color="red">{t("enterprises.home.overdue")}</Tag> : null}
                </Space>
                {task.task ? <Typography.Text>{task.task}</Typography.Text> : null}
                {task.dueAt ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t("enterprises.home.due", {
                      date: chinaDatetime(new Date(task.dueAt)).slice(0, 10),
                    })}
                  </Typography.Text>
                ) : null}
              </Space>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
