/**
 * Units (standard addresses: building → unit) as an importable kind. A row
 * names the building by road, house number, estate and building number; a
 * building not yet registered is created from the row's coordinates and
 * assigned to its grid by the area index, like one registered by hand. A
 * unit whose standard address already exists counts as unchanged, so
 * importing a file twice changes nothing; an import never edits a unit.
 */
import { parseResidentId } from "../../../shared/formats/resident-id.js";
import { parseUscc } from "../../../shared/formats/uscc.js";
import { createBuildingBody, createUnitBody } from "../../../shared/schemas/housing.js";
import type { FieldCrypto } from "../../crypto/field-crypto.js";
import { canEditBaseData } from "../access/access.policy.js";
import type { AreaLocator } from "../geo/areas.service.js";
import { numberCell, optional, schemaReason, yesNoCell } from "../imports/cell-parsing.js";
import type { ImportColumn, ImportKind, RowOutcome } from "../imports/import-kind.js";
import { findOrganisationsByUscc } from "../organisations/organisations.service.js";
import { findResidentIdsByIdNumbers } from "../residents/residents.service.js";
import * as repo from "./housing.repository.js";
import { buildingAddress, normalizeAddress, unitAddress } from "./housing.service.js";

interface UnitImportRow {
  building: {
    address: string;
    road: string;
    houseNumber: string;
    estate: string | null;
    buildingNo: string | null;
    lng: number | null;
    lat: number | null;
  };
  unitNo: string;
  address: string;
  floor: number | null;
  floorAreaM2: number | null;
  isRental: boolean;
  declaredCapacity: number | null;
  landlord: { kind: "resident"; idNumber: string } | { kind: "organisation"; uscc: string } | null;
}

const COLUMNS: ImportColumn[] = [
  { key: "road", header: "道路", required: true, example: "狮山路", note: "必填，道路或街巷名" },
  {
    key: "houseNumber",
    header: "门牌号",
    required: true,
    example: "88",
    note: "必填，如 88 或 88号",
  },
  { key: "estate", header: "小区", required: false, example: "", note: "小区或院落名称，可空" },
  { key: "buildingNo", header: "幢号", required: false, example: "3", note: "如 3 或 3幢，可空" },
  { key: "unitNo", header: "室号", required: true, example: "402", note: "必填，如 402 或 402室" },
  { key: "floor", header: "楼层", required: false, example: "4", note: "整数，地下层为负数" },
  {
    key: "lng",
    header: "经度",
    required: false,
    example: "120.5620",
    note: "WGS84 经度；楼栋尚未登记时必填（同一楼栋填一行即可），已登记的楼栋可不填",
  },
  {
    key: "lat",
    header: "纬度",
    required: false,
    example: "31.2990",
    note: "WGS84 纬度；与经度一同填写",
  },
  {
    key: "floorAreaM2",
    header: "建筑面积（㎡）",
    required: false,
    example: "68.5",
    note: "平方米，大于 0",
  },
  {
    key: "isRental",
    header: "是否出租",
    required: false,
    example: "是",
    note: "是 / 否，缺省为否",
  },
  {
    key: "declaredCapacity",
    header: "核定居住人数",
    required: false,
    example: "4",
    note: "正整数",
  },
  {
    key: "landlordIdNumber",
    header: "房东身份证号",
    required: false,
    example: "",
    note: "个人房东，须已登记为实有人口；与房东统一社会信用代码二选一",
  },
  {
    key: "landlordUscc",
    header: "房东统一社会信用代码",
    required: false,
    example: "",
    note: "单位房东（如企业宿舍），须已登记；与房东身份证号二选一",
  },
];

const buildingFields = createBuildingBody.omit({ lng: true, lat: true });
const unitFields = createUnitBody.omit({ buildingId: true, landlord: true });

function parseCoordinates(
  lngCell: string | undefined,
  latCell: string | undefined,
): { ok: true; lng: number | null; lat: number | null } | { ok: false; reason: string } {
  const lng = numberCell(lngCell, /^°?$/);
  const lat = numberCell(latCell, /^°?$/);
  if (lng === undefined && lat === undefined) return { ok: true, lng: null, lat: null };
  if (lng === undefined || lat === undefined)
    return { ok: false, reason: "经度、纬度须同时填写 / give both longitude and latitude" };
  if (lng === null || lat === null)
    return {
      ok: false,
      reason: "经纬度须为十进制度数，如 120.5620 / coordinates must be decimal degrees",
    };
  if (Math.abs(lat) > 90 && Math.abs(lng) <= 90)
    return {
      ok: false,
      reason: `经纬度可能填反了（经度 ${lng}，纬度 ${lat}）/ longitude and latitude look swapped`,
    };
  if (Math.abs(lng) > 180 || Math.abs(lat) > 90)
    return { ok: false, reason: "经纬度超出范围 / coordinates out of range" };
  return { ok: true, lng, lat };
}

