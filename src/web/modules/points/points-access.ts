/** Who sees the participation figures (the server still decides, per community). */
import type { MeResponse } from "../../../shared/schemas/auth.js";

export function canSeeParticipation(me: MeResponse | null): boolean {
  return (
    me?.grants.some(
      (g) =>
        (g.role === "admin" || g.role === "coordinator" || g.role === "grid_worker") &&
        g.scopeKind === "area",
    ) ?? false
  );
}
