/**
 * 宿舍: the enterprise's dormitory rooms (units it is landlord of) with
 * declared capacity, who lives there and the overcrowding rule's verdict,
 * totals over all rooms, a filter for the overcrowded ones, and 安排入住 for
 * housing a current employee (`assignDormitory`).
 */
import type { ButtonProps, TableColumnsType } from "antd";
import {
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { DormitoryRoom, EnterpriseDetail } from "../../../shared/schemas/enterprises.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { SearchInput } from "../../ui/list-page.js";
import { useApi } from "../../ui/use-api.js";
import { useDebounced } from "../../ui/use-debounced.js";
import { assignRoom, listDormitories, listEmployees } from "./enterprises-api.js";

const PAGE_SIZE = 20;

export function EnterpriseDormitoriesTab(props: {
  enterprise: EnterpriseDetail;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const e = props.enterprise;
  const canAssign = e.allowedActions.includes("assignDormitory");
  const [overcrowded, setOvercrowded] = useState(false);
  const [q, setQ] = useState("");
  const [page, setPage] = useState(1);
  const [version, setVersion] = useState(0);
  const [assigning, setAssigning] = useState<DormitoryRoom | null>(null);
  const request = {
    overcrowded: overcrowded ? ("true" as const) : undefined,
    q: q || undefined,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
  const list = useApi(`enterprise-dorms:${e.id}:${version}:${JSON.stringify(request)}`, (signal) =>
    listDormitories(e.id, request, signal),
  );
  const totals = list.data?.totals;

  const columns: TableColumnsType<DormitoryRoom> = [
    {
      key: "address",
      title: t("enterprises.dorms.address"),
      width: 260,
      render: (_v, r) => <Link to={`/units/${r.unitId}`}>{r.address}</Link>,
    },
    {
      key: "area",
      title: t("enterprises.dorms.area"),
      width: 90,
      render: (_v, r) =>
        r.floorAreaM2 === null ? "—" : t("enterprises.dorms.areaValue", { area: r.floorAreaM2 }),
    },
    {
      key: "capacity",
      title: t("enterprises.dorms.capacity"),
      width: 90,
      align: "right",
      render: (_v, r) => r.capacity ?? "—",
    },
    {
      key: "occupants",
      title: t("enterprises.dorms.occupants"),
      width: 70,
      align: "right",
      render: (_v, r) => r.occupants,
    },
    {
      key: "status",
      title: t("enterprises.dorms.status"),
      width: 80,
      render: (_v, r) =>
        r.overcrowding.overcrowded ? (
          <Tag color="red" data-testid="dorm-overcrowded">
            {t("enterprises.dorms.overcrowded")}
          </Tag>
        ) : (
          <Tag color="green">{t("enterprises.dorms.normal")}</Tag>
        ),
    },
    {
      key: "people",
      title: t("enterprises.dorms.people"),
      width: 240,
      render: (_v, r) => (
        <Space size={[4, 4]} wrap>
          {r.people.map((p) => (
            <Tag key={p.residentId} color={p.employee ? "blue" : undefined}>
              {p.name}
            </Tag>
          ))}
          {r.hiddenOccupants > 0 ? (
            <Typography.Text type="secondary">
              {t("enterprises.dorms.hidden", { count: r.hiddenOccupants })}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    ...(canAssign
      ? [
          {
            key: "actions",
            title: "",
            width: 100,
            render: (_v: unknown, r: DormitoryRoom) => (
              <Button type="link" size="small" onClick={() => setAssigning(r)}>
                {t("enterprises.dorms.assign")}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card size="small" title={t("enterprises.dorms.title")} data-testid="enterprise-dormitories">
      <Space wrap style={{ marginBottom: 12 }}>
        <SearchInput
          value={q}
          onSearch={(v) => {
            setQ(v);
            setPage(1);
          }}
          placeholder={t("enterprises.dorms.search")}
          width={200}
          testId="dorms-search"
        />
        <Space size={6}>
          <Switch
            checked={overcrowded}
            onChange={(v) => {
              setOvercrowded(v);
              setPage(1);
            }}
            data-testid="dorms-overcrowded-only"
          />
          <span>{t("enterprises.dorms.overcrowdedOnly")}</span>
        </Space>
      </Space>
      {totals ? (
        <Typography.Paragraph type="secondary" data-testid="dorms-totals">
          {t("enterprises.dorms.totals", {
            rooms: totals.rooms,
            capacity: totals.capacity,
            occupants: totals.occupants,
            overcrowded: totals.overcrowdedRooms,
          })}
        </Typography.Paragraph>
      ) : null}
      {list.error ? (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert error={list.error} title={t("errors.loadFailed")} onRetry={list.reload} />
        </div>
      ) : null}
      <Table<DormitoryRoom>
        rowKey="unitId"
        size="small"
        loading={list.loading}
        columns={columns}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 930 }}
        data-testid="dorms-table"
        locale={{
          emptyText: list.error ? (
            " "
          ) : (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={
                overcrowded || q ? t("enterprises.dorms.noMatch") : t("enterprises.dorms.empty")
              }
            />
          ),
        }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          hideOnSinglePage: true,
          onChange: setPage,
          showTotal: (total) => t("common.total", { count: total }),
        }}
      />
      <AssignModal
        enterpriseId={e.id}
        room={assigning}
        onClose={() => setAssigning(null)}
        onDone={() => {
          setAssigning(null);
          setVersion((v) => v + 1);
          void message.success(t("enterprises.dorms.assignedOk"));
          props.onChanged();
        }}
      />
    </Card>
  );
}

function AssignModal(props: {
  enterpriseId: string;
  room: DormitoryRoom | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ residentId: string; date?: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [search, setSearch] = useState("");
  const q = useDebounced(search, 300);
  const options = useApi(
    props.room ? `dorm-assign-employees:${props.enterpriseId}:${q}` : null,
    (signal) =>
      listEmployees(
        props.enterpriseId,
        { status: "current", q: q || undefined, sort: "name", limit: 20, offset: 0 },
        signal,
      ),
  );
  const close = () => {
    form.resetFields();
    setError(null);
    props.onClose();
  };
  return (
    <Modal
      open={props.room !== null}
      title={t("enterprises.dorms.assignTitle", { address: props.room?.address ?? "" })}
      okText={t("enterprises.dorms.assign")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={close}
      okButtonProps={{ "data-testid": "dorm-assign-submit" } as ButtonProps}
      mask={{ closable: false }}
      destroyOnHidden
    >
      <Form<{ residentId: string; date?: string }>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={async (v) => {
          if (!props.room) return;
          setSaving(true);
          setError(null);
          try {
            await assignRoom(props.enterpriseId, props.room.unitId, {
              residentId: v.residentId,
              ...(v.date ? { date: v.date } : {}),
            });
            form.resetFields();
            props.onDone();
          } catch (err) {
            setError(err);
          } finally {
            setSaving(false);
          }
        }}
      >
        <Form.Item
          name="residentId"
          label={t("enterprises.dorms.chooseEmployee")}
          rules={[{ required: true, message: t("enterprises.dorms.chooseEmployee") }]}
        >
          <Select
            showSearch={{ filterOption: false, onSearch: setSearch }}
            loading={options.loading}
            options={(options.data?.items ?? []).map((e) => ({
              value: e.residentId,
              label: `${e.name}（${e.idNumber}）`,
            }))}
            data-testid="dorm-assign-employee"
          />
        </Form.Item>
        <Form.Item name="date" label={t("enterprises.dorms.moveDate")}>
          <Input type="date" data-testid="dorm-assign-date" />
        </Form.Item>
        {error ? <ErrorAlert error={error} /> : null}
      </Form>
    </Modal>
  );
}
