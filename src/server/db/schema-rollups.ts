/** Kysely table types of migration 0030 (coordination centre, issue 8): case rollups. */

export interface CaseRollupCounters {
  received: number;
  dispatched: number;
  accepted: number;
  accepted_on_time: number;
  resolved: number;
  resolved_on_time: number;
  closed: number;
  rated: number;
  rating_sum: number;
  satisfied: number;
  reopened: number;
  returned: number;
  reassigned: number;
  supervised: number;
  escalated: number;
  withdrawn: number;
  merged: number;
  tasks_assigned: number;
  tasks_done: number;
  closed_multi_subject: number;
  closed_multi_kind: number;
  bounced: number;
  /** received cases that repeat an earlier one of the family at the place (0036) */
  repeated: number;
  accept_hours: number;
  resolve_hours: number;
}

export interface CaseRollupsTable extends CaseRollupCounters {
  grain: "day" | "month";
  area_path: string;
  dim: "all" | "department" | "family" | "category";
  key: string;
  period: string;
}

export interface CaseOpenCountsTable {
  area_path: string;
  family: string;
  open: number;
}

export interface CaseCollaborationsTable {
  area_path: string;
  period: string;
  subject_a: string;
  subject_b: string;
  cases: number;
}

export interface CaseRollupQueueTable {
  action_id: string;
}

export interface RollupTables {
  case_rollups: CaseRollupsTable;
  case_open_counts: CaseOpenCountsTable;
  case_collaborations: CaseCollaborationsTable;
  case_rollup_queue: CaseRollupQueueTable;
}
