/**
 * 议事协商 (/proposals), for a phone first: the proposals near me (the
 * browser's position, else my community's middle), of my community, mine and
 * those I support, or all; a map of them (tap a dot to open one) above a list
 * of cards with the support gathered against the threshold; 发起提案 for those
 * who may propose. Staff get a link to their desk.
 */
import { AimOutlined, PlusOutlined, ProfileOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Empty, List, Segmented, Select, Space, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import {
  PROPOSAL_STATUSES,
  type ProposalStatus,
  type ProposalSummary,
} from "../../../shared/schemas/proposals.js";
import { useAuth } from "../../auth/auth-context.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { PageLoading } from "../../ui/page-loading.js";
import { useApi } from "../../ui/use-api.js";
import {
  DueTag,
  formatDay,
  formatDistance,
  ProposalStatusTag,
  SupportBar,
  TopicTag,
} from "./proposal-bits.js";
import { canUseProposalDesk } from "./proposals-access.js";
import { listProposals, loadContext } from "./proposals-api.js";
import { ProposalsMap } from "./proposals-map.js";

const TABS = ["near", "community", "mine", "supported", "all"] as const;
type Tab = (typeof TABS)[number];
const PAGE = 20;
const NEAR_RADIUS = 2000;

/** The browser's position, asked for once the user wants what is near. */
function usePosition() {
  const [pos, setPos] = useState<{ lat: number; lng: number } | null>(null);
  const [state, setState] = useState<"idle" | "busy" | "failed">("idle");
  const locate = () => {
    if (!("geolocation" in navigator)) {
      setState("failed");
      return;
    }
    setState("busy");
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setPos({ lat: p.coords.latitude, lng: p.coords.longitude });
        setState("idle");
      },
      () => setState("failed"),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };
  return { pos, state, locate };
}

export function ProposalCard(props: { p: ProposalSummary }) {
  const { t, i18n } = useTranslation();
  const p = props.p;
  const distance = formatDistance(p.distanceM, t);
  return (
    <Link
      to={`/proposals/${p.id}`}
      data-testid="proposal-card"
      data-proposal-id={p.id}
      data-distance-m={p.distanceM ?? undefined}
    >
      <Card size="small" hoverable style={{ marginBottom: 10 }}>
        <Space orientation="vertical" size={6} style={{ width: "100%" }}>
          <Typography.Text strong style={{ fontSize: 16 }} data-testid="proposal-card-title">
            {p.title}
          </Typography.Text>
          <Space size={[0, 4]} wrap>
            <ProposalStatusTag status={p.status} />
            <TopicTag topic={p.topic} />
            {p.supportedByMe ? <Tag color="green">{t("proposals.list.supportedByMe")}</Tag> : null}
            {p.fromCases ? <Tag>{t("proposals.list.fromCases")}</Tag> : null}
            <DueTag p={p} />
          </Space>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {[p.community.name, distance, formatDay(p.createdAt, i18n.resolvedLanguage)]
              .filter(Boolean)
              .join(" · ")}
          </Typography.Text>
          {p.status === "open" ? (
            <SupportBar p={p} compact />
          ) : p.department ? (
            <Typography.Text style={{ fontSize: 13 }}>
              {t("proposals.list.sentTo", { name: p.department.name })}
            </Typography.Text>
          ) : null}
        </Space>
      </Card>
    </Link>
  );
}

