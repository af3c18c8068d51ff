/**
 * 实有单位 (/organisations): the enterprises and associations in the user's
 * scope, with search by name or credit code, filters (kind, association
 * kind, industry, size, area), server sorting and paging kept in the URL,
 * XLSX export with the same filters, and 登记单位 for base-data editors.
 */
import { PlusOutlined } from "@ant-design/icons";
import type { TableColumnsType } from "antd";
import { App, Button, Select, Space, Typography } from "antd";
import { type HTMLAttributes, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import {
  ASSOCIATION_KINDS,
  ENTERPRISE_SIZES,
  ORGANISATION_KINDS,
  ORGANISATION_SORTS,
  type Organisation,
} from "../../../shared/schemas/organisations.js";
import { buildUrl } from "../../api/client.js";
import { canEditAnyBaseData } from "../../auth/access.js";
import { useAuth } from "../../auth/auth-context.js";
import {
  ExportButton,
  ListPage,
  ListTable,
  type ParamCodec,
  param,
  SearchInput,
  useListQuery,
} from "../../ui/list-page.js";
import { useApi } from "../../ui/use-api.js";
import { AreaTreeSelect } from "./area-tree-select.js";
import { AssociationKindTag, KindTag, OrganisationFormModal } from "./organisation-bits.js";
import { listIndustries, listOrganisations, type OrganisationSort } from "./organisations-api.js";

/** An area code from the URL (6 to 18 digits), or no filter. */
const areaCode: ParamCodec<string | undefined> = {
  parse: (r) => (r !== null && /^\d{6,18}$/.test(r) ? r : undefined),
  format: (v) => v ?? null,
};

export function OrganisationsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me } = useAuth();
  const navigate = useNavigate();
  const query = useListQuery({
    filters: {
      q: param.text(),
      kind: param.oneOf(ORGANISATION_KINDS),
      associationKind: param.oneOf(ASSOCIATION_KINDS),
      industry: param.text(),
      size: param.oneOf(ENTERPRISE_SIZES),
      area: areaCode,
    },
    sorts: ORGANISATION_SORTS as readonly OrganisationSort[],
    defaultSort: "name" as OrganisationSort,
  });
  const f = query.filters;
  const filter = {
    q: f.q || undefined,
    kind: f.kind,
    associationKind: f.associationKind,
    industry: f.industry || undefined,
    size: f.size,
    gridCode: f.area,
    sort: query.sort,
  };
  const page = { ...filter, limit: query.limit, offset: query.offset };
  const list = useApi(`organisations:${JSON.stringify(page)}`, (signal) =>
    listOrganisations(page, signal),
  );
  const industries = useApi("organisation-industries", (signal) => listIndustries(signal));
  const [createOpen, setCreateOpen] = useState(false);

  const columns: TableColumnsType<Organisation> = [
    {
      key: "name",
      title: t("organisations.name"),
      dataIndex: "name",
      width: 280,
      fixed: "left",
      sorter: true,
      sortDirections: ["ascend", "descend", "ascend"],
      render: (v: string, o) => (
        <Link to={`/organisations/${o.id}`} onClick={(e) => e.stopPropagation()}>
          {v}
        </Link>
      ),
    },
    {
      key: "kind",
      title: t("organisations.kind"),
      width: 150,
      render: (_v, o) => (
        <Space size={4} wrap>
          <KindTag kind={o.kind} />
          <AssociationKindTag kind={o.associationKind} />
        </Space>
      ),
    },
    {
      key: "uscc",
      title: t("organisations.uscc"),
      dataIndex: "uscc",
      width: 190,
      render: (v: string | null) =>
        v ? (
          <Typography.Text code style={{ whiteSpace: "nowrap" }}>
            {v}
          </Typography.Text>
        ) : (
          "—"
        ),
    },
    {
      key: "industry",
      title: t("organisations.industry"),
      width: 110,
      render: (_v, o) =>
        o.kind === "association" ? o.sectors.join("、") || "—" : (o.industry ?? "—"),
    },
    {
      key: "size",
      title: t("organisations.size"),
      width: 80,
      render: (_v, o) => (o.size ? t(`organisations.sizes.${o.size}`) : "—"),
    },
    {
      key: "employees",
      title: t("organisations.employees"),
      dataIndex: "employees",
      width: 100,
      align: "right",
      sorter: true,
      sortDirections: ["descend", "ascend", "descend"],
    },
    {
      key: "grid",
      title: t("organisations.grid"),
      width: 180,
      ellipsis: { showTitle: true },
      render: (_v, o) => o.grid.name,
    },
    {
      key: "address",
      title: t("organisations.address"),
      width: 240,
      ellipsis: { showTitle: true },
      render: (_v, o) => o.address ?? "—",
    },
    {
      key: "createdAt",
      title: t("organisations.createdAt"),
      width: 120,
      sorter: true,
      sortDirections: ["descend", "ascend", "descend"],
      render: (_v, o) => o.createdAt.slice(0, 10),
    },
  ];

  return (
    <ListPage
      testId="organisations-page"
      title={t("organisations.title")}
      intro={t("organisations.intro")}
      actions={
        canEditAnyBaseData(me) ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreateOpen(true)}
            data-testid="organisation-register"
          >
            {t("organisations.register")}
          </Button>
        ) : null
      }
      filters={
        <>
          <SearchInput
            value={f.q}
            onSearch={(q) => query.setFilters({ q })}
            placeholder={t("organisations.search")}
            width={240}
            testId="organisations-search"
          />
          <Select
            allowClear
            placeholder={t("organisations.allKinds")}
            aria-label={t("organisations.kind")}
            value={f.kind}
            onChange={(kind) =>
              // Drop the filters the other kind does not have.
              query.setFilters(
                kind === "enterprise"
                  ? { kind, associationKind: undefined }
                  : kind === "association"
                    ? { kind, size: undefined, industry: "" }
                    : { kind },
              )
            }
            options={ORGANISATION_KINDS.map((k) => ({
              value: k,
              label: t(`organisations.kinds.${k}`),
            }))}
            style={{ width: 120 }}
            data-testid="organisations-kind-filter"
          />
          {f.kind !== "enterprise" ? (
            <Select
              allowClear
              placeholder={t("organisations.allAssociationKinds")}
              aria-label={t("organisations.associationKind")}
              value={f.associationKind}
              onChange={(associationKind) => query.setFilters({ associationKind })}
              options={ASSOCIATION_KINDS.map((k) => ({
                value: k,
                label: t(`organisations.associationKinds.${k}`),
              }))}
              style={{ width: 140 }}
              data-testid="organisations-association-kind-filter"
            />
          ) : null}
          {f.kind !== "association" ? (
            <>
              <Select
                allowClear
                showSearch
                placeholder={t("organisations.allIndustries")}
                aria-label={t("organisations.industry")}
                value={f.industry || undefined}
                onChange={(industry) => query.setFilters({ industry: industry ?? "" })}
                loading={industries.loading}
                options={(industries.data?.items ?? []).map((i) => ({
                  value: i.industry,
                  label: `${i.industry}（${i.count}）`,
                }))}
                style={{ width: 160 }}
                popupMatchSelectWidth={false}
                data-testid="organisations-industry-filter"
              />
              <Select
                allowClear
                placeholder={t("organisations.allSizes")}
                aria-label={t("organisations.size")}
                value={f.size}
                onChange={(size) => query.setFilters({ size })}
                options={ENTERPRISE_SIZES.map((s) => ({
                  value: s,
                  label: t(`organisations.sizes.${s}`),
                }))}
                style={{ width: 120 }}
                data-testid="organisations-size-filter"
              />
            </>
          ) : null}
          <AreaTreeSelect
            value={f.area}
            onChange={(area) => query.setFilters({ area })}
            width={200}
            data-testid="organisations-area-filter"
          />
          <ExportButton
            href={buildUrl("/api/organisations/export.xlsx", filter)}
            testId="organisations-export"
          />
        </>
      }
    >
      <ListTable<Organisation, OrganisationSort>
        rowKey="id"
        query={query}
        list={list}
        columns={columns}
        testId="organisations"
        emptyText={t("organisations.empty")}
        noMatchText={t("organisations.noMatch")}
        scroll={{ x: 1450 }}
        onRow={(o) =>
          ({
            "data-organisation-id": o.id,
            onClick: () => navigate(`/organisations/${o.id}`),
            style: { cursor: "pointer" },
          }) as HTMLAttributes<HTMLElement>
        }
      />
      <OrganisationFormModal
        open={createOpen}
        onClose={() => setCreateOpen(false)}
        onDone={(o) => {
          setCreateOpen(false);
          void message.success(t("organisations.registeredOk", { name: o.name }));
          navigate(`/organisations/${o.id}`);
        }}
      />
    </ListPage>
  );
}
