/** The self-inspection, hazard and spot-check endpoints. */
import type { z } from "zod";
import type {
  ChecklistTemplate,
  completeHazardBody,
  createHazardBody,
  createTemplateBody,
  drawSpotCheckBody,
  EnterpriseFile,
  HAZARD_SORTS,
  Hazard,
  HazardDetail,
  hazardMapSchema,
  INSPECTION_SORTS,
  Inspection,
  InspectionDetail,
  recordFindingBody,
  SpotCheck,
  SpotCheckDetail,
  SubmitInspectionInput,
  updateTemplateBody,
} from "../../../shared/schemas/inspections.js";
import { api } from "../../api/client.js";

const sig = (signal?: AbortSignal) => (signal ? { signal } : {});
type Page<T> = { items: T[]; total: number };

export type InspectionSort = (typeof INSPECTION_SORTS)[number];
export type HazardSort = (typeof HAZARD_SORTS)[number];

export interface InspectionFilter {
  organisationId?: string | undefined;
  status?: "due" | "submitted" | undefined;
  overdue?: "true" | "false" | undefined;
  late?: "true" | "false" | undefined;
  topic?: string | undefined;
  dueBefore?: string | undefined;
  sort?: InspectionSort | undefined;
  limit: number;
  offset: number;
}

export function listInspections(f: InspectionFilter, signal?: AbortSignal) {
  return api<Page<Inspection>>("/api/inspections", { query: { ...f }, ...sig(signal) });
}

export function getInspection(id: string, signal?: AbortSignal) {
  return api<InspectionDetail>(`/api/inspections/${encodeURIComponent(id)}`, sig(signal));
}

export function submitInspection(id: string, body: SubmitInspectionInput) {
  return api<InspectionDetail>(`/api/inspections/${encodeURIComponent(id)}/submit`, {
    method: "POST",
    body,
  });
}

export function uploadEvidence(file: File, organisationId?: string) {
  const form = new FormData();
  if (organisationId) form.append("organisationId", organisationId);
  form.append("file", file, file.name);
  return api<EnterpriseFile>("/api/enterprise-files", { method: "POST", body: form });
}

export interface HazardFilter {
  organisationId?: string | undefined;
  status?: string | undefined;
  level?: "general" | "major" | undefined;
  source?: string | undefined;
  overdue?: "true" | "false" | undefined;
  supervised?: "true" | "false" | undefined;
  supervision?: "supervised" | "awaiting" | undefined;
  spotCheckId?: string | undefined;
  q?: string | undefined;
  sort?: HazardSort | undefined;
  limit: number;
  offset: number;
}

export function listHazards(f: HazardFilter, signal?: AbortSignal) {
  return api<Page<Hazard>>("/api/hazards", { query: { ...f }, ...sig(signal) });
}

export function getHazard(id: string, signal?: AbortSignal) {
  return api<HazardDetail>(`/api/hazards/${encodeURIComponent(id)}`, sig(signal));
}

export function createHazard(body: z.input<typeof createHazardBody>) {
  return api<HazardDetail>("/api/hazards", { method: "POST", body });
}

export type HazardActionInput =
  | { action: "plan"; body: { version: number; plan: string } }
  | { action: "complete"; body: z.input<typeof completeHazardBody> }
  | {
      action: "verify";
      body: { version: number; decision: "accept" | "return"; reason?: string | null };
    }
  | { action: "supervise"; body: { version: number; note: string } };

export function actOnHazard(id: string, a: HazardActionInput) {
  return api<HazardDetail>(`/api/hazards/${encodeURIComponent(id)}/${a.action}`, {
    method: "POST",
    body: a.body,
  });
}

export function listTemplates(
  f: { topic?: string | undefined; active?: "true" | "false" | undefined; q?: string | undefined },
  signal?: AbortSignal,
) {
  return api<Page<ChecklistTemplate>>("/api/inspection-templates", {
    query: { ...f },
    ...sig(signal),
  });
}

export function createTemplate(body: z.input<typeof createTemplateBody>) {
  return api<ChecklistTemplate>("/api/inspection-templates", { method: "POST", body });
}

export function updateTemplate(id: string, body: z.input<typeof updateTemplateBody>) {
  return api<ChecklistTemplate & { refreshedInspections: number }>(
    `/api/inspection-templates/${encodeURIComponent(id)}`,
    {
      method: "PUT",
      body,
    },
  );
}

export function setTemplateActive(id: string, version: number, active: boolean) {
  return api<ChecklistTemplate>(
    `/api/inspection-templates/${encodeURIComponent(id)}/${active ? "activate" : "deactivate"}`,
    { method: "POST", body: { version } },
  );
}

export function listSpotChecks(page: { limit: number; offset: number }, signal?: AbortSignal) {
  return api<Page<SpotCheck>>("/api/spot-checks", { query: { ...page }, ...sig(signal) });
}

export function getSpotCheck(id: string, signal?: AbortSignal) {
  return api<SpotCheckDetail>(`/api/spot-checks/${encodeURIComponent(id)}`, sig(signal));
}

export function drawSpotCheck(body: z.input<typeof drawSpotCheckBody>) {
  return api<SpotCheckDetail>("/api/spot-checks", { method: "POST", body });
}

export function recordFinding(
  spotCheckId: string,
  itemId: string,
  body: z.input<typeof recordFindingBody>,
) {
  return api<SpotCheckDetail>(
    `/api/spot-checks/${encodeURIComponent(spotCheckId)}/items/${encodeURIComponent(itemId)}/finding`,
    { method: "POST", body },
  );
}

/** Today in China (UTC+8), as the server counts due days. */
export function todayInChina(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

export type HazardMap = z.infer<typeof hazardMapSchema>;

/** Major hazards not yet closed, as GeoJSON points (the case map's 重大隐患 layer). */
export function hazardMap(signal?: AbortSignal) {
  return api<HazardMap>("/api/hazards/map", sig(signal));
}
