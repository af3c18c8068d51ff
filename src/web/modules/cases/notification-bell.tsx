/**
 * The bell in the header: the unread count (asked again every 30 s while
 * the tab is visible), and a drawer with the notifications, newest first.
 * Opening one marks it read and goes to its case; 全部已读 marks them all.
 */
import { BellOutlined } from "@ant-design/icons";
import { App, Badge, Button, Drawer, Empty, Grid, List, Space, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { useLiveEvents } from "../../api/live.js";
import { describeError, ErrorAlert } from "../../ui/error-alert.js";
import { useApi } from "../../ui/use-api.js";
import { formatTime } from "./case-bits.js";
import { type AppNotification, listNotifications, markNotificationsRead } from "./cases-api.js";

const POLL_MS = 30_000;
const PAGE = 10;
/** The most the API gives in one answer. */
const MAX = 100;

/** A number that goes up every `ms` while the page is visible, and when it becomes visible. */
function usePollTick(ms: number): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const bump = () => {
      if (document.visibilityState === "visible") setTick((n) => n + 1);
    };
    const timer = window.setInterval(bump, ms);
    document.addEventListener("visibilitychange", bump);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", bump);
    };
  }, [ms]);
  return tick;
}

export function NotificationBell() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const [open, setOpen] = useState(false);
  const [pages, setPages] = useState(1);
  const [marking, setMarking] = useState(false);
  const [changed, setChanged] = useState(0);
  const tick = usePollTick(POLL_MS);
  // New notifications arrive at once; the polling covers a lost connection.
  useLiveEvents("/api/events", () => setChanged((n) => n + 1), ["notifications"]);

  const count = useApi(`notifications-unread:${tick}:${changed}`, (signal) =>
    listNotifications({ unread: "true", limit: 1, offset: 0 }, signal),
  );
  const list = useApi(open ? `notifications:${pages}:${changed}` : null, (signal) =>
    listNotifications({ limit: Math.min(MAX, PAGE * pages), offset: 0 }, signal),
  );
  const unread = list.data?.unread ?? count.data?.unread ?? 0;

  const markAll = async () => {
    setMarking(true);
    try {
      await markNotificationsRead({ all: true });
      setChanged((n) => n + 1);
    } catch (err) {
      void message.error(describeError(err, t));
    } finally {
      setMarking(false);
    }
  };

  const openOne = (n: AppNotification) => {
    setOpen(false);
    if (!n.readAt)
      void markNotificationsRead({ ids: [n.id] })
        .then(() => setChanged((x) => x + 1))
        .catch(() => undefined); // still unread: it shows again, nothing is lost
    const to = n.link ?? (n.caseId ? `/cases/${n.caseId}` : null);
    if (to) navigate(to);
  };

  const items = list.data?.items ?? [];
  const more = (list.data?.total ?? 0) > items.length && items.length < MAX;

  return (
    <>
      <Button
        type="text"
        aria-label={t("notifications.bell", { count: unread })}
        onClick={() => {
          setPages(1);
          setOpen(true);
        }}
        data-testid="notification-bell"
        data-unread={unread}
      >
        <Badge count={unread} size="small" overflowCount={99} data-testid="notification-badge">
          <BellOutlined style={{ fontSize: 18 }} />
        </Badge>
      </Button>
      <Drawer
        open={open}
        onClose={() => setOpen(false)}
        placement="right"
        size={screens.sm === false ? "100%" : 400}
        title={t("notifications.title")}
        extra={
          <Button
            size="small"
            disabled={unread === 0}
            loading={marking}
            onClick={() => void markAll()}
            data-testid="notifications-read-all"
          >
            {t("notifications.readAll")}
          </Button>
        }
        styles={{ body: { padding: 0 } }}
        data-testid="notifications-drawer"
      >
        {list.error ? (
          <div style={{ padding: 12 }}>
            <ErrorAlert error={list.error} title={t("errors.loadFailed")} onRetry={list.reload} />
          </div>
        ) : null}
        <List<AppNotification>
          loading={list.loading && items.length === 0}
          dataSource={items}
          locale={{
            emptyText: list.error ? (
              " "
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("notifications.empty")} />
            ),
          }}
          renderItem={(n) => (
            <List.Item
              key={n.id}
              onClick={() => openOne(n)}
              style={{
                cursor: "pointer",
                paddingInline: 16,
                background: n.readAt ? undefined : "#f0f7ff",
              }}
              data-testid="notification-item"
              data-read={n.readAt ? "true" : "false"}
              data-case-id={n.caseId ?? ""}
            >
              <List.Item.Meta
                avatar={<Badge dot={!n.readAt} />}
                title={<span style={{ fontWeight: n.readAt ? 400 : 600 }}>{n.title}</span>}
                description={
                  <Space orientation="vertical" size={0}>
                    {n.body ? (
                      <Typography.Text type="secondary" ellipsis style={{ maxWidth: 300 }}>
                        {n.body}
                      </Typography.Text>
                    ) : null}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatTime(n.createdAt, i18n.resolvedLanguage)}
                    </Typography.Text>
                  </Space>
                }
              />
            </List.Item>
          )}
        />
        {more ? (
          <div style={{ padding: 12, textAlign: "center" }}>
            <Button
              loading={list.loading}
              onClick={() => setPages((p) => p + 1)}
              data-testid="notifications-more"
            >
              {t("notifications.more")}
            </Button>
          </div>
        ) : null}
      </Drawer>
    </>
  );
}