function parseLandlord(
  idCell: string | undefined,
  usccCell: string | undefined,
): { ok: true; value: UnitImportRow["landlord"] } | { ok: false; reason: string } {
  const id = optional(idCell);
  const uscc = optional(usccCell);
  if (id && uscc)
    return {
      ok: false,
      reason:
        "房东身份证号与房东统一社会信用代码只能填一个 / give either the landlord's ID number or their USCC, not both",
    };
  if (id) {
    const p = parseResidentId(id);
    return p.ok
      ? { ok: true, value: { kind: "resident", idNumber: p.value.normalized } }
      : { ok: false, reason: `房东身份证号：${p.error}` };
  }
  if (uscc) {
    const p = parseUscc(uscc);
    return p.ok
      ? { ok: true, value: { kind: "organisation", uscc: p.value.normalized } }
      : { ok: false, reason: `房东统一社会信用代码：${p.error}` };
  }
  return { ok: true, value: null };
}

/** Reads one row; the standard address is its duplicate key. */
function parseRow(c: Record<string, string>) {
  const building = buildingFields.safeParse({
    road: c.road ?? "",
    houseNumber: c.houseNumber ?? "",
    buildingNo: optional(c.buildingNo),
    estate: optional(c.estate),
  });
  if (!building.success)
    return { ok: false as const, reason: schemaReason(building.error, COLUMNS) };

  const floor = numberCell(c.floor, /^(层|楼|f)$/i);
  if (floor === null)
    return { ok: false as const, reason: "楼层须为整数 / floor must be a whole number" };
  const floorAreaM2 = numberCell(c.floorAreaM2, /^(㎡|m2|m²|平方米|平米)$/i);
  if (floorAreaM2 === null)
    return {
      ok: false as const,
      reason: "建筑面积须为数字（平方米）/ floor area must be a number of m²",
    };
  const declaredCapacity = numberCell(c.declaredCapacity, /^人$/);
  if (declaredCapacity === null)
    return { ok: false as const, reason: "核定居住人数须为整数 / capacity must be a whole number" };
  const isRental = yesNoCell(c.isRental);
  if (isRental === null)
    return { ok: false as const, reason: "是否出租请填“是”或“否” / rental must be 是 or 否" };
  const unit = unitFields.safeParse({
    unitNo: c.unitNo ?? "",
    floor,
    floorAreaM2,
    isRental: isRental ?? false,
    declaredCapacity,
  });
  if (!unit.success) return { ok: false as const, reason: schemaReason(unit.error, COLUMNS) };

  const coordinates = parseCoordinates(c.lng, c.lat);
  if (!coordinates.ok) return coordinates;
  const landlord = parseLandlord(c.landlordIdNumber, c.landlordUscc);
  if (!landlord.ok) return landlord;

  const b = building.data;
  const bAddress = buildingAddress(b);
  const address = unitAddress(bAddress, unit.data.unitNo);
  const value: UnitImportRow = {
    building: {
      address: bAddress,
      road: normalizeAddress(b.road),
      houseNumber: normalizeAddress(b.houseNumber),
      estate: b.estate || null,
      buildingNo: b.buildingNo ? normalizeAddress(b.buildingNo) : null,
      lng: coordinates.lng,
      lat: coordinates.lat,
    },
    unitNo: normalizeAddress(unit.data.unitNo),
    address,
    floor: unit.data.floor ?? null,
    floorAreaM2: unit.data.floorAreaM2 ?? null,
    isRental: unit.data.isRental,
    declaredCapacity: unit.data.declaredCapacity ?? null,
    landlord: landlord.value,
  };
  return { ok: true as const, key: address, value };
}

/** Where a row's building is: registered, to be created at a located point, or refused. */
type Placement =
  | { ok: true; areaPath: string; buildingId: string }
  | { ok: true; areaPath: string; buildingId: null; gridId: string; lng: number; lat: number }
  | { ok: false; reason: string };

