/** Kysely table types of migration 0019 (enterprise workspace, issue 6, part A). */
import type { ColumnType, Generated } from "kysely";
import type { DefaultTimestamp } from "./schema-types.js";

/** A date column: read as "YYYY-MM-DD" strings (type parser set in database.ts). */
type DateColumn = ColumnType<string, string, string>;

export type SiteKindValue =
  | "factory"
  | "dormitory"
  | "office"
  | "warehouse"
  | "shop"
  | "construction_site";

export interface EnterpriseSitesTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  kind: SiteKindValue;
  address: string;
  lat: number;
  lng: number;
  grid_id: string;
  area_path: string;
  building_id: string | null;
  active: Generated<boolean>;
  version: Generated<number>;
  created_by: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface EmploymentsTable {
  id: Generated<string>;
  organisation_id: string;
  resident_id: string;
  hired_on: DateColumn;
  left_on: DateColumn | null;
  position: string | null;
  source: "import" | "api" | "staff";
  created_by: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface WorkforceTables {
  enterprise_sites: EnterpriseSitesTable;
  employments: EmploymentsTable;
}
