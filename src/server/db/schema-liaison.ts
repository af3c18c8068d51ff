/** Kysely table types of migration 0022 (enterprise workspace, issue 6): notices and mediation requests. */
import type { ColumnType, Generated } from "kysely";
import type { DefaultTimestamp, Timestamp } from "./schema-types.js";

type Json<T> = ColumnType<T, string, string>;
type DateColumn = ColumnType<string, string, string>;

export type NoticeStatusValue = "draft" | "sent" | "withdrawn";
export type NoticeImportanceValue = "normal" | "important" | "urgent";
export type MediationStatusValue = "pending" | "accepted" | "declined" | "withdrawn" | "closed";
export type MediationOutcomeValue = "success" | "partial" | "failed";

export interface NoticesTable {
  id: Generated<string>;
  title: string;
  body: string;
  importance: Generated<NoticeImportanceValue>;
  ack_required: Generated<boolean>;
  ack_due_on: DateColumn | null;
  /** the audience definition (shared/schemas/liaison.ts noticeAudience) */
  audience: Json<Record<string, unknown>>;
  status: Generated<NoticeStatusValue>;
  issuer_name: string;
  area_path: string;
  department_id: string | null;
  created_by: string | null;
  created_label: string;
  recipient_count: Generated<number>;
  sent_at: Timestamp | null;
  sent_by: string | null;
  sent_label: string | null;
  withdrawn_at: Timestamp | null;
  withdrawn_by: string | null;
  withdrawn_label: string | null;
  withdraw_reason: string | null;
  last_reminded_at: Timestamp | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface NoticeRecipientsTable {
  notice_id: string;
  organisation_id: string;
  read_at: Timestamp | null;
  read_by: string | null;
  read_label: string | null;
  acknowledged_at: Timestamp | null;
  acknowledged_by: string | null;
  acknowledged_label: string | null;
  last_reminded_at: Timestamp | null;
}

export interface NoticeActionsTable {
  id: Generated<string>;
  notice_id: string;
  action: string;
  actor_user_id: string | null;
  actor_label: string;
  note: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: DefaultTimestamp;
}

export interface MediationRequestsTable {
  id: Generated<string>;
  enterprise_id: string;
  association_id: string;
  case_id: string | null;
  area_path: string;
  subject: string;
  description: string;
  people_involved: number;
  worker_provinces: ColumnType<string[], string[] | undefined, string[]>;
  status: Generated<MediationStatusValue>;
  decline_reason: string | null;
  outcome: MediationOutcomeValue | null;
  outcome_note: string | null;
  sessions: Generated<number>;
  created_by: string | null;
  created_label: string;
  accepted_at: Timestamp | null;
  closed_at: Timestamp | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface MediationActionsTable {
  id: Generated<string>;
  request_id: string;
  action: string;
  from_status: MediationStatusValue | null;
  to_status: MediationStatusValue | null;
  actor_user_id: string | null;
  actor_label: string;
  note: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: DefaultTimestamp;
}

export interface LiaisonTables {
  notices: NoticesTable;
  notice_recipients: NoticeRecipientsTable;
  notice_actions: NoticeActionsTable;
  mediation_requests: MediationRequestsTable;
  mediation_actions: MediationActionsTable;
}
