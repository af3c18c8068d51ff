/**
 * 志愿服务 (/volunteer), phone-first: sign up as a volunteer, or see my
 * profile (teams, verified hours, training), my shifts and the open ones, my
 * mediation tasks, and (team leaders) the hours waiting for me.
 */
import {
  CalendarOutlined,
  CheckSquareOutlined,
  EditOutlined,
  SearchOutlined,
} from "@ant-design/icons";
import { Button, Card, Col, Empty, List, Row, Space, Statistic, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { ErrorAlert } from "../../ui/error-alert.js";
import { PageLoading } from "../../ui/page-loading.js";
import { useApi } from "../../ui/use-api.js";
import { hoursOf } from "./volunteer-bits.js";
import { VolunteerProfileForm } from "./volunteer-profile-form.js";
import { getMyMediations, getMyVolunteer } from "./volunteers-api.js";

export function VolunteerHomePage() {
  const { t } = useTranslation();
  const mine = useApi("volunteer:me", getMyVolunteer);
  const [editing, setEditing] = useState(false);
  const signedUp = mine.data?.volunteer !== null && mine.data !== undefined;
  const mediations = useApi(signedUp ? "volunteer:mediations" : null, getMyMediations);

  if (mine.error && !mine.data) return <ErrorAlert error={mine.error} onRetry={mine.reload} />;
  if (!mine.data) return <PageLoading />;
  const v = mine.data.volunteer;

  if (!v || editing)
    return (
      <Space
        orientation="vertical"
        size={12}
        style={{ width: "100%" }}
        data-testid="volunteer-home"
      >
        <Card>
          <Typography.Title level={4} style={{ marginTop: 0 }}>
            {t(v ? "volunteers.profile.editTitle" : "volunteers.home.joinTitle")}
          </Typography.Title>
          {v ? null : (
            <Typography.Paragraph type="secondary">
              {t("volunteers.home.joinIntro")}
            </Typography.Paragraph>
          )}
          <VolunteerProfileForm
            mine={mine.data}
            onSaved={() => {
              setEditing(false);
              mine.reload();
            }}
            {...(v ? { onCancel: () => setEditing(false) } : {})}
          />
        </Card>
      </Space>
    );

  return (
    <Space orientation="vertical" size={12} style={{ width: "100%" }} data-testid="volunteer-home">
      <Card data-testid="volunteer-profile">
        <Space style={{ width: "100%", justifyContent: "space-between" }} align="start">
          <div>
            <Typography.Title level={4} style={{ margin: 0 }}>
              {v.name}
            </Typography.Title>
            <Typography.Text type="secondary">
              {v.preferredAreas.map((a) => a.name).join("、")}
              {v.originProvince
                ? ` · ${t("volunteers.home.from", { province: v.originProvince })}`
                : ""}
            </Typography.Text>
          </div>
          <Button
            icon={<EditOutlined />}
            onClick={() => setEditing(true)}
            data-testid="volunteer-edit"
          >
            {t("volunteers.home.edit")}
          </Button>
        </Space>
        {v.status !== "active" ? (
          <Tag color="default" style={{ marginTop: 8 }}>
            {t(`volunteers.status.${v.status}`)}
          </Tag>
        ) : null}
        <Row gutter={12} style={{ marginTop: 12 }}>
          <Col span={8}>
            <Statistic
              title={t("volunteers.home.verifiedHours")}
              value={hoursOf(v.verifiedMinutes)}
              data-testid="volunteer-verified-hours"
            />
          </Col>
          <Col span={8}>
            <Statistic title={t("volunteers.home.attended")} value={v.stats.attended} />
          </Col>
          <Col span={8}>
            <Statistic
              title={t("volunteers.home.pendingHours")}
              value={hoursOf(v.stats.pendingMinutes)}
            />
          </Col>
        </Row>
        <Space wrap size={[4, 4]} style={{ marginTop: 12 }}>
          {v.skills.map((s) => (
            <Tag key={s} color="blue">
              {t(`volunteers.skills.${s}`)}
            </Tag>
          ))}
          {v.dialects.map((d) => (
            <Tag key={d}>{d}</Tag>
          ))}
        </Space>
      </Card>

      <Row gutter={[12, 12]}>
        <Col xs={12}>
          <Link to="/volunteer/shifts">
            <Button
              block
              size="large"
              icon={<CalendarOutlined />}
              data-testid="volunteer-my-shifts"
            >
              {t("volunteers.nav.myShifts")}
            </Button>
          </Link>
        </Col>
        <Col xs={12}>
          <Link to="/volunteer/shifts?tab=open">
            <Button
              block
              size="large"
              icon={<SearchOutlined />}
              data-testid="volunteer-find-shifts"
            >
              {t("volunteers.home.findShifts")}
            </Button>
          </Link>
        </Col>
        {mine.data.leads.length > 0 ? (
          <Col xs={24}>
            <Link to="/hours">
              <Button block icon={<CheckSquareOutlined />} data-testid="volunteer-leader-hours">
                {t("volunteers.home.leaderHours", {
                  teams: mine.data.leads.map((x) => x.name).join("、"),
                })}
              </Button>
            </Link>
          </Col>
        ) : null}
      </Row>

      <Card size="small" title={t("volunteers.home.teams")}>
        {v.teams.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("volunteers.home.noTeams")} />
        ) : (
          <Space wrap>
            {v.teams.map((x) => (
              <Tag key={x.id} color={x.role === "leader" ? "gold" : "default"}>
                {x.name}
                {x.role === "leader" ? ` · ${t("volunteers.roles.leader")}` : ""}
              </Tag>
            ))}
          </Space>
        )}
      </Card>

      <Card size="small" title={t("volunteers.home.mediations")} data-testid="volunteer-mediations">
        <List
          dataSource={mediations.data?.items ?? []}
          loading={mediations.loading}
          locale={{ emptyText: t("volunteers.home.noMediations") }}
          renderItem={(m) => (
            <List.Item key={m.caseId}>
              <List.Item.Meta
                title={<Link to={`/cases/${m.caseId}`}>{`${m.code} ${m.categoryName}`}</Link>}
                description={m.task}
              />
              <Tag color={m.taskStatus === "done" ? "success" : "processing"}>
                {t(
                  m.taskStatus === "done" ? "volunteers.home.taskDone" : "volunteers.home.taskOpen",
                )}
              </Tag>
            </List.Item>
          )}
        />
      </Card>

      <Card size="small" title={t("volunteers.training.title")}>
        <TrainingList training={v.training} />
      </Card>
    </Space>
  );
}

export function TrainingList(props: {
  training: {
    id: string;
    title: string;
    issuer: string;
    issuedOn: string;
    validUntil: string | null;
    expired: boolean;
  }[];
}) {
  const { t } = useTranslation();
  return (
    <List
      size="small"
      dataSource={props.training}
      data-testid="volunteer-training"
      locale={{ emptyText: t("volunteers.training.none") }}
      renderItem={(x) => (
        <List.Item key={x.id}>
          <List.Item.Meta
            title={x.title}
            description={`${x.issuer} · ${x.issuedOn}${x.validUntil ? ` – ${x.validUntil}` : ""}`}
          />
          {x.expired ? <Tag>{t("volunteers.training.expired")}</Tag> : null}
        </List.Item>
      )}
    />
  );
}
