/** Kysely table types of migration 0033 (issue 8: district reports and broadcasts). */
import type { ColumnType, Generated } from "kysely";
import type { DefaultTimestamp, Timestamp } from "./schema-types.js";

type Json<T> = ColumnType<T, string, string>;
type DateColumn = ColumnType<string, string, string>;
/** bytea: written as a Buffer; PGlite reads it back as a Uint8Array. */
type Bytes = ColumnType<Uint8Array, Buffer | Uint8Array, Buffer | Uint8Array>;

export type ReportKindValue = "weekly" | "monthly";
export type BroadcastStatusValue = "draft" | "sending" | "sent";
export type BroadcastCategoryValue = "anti_fraud" | "safety" | "emergency" | "policy" | "other";

export interface ReportSchedulesTable {
  id: Generated<string>;
  area_id: string;
  area_path: string;
  kind: ReportKindValue;
  active: Generated<boolean>;
  created_by: string | null;
  created_label: string;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface ReportScheduleRecipientsTable {
  schedule_id: string;
  user_id: string;
}

export interface ReportsTable {
  id: Generated<string>;
  area_id: string;
  area_path: string;
  area_name: string;
  kind: ReportKindValue;
  period: string;
  period_from: DateColumn;
  period_to: DateColumn;
  complete: boolean;
  content: Json<Record<string, unknown>>;
  xlsx: Bytes;
  source: "manual" | "schedule";
  generated_by: string | null;
  generated_label: string;
  generated_at: DefaultTimestamp;
  version: Generated<number>;
}

export interface BroadcastsTable {
  id: Generated<string>;
  title: string;
  body: string;
  category: BroadcastCategoryValue;
  audience: Json<Record<string, unknown>>;
  sms: Generated<boolean>;
  status: Generated<BroadcastStatusValue>;
  issuer_name: string;
  area_path: string;
  department_id: string | null;
  created_by: string | null;
  created_label: string;
  sent_at: Timestamp | null;
  sent_by: string | null;
  sent_label: string | null;
  completed_at: Timestamp | null;
  cursor: string | null;
  materialised: Generated<boolean>;
  targeted_count: Generated<number>;
  unreachable_count: Generated<number>;
  delivered_count: Generated<number>;
  in_app_count: Generated<number>;
  sms_sent_count: Generated<number>;
  failed_count: Generated<number>;
  read_count: Generated<number>;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface BroadcastDeliveriesTable {
  id: Generated<string>;
  broadcast_id: string;
  resident_id: string | null;
  user_id: string | null;
  in_app: boolean;
  sms: boolean;
  delivered_at: Timestamp | null;
  in_app_at: Timestamp | null;
  sms_status: "sent" | "failed" | null;
  sms_sender: string | null;
  read_at: Timestamp | null;
}

export interface BroadcastActionsTable {
  id: Generated<string>;
  broadcast_id: string;
  action: string;
  actor_user_id: string | null;
  actor_label: string;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: DefaultTimestamp;
}

export interface ReportBroadcastTables {
  report_schedules: ReportSchedulesTable;
  report_schedule_recipients: ReportScheduleRecipientsTable;
  reports: ReportsTable;
  broadcasts: BroadcastsTable;
  broadcast_deliveries: BroadcastDeliveriesTable;
  broadcast_actions: BroadcastActionsTable;
}
