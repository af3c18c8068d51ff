/**
 * 志愿队伍 (/teams): the teams the user may see, and a form to create one
 * (a grid worker: a community team; an association or enterprise: its own).
 * A team (/teams/:id) lists its members; whoever manages it adds members,
 * appoints leaders and removes members.
 */
import { PlusOutlined } from "@ant-design/icons";
import {
  App,
  Button,
  type ButtonProps,
  Card,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router-dom";
import { isEnterpriseRole } from "../../../shared/roles.js";
import { TEAM_KINDS, TEAM_ROLES } from "../../../shared/schemas/volunteers.js";
import { useAuth } from "../../auth/auth-context.js";
import { DetailLoadFailed } from "../../ui/detail-load-failed.js";
import { describeError } from "../../ui/error-alert.js";
import { ListPage, ListTable, param, SearchInput, useListQuery } from "../../ui/list-page.js";
import { PageLoading } from "../../ui/page-loading.js";
import { SearchPicker } from "../../ui/search-picker.js";
import { useApi } from "../../ui/use-api.js";
import { AreaSelect } from "./area-select.js";
import { hoursOf } from "./volunteer-bits.js";
import {
  addMember,
  createTeam,
  getTeam,
  listTeams,
  listVolunteers,
  removeMember,
  setMemberRole,
  type Team,
  type TeamDetail,
} from "./volunteers-api.js";

export function TeamsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const query = useListQuery({
    filters: { q: param.text(), kind: param.oneOf(TEAM_KINDS) },
    sorts: ["name"] as const,
    defaultSort: "name",
  });
  const request = {
    q: query.filters.q || undefined,
    kind: query.filters.kind,
    limit: query.limit,
    offset: query.offset,
  };
  const list = useApi(`teams:${JSON.stringify(request)}`, (signal) => listTeams(request, signal));
  const columns: TableColumnsType<Team> = [
    { title: t("volunteers.teams.name"), dataIndex: "name" },
    { title: t("volunteers.teams.kind"), render: (_, x) => t(`volunteers.teamKinds.${x.kind}`) },
    { title: t("volunteers.teams.community"), render: (_, x) => x.area.name },
    { title: t("volunteers.teams.organisation"), render: (_, x) => x.organisation?.name ?? "—" },
    { title: t("volunteers.teams.members"), dataIndex: "members" },
    { title: t("volunteers.teams.leaders"), render: (_, x) => x.leaders.join("、") || "—" },
  ];
  return (
    <ListPage
      testId="teams-page"
      title={t("volunteers.nav.teams")}
      intro={t("volunteers.teams.intro")}
      actions={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setCreating(true)}
          data-testid="team-new"
        >
          {t("volunteers.teams.new")}
        </Button>
      }
      filters={
        <>
          <SearchInput
            value={query.filters.q}
            onSearch={(q) => query.setFilters({ q })}
            placeholder={t("volunteers.teams.search")}
          />
          <Select
            allowClear
            placeholder={t("volunteers.teams.kind")}
            value={query.filters.kind}
            onChange={(kind) => query.setFilters({ kind })}
            options={TEAM_KINDS.map((k) => ({ value: k, label: t(`volunteers.teamKinds.${k}`) }))}
            style={{ width: 140 }}
          />
        </>
      }
    >
      <ListTable<Team, "name">
        rowKey="id"
        query={query}
        list={list}
        columns={columns}
        testId="teams"
        emptyText={t("volunteers.teams.empty")}
        noMatchText={t("volunteers.teams.noMatch")}
        scroll={{ x: true }}
        onRow={(x) => ({ onClick: () => navigate(`/teams/${x.id}`), style: { cursor: "pointer" } })}
      />
      <CreateTeamModal
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(id) => navigate(`/teams/${id}`)}
      />
    </ListPage>
  );
}

