/**
 * 志愿服务 (/volunteer), phone-first: sign up as a volunteer, or see my
 * profile (teams, verified hours, training and certificates), my shifts and
 * the open ones, my invitations to mediate (accept or decline) and mediation
 * tasks, and (team leaders) the hours waiting for me.
 */
import {
  CalendarOutlined,
  CheckSquareOutlined,
  EditOutlined,
  SearchOutlined,
} from "@ant-design/icons";
import {
  App,
  Button,
  type ButtonProps,
  Card,
  Col,
  Empty,
  Form,
  Input,
  List,
  Modal,
  Row,
  Space,
  Statistic,
  Tag,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { describeError, ErrorAlert } from "../../ui/error-alert.js";
import { PageLoading } from "../../ui/page-loading.js";
import { useApi } from "../../ui/use-api.js";
import { hoursOf } from "./volunteer-bits.js";
import { VolunteerProfileForm } from "./volunteer-profile-form.js";
import {
  acceptMediation,
  declineMediation,
  getMyMediations,
  getMyVolunteer,
  type Mediation,
} from "./volunteers-api.js";

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
              <Button
                block
                icon={<CheckSquareOutlined />}
                // A leader of several teams: the names wrap instead of widening the page.
                style={{ whiteSpace: "normal", height: "auto", minHeight: 32 }}
                data-testid="volunteer-leader-hours"
              >
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
            <MediationItem
              key={m.invitationId ?? `case-${m.caseId}`}
              m={m}
              onAnswered={mediations.reload}
            />
          )}
        />
      </Card>

      <Card size="small" title={t("volunteers.training.title")}>
        <TrainingList training={v.training} />
      </Card>
    </Space>
  );
}

/**
 * One invitation to mediate, or a case I mediate. A pending invitation shows
 * what there is to decide on and 接受邀请 / 婉拒 (with a reason); once accepted
 * the case opens (the volunteer is now one of its parties).
 */
function MediationItem(props: { m: Mediation; onAnswered: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { m } = props;
  const [busy, setBusy] = useState(false);
  const [declining, setDeclining] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const accept = async () => {
    if (!m.invitationId) return;
    setBusy(true);
    try {
      await acceptMediation(m.invitationId);
      void message.success(t("volunteers.home.accepted", { code: m.code }));
      props.onAnswered();
    } catch (err) {
      void message.error(describeError(err, t));
    } finally {
      setBusy(false);
    }
  };
  const decline = async (v: { reason: string }) => {
    if (!m.invitationId) return;
    setBusy(true);
    try {
      await declineMediation(m.invitationId, v.reason.trim());
      void message.success(t("volunteers.home.declined"));
      setDeclining(false);
      props.onAnswered();
    } catch (err) {
      void message.error(describeError(err, t));
    } finally {
      setBusy(false);
    }
  };
  const heading = `${m.code} ${m.categoryName}`;
  return (
    <List.Item data-testid="volunteer-mediation" data-invitation={m.invitation}>
      <Space orientation="vertical" size={4} style={{ width: "100%" }}>
        <Space wrap size={4} style={{ width: "100%", justifyContent: "space-between" }}>
          {m.invitation === "accepted" ? (
            <Link to={`/cases/${m.caseId}`}>{heading}</Link>
          ) : (
            <Typography.Text strong>{heading}</Typography.Text>
          )}
          {m.invitation === "pending" ? (
            <Tag color="orange">{t("volunteers.home.invitationPending")}</Tag>
          ) : m.invitation === "declined" ? (
            <Tag>{t("volunteers.home.invitationDeclined")}</Tag>
          ) : (
            <Tag color={m.taskStatus === "done" ? "success" : "processing"}>
              {t(m.taskStatus === "done" ? "volunteers.home.taskDone" : "volunteers.home.taskOpen")}
            </Tag>
          )}
        </Space>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {[m.community, m.invitedBy ? t("volunteers.home.invitedBy", { name: m.invitedBy }) : null]
            .filter(Boolean)
            .join(" · ")}
        </Typography.Text>
        {m.task ? <Typography.Text>{m.task}</Typography.Text> : null}
        {m.invitation === "pending" && m.excerpt ? (
          <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 13 }}>
            {m.excerpt}
          </Typography.Paragraph>
        ) : null}
        {m.invitation === "declined" && m.reason ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {m.reason}
          </Typography.Text>
        ) : null}
        {m.invitation === "pending" ? (
          <Space wrap>
            <Button
              type="primary"
              loading={busy && !declining}
              onClick={accept}
              data-testid="mediation-accept"
            >
              {t("volunteers.home.accept")}
            </Button>
            <Button onClick={() => setDeclining(true)} data-testid="mediation-decline">
              {t("volunteers.home.decline")}
            </Button>
          </Space>
        ) : m.invitation === "accepted" ? (
          <Link to={`/cases/${m.caseId}`} data-testid="mediation-open-case">
            {t("volunteers.home.openCase")}
          </Link>
        ) : null}
      </Space>
      <Modal
        open={declining}
        title={t("volunteers.home.declineTitle")}
        onCancel={() => setDeclining(false)}
        onOk={() => form.submit()}
        okButtonProps={{ loading: busy, "data-testid": "mediation-decline-submit" } as ButtonProps}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={decline}>
          <Form.Item
            name="reason"
            label={t("volunteers.home.declineReason")}
            rules={[
              {
                required: true,
                whitespace: true,
                min: 2,
                message: t("volunteers.home.declineReasonRequired"),
              },
            ]}
          >
            <Input.TextArea rows={3} maxLength={500} data-testid="mediation-decline-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </List.Item>
  );
}

export function TrainingList(props: {
  training: {
    id: string;
    title: string;
    issuer: string;
    issuedOn: string;
    validUntil: string | null;
    certificateNo?: string | null;
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
            description={
              <>
                <div>{`${x.issuer} · ${x.issuedOn}${x.validUntil ? ` – ${x.validUntil}` : ""}`}</div>
                {x.certificateNo ? (
                  <div data-testid="training-certificate">
                    {t("volunteers.training.certificate", { no: x.certificateNo })}
                  </div>
                ) : null}
              </>
            }
          />
          {x.expired ? <Tag>{t("volunteers.training.expired")}</Tag> : null}
        </List.Item>
      )}
    />
  );
}
