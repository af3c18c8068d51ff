import { describe, expect, it } from "vitest";
import {
  barSegments,
  checkImportFile,
  elapsedSeconds,
  estimateCsvRows,
  formatMb,
} from "./import-model.js";

const MB = 2 ** 20;

describe("checkImportFile", () => {
  it("accepts CSV and XLSX within the limit, whatever the case of the extension", () => {
    expect(checkImportFile({ name: "居民.csv", size: 100 }, 10 * MB)).toBeNull();
    expect(checkImportFile({ name: "居民.XLSX", size: 10 * MB }, 10 * MB)).toBeNull();
  });

  it("names the old .xls format and other types", () => {
    expect(checkImportFile({ name: "a.xls", size: 10 }, MB)).toEqual({ code: "legacyXls" });
    expect(checkImportFile({ name: "a.pdf", size: 10 }, MB)).toEqual({
      code: "wrongType",
      ext: "pdf",
    });
    expect(checkImportFile({ name: "noext", size: 10 }, MB)).toEqual({
      code: "wrongType",
      ext: "",
    });
  });

  it("refuses empty files and files over the limit, with both sizes", () => {
    expect(checkImportFile({ name: "a.csv", size: 0 }, MB)).toEqual({ code: "empty" });
    expect(checkImportFile({ name: "a.csv", size: 12.34 * MB }, 10 * MB)).toEqual({
      code: "tooBig",
      sizeMb: "12.3",
      maxMb: "10",
    });
    // Without a known limit only the server checks the size.
    expect(checkImportFile({ name: "a.csv", size: 999 * MB }, undefined)).toBeNull();
  });

  it("formats sizes", () => {
    expect(formatMb(20 * MB)).toBe("20");
    expect(formatMb(1.25 * MB)).toBe("1.3");
  });
});

describe("estimateCsvRows", () => {
  const bytes = (s: string) => new TextEncoder().encode(s);
  it("counts the lines after the header, with or without a final line break", () => {
    expect(estimateCsvRows(bytes("a,b\r\n1,2\r\n3,4\r\n"))).toBe(2);
    expect(estimateCsvRows(bytes("a,b\n1,2\n3,4"))).toBe(2);
    expect(estimateCsvRows(bytes("a,b"))).toBe(0);
    expect(estimateCsvRows(bytes(""))).toBe(0);
  });
});

describe("barSegments", () => {
  const counts = (total: number, inserted: number, unchanged: number, errors: number) => ({
    totalRows: total,
    insertedRows: inserted,
    unchangedRows: unchanged,
    errorRows: errors,
  });

  it("splits a finished import into added, unchanged and refused", () => {
    expect(barSegments(counts(8, 4, 2, 2), false, 100)).toEqual({
      inserted: 50,
      unchanged: 25,
      refused: 25,
      pending: 0,
    });
  });

  it("measures a running import against the expected rows", () => {
    expect(barSegments(counts(2000, 1500, 0, 500), true, 8000)).toEqual({
      inserted: 18.8,
      unchanged: 0,
      refused: 6.3,
      pending: 74.9,
    });
  });

  it("without an estimate, leaves room only for rows read but not yet written", () => {
    expect(barSegments(counts(4000, 2000, 0, 0), true, null)).toEqual({
      inserted: 50,
      unchanged: 0,
      refused: 0,
      pending: 50,
    });
    expect(barSegments(counts(0, 0, 0, 0), true, null)).toEqual({
      inserted: 0,
      unchanged: 0,
      refused: 0,
      pending: 100,
    });
  });

  it("ignores an estimate the import has outgrown", () => {
    expect(barSegments(counts(10, 10, 0, 0), true, 5).pending).toBe(0);
  });
});

describe("elapsedSeconds", () => {
  it("measures to the finish, or to now while running", () => {
    expect(elapsedSeconds("2026-01-01T00:00:00Z", "2026-01-01T00:01:05Z")).toBe(65);
    expect(elapsedSeconds("2026-01-01T00:00:00Z", null, Date.parse("2026-01-01T00:00:03Z"))).toBe(
      3,
    );
  });
});
