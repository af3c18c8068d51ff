/** Kysely table types of migration 0025 (participation, issue 7): deliberation (议事协商). */
import type { ColumnType, Generated } from "kysely";
import type { DefaultTimestamp, Timestamp } from "./schema-types.js";

type Json<T> = ColumnType<T, string, string>;
type DateColumn = ColumnType<string, string, string>;

export type ProposalStatusValue =
  | "open"
  | "submitted"
  | "answered"
  | "in_progress"
  | "done"
  | "withdrawn";
export type ProposalAnswerValue = "accepted" | "partly_accepted" | "rejected";
export type ProposerKindValue = "resident" | "volunteer" | "enterprise" | "association" | "staff";

export interface ProposalSettingsTable {
  /** the district */
  area_id: string;
  support_threshold: number;
  answer_working_days: number;
  version: Generated<number>;
  updated_by: string | null;
  updated_at: DefaultTimestamp;
}

export interface ProposalsTable {
  id: Generated<string>;
  title: string;
  body: string;
  topic: string;
  lat: number;
  lng: number;
  address: string | null;
  /** the grid the place lies in */
  area_id: string;
  area_path: string;
  community_id: string;
  community_path: string;
  proposer_user_id: string;
  proposer_label: string;
  proposer_kind: ProposerKindValue;
  proposer_organisation_id: string | null;
  status: Generated<ProposalStatusValue>;
  support_threshold: number;
  answer_working_days: number;
  local_support_count: Generated<number>;
  support_count: Generated<number>;
  department_id: string | null;
  submitted_at: Timestamp | null;
  answer_due_at: Timestamp | null;
  answer_overdue_at: Timestamp | null;
  answer: ProposalAnswerValue | null;
  answer_reason: string | null;
  answered_at: Timestamp | null;
  answered_by: string | null;
  answered_label: string | null;
  withdrawn_at: Timestamp | null;
  withdraw_reason: string | null;
  done_at: Timestamp | null;
  basis_case_codes: ColumnType<string[], string[] | undefined, string[]>;
  version: Generated<number>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface ProposalSupportsTable {
  proposal_id: string;
  user_id: string;
  /** counts towards the threshold */
  local: boolean;
  basis: "resident" | "volunteer" | null;
  comment: string | null;
  created_at: DefaultTimestamp;
}

export interface ProposalCasesTable {
  proposal_id: string;
  case_id: string;
}

export interface ProposalMilestonesTable {
  id: Generated<string>;
  proposal_id: string;
  title: string;
  due_on: DateColumn;
  status: Generated<"open" | "done">;
  note: string | null;
  created_by: string | null;
  created_label: string;
  created_at: DefaultTimestamp;
  completed_at: Timestamp | null;
  completed_by: string | null;
  completed_label: string | null;
}

export interface ProposalActionsTable {
  id: Generated<string>;
  proposal_id: string;
  action: string;
  from_status: ProposalStatusValue | null;
  to_status: ProposalStatusValue | null;
  actor_user_id: string | null;
  actor_label: string;
  note: string | null;
  details: Json<Record<string, unknown>>;
  created_at: DefaultTimestamp;
}

/** Migration 0029: a proposer's photos (bytes in the file store). */
export interface ProposalPhotosTable {
  id: Generated<string>;
  proposal_id: string;
  filename: string;
  mime: string;
  size: number;
  sha256: string;
  storage_key: string;
  /** the copy without location metadata: the only one ever sent */
  public_key: string;
  uploaded_by: string;
  created_at: DefaultTimestamp;
}

export interface ProposalTables {
  proposal_settings: ProposalSettingsTable;
  proposals: ProposalsTable;
  proposal_supports: ProposalSupportsTable;
  proposal_cases: ProposalCasesTable;
  proposal_milestones: ProposalMilestonesTable;
  proposal_actions: ProposalActionsTable;
  proposal_photos: ProposalPhotosTable;
}