export function unitsImportKind(deps: {
  locator: AreaLocator;
  fieldCrypto: FieldCrypto;
}): ImportKind<UnitImportRow> {
  return {
    kind: "units",
    tables: ["buildings", "units"],
    title: "实有房屋",
    columns: COLUMNS,
    parse: parseRow,
    async writeBatch(trx, actor, batch) {
      const refused: RowOutcome[] = [];
      const rows = batch.map((b) => b.value);

      const buildings = new Map(
        (
          await repo.findBuildingsByAddresses(trx, [
            ...new Set(rows.map((r) => r.building.address)),
          ])
        ).map((b) => [b.address, b]),
      );
      const existingUnits = new Set(
        (await repo.findUnitsByAddresses(trx, [...new Set(rows.map((r) => r.address))])).map(
          (u) => u.address,
        ),
      );

      // A registered building keeps its place; a new one is placed by the
      // first row of the batch that gives its coordinates.
      const placements = new Map<string, Placement>();
      for (const r of rows) {
        const a = r.building.address;
        const { lng, lat } = r.building;
        const known = buildings.get(a);
        if (known) placements.set(a, { ok: true, areaPath: known.area_path, buildingId: known.id });
        if (placements.has(a) || lng === null || lat === null) continue;
        const grid = await deps.locator.locateWithin(trx, lng, lat);
        placements.set(
          a,
          grid
            ? { ok: true, areaPath: grid.path, buildingId: null, gridId: grid.id, lng, lat }
            : {
                ok: false,
                reason: `坐标（${lng}, ${lat}）不在本辖区任何网格内，请核对经纬度（WGS84） / the location is not inside any grid of the district`,
              },
        );
      }

      const residentLandlords = await findResidentIdsByIdNumbers(
        { db: trx, fieldCrypto: deps.fieldCrypto },
        [
          ...new Set(
            rows.flatMap((r) => (r.landlord?.kind === "resident" ? [r.landlord.idNumber] : [])),
          ),
        ],
      );
      const organisationLandlords = new Map(
        (
          await findOrganisationsByUscc({ db: trx }, [
            ...new Set(
              rows.flatMap((r) => (r.landlord?.kind === "organisation" ? [r.landlord.uscc] : [])),
            ),
          ])
        ).map((o) => [o.uscc, o.id]),
      );

      let unchanged = 0;
      const fresh: { row: UnitImportRow; areaPath: string }[] = [];
      for (const { row, value: r } of batch) {
        const placement = placements.get(r.building.address);
        if (!placement) {
          refused.push({
            row,
            reason: `楼栋未登记：${r.building.address}，新楼栋须填写经纬度 / unknown building: give its longitude and latitude`,
          });
          continue;
        }
        if (!placement.ok) {
          refused.push({ row, reason: placement.reason });
          continue;
        }
        if (!canEditBaseData(actor, placement.areaPath)) {
          refused.push({
            row,
            reason: `该房屋不在您的管辖范围内：${r.address} / the unit is outside your area`,
          });
          continue;
        }
        if (existingUnits.has(r.address)) {
          unchanged++;
          continue;
        }
        if (r.landlord?.kind === "resident" && !residentLandlords.has(r.landlord.idNumber)) {
          refused.push({
            row,
            reason:
              "房东未登记为实有人口，请先登记房东或留空 / the landlord is not a registered resident",
          });
          continue;
        }
        if (r.landlord?.kind === "organisation" && !organisationLandlords.has(r.landlord.uscc)) {
          refused.push({
            row,
            reason: `房东单位未登记：${r.landlord.uscc}，请先登记该单位或留空 / the landlord organisation is not registered`,
          });
          continue;
        }
        fresh.push({ row: r, areaPath: placement.areaPath });
      }
      if (fresh.length === 0) return { inserted: 0, unchanged, refused };

      // New buildings first (once each, with the first row's facts), then the units.
      const buildingIds = new Map<string, string>();
      const newBuildings = new Map<string, repo.NewBuilding>();
      for (const { row: r } of fresh) {
        const b = r.building;
        const p = placements.get(b.address);
        if (!p?.ok || newBuildings.has(b.address)) continue;
        if (p.buildingId !== null) {
          buildingIds.set(b.address, p.buildingId);
          continue;
        }
        newBuildings.set(b.address, {
          grid_id: p.gridId,
          area_path: p.areaPath,
          road: b.road,
          house_number: b.houseNumber,
          building_no: b.buildingNo,
          estate: b.estate,
          address: b.address,
          lng: p.lng,
          lat: p.lat,
        });
      }
      for (const b of await repo.insertBuildings(trx, [...newBuildings.values()]))
        buildingIds.set(b.address, b.id);

      await repo.insertUnits(
        trx,
        fresh.map(({ row: r, areaPath }) => ({
          building_id: buildingIds.get(r.building.address) as string,
          area_path: areaPath,
          unit_no: r.unitNo,
          floor: r.floor,
          floor_area_m2: r.floorAreaM2,
          address: r.address,
          is_rental: r.isRental,
          declared_capacity: r.declaredCapacity,
          landlord_resident_id:
            r.landlord?.kind === "resident"
              ? (residentLandlords.get(r.landlord.idNumber) ?? null)
              : null,
          landlord_organisation_id:
            r.landlord?.kind === "organisation"
              ? (organisationLandlords.get(r.landlord.uscc) ?? null)
              : null,
        })),
      );
      return { inserted: fresh.length, unchanged, refused };
    },
  };
}
