/**
 * The housing forms: 登记房屋 (a unit in a building, with its housing facts
 * and landlord), 新建楼栋 (a standard address placed on a map, its grid shown
 * as soon as it is placed) and 修改房屋信息. Fields validate as they are
 * typed with the same zod schemas the server uses; the server's field errors
 * land on the fields they name.
 */
import { PlusOutlined } from "@ant-design/icons";
import {
  Alert,
  Button,
  type ButtonProps,
  Form,
  type FormRule,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Spin,
  Switch,
  Typography,
} from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { AreaSummary } from "../../../shared/schemas/areas.js";
import {
  buildingAddress,
  createBuildingBody,
  createUnitBody,
  type Unit,
  type UnitDetail,
  unitAddress,
} from "../../../shared/schemas/housing.js";
import { api } from "../../api/client.js";
import { homeAreaCode } from "../../auth/access.js";
import { useAuth } from "../../auth/auth-context.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { applyServerErrors } from "../../ui/server-errors.js";
import { useApi } from "../../ui/use-api.js";
import { useDebounced } from "../../ui/use-debounced.js";
import { zodRule } from "../../ui/zod-rule.js";
import { LocationPicker } from "../areas/location-picker.js";
import {
  type Building,
  createBuilding,
  createUnit,
  listBuildings,
  searchLandlords,
  updateUnit,
} from "./units-api.js";

type LandlordKind = "none" | "resident" | "organisation";

/**
 * A field validated by a shared schema that may be left empty: an empty box
 * (InputNumber gives null, Input "") passes, anything else must satisfy it.
 */
const optionalRule = (schema: Parameters<typeof zodRule>[0]): FormRule => {
  const rule = zodRule(schema) as { validator: (r: unknown, v: unknown) => Promise<void> };
  return {
    validator: async (r, value: unknown) => {
      if (value === null || value === undefined || value === "") return;
      await rule.validator(r, value);
    },
  };
};
const nullToUndefined = <T,>(v: T | null | undefined): T | undefined =>
  v === null ? undefined : v;

/** A searchable building picker fed by GET /api/buildings?q= (the user's own scope). */
function BuildingSelect(props: {
  value?: string;
  onChange?: (v: string | undefined) => void;
  onPicked?: (b: Building | undefined) => void;
  /** A building just created here, shown even before a search finds it. */
  extra?: Building | null;
  id?: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim(), 300);
  const found = useApi(`building-select:${q}`, (signal) =>
    listBuildings({ q: q || undefined, limit: 20, offset: 0 }, signal),
  );
  const items = [
    ...(props.extra ? [props.extra] : []),
    ...(found.data?.items ?? []).filter((b) => b.id !== props.extra?.id),
  ];
  return (
    <Select<string>
      id={props.id}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear
      value={props.value}
      onChange={(v) => {
        props.onChange?.(v);
        props.onPicked?.(items.find((b) => b.id === v));
      }}
      placeholder={t("units.buildingPlaceholder")}
      notFoundContent={found.loading ? <Spin size="small" /> : t("units.noBuildings")}
      options={items.map((b) => ({
        value: b.id,
        label: <span data-building-id={b.id}>{b.address}</span>,
        title: b.address,
      }))}
      style={{ width: "100%" }}
      data-testid="unit-building"
    />
  );
}

/** Landlord: none, a resident (by name) or an organisation (by name). */
function LandlordSelect(props: {
  kind: "resident" | "organisation";
  value?: string;
  onChange?: (v: string | undefined) => void;
  initial?: { id: string; name: string } | null;
  id?: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim(), 300);
  const found = useApi(`landlords:${props.kind}:${q}`, (signal) =>
    searchLandlords(props.kind, q, signal),
  );
  const items = [
    ...(props.initial ? [props.initial] : []),
    ...(found.data?.items ?? []).filter((x) => x.id !== props.initial?.id),
  ];
  return (
    <Select<string>
      id={props.id}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      allowClear
      value={props.value}
      onChange={(v) => props.onChange?.(v)}
      placeholder={t(
        props.kind === "resident" ? "units.landlordResidentSearch" : "units.landlordOrgSearch",
      )}
      notFoundContent={found.loading ? <Spin size="small" /> : t("units.noLandlords")}
      options={items.map((x) => {
        const masked = (x as { idNumber?: string }).idNumber;
        return {
          value: x.id,
          label: masked ? `${x.name}（${masked}）` : x.name,
        };
      })}
      style={{ width: "100%" }}
      data-testid="unit-landlord"
    />
  );
}

