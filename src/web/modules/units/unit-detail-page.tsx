/**
 * A unit (/units/:id): its housing facts and overcrowding (with the reason),
 * its building and grid, the people living there now (links to their
 * records) and the history of moves in and out; 修改房屋信息 when the server
 * allows it.
 */
import { ArrowLeftOutlined, EditOutlined } from "@ant-design/icons";
import {
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  List,
  Space,
  Tag,
  Timeline,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate, useParams } from "react-router-dom";
import { DetailLoadFailed } from "../../ui/detail-load-failed.js";
import { PageLoading } from "../../ui/page-loading.js";
import { useApi } from "../../ui/use-api.js";
import { ResidentStatusTag } from "../residents/resident-bits.js";
import { OvercrowdingFlag, RentalTag } from "./unit-bits.js";
import { EditUnitModal } from "./unit-forms.js";
import { getUnit } from "./units-api.js";

export function UnitDetailPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const { id = "" } = useParams();
  const res = useApi(`unit:${id}`, (signal) => getUnit(id, signal));
  const [editing, setEditing] = useState(false);

  // Back to the list or map as it was (filters, page, map position), when we came from there.
  const cameFromList = (location.state as { fromList?: boolean } | null)?.fromList === true;
  const back = (
    <Button
      type="link"
      icon={<ArrowLeftOutlined />}
      style={{ paddingInline: 0 }}
      onClick={() => (cameFromList ? navigate(-1) : navigate("/units"))}
      data-testid="unit-back"
    >
      {t("units.backToList")}
    </Button>
  );

  const u = res.data?.id === id ? res.data : undefined;
  if (res.error && !u) {
    return (
      <DetailLoadFailed
        testId="unit-detail"
        back={back}
        error={res.error}
        notFoundText={t("units.notFound")}
        onRetry={res.reload}
      />
    );
  }
  if (!u) return <PageLoading />;

  const dash = "—";
  const facts = [
    {
      key: "building",
      label: t("units.building"),
      children: u.building.address,
    },
    { key: "grid", label: t("units.grid"), children: u.grid.name || u.grid.code },
    { key: "unitNo", label: t("units.unitNo"), children: u.unitNo },
    { key: "floor", label: t("units.floor"), children: u.floor ?? dash },
    {
      key: "area",
      label: t("units.floorArea"),
      children: u.floorAreaM2 === null ? dash : t("units.areaValue", { area: u.floorAreaM2 }),
    },
    {
      key: "capacity",
      label: t("units.capacity"),
      children:
        u.declaredCapacity === null
          ? t("units.capacityUnknown")
          : t("units.occupantsValue", { count: u.declaredCapacity }),
    },
    {
      key: "occupants",
      label: t("units.occupants"),
      children: (
        <span data-testid="unit-detail-occupants">
          {t("units.occupantsValue", { count: u.occupants })}
        </span>
      ),
    },
    {
      key: "perPerson",
      label: t("units.areaPerPerson"),
      children:
        u.overcrowding.areaPerPersonM2 === null
          ? dash
          : t("units.areaValue", { area: u.overcrowding.areaPerPersonM2 }),
    },
    {
      key: "landlord",
      label: t("units.landlord"),
      children: u.landlord ? (
        <Space size={4}>
          {u.landlord.kind === "resident" ? (
            <Link to={`/residents/${u.landlord.id}`}>{u.landlord.name}</Link>
          ) : (
            <Link to={`/organisations/${u.landlord.id}`}>{u.landlord.name}</Link>
          )}
          <Tag>{t(`units.landlordKinds.${u.landlord.kind}`)}</Tag>
        </Space>
      ) : (
        t("units.noLandlord")
      ),
    },
  ];

  return (
    <div data-testid="unit-detail" data-unit-id={u.id}>
      {back}
      <Space
        style={{ width: "100%", justifyContent: "space-between", margin: "8px 0" }}
        wrap
        align="start"
      >
        <div>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="unit-detail-address">
            {u.address}
          </Typography.Title>
          <Space wrap size={4} style={{ marginTop: 6 }}>
            <RentalTag isRental={u.isRental} />
            <OvercrowdingFlag unit={u} inline />
          </Space>
        </div>
        {u.allowedActions.includes("edit") ? (
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="unit-edit">
            {t("units.edit")}
          </Button>
        ) : null}
      </Space>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} items={facts} />
      </Card>
      <Card
        size="small"
        title={t("units.currentResidents", { count: u.residents.length })}
        style={{ marginBottom: 16 }}
        data-testid="unit-residents"
      >
        {u.residents.length === 0 ? (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={u.occupants > 0 ? t("units.residentsHidden") : t("units.noResidents")}
          />
        ) : (
          <List
            size="small"
            dataSource={u.residents}
            renderItem={(r) => (
              <List.Item key={r.id} data-resident-id={r.id}>
                <List.Item.Meta
                  title={
                    <Space wrap size={6}>
                      <Link to={`/residents/${r.id}`} data-testid="unit-resident-link">
                        {r.name}
                      </Link>
                      <ResidentStatusTag status={r.status} />
                    </Space>
                  }
                  description={
                    <Space wrap size={[12, 0]}>
                      <span>
                        {t(`residents.gender.${r.gender}`)} ·{" "}
                        {t("residents.ageValue", { age: r.age })}
                      </span>
                      <Typography.Text code>{r.idNumber}</Typography.Text>
                      {r.movedIn ? (
                        <span>{t("residents.movedInAt", { date: r.movedIn })}</span>
                      ) : null}
                    </Space>
                  }
                />
              </List.Item>
            )}
          />
        )}
        {u.residents.length > 0 && u.residents.length < u.occupants ? (
          <Typography.Text type="secondary">
            {t("units.someHidden", { count: u.occupants - u.residents.length })}
          </Typography.Text>
        ) : null}
      </Card>
      <Card size="small" title={t("units.history")} data-testid="unit-history">
        {u.history.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("units.noHistory")} />
        ) : (
          <>
            <Timeline
              items={u.history.map((g) => ({
                key: g.id,
                color: g.movedOut ? "gray" : "green",
                content: (
                  <div data-registration={g.id}>
                    <Space wrap size={4}>
                      <Link to={`/residents/${g.resident.id}`}>{g.resident.name}</Link>
                      {g.movedOut ? null : <Tag color="green">{t("units.livingHere")}</Tag>}
                    </Space>
                    <div>
                      {t("residents.movedInAt", { date: g.movedIn })}
                      {g.movedOut ? ` · ${t("residents.movedOutAt", { date: g.movedOut })}` : ""}
                    </div>
                    <Typography.Text type="secondary">
                      {t("residents.channel")}：{t(`residents.channels.${g.channel}`)}
                    </Typography.Text>
                  </div>
                ),
              }))}
            />
            {u.historyTotal > u.history.length ? (
              <Typography.Text type="secondary">
                {t("units.historyMore", { shown: u.history.length, total: u.historyTotal })}
              </Typography.Text>
            ) : null}
          </>
        )}
      </Card>
      <EditUnitModal
        unit={editing ? u : null}
        onClose={() => setEditing(false)}
        onSaved={() => {
          setEditing(false);
          void message.success(t("units.savedOk"));
          res.reload();
        }}
      />
    </div>
  );
}
