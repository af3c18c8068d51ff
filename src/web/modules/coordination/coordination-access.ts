/**
 * Who sees 综治中心 (the server still decides every request): the
 * `coordination.read` permission, held by admins and coordinators.
 */
import type { MeResponse } from "../../../shared/schemas/auth.js";
import { hasPermission } from "../../auth/access.js";

export function canCoordinate(me: MeResponse | null): boolean {
  return hasPermission(me, "coordination.read");
}

/** The codes of the areas the user coordinates: where the breadcrumb may start. */
export function coordinatedAreaCodes(me: MeResponse | null): string[] {
  return (me?.grants ?? []).flatMap((g) =>
    (g.role === "admin" || g.role === "coordinator") && g.scopeKind === "area" && g.scope?.code
      ? [g.scope.code]
      : [],
  );
}
