/**
 * 实有人口 (/residents): the residents in the user's scope (masked numbers),
 * with name search, exact ID-number search, status and 可办居住证 filters,
 * sorting and paging done by the server and kept in the URL, and 登记居民.
 */
import { PlusOutlined, SearchOutlined } from "@ant-design/icons";
import type { TableColumnsType, TableProps } from "antd";
import { App, Button, Card, Checkbox, Empty, Input, Select, Space, Table, Typography } from "antd";
import { type HTMLAttributes, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { residentIdSchema } from "../../../shared/formats/resident-id.js";
import { RESIDENT_STATUSES, type Resident } from "../../../shared/schemas/residents.js";
import { localizeMessage } from "../../i18n/index.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { useApi } from "../../ui/use-api.js";
import { useDebounced } from "../../ui/use-debounced.js";
import { listResidents, type ResidentSort, type ResidentStatus } from "./base-data-api.js";
import { EligibleTag, RegisterResidentModal, ResidentStatusTag } from "./resident-bits.js";

const PAGE_SIZE = 20;
const SORTS: readonly ResidentSort[] = [
  "name",
  "-name",
  "registeredSince",
  "-registeredSince",
  "createdAt",
  "-createdAt",
];
const DEFAULT_SORT: ResidentSort = "-createdAt";

function oneOf<T extends string>(list: readonly T[], v: string | null): T | undefined {
  return v !== null && (list as readonly string[]).includes(v) ? (v as T) : undefined;
}

/** ?q=&idNumber=&status=&eligible=true&sort=&page= */
function useListParams() {
  const [params, setParams] = useSearchParams();
  const state = {
    q: params.get("q") ?? "",
    idNumber: params.get("idNumber") ?? "",
    status: oneOf<ResidentStatus>(RESIDENT_STATUSES, params.get("status")),
    eligible: params.get("eligible") === "true",
    sort: oneOf(SORTS, params.get("sort")) ?? DEFAULT_SORT,
    page: Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1),
  };
  const update = (patch: Partial<typeof state>) => {
    const next = { ...state, ...("page" in patch ? {} : { page: 1 }), ...patch };
    const out = new URLSearchParams();
    if (next.q) out.set("q", next.q);
    if (next.idNumber) out.set("idNumber", next.idNumber);
    if (next.status) out.set("status", next.status);
    if (next.eligible) out.set("eligible", "true");
    if (next.sort !== DEFAULT_SORT) out.set("sort", next.sort);
    if (next.page > 1) out.set("page", String(next.page));
    setParams(out, { replace: true });
  };
  return [state, update] as const;
}

