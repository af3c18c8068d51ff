/** The spreadsheet-import endpoints (/api/imports): upload, progress, history, files. */
import { api } from "../../api/client.js";

export const IMPORT_KINDS = ["residents", "units", "organisations"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export type ImportStatus = "running" | "done" | "failed";

export interface ImportRecord {
  id: string;
  kind: ImportKind;
  filename: string;
  status: ImportStatus;
  totalRows: number;
  insertedRows: number;
  unchangedRows: number;
  errorRows: number;
  message: string | null;
  createdBy: { id: string; name: string } | null;
  createdAt: string;
  finishedAt: string | null;
}

const sig = (signal?: AbortSignal) => (signal ? { signal } : {});

/** Uploads the file; the server answers 202 with the record and imports in the background. */
export function startImport(kind: ImportKind, file: File, signal?: AbortSignal) {
  const body = new FormData();
  body.append("file", file, file.name);
  return api<ImportRecord>("/api/imports", {
    method: "POST",
    query: { kind },
    body,
    ...sig(signal),
  });
}

export function getImport(id: string, signal?: AbortSignal) {
  return api<ImportRecord>(`/api/imports/${encodeURIComponent(id)}`, sig(signal));
}

export function listImports(f: { limit: number; offset: number }, signal?: AbortSignal) {
  return api<{ items: ImportRecord[]; total: number }>("/api/imports", {
    query: { ...f },
    ...sig(signal),
  });
}

/** Plain links (the browser downloads with the session cookie). */
export const templateUrl = (kind: ImportKind, format: "xlsx" | "csv") =>
  `/api/imports/templates/${kind}.${format}`;
export const errorFileUrl = (id: string) => `/api/imports/${encodeURIComponent(id)}/errors.csv`;
