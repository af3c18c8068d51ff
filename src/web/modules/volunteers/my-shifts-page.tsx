/**
 * 我的排班 (/volunteer/shifts), phone-first: my shifts (upcoming, past) and
 * the open ones I may sign up for, nearest first once I share my position.
 * Each card opens the shift, where the 签到 / 签退 button is.
 */
import { AimOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Empty, List, Segmented, Space, Tabs, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate, useSearchParams } from "react-router-dom";
import { ErrorAlert } from "../../ui/error-alert.js";
import { useApi } from "../../ui/use-api.js";
import {
  CheckoutSourceTag,
  currentPosition,
  HoursStatusTag,
  ShiftKindTag,
  SignupStatusTag,
  shiftTimeText,
} from "./volunteer-bits.js";
import { listShifts, type Position, type Shift } from "./volunteers-api.js";

const PAGE = 10;

export function MyShiftsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get("tab") === "open" ? "open" : "mine";
  return (
    <div data-testid="my-shifts-page">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t("volunteers.nav.myShifts")}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams(k === "open" ? { tab: "open" } : {}, { replace: true })}
        items={[
          { key: "mine", label: t("volunteers.shifts.mine"), children: <Mine /> },
          { key: "open", label: t("volunteers.shifts.open"), children: <Open /> },
        ]}
      />
    </div>
  );
}

function Mine() {
  const { t } = useTranslation();
  const [when, setWhen] = useState<"upcoming" | "past">("upcoming");
  const [page, setPage] = useState(1);
  const query = { view: "mine", when, limit: PAGE, offset: (page - 1) * PAGE };
  const list = useApi(`shifts:${JSON.stringify(query)}`, (signal) => listShifts(query, signal));
  return (
    <>
      <Segmented
        block
        value={when}
        onChange={(v) => {
          setWhen(v as "upcoming" | "past");
          setPage(1);
        }}
        options={[
          { value: "upcoming", label: t("volunteers.shifts.upcoming") },
          { value: "past", label: t("volunteers.shifts.past") },
        ]}
        style={{ marginBottom: 12 }}
        data-testid="my-shifts-when"
      />
      <ShiftCards
        list={list}
        page={page}
        setPage={setPage}
        empty={t(when === "upcoming" ? "volunteers.shifts.noUpcoming" : "volunteers.shifts.noPast")}
      />
    </>
  );
}

function Open() {
  const { t } = useTranslation();
  const [pos, setPos] = useState<Position | null>(null);
  const [locating, setLocating] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const query = {
    view: "open",
    limit: PAGE,
    offset: (page - 1) * PAGE,
    ...(pos ? { lat: pos.lat, lng: pos.lng } : {}),
  };
  const list = useApi(`shifts:${JSON.stringify(query)}`, (signal) => listShifts(query, signal));
  const locate = async () => {
    setLocating(true);
    setProblem(null);
    try {
      setPos(await currentPosition(t));
      setPage(1);
    } catch (err) {
      setProblem((err as Error).message);
    } finally {
      setLocating(false);
    }
  };
  return (
    <>
      <Button
        block
        icon={<AimOutlined />}
        loading={locating}
        onClick={locate}
        style={{ marginBottom: 12 }}
        data-testid="shifts-near-me"
      >
        {t(pos ? "volunteers.shifts.nearestFirst" : "volunteers.shifts.nearMe")}
      </Button>
      {problem ? (
        <Alert type="warning" showIcon title={problem} style={{ marginBottom: 12 }} />
      ) : null}
      <ShiftCards list={list} page={page} setPage={setPage} empty={t("volunteers.shifts.noOpen")} />
    </>
  );
}

function ShiftCards(props: {
  list: ReturnType<typeof useApi<{ items: Shift[]; total: number }>>;
  page: number;
  setPage: (p: number) => void;
  empty: string;
}) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { list } = props;
  return (
    <>
      {list.error ? <ErrorAlert error={list.error} onRetry={list.reload} /> : null}
      <List<Shift>
        split={false}
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={props.empty} />,
        }}
        pagination={
          (list.data?.total ?? 0) > PAGE
            ? {
                current: props.page,
                pageSize: PAGE,
                total: list.data?.total ?? 0,
                onChange: props.setPage,
                size: "small",
              }
            : false
        }
        renderItem={(s) => (
          <List.Item key={s.id} style={{ paddingInline: 0 }}>
            <Card
              size="small"
              hoverable
              style={{ width: "100%" }}
              onClick={() => navigate(`/shifts/${s.id}`)}
              data-testid="shift-card"
              data-shift-id={s.id}
            >
              <Space style={{ width: "100%", justifyContent: "space-between" }} align="start">
                <Typography.Text strong>{s.title}</Typography.Text>
                <ShiftKindTag kind={s.kind} />
              </Space>
              <div>{shiftTimeText(s.startsAt, s.endsAt, i18n.resolvedLanguage)}</div>
              <Typography.Text type="secondary">
                {s.area.name}
                {s.team ? ` · ${s.team.name}` : ""}
                {` · ${t("volunteers.shifts.places", { signedUp: s.signedUp, capacity: s.capacity })}`}
                {s.distanceM !== null
                  ? ` · ${t("volunteers.shifts.distance", { m: s.distanceM })}`
                  : ""}
              </Typography.Text>
              {s.mySignup ? (
                <div style={{ marginTop: 4 }}>
                  <SignupStatusTag status={s.mySignup.status} />
                  <HoursStatusTag status={s.mySignup.hoursStatus} />
                  <CheckoutSourceTag source={s.mySignup.checkoutSource} audience="volunteer" />
                  {s.mySignup.minutes !== null
                    ? t("volunteers.shifts.minutes", { count: s.mySignup.minutes })
                    : null}
                </div>
              ) : null}
            </Card>
          </List.Item>
        )}
      />
    </>
  );
}
