/** Row types of the database, as Kysely sees them. Keep in step with migrations. */

import type { ColumnType, Generated } from "kysely";
import type { DEPARTMENT_KINDS } from "../../shared/schemas/areas.js";
import type { GridRiskTables } from "./schema-grid-risk.js";
import type { InspectionTables } from "./schema-inspections.js";
import type { LiaisonTables } from "./schema-liaison.js";
import type { MeetingTables } from "./schema-meetings.js";
import type { PointsTables } from "./schema-points.js";
import type { ProposalTables } from "./schema-proposals.js";
import type { ReportBroadcastTables } from "./schema-reports.js";
import type { RiskTables } from "./schema-risk.js";
import type { RollupTables } from "./schema-rollups.js";
import type { DefaultTimestamp, Timestamp } from "./schema-types.js";
import type { VolunteerTables } from "./schema-volunteers.js";
import type { WorkforceTables } from "./schema-workforce.js";

export interface AreasTable {
  id: Generated<string>;
  code: string;
  name: string;
  level: "district" | "street" | "community" | "grid";
  parent_id: string | null;
  path: string;
  boundary: ColumnType<unknown, string | null, string | null> | null;
  min_lng: number | null;
  min_lat: number | null;
  max_lng: number | null;
  max_lat: number | null;
  centroid_lng: number | null;
  centroid_lat: number | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface DepartmentsTable {
  id: Generated<string>;
  code: string;
  name: string;
  kind: (typeof DEPARTMENT_KINDS)[number];
  parent_id: string | null;
  area_id: string;
  phone: string | null;
  created_at: DefaultTimestamp;
}

export interface DepartmentAreasTable {
  department_id: string;
  area_id: string;
}

export interface OrganisationsTable {
  id: Generated<string>;
  kind: "enterprise" | "association";
  name: string;
  area_id: string;
  area_path: string;
  uscc: string | null;
  unit_id: string | null;
  address: string | null;
  industry: string | null;
  size: "micro" | "small" | "medium" | "large" | null;
  legal_representative: string | null;
  safety_officer: string | null;
  safety_officer_phone_enc: string | null;
  safety_officer_phone_masked: string | null;
  association_kind: "hometown" | "trade" | "new_citizen" | "social" | null;
  provinces: ColumnType<string[], string[] | undefined, string[]>;
  dialects: ColumnType<string[], string[] | undefined, string[]>;
  sectors: ColumnType<string[], string[] | undefined, string[]>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

/** A date column: read as "YYYY-MM-DD" strings (type parser set in database.ts). */
type DateColumn = ColumnType<string, string, string>;

export interface BuildingsTable {
  id: Generated<string>;
  grid_id: string;
  area_path: string;
  road: string;
  house_number: string;
  building_no: string | null;
  estate: string | null;
  address: string;
  lng: number;
  lat: number;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface UnitsTable {
  id: Generated<string>;
  building_id: string;
  area_path: string;
  unit_no: string;
  floor: number | null;
  /** numeric comes back as a string */
  floor_area_m2: ColumnType<string | null, number | string | null, number | string | null>;
  address: string;
  is_rental: Generated<boolean>;
  landlord_resident_id: string | null;
  landlord_organisation_id: string | null;
  declared_capacity: number | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface ResidentsTable {
  id: Generated<string>;
  name: string;
  id_number_enc: string;
  id_number_index: string;
  id_number_masked: string;
  gender: "male" | "female";
  birth_date: DateColumn;
  region_code: string;
  origin_province: string;
  origin_city: string | null;
  phone_enc: string | null;
  phone_index: string | null;
  phone_masked: string | null;
  arrival_date: DateColumn | null;
  unit_id: string | null;
  employer_id: string | null;
  /** The resident's own account, when they have one. */
  user_id: string | null;
  status: Generated<"registered" | "permit_holder" | "departed">;
  registered_since: DateColumn | null;
  area_path: string | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface ResidenceRegistrationsTable {
  id: Generated<string>;
  resident_id: string;
  unit_id: string;
  moved_in: DateColumn;
  moved_out: DateColumn | null;
  channel: "self" | "grid_worker" | "landlord" | "enterprise" | "import" | "staff";
  registered_by: string | null;
  created_at: DefaultTimestamp;
}

export interface ImportsTable {
  id: Generated<string>;
  kind: "residents" | "units" | "organisations";
  filename: string;
  status: Generated<"running" | "done" | "failed">;
  total_rows: Generated<number>;
  inserted_rows: Generated<number>;
  unchanged_rows: Generated<number>;
  error_rows: Generated<number>;
  errors: ColumnType<unknown, string | undefined, string>;
  message: string | null;
  created_by: string | null;
  created_at: DefaultTimestamp;
  finished_at: Timestamp | null;
  heartbeat_at: DefaultTimestamp;
}

export interface UsersTable {
  id: Generated<string>;
  username: string;
  password_hash: string;
  display_name: string;
  /** encrypted (field-crypto, context users.phone) */
  phone_enc: string | null;
  phone_masked: string | null;
  /** as given (trimmed); unique regardless of case */
  email: ColumnType<string | null, string | null | undefined, string | null>;
  status: Generated<"active" | "locked" | "disabled">;
  locked_until: Timestamp | null;
  failed_logins: Generated<number>;
  password_changed_at: DefaultTimestamp;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface RoleGrantsTable {
  id: Generated<string>;
  user_id: string;
  role: string;
  scope_kind: "area" | "department" | "organisation" | "self";
  area_id: string | null;
  department_id: string | null;
  organisation_id: string | null;
  granted_by: string | null;
  created_at: DefaultTimestamp;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: DefaultTimestamp;
  last_seen_at: DefaultTimestamp;
  expires_at: Timestamp;
}

export interface LoginFailuresTable {
  id: Generated<string>;
  username: string;
  ip: string;
  at: DefaultTimestamp;
}

export interface ApiTokensTable {
  id: Generated<string>;
  name: string;
  token_hash: string;
  token_prefix: string;
  scopes: string[];
  created_by: string | null;
  created_at: DefaultTimestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: Timestamp;
  actor_user_id: string | null;
  actor_token_id: string | null;
  actor_label: string;
  action: string;
  subject_type: string;
  subject_id: string | null;
  details: ColumnType<Record<string, unknown>, string, never>;
  request_id: string | null;
  /** null until the chainer links the row (modules/audit) */
  prev_hash: string | null;
  hash: string | null;
  chain_seq: string | null;
}

type Json<T> = ColumnType<T, string | undefined, string>;

export type CaseStatusValue =
  | "reported"
  | "verified"
  | "dispatched"
  | "accepted"
  | "in_progress"
  | "resolved"
  | "returned"
  | "closed"
  | "withdrawn"
  | "merged";
export type CaseSeverityValue = "low" | "normal" | "high" | "urgent";
export type CaseChannelValue =
  | "web"
  | "anonymous"
  | "patrol"
  | "enterprise"
  | "volunteer"
  | "hotline"
  | "api";

export interface CaseCategoriesTable {
  code: string;
  name: string;
  parent_code: string | null;
  severity: CaseSeverityValue;
  invalid: Generated<boolean>;
  redirect: string | null;
  sensitive: Generated<boolean>;
  verify: Generated<boolean>;
  accept_hours: number;
  resolve_days: number;
  fields: Json<unknown>;
  description: string | null;
  service_notice: string | null;
  sort: Generated<number>;
  version: Generated<number>;
  retired_at: Timestamp | null;
  updated_at: DefaultTimestamp;
}

export interface CaseCategoryVersionsTable {
  category_code: string;
  version: number;
  change: "created" | "updated" | "retired" | "restored";
  snapshot: Json<unknown>;
  note: string | null;
  changed_by: string | null;
  changed_at: DefaultTimestamp;
}

/** A party named by a routing rule: a department kind resolved by place, or a fixed party. */
export type RoutingPartyRef =
  | { kind: string }
  | { departmentId: string }
  | { organisationId: string };

export interface RoutingRulesTable {
  id: Generated<string>;
  category_code: string;
  area_id: string | null;
  area_path: string | null;
  conditions: Json<Record<string, unknown>>;
  lead: Json<RoutingPartyRef>;
  assist: Json<RoutingPartyRef[]>;
  note: string | null;
  active: Generated<boolean>;
  version: Generated<number>;
  updated_by: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface CasesTable {
  id: Generated<string>;
  code: string;
  category_code: string;
  severity: CaseSeverityValue;
  status: CaseStatusValue;
  description: string;
  fields: Json<Record<string, string | number | boolean>>;
  lat: number;
  lng: number;
  address: string | null;
  grid_id: string | null;
  area_path: string;
  channel: CaseChannelValue;
  reporter_user_id: string | null;
  reporter_organisation_id: string | null;
  reporter_token_id: string | null;
  on_behalf_name: string | null;
  on_behalf_phone_enc: string | null;
  on_behalf_phone_masked: string | null;
  anonymous_secret_hash: string | null;
  lead_department_id: string | null;
  routing_rule_id: string | null;
  merged_into_id: string | null;
  supervised: Generated<boolean>;
  escalation_level: Generated<number>;
  dispatched_at: Timestamp | null;
  accept_due_at: Timestamp | null;
  resolve_due_at: Timestamp | null;
  accepted_at: Timestamp | null;
  resolved_at: Timestamp | null;
  closed_at: Timestamp | null;
  feedback_rating: number | null;
  feedback_comment: string | null;
  extension_requested_days: number | null;
  paused_at: Timestamp | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface CasePartiesTable {
  id: Generated<string>;
  case_id: string;
  role: "lead" | "assist" | "mediator";
  department_id: string | null;
  organisation_id: string | null;
  /** a volunteer's account, when the party is a volunteer mediator (role 'mediator', 0024) */
  user_id: ColumnType<string | null, string | null | undefined, string | null>;
  task: string | null;
  status: Generated<"open" | "done">;
  active: Generated<boolean>;
  created_at: DefaultTimestamp;
  due_at: Timestamp | null;
  completed_at: Timestamp | null;
  note: string | null;
}

export interface CaseActionsTable {
  id: Generated<string>;
  case_id: string;
  action: string;
  from_status: CaseStatusValue | null;
  to_status: CaseStatusValue | null;
  actor_user_id: string | null;
  actor_label: string;
  department_id: string | null;
  note: string | null;
  visibility: Generated<"internal" | "public">;
  details: Json<Record<string, unknown>>;
  created_at: DefaultTimestamp;
}

export interface NotificationsTable {
  id: Generated<string>;
  user_id: string;
  kind: string;
  case_id: string | null;
  title: string;
  body: string | null;
  read_at: Timestamp | null;
  created_at: DefaultTimestamp;
  delivered_at: Timestamp | null;
  /** one entry per channel ("sms:log", "email:smtp", "email:smtp:failed"), or ["app"] */
  delivery: string[] | null;
  /** the in-app page the bell opens (for what is not a case) */
  link: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  status_code: number;
  response: Json<unknown>;
  created_at: DefaultTimestamp;
}

export interface CaseEscalationsTable {
  case_id: string;
  kind: "due_soon" | "overdue";
  level: number;
  due_at: Timestamp;
  created_at: DefaultTimestamp;
}

export interface RoutingRuleVersionsTable {
  rule_id: string;
  version: number;
  change: "created" | "updated" | "deactivated" | "reactivated";
  snapshot: Json<Record<string, unknown>>;
  changed_by: string | null;
  changed_at: DefaultTimestamp;
}

export interface CaseAttachmentsTable {
  id: Generated<string>;
  case_id: string;
  filename: string;
  mime: string;
  size: number;
  sha256: string;
  storage_key: string;
  public_key: string;
  visibility: "internal" | "public";
  uploaded_by: string | null;
  uploaded_label: string;
  created_at: DefaultTimestamp;
}

export interface SavedFiltersTable {
  id: Generated<string>;
  user_id: string;
  scope: "cases";
  name: string;
  query: Json<Record<string, unknown>>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface DB
  extends WorkforceTables,
    InspectionTables,
    RiskTables,
    LiaisonTables,
    VolunteerTables,
    ProposalTables,
    PointsTables,
    RollupTables,
    MeetingTables,
    GridRiskTables,
    ReportBroadcastTables {
  areas: AreasTable;
  departments: DepartmentsTable;
  department_areas: DepartmentAreasTable;
  organisations: OrganisationsTable;
  users: UsersTable;
  role_grants: RoleGrantsTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  buildings: BuildingsTable;
  units: UnitsTable;
  residents: ResidentsTable;
  residence_registrations: ResidenceRegistrationsTable;
  imports: ImportsTable;
  case_categories: CaseCategoriesTable;
  case_category_versions: CaseCategoryVersionsTable;
  routing_rules: RoutingRulesTable;
  cases: CasesTable;
  case_parties: CasePartiesTable;
  case_actions: CaseActionsTable;
  notifications: NotificationsTable;
  idempotency_keys: IdempotencyKeysTable;
  case_escalations: CaseEscalationsTable;
  routing_rule_versions: RoutingRuleVersionsTable;
  case_attachments: CaseAttachmentsTable;
  saved_filters: SavedFiltersTable;
}
