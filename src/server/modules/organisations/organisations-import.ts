/**
 * Organisations (enterprises and associations) as an importable kind. Each
 * row is checked by the same schema as the registration form (USCC check
 * character, names, phone), after the spreadsheet's Chinese labels (企业,
 * 小型, 同乡会 …) are read. An enterprise already registered under its USCC,
 * or an association already registered under its name, counts as unchanged,
 * so importing a file twice changes nothing; an import never edits a record.
 */
import type { z } from "zod";
import {
  ASSOCIATION_KINDS,
  createOrganisationBody,
  ENTERPRISE_SIZES,
  ORGANISATION_KINDS,
} from "../../../shared/schemas/organisations.js";
import type { FieldCrypto } from "../../crypto/field-crypto.js";
import { canEditBaseData } from "../access/access.policy.js";
import { findAreasByCodes } from "../geo/areas.service.js";
import { listCell, optional, schemaReason } from "../imports/cell-parsing.js";
import type { ImportColumn, ImportKind, RowOutcome } from "../imports/import-kind.js";
import * as repo from "./organisations.repository.js";
import { organisationColumns } from "./organisations.service.js";

type Registration = z.output<typeof createOrganisationBody>;

const COLUMNS: ImportColumn[] = [
  { key: "kind", header: "类型", required: true, example: "企业", note: "必填：企业 或 协会" },
  {
    key: "name",
    header: "名称",
    required: true,
    example: "苏州狮山精密机械有限公司",
    note: "必填，2–100 字；协会按名称识别是否已登记",
  },
  {
    key: "uscc",
    header: "统一社会信用代码",
    required: false,
    example: "91320505MA1XWY12AE",
    note: "企业必填，18 位，末位校验码；协会有则填",
  },
  {
    key: "gridCode",
    header: "网格编码",
    required: true,
    example: "320505407013002",
    note: "必填，所在网格的 15 位编码（区域管理中可查）",
  },
  { key: "address", header: "地址", required: false, example: "狮山路88号", note: "可空" },
  { key: "industry", header: "行业", required: false, example: "精密制造", note: "企业填写" },
  {
    key: "size",
    header: "规模",
    required: false,
    example: "小型",
    note: "微型 / 小型 / 中型 / 大型",
  },
  {
    key: "legalRepresentative",
    header: "法定代表人",
    required: false,
    example: "王建国",
    note: "可空",
  },
  { key: "safetyOfficer", header: "安全员", required: false, example: "李强", note: "可空" },
  {
    key: "safetyOfficerPhone",
    header: "安全员手机号",
    required: false,
    example: "13912345678",
    note: "11 位大陆手机号，加密保存",
  },
  {
    key: "associationKind",
    header: "协会类型",
    required: false,
    example: "",
    note: "协会必填：同乡会 / 行业协会 / 新市民组织 / 社会组织",
  },
  {
    key: "provinces",
    header: "籍贯省份",
    required: false,
    example: "",
    note: "协会填写，多个用顿号或逗号分隔，如 安徽省、河南省",
  },
  {
    key: "dialects",
    header: "方言",
    required: false,
    example: "",
    note: "协会填写，多个用顿号或逗号分隔，如 江淮官话、中原官话",
  },
  {
    key: "sectors",
    header: "从业领域",
    required: false,
    example: "",
    note: "协会填写，多个用顿号或逗号分隔，如 餐饮、建筑施工",
  },
];

/** Spreadsheet labels → stored values; English values are accepted as well. */
const KIND_LABELS: Record<string, (typeof ORGANISATION_KINDS)[number]> = {
  企业: "enterprise",
  公司: "enterprise",
  协会: "association",
  社会组织: "association",
  社团: "association",
};
const SIZE_LABELS: Record<string, (typeof ENTERPRISE_SIZES)[number]> = {
  微型: "micro",
  微: "micro",
  小型: "small",
  小: "small",
  中型: "medium",
  中: "medium",
  大型: "large",
  大: "large",
};
const ASSOCIATION_LABELS: Record<string, (typeof ASSOCIATION_KINDS)[number]> = {
  同乡会: "hometown",
  同乡: "hometown",
  老乡会: "hometown",
  行业协会: "trade",
  行业: "trade",
  新市民组织: "new_citizen",
  新市民协会: "new_citizen",
  新市民: "new_citizen",
  社会组织: "social",
  社会: "social",
};

function label<T extends string>(
  cell: string | undefined,
  labels: Record<string, T>,
  values: readonly T[],
): T | null | undefined {
  const v = optional(cell);
  if (v === undefined) return undefined;
  const lower = v.toLowerCase() as T;
  return labels[v] ?? (values.includes(lower) ? lower : null);
}

