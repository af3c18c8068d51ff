/**
 * 参与深度, for grid workers, coordinators and admins (and, for the volunteers
 * in their own teams, associations and enterprises): a community's people
 * by their highest rung on the participation ladder, month-by-month
 * progression, retention over the last three months and the share of
 * superficial volunteers; its people (filter by rung, superficial only), each
 * with their points statement — coordinators may correct an entry there.
 */
import {
  App,
  Button,
  Card,
  Col,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Row,
  Select,
  Space,
  Statistic,
  Switch,
  Table,
  Tag,
  Typography,
} from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { RUNGS } from "../../../shared/schemas/points.js";
import { homeAreaCode } from "../../auth/access.js";
import { useAuth } from "../../auth/auth-context.js";
import { EChart } from "../../ui/echart.js";
import { describeError, ErrorAlert } from "../../ui/error-alert.js";
import { PageLoading } from "../../ui/page-loading.js";
import { useApi } from "../../ui/use-api.js";
import { AreaTreeSelect } from "../organisations/area-tree-select.js";
import { participationOrganisation } from "./points-access.js";
import {
  correctEntry,
  getParticipationSummary,
  getStatement,
  listParticipants,
  type Participant,
  type ParticipationScope,
  type PointsEntry,
  type Rung,
} from "./points-api.js";
import { EntryText, Ladder, Points } from "./points-bits.js";

const PAGE = 20;

/** The community a grid code lies in: its first 12 digits (district 6, street 3, community 3). */
function communityOf(code: string | null): string | undefined {
  return code && code.length > 12 ? code.slice(0, 12) : undefined;
}

