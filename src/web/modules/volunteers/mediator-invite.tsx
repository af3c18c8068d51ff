/**
 * 老乡调解（以新调新） on a dispute case's page: staff working the case find
 * volunteers whose origin or dialect matches the parties (the reporter's
 * origin by default, or a chosen province / dialect) and invite one to join
 * the case as its mediator. The server decides who may; this only offers it.
 */
import { TeamOutlined } from "@ant-design/icons";
import { App, Button, Card, Input, List, Modal, Select, Space, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { CaseDetail } from "../../../shared/schemas/cases.js";
import { DIALECTS, PROVINCE_DIALECTS } from "../../../shared/schemas/volunteers.js";
import { isStaff } from "../../auth/access.js";
import { useAuth } from "../../auth/auth-context.js";
import { describeError, ErrorAlert } from "../../ui/error-alert.js";
import { useApi } from "../../ui/use-api.js";
import { hoursOf } from "./volunteer-bits.js";
import { findMediators, inviteMediator } from "./volunteers-api.js";

export function MediatorInvite(props: {
  c: CaseDetail;
  reporterView?: boolean | undefined;
  onInvited?: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { c } = props;
  const [open, setOpen] = useState(false);
  const open_ = ["reported", "verified", "dispatched", "accepted", "in_progress", "returned"];
  if (props.reporterView || !c.categoryCode.startsWith("dispute.") || !open_.includes(c.status))
    return null;
  // Staff working the case (the server decides whether they may invite).
  if (!isStaff(me) || !c.allowedActions.includes("comment")) return null;
  return (
    <Card size="small" title={t("volunteers.mediation.title")} data-testid="case-mediators">
      <Typography.Paragraph type="secondary">
        {t("volunteers.mediation.intro")}
      </Typography.Paragraph>
      <Button
        icon={<TeamOutlined />}
        onClick={() => setOpen(true)}
        data-testid="case-find-mediators"
      >
        {t("volunteers.mediation.find")}
      </Button>
      <Modal
        open={open}
        onCancel={() => setOpen(false)}
        footer={null}
        width={640}
        title={t("volunteers.mediation.title")}
        destroyOnHidden
      >
        <Finder
          caseId={c.id}
          onInvited={() => {
            setOpen(false);
            props.onInvited?.();
          }}
        />
      </Modal>
    </Card>
  );
}

function Finder(props: { caseId: string; onInvited: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [province, setProvince] = useState<string | undefined>();
  const [dialect, setDialect] = useState<string | undefined>();
  const [task, setTask] = useState<string>(t("volunteers.mediation.defaultTask"));
  const [busy, setBusy] = useState<string | null>(null);
  const query = { caseId: props.caseId, province, dialect, limit: 20 };
  const found = useApi(`mediators:${JSON.stringify(query)}`, (signal) =>
    findMediators(query, signal),
  );
  const invite = async (volunteerId: string) => {
    setBusy(volunteerId);
    try {
      const r = await inviteMediator({ caseId: props.caseId, volunteerId, task });
      void message.success(t("volunteers.mediation.invited", { name: r.name }));
      props.onInvited();
    } catch (err) {
      void message.error(describeError(err, t));
    } finally {
      setBusy(null);
    }
  };
  const d = found.data;
  return (
    <Space orientation="vertical" style={{ width: "100%" }}>
      <Space wrap>
        <Select
          allowClear
          showSearch
          placeholder={t("volunteers.mediation.province")}
          value={province}
          onChange={setProvince}
          options={Object.keys(PROVINCE_DIALECTS).map((p) => ({ value: p, label: p }))}
          style={{ width: 160 }}
        />
        <Select
          allowClear
          placeholder={t("volunteers.mediation.dialect")}
          value={dialect}
          onChange={setDialect}
          options={DIALECTS.map((x) => ({ value: x, label: x }))}
          style={{ width: 160 }}
        />
      </Space>
      {d ? (
        <Typography.Text type="secondary">
          {d.province || d.dialects.length
            ? t("volunteers.mediation.matching", {
                what: [d.province, ...d.dialects].filter(Boolean).join("、"),
                count: d.total,
              })
            : t("volunteers.mediation.noOrigin")}
        </Typography.Text>
      ) : null}
      <Input
        value={task}
        onChange={(e) => setTask(e.target.value)}
        addonBefore={t("volunteers.mediation.task")}
        maxLength={500}
      />
      {found.error ? <ErrorAlert error={found.error} onRetry={found.reload} /> : null}
      <List
        loading={found.loading}
        dataSource={d?.items ?? []}
        data-testid="mediator-candidates"
        locale={{ emptyText: t("volunteers.mediation.none") }}
        renderItem={(m) => (
          <List.Item
            key={m.volunteerId}
            data-testid="mediator-candidate"
            data-volunteer-id={m.volunteerId}
            extra={
              <Button
                type="primary"
                size="small"
                data-testid="mediator-invite"
                loading={busy === m.volunteerId}
                disabled={task.trim().length < 2}
                onClick={() => invite(m.volunteerId)}
              >
                {t("volunteers.mediation.invite")}
              </Button>
            }
          >
            <List.Item.Meta
              title={
                <Space wrap size={4}>
                  <span>{m.name}</span>
                  {m.matches.map((x) => (
                    <Tag key={x} color="green">
                      {t(`volunteers.mediation.matches.${x}`)}
                    </Tag>
                  ))}
                </Space>
              }
              description={[
                m.originProvince,
                m.dialects.join("、"),
                m.community,
                t("volunteers.mediation.hours", { h: hoursOf(m.verifiedMinutes) }),
              ]
                .filter(Boolean)
                .join(" · ")}
            />
          </List.Item>
        )}
      />
    </Space>
  );
}
