/** Who sees the wage-warning list: mirrors mayListWageWarnings on the server (the server still decides). */
import type { MeResponse } from "../../../shared/schemas/auth.js";

const AREA_STAFF = ["admin", "coordinator", "department_officer", "grid_worker"];

export function canSeeWageWarnings(me: MeResponse | null): boolean {
  return me?.grants.some((g) => AREA_STAFF.includes(g.role) && g.scope !== null) ?? false;
}
