/** Kysely table types of migration 0024 (participation, issue 7, part V1). */
import type { ColumnType, Generated } from "kysely";
import type { DefaultTimestamp, Timestamp } from "./schema-types.js";

/** A date column: read as "YYYY-MM-DD" strings (type parser set in database.ts). */
type DateColumn = ColumnType<string, string, string>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export type VolunteerStatusValue = "active" | "suspended" | "withdrawn";
export type TeamKindValue = "community" | "enterprise" | "association";
export type TeamRoleValue = "member" | "leader";
export type ShiftKindValue = "patrol" | "mediation" | "publicity" | "visit";
export type SignupStatusValue = "signed_up" | "checked_in" | "checked_out" | "cancelled";
export type HoursStatusValue = "pending" | "verified" | "rejected";
export type SignupActionValue =
  | "sign_up"
  | "cancel"
  | "check_in"
  | "check_out"
  | "verify"
  | "reject"
  | "correct"
  | "auto_check_out"
  | "set_check_out";
/** Who closed an attendance: its volunteer, the shift-checkouts job, or the verifier (0029). */
export type CheckoutSourceValue = "volunteer" | "auto" | "verifier";

/** One weekday (1 = Monday … 7 = Sunday) and time slot a volunteer is usually free. */
export interface AvailabilitySlot {
  weekday: number;
  slot: "morning" | "afternoon" | "evening";
}

export interface VolunteersTable {
  id: Generated<string>;
  user_id: string;
  resident_id: string | null;
  /** the preferred community (first of preferred_area_ids) */
  area_id: string | null;
  area_path: string | null;
  preferred_area_ids: ColumnType<string[], string[] | undefined, string[]>;
  status: Generated<VolunteerStatusValue>;
  skills: TextArray;
  languages: TextArray;
  dialects: TextArray;
  origin_province: string | null;
  availability: ColumnType<AvailabilitySlot[], string | undefined, string>;
  bio: string | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface TeamsTable {
  id: Generated<string>;
  name: string;
  kind: TeamKindValue;
  area_id: string;
  area_path: string;
  organisation_id: string | null;
  description: string | null;
  active: Generated<boolean>;
  created_by: string | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface TeamMembersTable {
  id: Generated<string>;
  team_id: string;
  volunteer_id: string;
  role: Generated<TeamRoleValue>;
  joined_at: DefaultTimestamp;
  left_at: Timestamp | null;
}

export interface TrainingRecordsTable {
  id: Generated<string>;
  volunteer_id: string;
  title: string;
  issuer: string;
  issued_on: DateColumn;
  valid_until: DateColumn | null;
  certificate_no: string | null;
  recorded_by: string | null;
  created_at: DefaultTimestamp;
}

export interface ShiftsTable {
  id: Generated<string>;
  kind: ShiftKindValue;
  title: string;
  description: string | null;
  area_id: string;
  area_path: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  capacity: number;
  team_id: string | null;
  case_id: string | null;
  organisation_id: string | null;
  fence_tolerance_m: Generated<number>;
  status: Generated<"open" | "cancelled">;
  created_by: string;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface ShiftSignupsTable {
  id: Generated<string>;
  shift_id: string;
  volunteer_id: string;
  status: Generated<SignupStatusValue>;
  checked_in_at: Timestamp | null;
  check_in_lat: number | null;
  check_in_lng: number | null;
  check_in_accuracy: number | null;
  checked_out_at: Timestamp | null;
  check_out_lat: number | null;
  check_out_lng: number | null;
  check_out_accuracy: number | null;
  minutes: number | null;
  hours_status: HoursStatusValue | null;
  verified_by: string | null;
  verified_at: Timestamp | null;
  reject_reason: string | null;
  cancelled_at: Timestamp | null;
  /** migration 0029; null on rows checked out before it existed: read as 'volunteer' */
  checkout_source: CheckoutSourceValue | null;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface ShiftSignupActionsTable {
  id: Generated<string>;
  signup_id: string;
  action: SignupActionValue;
  actor_user_id: string | null;
  old_minutes: number | null;
  new_minutes: number | null;
  reason: string | null;
  /** set_check_out (0029): the check-out time before and after */
  old_checked_out_at: Timestamp | null;
  new_checked_out_at: Timestamp | null;
  created_at: DefaultTimestamp;
}

export interface ShiftObservationsTable {
  id: Generated<string>;
  shift_id: string;
  signup_id: string;
  volunteer_id: string;
  case_id: string;
  created_at: DefaultTimestamp;
}

/** Migration 0035: a volunteer's answer to an invitation to mediate a dispute case. */
export interface MediationInvitationsTable {
  id: Generated<string>;
  case_id: string;
  volunteer_id: string;
  user_id: string;
  task: string;
  invited_by: string | null;
  status: Generated<"pending" | "accepted" | "declined">;
  reason: string | null;
  party_id: string | null;
  responded_at: Timestamp | null;
  created_at: DefaultTimestamp;
}

export interface VolunteerTables {
  volunteers: VolunteersTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  training_records: TrainingRecordsTable;
  shifts: ShiftsTable;
  shift_signups: ShiftSignupsTable;
  shift_signup_actions: ShiftSignupActionsTable;
  shift_observations: ShiftObservationsTable;
  mediation_invitations: MediationInvitationsTable;
}