export function ResidentsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params, setParams] = useListParams();

  const [qInput, setQInput] = useState(params.q);
  const q = useDebounced(qInput.trim(), 300);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a settled search changes the URL
  useEffect(() => {
    if (q !== params.q) setParams({ q });
  }, [q]);

  const [idInput, setIdInput] = useState(params.idNumber);
  const [idError, setIdError] = useState<string | null>(null);
  const searchId = (value: string) => {
    const v = value.trim();
    if (!v) {
      setIdError(null);
      setParams({ idNumber: "" });
      return;
    }
    const r = residentIdSchema.safeParse(v);
    if (!r.success) {
      setIdError(localizeMessage(r.error.issues[0]?.message ?? ""));
      return;
    }
    setIdError(null);
    setIdInput(r.data);
    setParams({ idNumber: r.data });
  };

  const filter = {
    q: params.q || undefined,
    idNumber: params.idNumber || undefined,
    status: params.status,
    eligible: params.eligible ? ("true" as const) : undefined,
    sort: params.sort,
    limit: PAGE_SIZE,
    offset: (params.page - 1) * PAGE_SIZE,
  };
  const list = useApi(`residents:${JSON.stringify(filter)}`, (signal) =>
    listResidents(filter, signal),
  );
  const [registerOpen, setRegisterOpen] = useState(false);

  const sortOrderOf = (key: "name" | "registeredSince") =>
    params.sort === key ? "ascend" : params.sort === `-${key}` ? "descend" : null;

  const columns: TableColumnsType<Resident> = [
    {
      key: "name",
      title: t("residents.name"),
      dataIndex: "name",
      width: 130,
      fixed: "left",
      sorter: true,
      sortOrder: sortOrderOf("name"),
      sortDirections: ["ascend", "descend", "ascend"],
      render: (v: string, r) => (
        <Space size={4} wrap>
          <Link to={`/residents/${r.id}`} onClick={(e) => e.stopPropagation()}>
            {v}
          </Link>
          {r.permitEligible ? <EligibleTag /> : null}
        </Space>
      ),
    },
    {
      key: "idNumber",
      title: t("residents.idNumber"),
      dataIndex: "idNumber",
      width: 190,
      render: (v: string) => (
        <Typography.Text code data-testid="resident-id-masked" style={{ whiteSpace: "nowrap" }}>
          {v}
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
      width: 150,
      render: (_v, r) => [r.origin.province, r.origin.city].filter(Boolean).join(" "),
    },
    {
      key: "phone",
      title: t("residents.phone"),
      dataIndex: "phone",
      width: 130,
      render: (v: string | null) => v ?? "—",
    },
    {
      key: "status",
      title: t("residents.status"),
      width: 110,
      render: (_v, r) => <ResidentStatusTag status={r.status} />,
    },
    {
      key: "registeredSince",
      title: t("residents.registeredSince"),
      dataIndex: "registeredSince",
      width: 120,
      sorter: true,
      sortOrder: sortOrderOf("registeredSince"),
      sortDirections: ["descend", "ascend", "descend"],
      render: (v: string | null) => v ?? "—",
    },
    {
      key: "unit",
      title: t("residents.unit"),
      width: 240,
      ellipsis: { showTitle: true },
      render: (_v, r) => r.unit?.address ?? "—",
    },
    {
      key: "employer",
      title: t("residents.employer"),
      width: 160,
      ellipsis: { showTitle: true },
      render: (_v, r) => r.employer?.name ?? "—",
    },
  ];

  const onTableChange: TableProps<Resident>["onChange"] = (pagination, _f, sorter, extra) => {
    if (extra.action === "sort") {
      const s = Array.isArray(sorter) ? sorter[0] : sorter;
      const key = s?.columnKey === "registeredSince" ? "registeredSince" : "name";
      const sort: ResidentSort = !s?.order ? DEFAULT_SORT : s.order === "descend" ? `-${key}` : key;
      setParams({ sort });
    } else if (extra.action === "paginate") {
      setParams({ page: pagination.current ?? 1 });
    }
  };

  const filtered = Boolean(params.q || params.idNumber || params.status || params.eligible);
  const clearFilters = () => {
    setQInput("");
    setIdInput("");
    setIdError(null);
    setParams({ q: "", idNumber: "", status: undefined, eligible: false });
  };

  return (
    <div data-testid="residents-page">
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 8 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t("residents.title")}
        </Typography.Title>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setRegisterOpen(true)}
          data-testid="resident-register"
        >
          {t("residents.register")}
        </Button>
      </Space>
      <Typography.Paragraph type="secondary">{t("residents.intro")}</Typography.Paragraph>
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }} align="start">
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder={t("residents.search")}
            aria-label={t("residents.search")}
            value={qInput}
            onChange={(e) => setQInput(e.target.value)}
            style={{ width: 180 }}
            data-testid="residents-search"
          />
          <div>
            <Input.Search
              allowClear
              placeholder={t("residents.idSearch")}
              aria-label={t("residents.idSearch")}
              value={idInput}
              status={idError ? "error" : undefined}
              onChange={(e) => {
                setIdInput(e.target.value);
                if (!e.target.value) searchId("");
              }}
              onSearch={searchId}
              style={{ width: 260, maxWidth: "100%" }}
              maxLength={20}
              data-testid="residents-id-search"
            />
            {idError ? (
              <div>
                <Typography.Text type="danger" data-testid="residents-id-error">
                  {idError}
                </Typography.Text>
              </div>
            ) : null}
          </div>
          <Select<ResidentStatus>
            allowClear
            placeholder={t("residents.allStatuses")}
            aria-label={t("residents.status")}
            value={params.status}
            onChange={(status) => setParams({ status })}
            options={RESIDENT_STATUSES.map((s) => ({
              value: s,
              label: t(`residents.statuses.${s}`),
            }))}
            style={{ width: 130 }}
            data-testid="residents-status-filter"
          />
          <Checkbox
            checked={params.eligible}
            onChange={(e) => setParams({ eligible: e.target.checked })}
            style={{ lineHeight: "32px" }}
            data-testid="residents-eligible-filter"
          >
            {t("residents.eligibleOnly")}
          </Checkbox>
        </Space>
        {list.error ? (
          <div style={{ marginBottom: 12 }}>
            <ErrorAlert error={list.error} title={t("errors.loadFailed")} onRetry={list.reload} />
          </div>
        ) : null}
        <Table<Resident>
          rowKey="id"
          size="middle"
          data-testid="residents-table"
          loading={list.loading}
          columns={columns}
          dataSource={list.data?.items ?? []}
          onRow={(r) =>
            ({
              "data-resident-id": r.id,
              onClick: () => navigate(`/residents/${r.id}`),
              style: { cursor: "pointer" },
            }) as HTMLAttributes<HTMLElement>
          }
          onChange={onTableChange}
          scroll={{ x: 1330 }}
          showSorterTooltip={false}
          locale={{
            emptyText: list.error ? (
              " "
            ) : (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={filtered ? t("residents.noMatch") : t("residents.empty")}
              >
                {filtered ? (
                  <Button onClick={clearFilters} data-testid="residents-clear-filters">
                    {t("residents.clearFilters")}
                  </Button>
                ) : null}
              </Empty>
            ),
          }}
          pagination={{
            current: params.page,
            pageSize: PAGE_SIZE,
            total: list.data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (total) => (
              <span data-testid="residents-total">{t("common.total", { count: total })}</span>
            ),
          }}
        />
      </Card>
      <RegisterResidentModal
        open={registerOpen}
        onClose={() => setRegisterOpen(false)}
        onDone={(r, created) => {
          setRegisterOpen(false);
          if (created) void message.success(t("residents.registeredOk", { name: r.name }));
          else void message.info(t("residents.existingFound"));
          list.reload();
        }}
      />
    </div>
  );
}
