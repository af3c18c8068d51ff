/**
 * 我的积分, phone-first: the balance and what was earned in all, the caps,
 * the entries with what earned each (paged), the XLSX export and a printable
 * statement for the city's new-citizen points scheme, the leaderboard opt-in
 * and the community's board, and my participation ladder.
 */
import { DownloadOutlined, PrinterOutlined } from "@ant-design/icons";
import {
  App,
  Button,
  Card,
  Col,
  Empty,
  List,
  Row,
  Space,
  Statistic,
  Switch,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { describeError, ErrorAlert } from "../../ui/error-alert.js";
import { PageLoading } from "../../ui/page-loading.js";
import { useApi } from "../../ui/use-api.js";
import {
  getLeaderboard,
  getMyParticipation,
  getStatement,
  setLeaderboardOptIn,
  statementXlsxUrl,
} from "./points-api.js";
import { EntryText, Ladder, Points } from "./points-bits.js";

const PAGE = 20;

export function MyPointsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const statement = useApi(`points:me:${page}`, (signal) =>
    getStatement({ limit: PAGE, offset: (page - 1) * PAGE }, signal),
  );
  const ladder = useApi("participation:me", getMyParticipation);
  const s = statement.data;
  const community = s?.community?.code ?? null;
  const board = useApi(community ? `points:board:${community}:${s?.leaderboard}` : null, (signal) =>
    getLeaderboard(community ?? "", signal),
  );
  const [saving, setSaving] = useState(false);

  if (statement.error && !s)
    return <ErrorAlert error={statement.error} onRetry={statement.reload} />;
  if (!s) return <PageLoading />;

  const toggle = async (on: boolean) => {
    setSaving(true);
    try {
      await setLeaderboardOptIn(on);
      statement.reload();
    } catch (err) {
      void message.error(describeError(err, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Space orientation="vertical" size={12} style={{ width: "100%" }} data-testid="my-points-page">
      <Card>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {t("points.title")}
        </Typography.Title>
        <Row gutter={12}>
          <Col span={12}>
            <Statistic title={t("points.balance")} value={s.balance} data-testid="points-balance" />
          </Col>
          <Col span={12}>
            <Statistic title={t("points.earned")} value={s.earned} />
          </Col>
        </Row>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 8 }}>
          {t("points.intro")} {t("points.caps", s.caps)}
        </Typography.Paragraph>
        <Space wrap>
          <Button icon={<DownloadOutlined />} href={statementXlsxUrl()} data-testid="points-export">
            {t("points.exportXlsx")}
          </Button>
          <Link to="/points/statement">
            <Button icon={<PrinterOutlined />} data-testid="points-print">
              {t("points.print")}
            </Button>
          </Link>
        </Space>
      </Card>

      <Card title={t("points.entries")} size="small">
        {statement.error ? <ErrorAlert error={statement.error} onRetry={statement.reload} /> : null}
        <List
          data-testid="points-entries"
          dataSource={s.items}
          locale={{ emptyText: <Empty description={t("points.noEntries")} /> }}
          pagination={
            s.total > PAGE
              ? { current: page, pageSize: PAGE, total: s.total, onChange: setPage, size: "small" }
              : false
          }
          renderItem={(e) => (
            <List.Item key={e.id} data-rule={e.rule} extra={<Points amount={e.amount} />}>
              <List.Item.Meta title={<EntryText e={e} />} description={e.occurredOn} />
            </List.Item>
          )}
        />
      </Card>

      <Card title={t("points.leaderboard")} size="small" data-testid="points-leaderboard">
        <Space align="start" style={{ marginBottom: 12 }}>
          <Switch
            checked={s.leaderboard}
            loading={saving}
            onChange={(on) => void toggle(on)}
            data-testid="points-leaderboard-optin"
          />
          <div>
            <div>{t("points.leaderboardOptIn")}</div>
            <Typography.Text type="secondary">{t("points.leaderboardHelp")}</Typography.Text>
          </div>
        </Space>
        {s.community && board.data ? (
          <List
            header={s.community.name}
            dataSource={board.data.items}
            locale={{ emptyText: <Empty description={t("points.leaderboardEmpty")} /> }}
            renderItem={(r) => (
              <List.Item key={r.rank} extra={<Typography.Text strong>{r.balance}</Typography.Text>}>
                <Space>
                  <Typography.Text type="secondary">
                    {t("points.rank", { rank: r.rank })}
                  </Typography.Text>
                  {r.displayName}
                  {r.me ? (
                    <Typography.Text type="success">（{t("points.me")}）</Typography.Text>
                  ) : null}
                </Space>
              </List.Item>
            )}
          />
        ) : null}
      </Card>

      <Card title={t("points.myLadder")} size="small">
        {ladder.data ? (
          <Ladder p={ladder.data} />
        ) : ladder.error ? (
          <ErrorAlert error={ladder.error} onRetry={ladder.reload} />
        ) : (
          <PageLoading />
        )}
      </Card>
    </Space>
  );
}
