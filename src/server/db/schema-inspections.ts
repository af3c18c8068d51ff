/** Kysely table types of migration 0020 (enterprise workspace, issue 6): self-inspection and hazards. */
import type { ColumnType, Generated } from "kysely";
import type { DefaultTimestamp, Timestamp } from "./schema-types.js";

type Json<T> = ColumnType<T, string | undefined, string>;
/** A date column: read as "YYYY-MM-DD" strings (type parser set in database.ts). */
type DateColumn = ColumnType<string, string, string>;

export type ChecklistTopic = "fire" | "dormitory" | "security" | "hazmat";
export type InspectionFrequency = "monthly" | "quarterly";
export type HazardSource = "inspection" | "spot_check" | "staff" | "report";
export type HazardLevel = "general" | "major";
export type HazardStatus = "open" | "rectifying" | "submitted" | "closed";
export type SpotCheckFinding = "pending" | "ok" | "hazards_found" | "closed_down" | "not_found";

/** One item of a checklist (also the snapshot kept on each inspection). */
export interface ChecklistItemJson {
  code: string;
  text: string;
  guidance?: string | null;
  major?: boolean;
}

/** One item's result in an inspection. */
export interface InspectionResultJson {
  code: string;
  result: "pass" | "fail";
  note?: string | null;
  /** enterprise_files ids */
  evidence?: string[];
}

export interface ChecklistTemplatesTable {
  id: Generated<string>;
  code: string;
  name: string;
  topic: ChecklistTopic;
  description: string | null;
  /** empty = every industry */
  industries: ColumnType<string[], string[] | undefined, string[]>;
  frequency: InspectionFrequency;
  items: Json<ChecklistItemJson[]>;
  version: Generated<number>;
  active: Generated<boolean>;
  updated_by: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface InspectionsTable {
  id: Generated<string>;
  organisation_id: string;
  template_id: string;
  template_version: number;
  items: Json<ChecklistItemJson[]>;
  /** "2026-11" (monthly) or "2026-Q4" (quarterly) */
  period: string;
  due_on: DateColumn;
  status: Generated<"due" | "submitted">;
  submitted_at: Timestamp | null;
  submitted_by: string | null;
  late: Generated<boolean>;
  results: ColumnType<InspectionResultJson[] | null, string | null | undefined, string | null>;
  failed_items: Generated<number>;
  created_at: DefaultTimestamp;
}

export interface EnterpriseFilesTable {
  id: Generated<string>;
  organisation_id: string;
  filename: string;
  mime: string;
  size: number;
  sha256: string;
  storage_key: string;
  public_key: string;
  uploaded_by: string | null;
  uploaded_label: Generated<string>;
  created_at: DefaultTimestamp;
}

export interface HazardsTable {
  id: Generated<string>;
  organisation_id: string;
  area_path: string;
  site_id: string | null;
  source: HazardSource;
  inspection_id: string | null;
  item_code: string | null;
  spot_check_id: string | null;
  level: HazardLevel;
  title: string;
  description: string | null;
  lat: number | null;
  lng: number | null;
  address: string | null;
  /** enterprise_files ids of the photos taken when the hazard was found */
  found_evidence: ColumnType<string[], string | undefined, string>;
  status: Generated<HazardStatus>;
  deadline: DateColumn;
  plan: string | null;
  plan_at: Timestamp | null;
  /** enterprise_files ids of the evidence of completion */
  evidence: ColumnType<string[], string | undefined, string>;
  completion_note: string | null;
  completed_at: Timestamp | null;
  closed_at: Timestamp | null;
  verified_by: string | null;
  supervising_department_id: string | null;
  supervised_at: Timestamp | null;
  supervision_note: string | null;
  version: Generated<number>;
  created_by: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface HazardActionsTable {
  id: Generated<string>;
  hazard_id: string;
  kind: string;
  from_status: HazardStatus | null;
  to_status: HazardStatus | null;
  actor_user_id: string | null;
  actor_label: string;
  department_id: string | null;
  note: string | null;
  details: Json<Record<string, unknown>>;
  at: DefaultTimestamp;
}

export interface SpotChecksTable {
  id: Generated<string>;
  department_id: string | null;
  area_path: string | null;
  drawn_by: string | null;
  drawn_label: Generated<string>;
  drawn_at: DefaultTimestamp;
  criteria: Json<Record<string, unknown>>;
  /** the weighting rule used (factor → weight) */
  weights: Json<Record<string, number>>;
  /** how many enterprises the sample was drawn from */
  population: Generated<number>;
  sample_size: number;
  note: string | null;
}

export interface SpotCheckItemsTable {
  id: Generated<string>;
  spot_check_id: string;
  organisation_id: string;
  rank: Generated<number>;
  weight: number;
  /** the factors behind the weight (open hazards, overdue, rating, warning level) */
  factors: Json<Record<string, unknown>>;
  finding: Generated<SpotCheckFinding>;
  note: string | null;
  checked_at: Timestamp | null;
  checked_by: string | null;
}

export interface InspectionTables {
  checklist_templates: ChecklistTemplatesTable;
  inspections: InspectionsTable;
  enterprise_files: EnterpriseFilesTable;
  hazards: HazardsTable;
  hazard_actions: HazardActionsTable;
  spot_checks: SpotChecksTable;
  spot_check_items: SpotCheckItemsTable;
}
