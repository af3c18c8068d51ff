/**
 * The home page: who you are, the roles and scopes you hold, what you may do,
 * and links to the tools that follow from it.
 */
import {
  AlertOutlined,
  ApartmentOutlined,
  CommentOutlined,
  FormOutlined,
  HeartOutlined,
  IdcardOutlined,
  KeyOutlined,
  RightOutlined,
  SmileOutlined,
  TeamOutlined,
} from "@ant-design/icons";
import { Card, Col, Descriptions, Empty, List, Row, Space, Tag, Typography } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useMeta } from "../api/meta.js";
import {
  canBrowseAreas,
  canManageTokens,
  canManageUsers,
  isResident,
  isStaff,
} from "../auth/access.js";
import { useAuth } from "../auth/auth-context.js";
import { canUseProposalDesk } from "../modules/proposals/proposals-access.js";
import { canManageVolunteers, canVolunteer } from "../modules/volunteers/volunteers-access.js";
import { ROLE_COLORS, scopeText } from "../ui/grant-display.js";

function ActionCard(props: {
  to: string;
  icon: ReactNode;
  title: string;
  description: string;
  testId: string;
}) {
  return (
    <Link to={props.to} data-testid={props.testId}>
      <Card hoverable size="small">
        <Space align="start" size={12} style={{ width: "100%" }}>
          <div style={{ fontSize: 24, color: "#1668dc" }}>{props.icon}</div>
          <div style={{ flex: 1 }}>
            <Typography.Text strong>{props.title}</Typography.Text>
            <div>
              <Typography.Text type="secondary">{props.description}</Typography.Text>
            </div>
          </div>
          <RightOutlined style={{ color: "rgba(0,0,0,0.45)", marginTop: 6 }} />
        </Space>
      </Card>
    </Link>
  );
}

export function HomePage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const meta = useMeta();
  if (!me) return null;

  // The tools this user has, in the order they are shown (the server still decides access).
  const staff = isStaff(me);
  const links: (Omit<Parameters<typeof ActionCard>[0], "testId"> & {
    key: string;
    show: boolean;
  })[] = [
    {
      key: "cases",
      show: staff,
      to: "/cases",
      icon: <AlertOutlined />,
      title: t("home.casesLink"),
      description: t("home.casesDesc"),
    },
    {
      key: "report",
      show: true,
      to: "/report",
      icon: <FormOutlined />,
      title: t("home.reportLink"),
      description: t("home.reportDesc"),
    },
    {
      key: "my-reports",
      show: !staff,
      to: "/cases",
      icon: <AlertOutlined />,
      title: t("home.myReportsLink"),
      description: t("home.myReportsDesc"),
    },
    {
      key: "proposals",
      show: true,
      to: canUseProposalDesk(me) ? "/proposals/desk" : "/proposals",
      icon: <CommentOutlined />,
      title: t("proposals.home.link"),
      description: t(canUseProposalDesk(me) ? "proposals.home.deskDesc" : "proposals.home.desc"),
    },
    {
      key: "areas",
      show: canBrowseAreas(me),
      to: "/areas",
      icon: <ApartmentOutlined />,
      title: t("home.areasLink"),
      description: t("home.areasDesc", {
        district: meta?.district?.name ?? t("home.district"),
      }),
    },
    {
      key: "me",
      show: isResident(me),
      to: "/me",
      icon: <IdcardOutlined />,
      title: t("home.meLink"),
      description: t("home.meDesc"),
    },
    {
      key: "volunteer",
      show: canVolunteer(me) || canManageVolunteers(me),
      to: canVolunteer(me) ? "/volunteer" : "/shifts",
      icon: <HeartOutlined />,
      title: t("volunteers.homeCard.title"),
      description: t(
        canVolunteer(me) ? "volunteers.homeCard.resident" : "volunteers.homeCard.staff",
      ),
    },
    {
      key: "users",
      show: canManageUsers(me),
      to: "/admin/users",
      icon: <TeamOutlined />,
      title: t("home.usersLink"),
      description: t("home.usersDesc"),
    },
    {
      key: "tokens",
      show: canManageTokens(me),
      to: "/admin/tokens",
      icon: <KeyOutlined />,
      title: t("home.tokensLink"),
      description: t("home.tokensDesc"),
    },
  ];
  const actions = links
    .filter((l) => l.show)
    .map(({ key, show: _show, ...card }) => (
      <ActionCard key={key} testId={`home-link-${key}`} {...card} />
    ));

  return (
    <div data-testid="home-page">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t("home.welcome", { name: me.user.displayName || me.user.username })}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t("home.intro")}</Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={10}>
          <Card title={t("home.account")} size="small">
            <Descriptions
              column={1}
              size="small"
              items={[
                { key: "username", label: t("home.username"), children: me.user.username },
                { key: "displayName", label: t("home.displayName"), children: me.user.displayName },
                {
                  key: "status",
                  label: t("home.status"),
                  children: (
                    <Tag color={me.user.status === "active" ? "success" : "warning"}>
                      {t(`userStatus.${me.user.status}`)}
                    </Tag>
                  ),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card title={t("home.grants")} size="small">
            {me.grants.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("home.noGrants")} />
            ) : (
              <List
                size="small"
                dataSource={me.grants}
                data-testid="home-grants"
                renderItem={(g) => (
                  <List.Item key={g.id}>
                    <Space wrap>
                      <Tag color={ROLE_COLORS[g.role]}>{t(`roles.${g.role}`)}</Tag>
                      <Typography.Text>{scopeText(g, t)}</Typography.Text>
                    </Space>
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t("home.permissions")} size="small">
            {me.permissions.length === 0 ? (
              <Typography.Text type="secondary">{t("home.noPermissions")}</Typography.Text>
            ) : (
              <Space wrap size={[4, 8]} data-testid="home-permissions">
                {me.permissions.map((p) => (
                  <Tag key={p}>{t(`permissions.${p}`)}</Tag>
                ))}
              </Space>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card title={t("home.actions")} size="small">
            <Space orientation="vertical" style={{ width: "100%" }} size={12}>
              {actions}
              {!isStaff(me) ? (
                <Card size="small" style={{ background: "#f6ffed", borderColor: "#b7eb8f" }}>
                  <Space align="start" size={12}>
                    <SmileOutlined style={{ fontSize: 24, color: "#52c41a" }} />
                    <div>
                      <Typography.Text strong>{t("home.residentTitle")}</Typography.Text>
                      <div>
                        <Typography.Text type="secondary">{t("home.residentDesc")}</Typography.Text>
                      </div>
                    </div>
                  </Space>
                </Card>
              ) : null}
              {actions.length === 0 && isStaff(me) ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("home.noActions")} />
              ) : null}
            </Space>
          </Card>
        </Col>
      </Row>
    </div>
  );
}