function parseRow(c: Record<string, string>) {
  const kind = label(c.kind, KIND_LABELS, ORGANISATION_KINDS);
  if (!kind)
    return {
      ok: false as const,
      reason: "类型请填“企业”或“协会” / kind must be 企业 (enterprise) or 协会 (association)",
    };
  const size = label(c.size, SIZE_LABELS, ENTERPRISE_SIZES);
  if (size === null)
    return {
      ok: false as const,
      reason: "规模请填 微型、小型、中型 或 大型 / size must be 微型, 小型, 中型 or 大型",
    };
  const associationKind = label(c.associationKind, ASSOCIATION_LABELS, ASSOCIATION_KINDS);
  if (associationKind === null)
    return {
      ok: false as const,
      reason:
        "协会类型请填 同乡会、行业协会、新市民组织 或 社会组织 / association kind must be 同乡会, 行业协会, 新市民组织 or 社会组织",
    };
  const parsed = createOrganisationBody.safeParse({
    kind,
    name: c.name ?? "",
    uscc: optional(c.uscc),
    gridCode: optional(c.gridCode)?.normalize("NFKC") ?? "",
    address: optional(c.address),
    industry: optional(c.industry),
    size,
    legalRepresentative: optional(c.legalRepresentative),
    safetyOfficer: optional(c.safetyOfficer),
    safetyOfficerPhone: optional(c.safetyOfficerPhone),
    associationKind: kind === "association" ? associationKind : undefined,
    provinces: listCell(c.provinces),
    dialects: listCell(c.dialects),
    sectors: listCell(c.sectors),
  });
  if (!parsed.success) return { ok: false as const, reason: schemaReason(parsed.error, COLUMNS) };
  const value = parsed.data;
  return {
    ok: true as const,
    key: value.uscc ? `uscc:${value.uscc}` : `association:${value.name}`,
    value,
  };
}

export function organisationsImportKind(fieldCrypto: FieldCrypto): ImportKind<Registration> {
  return {
    kind: "organisations",
    tables: ["organisations"],
    title: "实有单位",
    columns: COLUMNS,
    parse: parseRow,
    async writeBatch(trx, actor, batch) {
      const refused: RowOutcome[] = [];
      const values = batch.map((b) => b.value);
      const grids = new Map(
        (await findAreasByCodes({ db: trx }, [...new Set(values.map((v) => v.gridCode))])).map(
          (a) => [a.code, a],
        ),
      );
      const byUscc = new Map(
        (
          await repo.findByUsccs(trx, [...new Set(values.flatMap((v) => (v.uscc ? [v.uscc] : [])))])
        ).map((o) => [o.uscc, o]),
      );
      const associations = new Set(
        (
          await repo.findAssociationsByNames(trx, [
            ...new Set(values.flatMap((v) => (v.kind === "association" ? [v.name] : []))),
          ])
        ).map((o) => o.name),
      );

      let unchanged = 0;
      const fresh: repo.NewOrganisation[] = [];
      // Rows of this batch already taken, so two rows cannot break a unique
      // constraint (the file-wide duplicate key covers the usual case).
      const usccRow = new Map<string, number>();
      const nameRow = new Map<string, number>();
      for (const { row, value: v } of batch) {
        const grid = grids.get(v.gridCode);
        if (!grid) {
          refused.push({
            row,
            reason: `网格编码不存在：${v.gridCode} / unknown grid code`,
          });
          continue;
        }
        if (grid.level !== "grid") {
          refused.push({
            row,
            reason: `网格编码 ${v.gridCode} 是「${grid.name}」，不是网格，请填所在网格的编码 / ${v.gridCode} is not a grid`,
          });
          continue;
        }
        if (!canEditBaseData(actor, grid.path)) {
          refused.push({
            row,
            reason: `该网格不在您的管辖范围内：${grid.name}（${v.gridCode}）/ the grid is outside your area`,
          });
          continue;
        }
        if (
          (v.uscc && byUscc.has(v.uscc)) ||
          (v.kind === "association" && associations.has(v.name))
        ) {
          unchanged++;
          continue;
        }
        const earlier =
          (v.uscc ? usccRow.get(v.uscc) : undefined) ??
          (v.kind === "association" ? nameRow.get(v.name) : undefined);
        if (earlier !== undefined) {
          refused.push({
            row,
            reason: `与第 ${earlier} 行重复 / duplicate of row ${earlier}`,
          });
          continue;
        }
        if (v.uscc) usccRow.set(v.uscc, row);
        if (v.kind === "association") nameRow.set(v.name, row);
        fresh.push(organisationColumns(fieldCrypto, v, grid));
      }
      await repo.insertMany(trx, fresh);
      return { inserted: fresh.length, unchanged, refused };
    },
  };
}