function CreateTeamModal(props: {
  open: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me } = useAuth();
  const [form] = Form.useForm<{
    name: string;
    kind: string;
    areaCode: string;
    description?: string;
  }>();
  const [saving, setSaving] = useState(false);
  const orgKind = me?.grants.find((g) => g.role === "association_rep")
    ? "association"
    : me?.grants.find((g) => isEnterpriseRole(g.role))
      ? "enterprise"
      : "community";
  const submit = async (v: {
    name: string;
    kind: string;
    areaCode: string;
    description?: string;
  }) => {
    setSaving(true);
    try {
      const team = await createTeam({ ...v, description: v.description?.trim() || undefined });
      props.onCreated(team.id);
    } catch (err) {
      void message.error(describeError(err, t));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={props.open}
      title={t("volunteers.teams.new")}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: saving, "data-testid": "team-create-submit" } as ButtonProps}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ kind: orgKind }}
        data-testid="team-create-form"
      >
        <Form.Item
          name="name"
          label={t("volunteers.teams.name")}
          rules={[{ required: true, min: 2 }]}
        >
          <Input maxLength={60} data-testid="team-create-name" />
        </Form.Item>
        <Form.Item name="kind" label={t("volunteers.teams.kind")} rules={[{ required: true }]}>
          <Select
            options={TEAM_KINDS.map((k) => ({ value: k, label: t(`volunteers.teamKinds.${k}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="areaCode"
          label={t("volunteers.teams.community")}
          rules={[{ required: true }]}
        >
          <AreaSelect levels={["community"]} data-testid="team-create-community" />
        </Form.Item>
        <Form.Item name="description" label={t("volunteers.plan.description")}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function TeamDetailPage() {
  const { id = "" } = useParams();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const team = useApi(`team:${id}`, (signal) => getTeam(id, signal));
  const [adding, setAdding] = useState<string | undefined>();
  const [role, setRole] = useState<(typeof TEAM_ROLES)[number]>("member");
  if (team.error && !team.data)
    return (
      <DetailLoadFailed
        testId="team-detail"
        back={<Link to="/teams">{t("volunteers.nav.teams")}</Link>}
        error={team.error}
        notFoundText={t("volunteers.teams.notFound")}
        onRetry={team.reload}
      />
    );
  if (!team.data) return <PageLoading />;
  const x = team.data;
  const manage = x.allowedActions.includes("manage_members");
  const act = async (fn: () => Promise<TeamDetail>) => {
    try {
      await fn();
      team.reload();
    } catch (err) {
      void message.error(describeError(err, t));
    }
  };
  const columns: TableColumnsType<TeamDetail["memberList"][number]> = [
    { title: t("volunteers.list.name"), dataIndex: "name" },
    {
      title: t("volunteers.teams.role"),
      render: (_, m) =>
        m.role === "leader" ? (
          <Tag color="gold">{t("volunteers.roles.leader")}</Tag>
        ) : (
          t("volunteers.roles.member")
        ),
    },
    {
      title: t("volunteers.profile.skills"),
      render: (_, m) => m.skills.map((s) => t(`volunteers.skills.${s}`)).join("、"),
    },
    { title: t("volunteers.profile.dialects"), render: (_, m) => m.dialects.join("、") || "—" },
    { title: t("volunteers.home.verifiedHours"), render: (_, m) => hoursOf(m.verifiedMinutes) },
    ...(manage
      ? [
          {
            title: "",
            render: (_: unknown, m: TeamDetail["memberList"][number]) => (
              <Space>
                <Button
                  size="small"
                  onClick={() =>
                    act(() =>
                      setMemberRole(id, m.volunteerId, m.role === "leader" ? "member" : "leader"),
                    )
                  }
                >
                  {t(
                    m.role === "leader" ? "volunteers.teams.standDown" : "volunteers.teams.appoint",
                  )}
                </Button>
                <Popconfirm
                  title={t("volunteers.teams.removeConfirm")}
                  onConfirm={() => act(() => removeMember(id, m.volunteerId))}
                >
                  <Button size="small" danger>
                    {t("volunteers.teams.remove")}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];
  return (
    <Space orientation="vertical" style={{ width: "100%" }} data-testid="team-detail">
      <Link to="/teams">← {t("volunteers.nav.teams")}</Link>
      <Card>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {x.name}
        </Typography.Title>
        <Typography.Text type="secondary">
          {t(`volunteers.teamKinds.${x.kind}`)} · {x.area.name}
          {x.organisation ? ` · ${x.organisation.name}` : ""}
        </Typography.Text>
        {x.description ? (
          <Typography.Paragraph style={{ marginTop: 8 }}>{x.description}</Typography.Paragraph>
        ) : null}
      </Card>
      {manage ? (
        <Card size="small" title={t("volunteers.teams.addMember")}>
          <Space wrap style={{ width: "100%" }}>
            <div style={{ width: 280 }}>
              <SearchPicker
                cacheKey="team-volunteers"
                data-testid="team-add-volunteer"
                value={adding}
                onChange={setAdding}
                placeholder={t("volunteers.list.search")}
                search={(q, signal) =>
                  listVolunteers({ q: q || undefined, status: "active", limit: 20 }, signal)
                }
                detail={(v) =>
                  [v.preferredAreas[0]?.name, v.originProvince].filter(Boolean).join(" · ")
                }
              />
            </div>
            <Select
              value={role}
              onChange={setRole}
              options={TEAM_ROLES.map((r) => ({ value: r, label: t(`volunteers.roles.${r}`) }))}
              style={{ width: 100 }}
              data-testid="team-add-role"
            />
            <Button
              type="primary"
              disabled={!adding}
              data-testid="team-add-submit"
              onClick={() =>
                adding &&
                act(async () => {
                  const r = await addMember(id, { volunteerId: adding, role });
                  setAdding(undefined);
                  return r;
                })
              }
            >
              {t("volunteers.teams.add")}
            </Button>
          </Space>
        </Card>
      ) : null}
      <Card size="small" title={t("volunteers.teams.memberCount", { count: x.members })}>
        <Table
          rowKey="volunteerId"
          size="small"
          pagination={false}
          scroll={{ x: true }}
          columns={columns}
          dataSource={x.memberList}
          data-testid="team-members"
        />
      </Card>
    </Space>
  );
}
