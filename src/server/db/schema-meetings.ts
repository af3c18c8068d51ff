/** Kysely table types of migration 0031 (issue 8: joint meetings and the bounce agenda). */
import type { ColumnType, Generated } from "kysely";
import type { DefaultTimestamp, Timestamp } from "./schema-types.js";

type Json<T> = ColumnType<T, string | undefined, string>;
type DateColumn = ColumnType<string, string, string>;

export type MeetingStatusValue = "scheduled" | "held" | "closed" | "cancelled";
export type AgendaKindValue = "bounced_case" | "supervised_case" | "proposal" | "warning" | "other";
export type AgendaStatusValue = "open" | "concluded" | "dropped";
export type ActionItemStatusValue = "open" | "done" | "cancelled";

export interface MeetingSettingsTable {
  /** the district */
  area_id: string;
  bounce_threshold: number;
  version: Generated<number>;
  updated_by: string | null;
  updated_at: DefaultTimestamp;
}

export interface MeetingsTable {
  id: Generated<string>;
  area_id: string;
  area_path: string;
  title: string;
  scheduled_at: Timestamp;
  place: string;
  status: Generated<MeetingStatusValue>;
  minutes: string | null;
  cancel_reason: string | null;
  held_at: Timestamp | null;
  closed_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  created_by: string | null;
  created_label: string;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface MeetingParticipantsTable {
  id: Generated<string>;
  meeting_id: string;
  department_id: string | null;
  organisation_id: string | null;
  attended: boolean | null;
  invited_at: DefaultTimestamp;
}

export interface MeetingAgendaItemsTable {
  id: Generated<string>;
  meeting_id: string | null;
  area_path: string;
  kind: AgendaKindValue;
  case_id: string | null;
  proposal_id: string | null;
  organisation_id: string | null;
  subject_key: string | null;
  title: string;
  reason: string | null;
  details: Json<Record<string, unknown>>;
  source: "detector" | "manual";
  status: Generated<AgendaStatusValue>;
  outcome: string | null;
  ruling: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  settled_at: Timestamp | null;
  settled_by: string | null;
  settled_label: string | null;
  settled_action_id: string | null;
  position: Generated<number>;
  created_by: string | null;
  created_label: string;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface MeetingActionItemsTable {
  id: Generated<string>;
  meeting_id: string;
  agenda_item_id: string | null;
  title: string;
  owner_department_id: string | null;
  owner_organisation_id: string | null;
  due_on: DateColumn;
  status: Generated<ActionItemStatusValue>;
  done_note: string | null;
  done_at: Timestamp | null;
  done_by: string | null;
  done_label: string | null;
  cancel_reason: string | null;
  overdue_notified_at: Timestamp | null;
  created_by: string | null;
  created_label: string;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface MeetingActionsTable {
  id: Generated<string>;
  meeting_id: string;
  action: string;
  actor_user_id: string | null;
  actor_label: string;
  note: string | null;
  details: Json<Record<string, unknown>>;
  created_at: DefaultTimestamp;
}

export type MeetingTables = {
  meeting_settings: MeetingSettingsTable;
  meetings: MeetingsTable;
  meeting_participants: MeetingParticipantsTable;
  meeting_agenda_items: MeetingAgendaItemsTable;
  meeting_action_items: MeetingActionItemsTable;
  meeting_actions: MeetingActionsTable;
};
