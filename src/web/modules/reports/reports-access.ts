/**
 * Who sees 综治报告 (the server still decides every request): the people of
 * the coordination centre, i.e. those holding `coordination.read`.
 */
import type { MeResponse } from "../../../shared/schemas/auth.js";
import { canCoordinate } from "../coordination/coordination-access.js";

export function canUseReports(me: MeResponse | null): boolean {
  return canCoordinate(me);
}