interface UnitFacts {
  floorAreaM2?: number | null;
  declaredCapacity?: number | null;
  isRental: boolean;
  landlordKind: LandlordKind;
  landlordId?: string;
}

/** The housing facts shared by 登记房屋 and 修改房屋信息. */
function UnitFactFields(props: { initialLandlord?: UnitDetail["landlord"] }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance<UnitFacts>();
  const kind = Form.useWatch("landlordKind", form) ?? "none";
  return (
    <>
      <Space wrap size={16} align="start">
        <Form.Item
          name="floorAreaM2"
          label={t("units.floorArea")}
          rules={[optionalRule(createUnitBody.shape.floorAreaM2)]}
        >
          <InputNumber<number>
            min={0}
            step={1}
            precision={2}
            suffix="㎡"
            style={{ width: 150 }}
            data-testid="unit-floor-area"
          />
        </Form.Item>
        <Form.Item
          name="declaredCapacity"
          label={t("units.capacity")}
          tooltip={t("units.capacityHelp")}
          rules={[optionalRule(createUnitBody.shape.declaredCapacity)]}
        >
          <InputNumber<number>
            min={0}
            precision={0}
            suffix={t("units.people")}
            style={{ width: 130 }}
            data-testid="unit-capacity"
          />
        </Form.Item>
        <Form.Item name="isRental" label={t("units.isRental")} valuePropName="checked">
          <Switch data-testid="unit-is-rental" />
        </Form.Item>
      </Space>
      <Form.Item name="landlordKind" label={t("units.landlord")}>
        <Radio.Group
          optionType="button"
          onChange={() => form.setFieldValue("landlordId", undefined)}
          options={[
            { value: "none", label: t("units.noLandlord") },
            { value: "resident", label: t("units.landlordKinds.resident") },
            { value: "organisation", label: t("units.landlordKinds.organisation") },
          ]}
        />
      </Form.Item>
      {kind !== "none" ? (
        <Form.Item
          name="landlordId"
          rules={[{ required: true, message: t("units.landlordRequired") }]}
        >
          <LandlordSelect
            kind={kind}
            initial={
              props.initialLandlord?.kind === kind
                ? { id: props.initialLandlord.id, name: props.initialLandlord.name }
                : null
            }
          />
        </Form.Item>
      ) : null}
    </>
  );
}

function landlordOf(v: UnitFacts) {
  return v.landlordKind !== "none" && v.landlordId
    ? { kind: v.landlordKind, id: v.landlordId }
    : null;
}

/** "body.landlord.id" → ["landlordId"], "body.unitNo" → ["unitNo"]. */
function unitFieldOf(path: string): string[] | null {
  const name = path.replace(/^body\./, "");
  if (name.startsWith("landlord")) return ["landlordId"];
  return ["buildingId", "unitNo", "floor", "floorAreaM2", "declaredCapacity"].includes(name)
    ? [name]
    : null;
}

interface CreateUnitForm extends UnitFacts {
  buildingId?: string;
  unitNo: string;
  floor?: number | null;
}