export function ParticipationPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [params, setParams] = useSearchParams();
  // An association's or enterprise's representative reads its own teams' volunteers.
  const organisation = participationOrganisation(me);
  const community = organisation
    ? undefined
    : (params.get("community") ?? communityOf(homeAreaCode(me)));
  const scope: ParticipationScope | null = organisation
    ? { organisationId: organisation.id }
    : community
      ? { community }
      : null;
  const scopeKey = scope ? JSON.stringify(scope) : null;
  const [rung, setRung] = useState<Rung | undefined>();
  const [superficial, setSuperficial] = useState(false);
  const [name, setName] = useState("");
  const [page, setPage] = useState(1);
  const [person, setPerson] = useState<Participant | null>(null);
  const summary = useApi(scopeKey ? `participation:${scopeKey}` : null, (signal) =>
    getParticipationSummary(scope ?? { community: "" }, signal),
  );
  const q = {
    ...(scope ?? { community: "" }),
    rung,
    superficial: superficial ? ("true" as const) : undefined,
    q: name || undefined,
    limit: PAGE,
    offset: (page - 1) * PAGE,
  };
  const people = useApi(scopeKey ? `participants:${JSON.stringify(q)}` : null, (signal) =>
    listParticipants(q, signal),
  );
  const s = summary.data;

  const charts = useMemo(() => {
    if (!s) return null;
    const names = RUNGS.map((r) => t(`points.rungs.${r}`));
    return {
      distribution: {
        tooltip: {},
        grid: { left: 40, right: 16, top: 16, bottom: 60 },
        xAxis: { type: "category", data: names, axisLabel: { rotate: 30 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: RUNGS.map((r) => s.distribution[r]) }],
      },
      progression: {
        tooltip: { trigger: "axis" },
        legend: { type: "scroll", bottom: 0 },
        grid: { left: 40, right: 16, top: 16, bottom: 48 },
        xAxis: { type: "category", data: s.progression.map((p) => p.month) },
        yAxis: { type: "value", minInterval: 1 },
        series: RUNGS.map((r, i) => ({
          type: "line",
          name: names[i],
          data: s.progression.map((p) => p.reached[r]),
        })),
      },
    };
  }, [s, t]);

  return (
    <Space
      orientation="vertical"
      size={12}
      style={{ width: "100%" }}
      data-testid="participation-page"
    >
      <Card title={t("points.participation.title")}>
        <Typography.Paragraph type="secondary">
          {organisation
            ? t("points.participation.organisationIntro", { name: organisation.name })
            : t("points.participation.intro")}
        </Typography.Paragraph>
        {organisation ? null : (
          <Space wrap>
            {t("points.participation.community")}
            <AreaTreeSelect
              level="community"
              value={community}
              onChange={(code) => {
                setPage(1);
                setParams(code ? { community: code } : {});
              }}
              placeholder={t("points.participation.chooseCommunity")}
              width={280}
              data-testid="participation-community"
            />
          </Space>
        )}
      </Card>
      {!scope ? (
        <Empty description={t("points.participation.chooseCommunity")} />
      ) : summary.error ? (
        <ErrorAlert error={summary.error} onRetry={summary.reload} />
      ) : !s || !charts ? (
        <PageLoading />
      ) : (
        <>
          <Row gutter={[12, 12]}>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic
                  title={t("points.participation.people")}
                  value={s.people}
                  data-testid="participation-people"
                />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic title={t("points.participation.volunteers")} value={s.volunteers} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic
                  title={t("points.participation.superficialShare")}
                  value={s.superficialShare === null ? "—" : (s.superficialShare * 100).toFixed(1)}
                  suffix={s.superficialShare === null ? undefined : "%"}
                  data-testid="participation-superficial"
                />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic
                  title={t("points.participation.activeAllThree")}
                  value={s.retention.activeAllThree}
                />
                <Typography.Text type="secondary">
                  {s.retention.months
                    .map((m, i) => `${m}: ${s.retention.activeEachMonth[i]}`)
                    .join(" · ")}
                </Typography.Text>
              </Card>
            </Col>
          </Row>
          <Row gutter={[12, 12]}>
            <Col xs={24} lg={10}>
              <Card size="small" title={t("points.participation.distribution")}>
                <EChart
                  option={charts.distribution}
                  height={280}
                  testId="participation-distribution"
                />
              </Card>
            </Col>
            <Col xs={24} lg={14}>
              <Card size="small" title={t("points.participation.progression")}>
                <EChart
                  option={charts.progression}
                  height={280}
                  testId="participation-progression"
                />
              </Card>
            </Col>
          </Row>
          <Card
            size="small"
            title={t("points.participation.list")}
            extra={
              <Space wrap>
                <Input.Search
                  allowClear
                  placeholder={t("points.participation.search")}
                  onSearch={(v) => {
                    setPage(1);
                    setName(v.trim());
                  }}
                  style={{ width: 180 }}
                  data-testid="participation-search"
                />
                <Select<Rung | "">
                  value={rung ?? ""}
                  onChange={(v) => {
                    setPage(1);
                    setRung(v === "" ? undefined : v);
                  }}
                  style={{ width: 140 }}
                  data-testid="participation-rung"
                  options={[
                    { value: "", label: t("points.participation.allRungs") },
                    ...RUNGS.map((r) => ({ value: r, label: t(`points.rungs.${r}`) })),
                  ]}
                />
                <Space size={4}>
                  <Switch
                    size="small"
                    checked={superficial}
                    onChange={(v) => {
                      setPage(1);
                      setSuperficial(v);
                    }}
                    data-testid="participation-superficial-only"
                  />
                  {t("points.participation.onlySuperficial")}
                </Space>
              </Space>
            }
          >
            {people.error ? <ErrorAlert error={people.error} onRetry={people.reload} /> : null}
            <Table<Participant>
              size="small"
              rowKey="userId"
              loading={people.loading}
              dataSource={people.data?.items ?? []}
              data-testid="participation-people-table"
              locale={{ emptyText: <Empty description={t("points.participation.empty")} /> }}
              pagination={{
                current: page,
                pageSize: PAGE,
                total: people.data?.total ?? 0,
                onChange: setPage,
                showSizeChanger: false,
              }}
              onRow={(p) => ({ onClick: () => setPerson(p), style: { cursor: "pointer" } })}
              columns={[
                { key: "name", title: t("users.displayName"), dataIndex: "displayName" },
                {
                  key: "rung",
                  title: t("points.participation.rung"),
                  render: (_v, p) => (
                    <Space size={4}>
                      {p.rung ? <Tag color="blue">{t(`points.rungs.${p.rung}`)}</Tag> : null}
                      {p.superficial ? <Tag>{t("points.participation.superficial")}</Tag> : null}
                    </Space>
                  ),
                },
                { key: "since", title: t("points.participation.since"), dataIndex: "since" },
                {
                  key: "active",
                  title: t("points.participation.activeMonths"),
                  render: (_v, p) => p.activeMonths.join("、") || "—",
                },
              ]}
            />
          </Card>
        </>
      )}
      {/* A person's points statement is for staff; an organisation sees their ladder. */}
      <PersonDrawer
        person={person}
        withStatement={organisation === null}
        onClose={() => setPerson(null)}
      />
    </Space>
  );
}

