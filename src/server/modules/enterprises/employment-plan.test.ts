import { describe, expect, it } from "vitest";
import { residentIdCheckChar } from "../../../shared/formats/resident-id.js";
import { checkEmploymentRecord, planEmployment } from "./employment-plan.js";

const TODAY = "2026-06-30";
const first17 = "34010219950308123";
const ID = first17 + residentIdCheckChar(first17);
const WRONG = first17 + (residentIdCheckChar(first17) === "0" ? "1" : "0");

describe("checkEmploymentRecord", () => {
  const ok = { name: "张伟", idNumber: ID, hiredOn: "2024-03-01" };

  it("accepts a record and reads the usual date forms", () => {
    const r = checkEmploymentRecord({ ...ok, hiredOn: "2024年3月1日", leftOn: "2025/1/5" }, TODAY);
    expect(r).toMatchObject({ ok: true, value: { hiredOn: "2024-03-01", leftOn: "2025-01-05" } });
    const empty = checkEmploymentRecord({ ...ok, position: "  " }, TODAY);
    expect(empty.ok && empty.value.position).toBe(null);
    const absent = checkEmploymentRecord(ok, TODAY);
    expect(absent.ok && absent.value.position).toBe(undefined);
  });

  it.each([
    [{ ...ok, name: " " }, "姓名为空"],
    [{ ...ok, idNumber: WRONG }, "身份证号"],
    [{ ...ok, idNumber: "12345" }, "身份证号"],
    [{ ...ok, phone: "1234" }, "手机号"],
    [{ ...ok, hiredOn: "" }, "入职日期为空"],
    [{ ...ok, hiredOn: "2024-02-30" }, "入职日期格式"],
    [{ ...ok, hiredOn: "2026-07-01" }, "入职日期晚于今天"],
    [{ ...ok, leftOn: "soon" }, "离职日期格式"],
    [{ ...ok, leftOn: "2024-02-29" }, "离职日期早于入职日期"],
    [{ ...ok, leftOn: "2026-07-01" }, "离职日期晚于今天"],
  ])("refuses %j with a reason", (cells, reason) => {
    const r = checkEmploymentRecord(cells, TODAY);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toContain(reason);
  });
});

describe("planEmployment", () => {
  const closed = { id: "1", hired_on: "2020-01-01", left_on: "2021-06-30", position: "操作工" };
  const open = { id: "2", hired_on: "2022-01-01", left_on: null, position: "班组长" };

  it("starts an employment for someone never employed here", () => {
    expect(
      planEmployment([], { hiredOn: "2024-01-01", leftOn: null, position: undefined }),
    ).toEqual({ kind: "insert", hiredOn: "2024-01-01", leftOn: null, position: null });
  });

  it("changes nothing when the same record comes again (idempotent)", () => {
    expect(
      planEmployment([closed, open], { hiredOn: "2022-01-01", leftOn: null, position: "班组长" }),
    ).toEqual({ kind: "unchanged", id: "2" });
    // No position given: the recorded one stays.
    expect(
      planEmployment([closed, open], { hiredOn: "2022-01-01", leftOn: null, position: undefined }),
    ).toEqual({ kind: "unchanged", id: "2" });
  });

  it("closes the employment with the record's hire date", () => {
    expect(
      planEmployment([closed, open], {
        hiredOn: "2022-01-01",
        leftOn: "2026-05-31",
        position: undefined,
      }),
    ).toEqual({
      kind: "update",
      id: "2",
      hiredOn: "2022-01-01",
      leftOn: "2026-05-31",
      position: "班组长",
    });
  });

  it("corrects the open employment's hire date, but not into an earlier one", () => {
    expect(
      planEmployment([closed, open], { hiredOn: "2021-09-01", leftOn: null, position: undefined }),
    ).toMatchObject({ kind: "update", id: "2", hiredOn: "2021-09-01" });
    expect(
      planEmployment([closed, open], { hiredOn: "2021-03-01", leftOn: null, position: undefined }),
    ).toMatchObject({ kind: "refused" });
  });

  it("rehires after the last employment ended, and refuses a hire inside it", () => {
    expect(
      planEmployment([closed], { hiredOn: "2021-06-30", leftOn: null, position: "质检员" }),
    ).toMatchObject({ kind: "insert", hiredOn: "2021-06-30" });
    expect(
      planEmployment([closed], { hiredOn: "2021-01-01", leftOn: null, position: null }),
    ).toMatchObject({ kind: "refused" });
  });

  it("refuses reopening an earlier employment that a later one follows", () => {
    expect(
      planEmployment([closed, open], { hiredOn: "2020-01-01", leftOn: null, position: undefined }),
    ).toMatchObject({ kind: "refused" });
  });
});