export function CreateUnitModal(props: {
  open: boolean;
  onClose: () => void;
  onCreated: (u: Unit) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CreateUnitForm>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [building, setBuilding] = useState<Building | undefined>();
  const [newBuilding, setNewBuilding] = useState<Building | null>(null);
  const [buildingOpen, setBuildingOpen] = useState(false);
  const unitNo = Form.useWatch("unitNo", form);

  const close = () => {
    form.resetFields();
    setError(null);
    setBuilding(undefined);
    setNewBuilding(null);
    props.onClose();
  };
  const submit = async (v: CreateUnitForm) => {
    if (!v.buildingId) return;
    setSaving(true);
    setError(null);
    try {
      const floor = nullToUndefined(v.floor);
      const area = nullToUndefined(v.floorAreaM2);
      const capacity = nullToUndefined(v.declaredCapacity);
      const landlord = landlordOf(v);
      const u = await createUnit({
        buildingId: v.buildingId,
        unitNo: v.unitNo.trim(),
        isRental: v.isRental,
        ...(floor !== undefined ? { floor } : {}),
        ...(area !== undefined ? { floorAreaM2: area } : {}),
        ...(capacity !== undefined ? { declaredCapacity: capacity } : {}),
        ...(landlord ? { landlord } : {}),
      });
      form.resetFields();
      setBuilding(undefined);
      setNewBuilding(null);
      props.onCreated(u);
    } catch (err) {
      setError(applyServerErrors(form, err, unitFieldOf));
    } finally {
      setSaving(false);
    }
  };

  const preview = building && unitNo?.trim() ? unitAddress(building.address, unitNo) : null;
  return (
    <Modal
      open={props.open}
      title={t("units.create")}
      okText={t("units.createSubmit")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={close}
      okButtonProps={{ "data-testid": "unit-create-submit" } as ButtonProps}
      mask={{ closable: false }}
      forceRender
    >
      <Form<CreateUnitForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        initialValues={{ isRental: false, landlordKind: "none" }}
        autoComplete="off"
        data-testid="unit-create-form"
      >
        <Form.Item label={t("units.building")} extra={t("units.buildingHelp")} required>
          <Space.Compact style={{ width: "100%" }}>
            <Form.Item
              name="buildingId"
              noStyle
              rules={[{ required: true, message: t("units.buildingRequired") }]}
            >
              <BuildingSelect onPicked={setBuilding} extra={newBuilding} />
            </Form.Item>
            <Button
              icon={<PlusOutlined />}
              onClick={() => setBuildingOpen(true)}
              data-testid="unit-new-building"
            >
              {t("units.newBuilding")}
            </Button>
          </Space.Compact>
        </Form.Item>
        <Space wrap size={16} align="start">
          <Form.Item
            name="unitNo"
            label={t("units.unitNo")}
            tooltip={t("units.unitNoHelp")}
            rules={[zodRule(createUnitBody.shape.unitNo)]}
          >
            <Input maxLength={20} style={{ width: 150 }} data-testid="unit-no" />
          </Form.Item>
          <Form.Item
            name="floor"
            label={t("units.floor")}
            rules={[optionalRule(createUnitBody.shape.floor)]}
          >
            <InputNumber<number> precision={0} style={{ width: 110 }} data-testid="unit-floor" />
          </Form.Item>
        </Space>
        {preview ? (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={t("units.addressPreview", { address: preview })}
            data-testid="unit-address-preview"
          />
        ) : null}
        <UnitFactFields />
        {error ? <ErrorAlert error={error} /> : null}
      </Form>
      <CreateBuildingModal
        open={buildingOpen}
        onClose={() => setBuildingOpen(false)}
        onCreated={(b) => {
          setBuildingOpen(false);
          setNewBuilding(b);
          setBuilding(b);
          form.setFieldValue("buildingId", b.id);
          void form.validateFields(["buildingId"]);
        }}
      />
    </Modal>
  );
}

export function EditUnitModal(props: {
  unit: UnitDetail | null;
  onClose: () => void;
  onSaved: (u: Unit) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<UnitFacts>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const u = props.unit;

  useEffect(() => {
    if (!u) return;
    form.setFieldsValue({
      floorAreaM2: u.floorAreaM2,
      declaredCapacity: u.declaredCapacity,
      isRental: u.isRental,
      landlordKind: u.landlord?.kind ?? "none",
      landlordId: u.landlord?.id,
    });
  }, [u, form]);

  const close = () => {
    setError(null);
    props.onClose();
  };
  const submit = async (v: UnitFacts) => {
    if (!u) return;
    setSaving(true);
    setError(null);
    try {
      const saved = await updateUnit(u.id, {
        floorAreaM2: v.floorAreaM2 ?? null,
        declaredCapacity: v.declaredCapacity ?? null,
        isRental: v.isRental,
        landlord: landlordOf(v),
      });
      props.onSaved(saved);
    } catch (err) {
      setError(applyServerErrors(form, err, unitFieldOf));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={u !== null}
      title={u ? t("units.editTitle", { address: u.address }) : ""}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={close}
      okButtonProps={{ "data-testid": "unit-edit-submit" } as ButtonProps}
      mask={{ closable: false }}
      forceRender
    >
      <Form<UnitFacts>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        autoComplete="off"
      >
        <UnitFactFields initialLandlord={u?.landlord ?? null} />
        {error ? <ErrorAlert error={error} /> : null}
      </Form>
    </Modal>
  );
}

interface BuildingForm {
  road: string;
  houseNumber: string;
  buildingNo?: string;
  estate?: string;
  location?: [number, number];
}

/** The grid a point falls in (GET /api/areas/locate), for live feedback. */
function useGridAt(point: [number, number] | undefined) {
  const key = point ? `${point[0].toFixed(6)},${point[1].toFixed(6)}` : null;
  return useApi(key ? `locate:${key}` : null, (signal) =>
    api<{ grid: AreaSummary | null; ancestors: AreaSummary[] }>("/api/areas/locate", {
      query: { lng: point?.[0], lat: point?.[1] },
      signal,
    }),
  );
}

export function CreateBuildingModal(props: {
  open: boolean;
  onClose: () => void;
  onCreated: (b: Building) => void;
}) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [form] = Form.useForm<BuildingForm>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const values = Form.useWatch([], form) as Partial<BuildingForm> | undefined;
  const located = useGridAt(values?.location);

  const close = () => {
    form.resetFields();
    setError(null);
    props.onClose();
  };
  const submit = async (v: BuildingForm) => {
    if (!v.location) return;
    setSaving(true);
    setError(null);
    try {
      const b = await createBuilding({
        road: v.road.trim(),
        houseNumber: v.houseNumber.trim(),
        ...(v.buildingNo?.trim() ? { buildingNo: v.buildingNo.trim() } : {}),
        ...(v.estate?.trim() ? { estate: v.estate.trim() } : {}),
        lng: v.location[0],
        lat: v.location[1],
      });
      form.resetFields();
      props.onCreated(b);
    } catch (err) {
      setError(
        applyServerErrors(form, err, (p) => {
          const n = p.replace(/^body\./, "");
          if (n === "lng" || n === "lat") return ["location"];
          return ["road", "houseNumber", "buildingNo", "estate"].includes(n) ? [n] : null;
        }),
      );
    } finally {
      setSaving(false);
    }
  };

  const preview =
    values?.road?.trim() && values.houseNumber?.trim()
      ? buildingAddress({
          road: values.road,
          houseNumber: values.houseNumber,
          estate: values.estate?.trim() || undefined,
          buildingNo: values.buildingNo?.trim() || undefined,
        })
      : null;
  const grid = located.data?.grid;
  return (
    <Modal
      open={props.open}
      title={t("units.newBuilding")}
      okText={t("units.createBuildingSubmit")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={close}
      okButtonProps={{ "data-testid": "building-create-submit" } as ButtonProps}
      mask={{ closable: false }}
      destroyOnHidden
      width={560}
    >
      <Form<BuildingForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        autoComplete="off"
        data-testid="building-create-form"
      >
        <Space wrap size={12} align="start">
          <Form.Item
            name="road"
            label={t("units.road")}
            rules={[zodRule(createBuildingBody.shape.road)]}
          >
            <Input maxLength={40} style={{ width: 160 }} data-testid="building-road" />
          </Form.Item>
          <Form.Item
            name="houseNumber"
            label={t("units.houseNumber")}
            rules={[zodRule(createBuildingBody.shape.houseNumber)]}
          >
            <Input maxLength={20} style={{ width: 100 }} suffix="号" data-testid="building-house" />
          </Form.Item>
          <Form.Item
            name="buildingNo"
            label={t("units.buildingNo")}
            rules={[optionalRule(createBuildingBody.shape.buildingNo)]}
          >
            <Input maxLength={20} style={{ width: 90 }} suffix="幢" data-testid="building-no" />
          </Form.Item>
        </Space>
        <Form.Item
          name="estate"
          label={t("units.estate")}
          rules={[optionalRule(createBuildingBody.shape.estate)]}
        >
          <Input maxLength={60} data-testid="building-estate" />
        </Form.Item>
        {preview ? (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={t("units.addressPreview", { address: preview })}
          />
        ) : null}
        <Form.Item
          name="location"
          label={t("units.location")}
          rules={[{ required: true, message: t("units.locationRequired") }]}
        >
          <LocationPicker
            outlineCode={homeAreaCode(me)}
            testId="building-location-map"
            label={t("units.locationMap")}
            help={t("units.locationHelp")}
          />
        </Form.Item>
        {values?.location ? (
          <div style={{ marginBottom: 16 }} data-testid="building-grid">
            {located.loading ? (
              <Spin size="small" />
            ) : grid ? (
              <Typography.Text>
                {t("units.locatedIn", {
                  name: [...(located.data?.ancestors ?? []).slice(1), grid]
                    .map((a) => a.name)
                    .join(" / "),
                })}
              </Typography.Text>
            ) : located.data ? (
              <Typography.Text type="danger">{t("units.outsideDistrict")}</Typography.Text>
            ) : null}
          </div>
        ) : null}
        {error ? <ErrorAlert error={error} /> : null}
      </Form>
    </Modal>
  );
}
