/** Who sees the participation figures (the server still decides, per community or organisation). */
import type { MeResponse } from "../../../shared/schemas/auth.js";

/** Roles that read the depth of their own organisation's volunteers (its teams). */
const ORGANISATION_ROLES = ["association_rep", "enterprise_officer", "enterprise_manager"];

export function canSeeParticipation(me: MeResponse | null): boolean {
  return (
    me?.grants.some(
      (g) =>
        ((g.role === "admin" || g.role === "coordinator" || g.role === "grid_worker") &&
          g.scopeKind === "area") ||
        (ORGANISATION_ROLES.includes(g.role) && g.scopeKind === "organisation"),
    ) ?? false
  );
}

/**
 * The organisation whose volunteers the page shows, for someone who reads
 * participation only as an organisation's representative (no area to pick
 * communities in); null for staff with an area.
 */
export function participationOrganisation(
  me: MeResponse | null,
): { id: string; name: string } | null {
  if (!me || me.grants.some((g) => g.scopeKind === "area")) return null;
  const g = me.grants.find(
    (x) => ORGANISATION_ROLES.includes(x.role) && x.scopeKind === "organisation" && x.scope?.id,
  );
  return g?.scope?.id ? { id: g.scope.id, name: g.scope.name ?? "" } : null;
}