function PersonDrawer(props: {
  person: Participant | null;
  withStatement: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [correcting, setCorrecting] = useState<PointsEntry | null>(null);
  const userId = props.withStatement ? props.person?.userId : undefined;
  const statement = useApi(userId ? `points:${userId}:${page}` : null, (signal) =>
    getStatement({ userId, limit: PAGE, offset: (page - 1) * PAGE }, signal),
  );
  const s = statement.data;
  return (
    <Drawer
      open={props.person !== null}
      onClose={props.onClose}
      size={560}
      title={props.person?.displayName}
      extra={
        userId ? (
          <Link to={`/points/statement?userId=${userId}`}>
            <Button>{t("points.print")}</Button>
          </Link>
        ) : null
      }
    >
      {props.person ? <Ladder p={props.person} /> : null}
      {userId ? (
        <Typography.Title level={5}>{t("points.participation.statement")}</Typography.Title>
      ) : null}
      {statement.error ? <ErrorAlert error={statement.error} onRetry={statement.reload} /> : null}
      {s ? (
        <>
          <Statistic title={t("points.balance")} value={s.balance} />
          <List
            data-testid="person-points-entries"
            dataSource={s.items}
            locale={{ emptyText: <Empty description={t("points.noEntries")} /> }}
            pagination={
              s.total > PAGE
                ? {
                    current: page,
                    pageSize: PAGE,
                    total: s.total,
                    onChange: setPage,
                    size: "small",
                  }
                : false
            }
            renderItem={(e) => (
              <List.Item
                key={e.id}
                extra={
                  <Space orientation="vertical" align="end">
                    <Points amount={e.amount} />
                    {s.canCorrect ? (
                      <Button
                        size="small"
                        onClick={() => setCorrecting(e)}
                        data-testid="points-correct"
                      >
                        {t("points.correct")}
                      </Button>
                    ) : null}
                  </Space>
                }
              >
                <List.Item.Meta title={<EntryText e={e} />} description={e.occurredOn} />
              </List.Item>
            )}
          />
        </>
      ) : userId ? (
        <PageLoading />
      ) : null}
      <CorrectionModal
        entry={correcting}
        onClose={() => setCorrecting(null)}
        onDone={() => {
          setCorrecting(null);
          statement.reload();
        }}
      />
    </Drawer>
  );
}

function CorrectionModal(props: {
  entry: PointsEntry | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ amount: number; reason: string }>();
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    let v: { amount: number; reason: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    if (!props.entry) return;
    setSaving(true);
    try {
      await correctEntry({ entryId: props.entry.id, amount: v.amount, reason: v.reason });
      void message.success(t("points.correctedOk"));
      form.resetFields();
      props.onDone();
    } catch (err) {
      void message.error(describeError(err, t));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={props.entry !== null}
      title={t("points.correctTitle")}
      onCancel={props.onClose}
      onOk={() => void submit()}
      confirmLoading={saving}
      okText={t("common.confirm")}
      cancelText={t("common.cancel")}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item
          name="amount"
          label={t("points.correctAmount")}
          rules={[
            { required: true, type: "integer" },
            {
              validator: async (_r, v) => {
                if (v === 0) throw new Error(t("points.correctAmount"));
              },
            },
          ]}
        >
          <InputNumber precision={0} min={-1000} max={1000} style={{ width: "100%" }} />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t("points.correctReason")}
          rules={[{ required: true, whitespace: true, min: 2, max: 200 }]}
        >
          <Input.TextArea rows={2} maxLength={200} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
