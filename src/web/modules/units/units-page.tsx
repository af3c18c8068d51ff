/**
 * 实有房屋 (/units): the units in the user's scope as a list (address search,
 * rental and 群租 filters, sorting by address or occupants, paging, export of
 * the filtered list) or as a map (server-side clusters, overcrowded units in
 * red). Filters, sort, page, the view and the map's position live in the URL.
 * Those who keep base data register units (and buildings) here.
 */
import { EnvironmentOutlined, PlusOutlined, TableOutlined } from "@ant-design/icons";
import type { TableColumnsType } from "antd";
import { App, Button, Checkbox, Segmented, Select, Typography } from "antd";
import type { HTMLAttributes } from "react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import type { Unit } from "../../../shared/schemas/housing.js";
import { useMeta } from "../../api/meta.js";
import { canEditAnyBaseData } from "../../auth/access.js";
import { useAuth } from "../../auth/auth-context.js";
import {
  ExportButton,
  ListPage,
  ListTable,
  param,
  SearchInput,
  useListQuery,
} from "../../ui/list-page.js";
import { useApi } from "../../ui/use-api.js";
import { OvercrowdingFlag, RentalTag } from "./unit-bits.js";
import { CreateUnitModal } from "./unit-forms.js";
import {
  listUnits,
  UNIT_SORTS,
  type UnitFilter,
  type UnitSort,
  unitsExportUrl,
} from "./units-api.js";
import { UnitsMap } from "./units-map.js";

const RENTAL = ["true", "false"] as const;
type View = "list" | "map";

export function UnitsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { me } = useAuth();
  const meta = useMeta();
  const [search, setSearch] = useSearchParams();
  // ?q=&rental=&overcrowded=true&sort=&page= (the list) and ?view=map&at= (the map)
  const query = useListQuery({
    filters: { q: param.text(), rental: param.oneOf(RENTAL), overcrowded: param.flag() },
    sorts: UNIT_SORTS,
    defaultSort: "address",
  });
  const f = query.filters;
  const view: View = search.get("view") === "map" ? "map" : "list";
  const setView = (v: View) => {
    const next = new URLSearchParams(search);
    if (v === "map") next.set("view", "map");
    else next.delete("view");
    setSearch(next, { replace: true });
  };

  const filter: UnitFilter = {
    q: f.q || undefined,
    rental: f.rental,
    overcrowded: f.overcrowded ? "true" : undefined,
  };
  const page = { ...filter, sort: query.sort, limit: query.limit, offset: query.offset };
  const list = useApi(view === "list" ? `units:${JSON.stringify(page)}` : null, (signal) =>
    listUnits(page, signal),
  );
  const [createOpen, setCreateOpen] = useState(false);

  const columns: TableColumnsType<Unit> = [
    {
      key: "address",
      title: t("units.address"),
      dataIndex: "address",
      width: 250,
      fixed: "left",
      sorter: true,
      sortDirections: ["ascend", "descend", "ascend"],
      render: (v: string, u) => (
        <Link
          to={`/units/${u.id}`}
          state={{ fromList: true }}
          onClick={(e) => e.stopPropagation()}
          data-testid="unit-link"
        >
          {v}
        </Link>
      ),
    },
    {
      key: "overcrowding",
      title: t("units.overcrowding"),
      width: 230,
      render: (_v, u) =>
        u.overcrowding.overcrowded ? (
          <OvercrowdingFlag unit={u} />
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    {
      key: "occupants",
      title: t("units.occupants"),
      dataIndex: "occupants",
      width: 110,
      align: "right",
      sorter: true,
      sortDirections: ["descend", "ascend", "descend"],
      render: (v: number, u) => (
        <span data-testid="unit-occupants">
          {u.declaredCapacity === null
            ? v
            : t("units.occupantsOfCapacity", { occupants: v, capacity: u.declaredCapacity })}
        </span>
      ),
    },
    {
      key: "floorArea",
      title: t("units.floorArea"),
      dataIndex: "floorAreaM2",
      width: 110,
      align: "right",
      render: (v: number | null) => (v === null ? "—" : t("units.areaValue", { area: v })),
    },
    {
      key: "rental",
      title: t("units.rental"),
      width: 90,
      render: (_v, u) => <RentalTag isRental={u.isRental} />,
    },
    {
      key: "landlord",
      title: t("units.landlord"),
      width: 180,
      ellipsis: { showTitle: true },
      render: (_v, u) => u.landlord?.name ?? "—",
    },
  ];

  const mayEdit = canEditAnyBaseData(me);
  return (
    <ListPage
      testId="units-page"
      title={t("units.title")}
      intro={t("units.intro")}
      actions={
        <>
          <Segmented<View>
            value={view}
            onChange={setView}
            options={[
              { value: "list", icon: <TableOutlined />, label: t("units.listView") },
              { value: "map", icon: <EnvironmentOutlined />, label: t("units.mapView") },
            ]}
            data-testid="units-view"
          />
          {mayEdit ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreateOpen(true)}
              data-testid="unit-create"
            >
              {t("units.create")}
            </Button>
          ) : null}
        </>
      }
      filters={
        <>
          <SearchInput
            value={f.q}
            onSearch={(q) => query.setFilters({ q })}
            placeholder={t("units.search")}
            width={220}
            testId="units-search"
          />
          <Select<"all" | (typeof RENTAL)[number]>
            value={f.rental ?? "all"}
            onChange={(v) => query.setFilters({ rental: v === "all" ? undefined : v })}
            options={[
              { value: "all", label: t("units.allRental") },
              { value: "true", label: t("units.rentalOnly") },
              { value: "false", label: t("units.notRental") },
            ]}
            aria-label={t("units.rental")}
            style={{ width: 130 }}
            data-testid="units-rental-filter"
          />
          <Checkbox
            checked={f.overcrowded}
            onChange={(e) => query.setFilters({ overcrowded: e.target.checked })}
            style={{ lineHeight: "32px" }}
            data-testid="units-overcrowded-filter"
          >
            {t("units.overcrowdedOnly")}
          </Checkbox>
          <ExportButton
            href={unitsExportUrl({ ...filter, sort: query.sort })}
            testId="units-export"
          />
        </>
      }
    >
      {view === "list" ? (
        <ListTable<Unit, UnitSort>
          rowKey="id"
          testId="units"
          query={query}
          list={list}
          columns={columns}
          emptyText={t("units.empty")}
          noMatchText={t("units.noMatch")}
          onRow={(u) =>
            ({
              "data-unit-id": u.id,
              "data-overcrowded": u.overcrowding.overcrowded ? "true" : "false",
              onClick: () => navigate(`/units/${u.id}`, { state: { fromList: true } }),
              style: { cursor: "pointer" },
            }) as HTMLAttributes<HTMLElement>
          }
          scroll={{ x: 970 }}
        />
      ) : (
        <UnitsMap
          filter={filter}
          tileUrl={meta?.mapTileUrl ?? null}
          tileAttribution={meta?.mapTileAttribution ?? null}
          districtCode={meta?.district?.code ?? null}
          onOpenUnit={(id) => navigate(`/units/${id}`, { state: { fromList: true } })}
        />
      )}
      <CreateUnitModal
        open={createOpen}
        onClose={() => setCreateOpen(false)}
        onCreated={(u) => {
          setCreateOpen(false);
          void message.success(t("units.createdOk", { address: u.address }));
          navigate(`/units/${u.id}`, { state: { fromList: true } });
        }}
      />
    </ListPage>
  );
}
