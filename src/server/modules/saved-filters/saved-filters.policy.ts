/** Who keeps saved filters: signed-in staff (the inbox is theirs); not API tokens, not residents. */
import { type Actor, isStaff } from "../access/access.policy.js";

export const mayKeepFilters = (a: Actor): boolean =>
  a.kind === "user" && a.userId !== null && isStaff(a);