export function ProposalsPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const context = useApi("proposal-context", (signal) => loadContext(signal));
  const position = usePosition();
  const [shown, setShown] = useState(PAGE);
  const ctx = context.data;
  const rawTab = params.get("tab");
  const tab: Tab = (TABS as readonly string[]).includes(rawTab ?? "")
    ? (rawTab as Tab)
    : ctx?.community
      ? "community"
      : "near";
  const rawStatus = params.get("status");
  const status = (PROPOSAL_STATUSES as readonly string[]).includes(rawStatus ?? "")
    ? (rawStatus as ProposalStatus)
    : undefined;
  const centre = position.pos ?? ctx?.community?.centroid ?? null;

  const query =
    tab === "near"
      ? centre
        ? { lat: centre.lat, lng: centre.lng, radius: NEAR_RADIUS, sort: "distance" }
        : null
      : {
          view: tab === "all" ? "all" : tab,
          sort: tab === "all" ? "support" : "newest",
        };
  const request = query ? { ...query, status, limit: shown, offset: 0 } : null;
  const list = useApi(ctx && request ? `proposals:${JSON.stringify(request)}` : null, (signal) =>
    listProposals(request ?? {}, signal),
  );

  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) next.delete(k);
      else next.set(k, v);
    }
    setShown(PAGE);
    setParams(next, { replace: true });
  };

  if (context.error && !ctx)
    return (
      <ErrorAlert error={context.error} title={t("errors.loadFailed")} onRetry={context.reload} />
    );
  if (!ctx) return <PageLoading />;

  const items = list.data?.items ?? [];
  return (
    <div data-testid="proposals-page" style={{ maxWidth: 760 }}>
      <Space style={{ width: "100%", justifyContent: "space-between" }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("proposals.list.title")}
        </Typography.Title>
        {canUseProposalDesk(me) ? (
          <Link to="/proposals/desk" data-testid="proposals-desk-link">
            <ProfileOutlined /> {t("proposals.list.toDesk")}
          </Link>
        ) : null}
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 4 }}>
        {ctx.community
          ? t("proposals.list.introCommunity", {
              community: ctx.community.name,
              threshold: ctx.supportThreshold,
              days: ctx.answerWorkingDays,
            })
          : t("proposals.list.intro", {
              threshold: ctx.supportThreshold,
              days: ctx.answerWorkingDays,
            })}
      </Typography.Paragraph>
      {ctx.mayPropose ? (
        <Button
          type="primary"
          size="large"
          block
          icon={<PlusOutlined />}
          onClick={() => navigate("/proposals/new")}
          style={{ marginBottom: 12 }}
          data-testid="proposals-new"
        >
          {t("proposals.list.new")}
        </Button>
      ) : null}
      <div style={{ overflowX: "auto", marginBottom: 8 }}>
        <Segmented
          value={tab}
          onChange={(v) => set({ tab: String(v) })}
          options={TABS.map((k) => ({ value: k, label: t(`proposals.list.tabs.${k}`) }))}
          data-testid="proposals-tabs"
        />
      </div>
      <Space wrap style={{ marginBottom: 8 }}>
        <Select
          allowClear
          style={{ minWidth: 140 }}
          placeholder={t("proposals.list.anyStatus")}
          value={status}
          onChange={(v?: string) => set({ status: v })}
          options={PROPOSAL_STATUSES.map((s) => ({ value: s, label: t(`proposals.status.${s}`) }))}
          data-testid="proposals-status"
        />
        {tab === "near" ? (
          <Button
            icon={<AimOutlined />}
            loading={position.state === "busy"}
            onClick={position.locate}
            data-testid="proposals-locate"
          >
            {t("proposals.list.useMyLocation")}
          </Button>
        ) : null}
      </Space>
      {tab === "near" && position.state === "failed" ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 8 }}
          title={t("proposals.list.locateFailed")}
        />
      ) : null}
      {tab === "near" && !centre ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 8 }}
          title={t("proposals.list.needPosition")}
        />
      ) : null}
      {tab === "community" && !ctx.community ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 8 }}
          title={t("proposals.list.noCommunity")}
          data-testid="proposals-no-community"
        />
      ) : null}
      <div style={{ marginBottom: 12 }}>
        <ProposalsMap
          items={items}
          outline={tab === "community" || tab === "near" ? ctx.community?.boundary : undefined}
          me={tab === "near" ? centre : null}
          height={220}
          label={t("proposals.list.mapLabel")}
        />
      </div>
      {list.error ? (
        <ErrorAlert error={list.error} title={t("errors.loadFailed")} onRetry={list.reload} />
      ) : null}
      <Typography.Text type="secondary" data-testid="proposals-total">
        {t("common.total", { count: list.data?.total ?? 0 })}
        {tab === "near" && centre
          ? ` · ${t("proposals.list.within", { km: NEAR_RADIUS / 1000 })}`
          : ""}
      </Typography.Text>
      <List
        style={{ marginTop: 8 }}
        loading={list.loading}
        dataSource={items}
        locale={{ emptyText: <Empty description={t("proposals.list.empty")} /> }}
        renderItem={(p) => <ProposalCard key={p.id} p={p} />}
        data-testid="proposals-list"
      />
      {list.data && list.data.total > items.length ? (
        <Button block onClick={() => setShown((n) => n + PAGE)} data-testid="proposals-more">
          {t("proposals.list.more")}
        </Button>
      ) : null}
    </div>
  );
}
