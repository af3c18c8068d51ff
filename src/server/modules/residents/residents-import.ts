/**
 * Residents as an importable kind: the template's columns, the per-row
 * checks (national formats, dates) and the batch write. A resident already
 * known by ID number counts as unchanged, so importing a file twice changes
 * nothing.
 */
import { todayInChina } from "../../../shared/dates.js";
import { parseMobile } from "../../../shared/formats/mobile.js";
import { parseResidentId, type ResidentId } from "../../../shared/formats/resident-id.js";
import { parseUscc } from "../../../shared/formats/uscc.js";
import type { FieldCrypto } from "../../crypto/field-crypto.js";
import { canEditBaseData, unplacedAreaPathOf } from "../access/access.policy.js";
import { findUnitsByAddresses, normalizeAddress } from "../housing/housing.service.js";
import { dateCell } from "../imports/cell-parsing.js";
import { type ImportKind, LookupCache, type RowOutcome } from "../imports/import-kind.js";
import { findEnterprisesByUscc } from "../organisations/organisations.service.js";
import type { ResidentBulkRow } from "./residents.repository.js";
import * as repo from "./residents.repository.js";
import { identityColumns } from "./residents.service.js";

interface ResidentRow {
  name: string;
  idNumber: ResidentId;
  phone: string | null;
  arrivalDate: string | null;
  address: string | null;
  movedIn: string | null;
  employerUscc: string | null;
}

/** A row with its encrypted and indexed numbers, ready to write. */
interface PreparedResident {
  row: number;
  value: ResidentRow;
  index: string;
  identity: ReturnType<typeof identityColumns>;
}

export function residentsImportKind(
  crypto: FieldCrypto,
): ImportKind<ResidentRow, PreparedResident[]> {
  // Files repeat addresses and employers on many rows: each is looked up once
  // per import.
  const unitsByAddress = new LookupCache((db, keys) =>
    findUnitsByAddresses({ db }, keys).then((rows) => rows.map((u) => [u.address, u] as const)),
  );
  const employersByUscc = new LookupCache((db, keys) =>
    findEnterprisesByUscc({ db }, keys).then((rows) => rows.map((o) => [o.uscc ?? "", o] as const)),
  );
  return {
    kind: "residents",
    tables: ["residents", "residence_registrations"],
    title: "实有人口",
    columns: [
      { key: "name", header: "姓名", required: true, example: "张伟", note: "必填" },
      {
        key: "idNumber",
        header: "身份证号",
        required: true,
        example: "34010219950308123X",
        note: "必填，18 位，末位校验码",
      },
      {
        key: "phone",
        header: "手机号",
        required: false,
        example: "13800138000",
        note: "11 位大陆手机号",
      },
      {
        key: "arrivalDate",
        header: "来苏日期",
        required: false,
        example: "2024-03-01",
        note: "YYYY-MM-DD",
      },
      {
        key: "address",
        header: "现住地址",
        required: false,
        example: "狮山路88号3幢402室",
        note: "须为已登记的标准地址（房屋）",
      },
      {
        key: "movedIn",
        header: "迁入日期",
        required: false,
        example: "2024-03-05",
        note: "YYYY-MM-DD，缺省为今天",
      },
      {
        key: "employerUscc",
        header: "用人单位统一社会信用代码",
        required: false,
        example: "",
        note: "18 位，须为已登记企业",
      },
    ],
    parse(c) {
      const name = c.name ?? "";
      if (!name) return { ok: false, reason: "姓名为空 / name is empty" };
      if (name.length > 40) return { ok: false, reason: "姓名过长 / name too long" };
      const id = parseResidentId(c.idNumber ?? "");
      if (!id.ok) return { ok: false, reason: `身份证号：${id.error}` };
      let phone: string | null = null;
      if (c.phone) {
        const p = parseMobile(c.phone);
        if (!p.ok) return { ok: false, reason: `手机号：${p.error}` };
        phone = p.value.normalized;
      }
      const arrivalDate = dateCell(c.arrivalDate);
      if (arrivalDate === undefined)
        return {
          ok: false,
          reason: "来苏日期格式应为 YYYY-MM-DD / arrival date must be YYYY-MM-DD",
        };
      const movedIn = dateCell(c.movedIn);
      if (movedIn === undefined)
        return {
          ok: false,
          reason: "迁入日期格式应为 YYYY-MM-DD / move-in date must be YYYY-MM-DD",
        };
      if (movedIn && movedIn > todayInChina())
        return { ok: false, reason: "迁入日期晚于今天 / move-in date is in the future" };
      let employerUscc: string | null = null;
      if (c.employerUscc) {
        const u = parseUscc(c.employerUscc);
        if (!u.ok) return { ok: false, reason: `统一社会信用代码：${u.error}` };
        employerUscc = u.value.normalized;
      }
      return {
        ok: true,
        key: id.value.normalized,
        value: {
          name,
          idNumber: id.value,
          phone,
          arrivalDate,
          address: c.address ? normalizeAddress(c.address) : null,
          movedIn,
          employerUscc,
        },
      };
    },
    // Encryption and hashing are most of the CPU an import costs; done here,
    // they overlap the previous batch's write.
    prepare(batch) {
      return batch.map((b) => {
        const identity = identityColumns(crypto, b.value.idNumber, b.value.phone);
        return { ...b, index: identity.id_number_index, identity };
      });
    },
    async writeBatch(trx, actor, batch) {
      const refused: RowOutcome[] = [];
      const units = await unitsByAddress.get(
        trx,
        batch.flatMap((b) => (b.value.address ? [b.value.address] : [])),
      );
      const employers = await employersByUscc.get(
        trx,
        batch.flatMap((b) => (b.value.employerUscc ? [b.value.employerUscc] : [])),
      );
      const today = todayInChina();
      // Rows without an address stay in the importer's area.
      const unplacedPath = unplacedAreaPathOf(actor);
      const fresh: ResidentBulkRow[] = [];
      for (const b of batch) {
        const unit = b.value.address ? units.get(b.value.address) : undefined;
        if (b.value.address && !unit) {
          refused.push({
            row: b.row,
            reason: `现住地址不存在：${b.value.address} / unknown address`,
          });
          continue;
        }
        if (unit && !canEditBaseData(actor, unit.area_path)) {
          refused.push({
            row: b.row,
            reason: `现住地址不在您的管辖范围内：${b.value.address} / address outside your area`,
          });
          continue;
        }
        const employer = b.value.employerUscc ? employers.get(b.value.employerUscc) : undefined;
        if (b.value.employerUscc && !employer) {
          refused.push({
            row: b.row,
            reason: `用人单位未登记：${b.value.employerUscc} / unknown employer`,
          });
          continue;
        }
        fresh.push({
          name: b.value.name,
          ...b.identity,
          arrival_date: b.value.arrivalDate,
          employer_id: employer?.id ?? null,
          user_id: null,
          unit_id: unit?.id ?? null,
          area_path: unit?.area_path ?? unplacedPath,
          registered_since: unit ? (b.value.movedIn ?? today) : null,
        });
      }
      // People already known by ID number are skipped by the insert itself.
      const inserted = await repo.importMany(trx, fresh, actor.userId);
      return { inserted, unchanged: fresh.length - inserted, refused };
    },
  };
}
