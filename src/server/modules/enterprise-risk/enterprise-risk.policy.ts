/**
 * Who may see and do what in the enterprise risk module, as pure functions of
 * the actor. Staff see the enterprises of their area (the SQL filter uses
 * `riskScopeOf`); an enterprise officer sees, declares and corrects only for
 * their own enterprise.
 */

import { isEnterpriseRole } from "../../../shared/roles.js";
import { type Actor, dataScopeOf, type Rule } from "../access/access.policy.js";

/** The enterprises the actor may read: by area (staff) or their own (enterprise officers). */
export function riskScopeOf(actor: Actor) {
  const s = dataScopeOf(actor);
  return { areaPaths: s.areaPaths, organisationIds: s.organisationIds };
}

/** Is the actor an officer or manager of this enterprise? */
export function isOwnEnterprise(actor: Actor, organisationId: string): boolean {
  return actor.grants.some((g) => isEnterpriseRole(g.role) && g.scopeId === organisationId);
}

/** Only the enterprise itself declares and corrects its payroll. */
export const canDeclarePayroll = isOwnEnterprise;

/** The enterprise's managers (企业负责人) sign its declarations. */
export function canSignPayroll(actor: Actor, organisationId: string): boolean {
  return actor.grants.some((g) => g.role === "enterprise_manager" && g.scopeId === organisationId);
}

/** Any grant that could make an enterprise visible (the record itself decides, else 404). */
export const mayReadAnyRisk: Rule = (a) => {
  const s = riskScopeOf(a);
  return s.areaPaths.length > 0 || s.organisationIds.length > 0;
};

/** The government list of warnings: staff with an area (their own or their department's). */
export const mayListWageWarnings: Rule = (a) => riskScopeOf(a).areaPaths.length > 0;
