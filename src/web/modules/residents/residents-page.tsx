/**
 * 实有人口 (/residents): the residents in the user's scope (masked numbers),
 * with name search, exact ID-number search, status and 可办居住证 filters,
 * sorting and paging done by the server and kept in the URL, export of the
 * filtered list (masked, audited), and 登记居民.
 */
import { PlusOutlined } from "@ant-design/icons";
import type { TableColumnsType } from "antd";
import { App, Button, Checkbox, Input, Select, Space, Typography } from "antd";
import { type HTMLAttributes, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import { PROVINCES } from "../../../shared/formats/regions.js";
import { residentIdSchema } from "../../../shared/formats/resident-id.js";
import { RESIDENT_STATUSES, type Resident } from "../../../shared/schemas/residents.js";
import { buildUrl } from "../../api/client.js";
import { canEditAnyBaseData, canRegisterResidents, ownEnterprises } from "../../auth/access.js";
import { useAuth } from "../../auth/auth-context.js";
import { localizeMessage } from "../../i18n/index.js";
import {
  ExportButton,
  ListPage,
  ListTable,
  param,
  SearchInput,
  useListQuery,
} from "../../ui/list-page.js";
import { useApi } from "../../ui/use-api.js";
import { listResidents, type ResidentSort } from "./base-data-api.js";
import { EligibleTag, RegisterResidentModal, ResidentStatusTag } from "./resident-bits.js";

const SORTS: readonly ResidentSort[] = [
  "name",
  "-name",
  "registeredSince",
  "-registeredSince",
  "createdAt",
  "-createdAt",
];

export function ResidentsPage() {
  const { me } = useAuth();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  // ?q=&idNumber=&status=&origin=&eligible=true&sort=&page=
  const query = useListQuery({
    filters: {
      q: param.text(),
      idNumber: param.text(),
      status: param.oneOf(RESIDENT_STATUSES),
      origin: param.text(),
      eligible: param.flag(),
    },
    sorts: SORTS,
    defaultSort: "-createdAt",
  });
  const params = query.filters;

  // The exact ID search runs on Enter, and only with a well-formed number.
  const [idInput, setIdInput] = useState(params.idNumber);
  const [idError, setIdError] = useState<string | null>(null);
  useEffect(() => {
    if (!params.idNumber) {
      setIdInput("");
      setIdError(null);
    }
  }, [params.idNumber]);
  const searchId = (value: string) => {
    const v = value.trim();
    if (!v) {
      setIdError(null);
      query.setFilters({ idNumber: "" });
      return;
    }
    const r = residentIdSchema.safeParse(v);
    if (!r.success) {
      setIdError(localizeMessage(r.error.issues[0]?.message ?? ""));
      return;
    }
    setIdError(null);
    setIdInput(r.data);
    query.setFilters({ idNumber: r.data });
  };

  const filter = {
    q: params.q || undefined,
    idNumber: params.idNumber || undefined,
    status: params.status,
    originProvince: params.origin || undefined,
    eligible: params.eligible ? ("true" as const) : undefined,
    sort: query.sort,
  };
  const page = { ...filter, limit: query.limit, offset: query.offset };
  const list = useApi(`residents:${JSON.stringify(page)}`, (signal) => listResidents(page, signal));
  const [registerOpen, setRegisterOpen] = useState(false);

  const columns: TableColumnsType<Resident> = [
    {
      key: "name",
      title: t("residents.name"),
      dataIndex: "name",
      width: 130,
      fixed: "left",
      sorter: true,
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
      sortDirections: ["descend", "ascend", "descend"],
      render: (v: string | null) => v ?? "—",
    },
    {
      key: "permitEligibleSince",
      title: t("residents.eligibleSince"),
      dataIndex: "permitEligibleSince",
      width: 130,
      render: (v: string | null, r) => (
        <span data-testid="resident-eligible-since">
          {v && r.status === "registered" ? v : "—"}
        </span>
      ),
    },
    {
      key: "unit",
      title: t("residents.unit"),
      width: 240,
      ellipsis: { showTitle: true },
      render: (_v, r) =>
        r.unit ? (
          <Link to={`/units/${r.unit.id}`} onClick={(e) => e.stopPropagation()}>
            {r.unit.address}
          </Link>
        ) : (
          "—"
        ),
    },
    {
      key: "employer",
      title: t("residents.employer"),
      width: 160,
      ellipsis: { showTitle: true },
      render: (_v, r) => r.employer?.name ?? "—",
    },
  ];

  return (
    <ListPage
      testId="residents-page"
      title={t("residents.title")}
      intro={t("residents.intro")}
      actions={
        canRegisterResidents(me) ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setRegisterOpen(true)}
            data-testid="resident-register"
          >
            {t("residents.register")}
          </Button>
        ) : null
      }
      filters={
        <>
          <SearchInput
            value={params.q}
            onSearch={(q) => query.setFilters({ q })}
            placeholder={t("residents.search")}
            width={180}
            testId="residents-search"
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
          <Select
            allowClear
            placeholder={t("residents.allStatuses")}
            aria-label={t("residents.status")}
            value={params.status}
            onChange={(status) => query.setFilters({ status })}
            options={RESIDENT_STATUSES.map((s) => ({
              value: s,
              label: t(`residents.statuses.${s}`),
            }))}
            style={{ width: 130 }}
            data-testid="residents-status-filter"
          />
          <Select
            allowClear
            showSearch
            placeholder={t("residents.allOrigins")}
            aria-label={t("residents.origin")}
            value={params.origin || undefined}
            onChange={(origin?: string) => query.setFilters({ origin: origin ?? "" })}
            options={Object.values(PROVINCES).map((p) => ({ value: p, label: p }))}
            style={{ width: 140 }}
            data-testid="residents-origin-filter"
          />
          <Checkbox
            checked={params.eligible}
            onChange={(e) => query.setFilters({ eligible: e.target.checked })}
            style={{ lineHeight: "32px" }}
            data-testid="residents-eligible-filter"
          >
            {t("residents.eligibleOnly")}
          </Checkbox>
          <ExportButton
            href={buildUrl("/api/residents/export.xlsx", filter)}
            testId="residents-export"
          />
        </>
      }
    >
      <ListTable<Resident, ResidentSort>
        rowKey="id"
        testId="residents"
        query={query}
        list={list}
        columns={columns}
        emptyText={t("residents.empty")}
        noMatchText={t("residents.noMatch")}
        onRow={(r) =>
          ({
            "data-resident-id": r.id,
            onClick: () => navigate(`/residents/${r.id}`),
            style: { cursor: "pointer" },
          }) as HTMLAttributes<HTMLElement>
        }
        scroll={{ x: 1330 }}
      />
      <RegisterResidentModal
        {...(canEditAnyBaseData(me) ? {} : { employers: ownEnterprises(me) })}
        open={registerOpen}
        onClose={() => setRegisterOpen(false)}
        onDone={(r, created) => {
          setRegisterOpen(false);
          if (created) void message.success(t("residents.registeredOk", { name: r.name }));
          else void message.info(t("residents.existingFound"));
          list.reload();
        }}
      />
    </ListPage>
  );
}
