/** Row types of the database, as Kysely sees them. Keep in step with migrations. */
import type { ColumnType, Generated } from "kysely";
import type { DEPARTMENT_KINDS } from "../../shared/schemas/areas.js";

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp the database fills in by default. */
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

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
  created_at: DefaultTimestamp;
}

export interface UsersTable {
  id: Generated<string>;
  username: string;
  password_hash: string;
  display_name: string;
  phone: string | null;
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
  prev_hash: string;
  hash: string;
}

export interface DB {
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
}
