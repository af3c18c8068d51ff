/**
 * A points statement to print (新市民积分凭证): the person, the balance, every
 * entry, and when it was generated; the app's frame is hidden when printing.
 * `?userId=` prints someone else's (staff in their area).
 */
import { PrinterOutlined } from "@ant-design/icons";
import { Button, Space, Table, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { ErrorAlert } from "../../ui/error-alert.js";
import { PageLoading } from "../../ui/page-loading.js";
import { useApi } from "../../ui/use-api.js";
import { formatTime } from "../cases/case-bits.js";
import { getStatement, type PointsStatement } from "./points-api.js";

/** Every entry (a statement is printed whole): pages of 200. */
async function wholeStatement(userId: string | undefined, signal: AbortSignal) {
  const first = await getStatement({ userId, limit: 200, offset: 0 }, signal);
  const items = [...first.items];
  while (items.length < first.total) {
    const next = await getStatement({ userId, limit: 200, offset: items.length }, signal);
    if (next.items.length === 0) break;
    items.push(...next.items);
  }
  return { ...first, items } satisfies PointsStatement;
}

export function PointsStatementPage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const userId = params.get("userId") ?? undefined;
  const s = useApi(`points:statement:${userId ?? "me"}`, (signal) =>
    wholeStatement(userId, signal),
  );
  if (s.error) return <ErrorAlert error={s.error} onRetry={s.reload} />;
  if (!s.data) return <PageLoading />;
  const d = s.data;
  return (
    <div className="printable" data-testid="points-statement">
      <style>{`@media print {
        .ant-layout-sider, .ant-layout-header, .no-print { display: none !important; }
        .ant-layout-content { margin: 0 !important; padding: 0 !important; }
      }`}</style>
      <Space className="no-print" style={{ marginBottom: 16 }}>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
          {t("points.print")}
        </Button>
      </Space>
      <Typography.Title level={3} style={{ textAlign: "center" }}>
        {t("points.statementTitle")}
      </Typography.Title>
      <Typography.Paragraph>
        {t("points.statementPerson", { name: d.user.displayName })}
        {d.community ? `　${d.community.name}` : ""}
        <br />
        {t("points.statementTotal", { balance: d.balance, earned: d.earned })}
        <br />
        {t("points.statementGenerated", {
          time: formatTime(new Date().toISOString(), i18n.language),
        })}
      </Typography.Paragraph>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={d.items}
        columns={[
          { key: "date", title: t("points.date"), dataIndex: "occurredOn", width: 110 },
          { key: "item", title: t("points.item"), render: (_v, e) => t(`points.rules.${e.rule}`) },
          { key: "source", title: t("points.source"), render: (_v, e) => e.source ?? "" },
          {
            key: "amount",
            title: t("points.amount"),
            dataIndex: "amount",
            align: "right",
            width: 70,
          },
          { key: "note", title: t("points.note"), render: (_v, e) => e.note ?? "" },
        ]}
      />
    </div>
  );
}
