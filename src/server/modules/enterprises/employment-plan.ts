/**
 * The rules of an employment record, as pure functions: checking one record
 * as typed (a spreadsheet row, an HR system's push, the hire form) and
 * deciding what it does to the person's employments at the enterprise — a
 * new employment, a change to one, nothing (the same record again), or a
 * refusal when the periods would overlap. Pushing or importing the same
 * records twice therefore changes nothing the second time.
 */
import { parseMobile } from "../../../shared/formats/mobile.js";
import { parseResidentId, type ResidentId } from "../../../shared/formats/resident-id.js";
import { dateCell } from "../imports/cell-parsing.js";

export interface EmploymentInput {
  name: string;
  idNumber: ResidentId;
  phone: string | null;
  hiredOn: string;
  leftOn: string | null;
  /** undefined: keep what is recorded */
  position: string | null | undefined;
}

export type Checked = { ok: true; value: EmploymentInput } | { ok: false; reason: string };

/**
 * Checks one record's cells (any of the date forms people type: 2026-01-05,
 * 2026/1/5, 2026年1月5日). Dates may not lie after `today`; leaving may not
 * come before hiring.
 */
export function checkEmploymentRecord(
  cells: {
    name?: string | null | undefined;
    idNumber?: string | null | undefined;
    phone?: string | null | undefined;
    hiredOn?: string | null | undefined;
    leftOn?: string | null | undefined;
    position?: string | null | undefined;
  },
  today: string,
): Checked {
  const name = (cells.name ?? "").trim();
  if (!name) return { ok: false, reason: "姓名为空 / name is empty" };
  if (name.length > 40) return { ok: false, reason: "姓名过长 / name too long" };
  const id = parseResidentId(cells.idNumber ?? "");
  if (!id.ok) return { ok: false, reason: `身份证号：${id.error}` };
  let phone: string | null = null;
  if (cells.phone?.trim()) {
    const p = parseMobile(cells.phone);
    if (!p.ok) return { ok: false, reason: `手机号：${p.error}` };
    phone = p.value.normalized;
  }
  const hiredOn = dateCell(cells.hiredOn ?? "");
  if (hiredOn === null) return { ok: false, reason: "入职日期为空 / hire date is empty" };
  if (hiredOn === undefined)
    return {
      ok: false,
      reason: "入职日期格式应为 YYYY-MM-DD / hire date must be a date (YYYY-MM-DD)",
    };
  if (hiredOn > today)
    return { ok: false, reason: "入职日期晚于今天 / hire date is in the future" };
  const leftOn = dateCell(cells.leftOn ?? "");
  if (leftOn === undefined)
    return {
      ok: false,
      reason: "离职日期格式应为 YYYY-MM-DD / leave date must be a date (YYYY-MM-DD)",
    };
  if (leftOn && leftOn > today)
    return { ok: false, reason: "离职日期晚于今天 / leave date is in the future" };
  if (leftOn && leftOn < hiredOn)
    return { ok: false, reason: "离职日期早于入职日期 / leave date is before the hire date" };
  const position = cells.position === undefined ? undefined : cells.position?.trim() || null;
  if (position && position.length > 40)
    return { ok: false, reason: "岗位最多 40 个字 / position too long" };
  return { ok: true, value: { name, idNumber: id.value, phone, hiredOn, leftOn, position } };
}

export interface RecordedEmployment {
  id: string;
  hired_on: string;
  left_on: string | null;
  position: string | null;
}

export type EmploymentPlan =
  | { kind: "insert"; hiredOn: string; leftOn: string | null; position: string | null }
  | {
      kind: "update";
      id: string;
      hiredOn: string;
      leftOn: string | null;
      position: string | null;
    }
  | { kind: "unchanged"; id: string }
  | { kind: "refused"; reason: string };

const overlap = (e: RecordedEmployment) =>
  `与已有任职记录（${e.hired_on} 至 ${e.left_on ?? "今"}）时间重叠 / overlaps the employment from ${e.hired_on}`;

/**
 * What a record does to a person's employments at one enterprise (`existing`
 * in order of hire). The hire date is the record's key: a record with a
 * recorded hire date updates that employment; otherwise it corrects the open
 * employment, or starts a new one after the last has ended.
 */
export function planEmployment(
  existing: readonly RecordedEmployment[],
  rec: { hiredOn: string; leftOn: string | null; position: string | null | undefined },
): EmploymentPlan {
  const same = existing.findIndex((e) => e.hired_on === rec.hiredOn);
  const change = (i: number): EmploymentPlan => {
    const e = existing[i] as RecordedEmployment;
    const before = existing[i - 1];
    const after = existing[i + 1];
    if (before && (before.left_on === null || rec.hiredOn < before.left_on))
      return { kind: "refused", reason: overlap(before) };
    if (after && (rec.leftOn === null || rec.leftOn > after.hired_on))
      return { kind: "refused", reason: overlap(after) };
    const position = rec.position === undefined ? e.position : rec.position;
    if (e.hired_on === rec.hiredOn && e.left_on === rec.leftOn && e.position === position)
      return { kind: "unchanged", id: e.id };
    return { kind: "update", id: e.id, hiredOn: rec.hiredOn, leftOn: rec.leftOn, position };
  };
  if (same >= 0) return change(same);
  const last = existing[existing.length - 1];
  // The open employment gets the hire date the record gives (a correction).
  if (last && last.left_on === null) return change(existing.length - 1);
  if (last && rec.hiredOn < (last.left_on as string))
    return { kind: "refused", reason: overlap(last) };
  return {
    kind: "insert",
    hiredOn: rec.hiredOn,
    leftOn: rec.leftOn,
    position: rec.position ?? null,
  };
}
