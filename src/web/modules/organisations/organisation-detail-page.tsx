/**
 * An organisation (/organisations/:id): its facts (credit code, address,
 * industry, size, people in charge; for associations the provinces, dialects
 * and sectors it covers), where it sits (district → grid), its employees
 * (residents whose employer it is) and the units it lets as landlord, each
 * paged by the server; 修改 for those the server allows.
 */
import { ArrowLeftOutlined, EditOutlined } from "@ant-design/icons";
import type { TableColumnsType } from "antd";
import {
  App,
  Breadcrumb,
  Button,
  Card,
  Descriptions,
  Empty,
  Space,
  Table,
  Tag,
  Typography,
} from "antd";
import { type HTMLAttributes, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router-dom";
import type { Unit } from "../../../shared/schemas/housing.js";
import type { OrganisationDetail } from "../../../shared/schemas/organisations.js";
import type { Resident } from "../../../shared/schemas/residents.js";
import { DetailLoadFailed } from "../../ui/detail-load-failed.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { SearchInput } from "../../ui/list-page.js";
import { PageLoading } from "../../ui/page-loading.js";
import { useApi } from "../../ui/use-api.js";
import { ResidentStatusTag } from "../residents/resident-bits.js";
import { AssociationKindTag, KindTag, OrganisationFormModal } from "./organisation-bits.js";
import { getOrganisation, listEmployees, listLandlordUnits } from "./organisations-api.js";

const PAGE_SIZE = 10;

export function OrganisationDetailPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { id = "" } = useParams();
  const res = useApi(`organisation:${id}`, (signal) => getOrganisation(id, signal));
  const [override, setOverride] = useState<OrganisationDetail | null>(null);
  const [editing, setEditing] = useState(false);

  const o = override?.id === id ? override : res.data;
  const back = (
    <Link to="/organisations">
      <Button type="link" icon={<ArrowLeftOutlined />} style={{ paddingInline: 0 }}>
        {t("organisations.backToList")}
      </Button>
    </Link>
  );

  if (res.error && !o) {
    return (
      <DetailLoadFailed
        testId="organisation-detail"
        back={back}
        error={res.error}
        notFoundText={t("organisations.notFound")}
        onRetry={res.reload}
      />
    );
  }
  if (!o) return <PageLoading />;

  const dash = (v: string | null | undefined) => (v ? v : "—");
  const tags = (values: string[], color: string, testId: string) =>
    values.length ? (
      <Space size={[4, 4]} wrap data-testid={testId}>
        {values.map((v) => (
          <Tag key={v} color={color}>
            {v}
          </Tag>
        ))}
      </Space>
    ) : (
      "—"
    );
  const isAssoc = o.kind === "association";

  return (
    <div data-testid="organisation-detail" data-organisation-id={o.id}>
      {back}
      <Space style={{ width: "100%", justifyContent: "space-between", margin: "8px 0" }} wrap>
        <Space wrap>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="organisation-title">
            {o.name}
          </Typography.Title>
          <KindTag kind={o.kind} />
          <AssociationKindTag kind={o.associationKind} />
        </Space>
        {o.allowedActions.includes("edit") ? (
          <Button
            icon={<EditOutlined />}
            onClick={() => setEditing(true)}
            data-testid="organisation-edit"
          >
            {t("organisations.edit")}
          </Button>
        ) : null}
      </Space>
      <Card size="small" style={{ marginBottom: 16 }} data-testid="organisation-facts">
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3 }}
          items={[
            {
              key: "uscc",
              label: t("organisations.uscc"),
              children: o.uscc ? (
                <Typography.Text code copyable data-testid="organisation-detail-uscc">
                  {o.uscc}
                </Typography.Text>
              ) : (
                "—"
              ),
            },
            ...(isAssoc
              ? []
              : [
                  {
                    key: "industry",
                    label: t("organisations.industry"),
                    children: dash(o.industry),
                  },
                  {
                    key: "size",
                    label: t("organisations.size"),
                    children: o.size ? t(`organisations.sizes.${o.size}`) : "—",
                  },
                ]),
            {
              key: "legal",
              label: t("organisations.legalRepresentative"),
              children: dash(o.legalRepresentative),
            },
            {
              key: "officer",
              label: t("organisations.safetyOfficer"),
              children: dash(o.safetyOfficer),
            },
            {
              key: "phone",
              label: t("organisations.safetyOfficerPhone"),
              children: dash(o.safetyOfficerPhone),
            },
            {
              key: "address",
              label: t("organisations.address"),
              span: 2,
              children: dash(o.address),
            },
            {
              key: "createdAt",
              label: t("organisations.createdAt"),
              children: o.createdAt.slice(0, 10),
            },
            {
              key: "area",
              label: t("organisations.area"),
              span: "filled",
              children: (
                <Breadcrumb
                  data-testid="organisation-areas"
                  items={o.areas.map((a) => ({
                    key: a.code,
                    title: <Link to={`/areas/${a.code}`}>{a.name}</Link>,
                  }))}
                />
              ),
            },
            ...(isAssoc
              ? [
                  {
                    key: "provinces",
                    label: t("organisations.provinces"),
                    children: tags(o.provinces, "blue", "organisation-provinces-view"),
                  },
                  {
                    key: "dialects",
                    label: t("organisations.dialects"),
                    children: tags(o.dialects, "cyan", "organisation-dialects-view"),
                  },
                  {
                    key: "sectors",
                    label: t("organisations.sectors"),
                    children: tags(o.sectors, "gold", "organisation-sectors-view"),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <EmployeesCard organisation={o} />
      <LandlordUnitsCard organisation={o} />
      <OrganisationFormModal
        open={editing}
        organisation={o}
        onClose={() => setEditing(false)}
        onDone={(saved) => {
          setOverride(saved);
          setEditing(false);
          void message.success(t("organisations.savedOk"));
        }}
      />
    </div>
  );
}

function EmployeesCard(props: { organisation: OrganisationDetail }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const o = props.organisation;
  const [page, setPage] = useState(1);
  const [q, setQ] = useState("");
  const request = { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, q: q || undefined };
  const list = useApi(`org-employees:${o.id}:${JSON.stringify(request)}`, (signal) =>
    listEmployees(o.id, request, signal),
  );
  const columns: TableColumnsType<Resident> = [
    {
      key: "name",
      title: t("residents.name"),
      width: 110,
      render: (_v, r) => (
        <Link to={`/residents/${r.id}`} onClick={(e) => e.stopPropagation()}>
          {r.name}
        </Link>
      ),
    },
    {
      key: "idNumber",
      title: t("residents.idNumber"),
      width: 190,
      render: (_v, r) => (
        <Typography.Text code style={{ whiteSpace: "nowrap" }}>
          {r.idNumber}
        </Typography.Text>
      ),
    },
    {
      key: "genderAge",
      title: t("residents.genderAge"),
      width: 100,
      render: (_v, r) =>
        `${t(`residents.gender.${r.gender}`)} / ${t("residents.ageValue", { age: r.age })}`,
    },
    {
      key: "origin",
      title: t("residents.origin"),
      width: 140,
      render: (_v, r) => [r.origin.province, r.origin.city].filter(Boolean).join(" "),
    },
    { key: "phone", title: t("residents.phone"), width: 130, render: (_v, r) => r.phone ?? "—" },
    {
      key: "status",
      title: t("residents.status"),
      width: 100,
      render: (_v, r) => <ResidentStatusTag status={r.status} />,
    },
    {
      key: "unit",
      title: t("residents.unit"),
      width: 220,
      ellipsis: { showTitle: true },
      render: (_v, r) => r.unit?.address ?? "—",
    },
  ];
  return (
    <Card
      size="small"
      style={{ marginBottom: 16 }}
      data-testid="organisation-employees"
      title={t("organisations.employeesTitle", { count: list.data?.total ?? o.employees })}
      extra={
        <SearchInput
          value={q}
          onSearch={(v) => {
            setQ(v);
            setPage(1);
          }}
          placeholder={t("organisations.employeeSearch")}
          width={180}
          testId="organisation-employees-search"
        />
      }
    >
      {list.error ? (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert error={list.error} title={t("errors.loadFailed")} onRetry={list.reload} />
        </div>
      ) : null}
      <Table<Resident>
        rowKey="id"
        size="small"
        loading={list.loading}
        columns={columns}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 990 }}
        onRow={(r) =>
          ({
            "data-resident-id": r.id,
            onClick: () => navigate(`/residents/${r.id}`),
            style: { cursor: "pointer" },
          }) as HTMLAttributes<HTMLElement>
        }
        locale={{
          emptyText: list.error ? (
            " "
          ) : (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={q ? t("organisations.noEmployeeMatch") : t("organisations.noEmployees")}
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
    </Card>
  );
}

function LandlordUnitsCard(props: { organisation: OrganisationDetail }) {
  const { t } = useTranslation();
  const o = props.organisation;
  const [page, setPage] = useState(1);
  const request = { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const list = useApi(`org-units:${o.id}:${JSON.stringify(request)}`, (signal) =>
    listLandlordUnits(o.id, request, signal),
  );
  const columns: TableColumnsType<Unit> = [
    {
      key: "address",
      title: t("units.address"),
      width: 260,
      render: (_v, u) => (
        <Space size={4} wrap>
          <Link to={`/units/${u.id}`}>{u.address}</Link>
          {u.overcrowding.overcrowded ? <Tag color="red">{t("units.overcrowded")}</Tag> : null}
        </Space>
      ),
    },
    {
      key: "rental",
      title: t("units.rental"),
      width: 70,
      render: (_v, u) => (u.isRental ? t("common.yes") : t("common.no")),
    },
    {
      key: "area",
      title: t("units.floorArea"),
      width: 100,
      render: (_v, u) =>
        u.floorAreaM2 === null ? "—" : t("units.areaValue", { area: u.floorAreaM2 }),
    },
    {
      key: "capacity",
      title: t("units.capacity"),
      width: 90,
      align: "right",
      render: (_v, u) => u.declaredCapacity ?? "—",
    },
    {
      key: "occupants",
      title: t("units.occupants"),
      width: 90,
      align: "right",
      render: (_v, u) => u.occupants,
    },
  ];
  return (
    <Card
      size="small"
      data-testid="organisation-units"
      title={t("organisations.unitsTitle", { count: list.data?.total ?? o.landlordUnits })}
    >
      {list.error ? (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert error={list.error} title={t("errors.loadFailed")} onRetry={list.reload} />
        </div>
      ) : null}
      <Table<Unit>
        rowKey="id"
        size="small"
        loading={list.loading}
        columns={columns}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 610 }}
        locale={{
          emptyText: list.error ? (
            " "
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("organisations.noUnits")} />
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
    </Card>
  );
}
