/**
 * The responsibility list (权责清单) as a pure choice: of the active rules
 * that match a case (its category or the category's family, its place, and
 * any conditions), the most specific wins. A leaf category beats its family;
 * a rule for a smaller area beats one for a larger; more conditions beat
 * fewer; among equals the oldest rule wins, so the outcome never depends on
 * the order rows come back in.
 */
import type { RoutingPartyRef } from "../../db/schema.js";

export interface RuleConditions {
  /** the case's severity is one of these */
  severity?: string[];
  /** each field condition must hold on the case's extra fields */
  fields?: { code: string; op: "eq" | "gte" | "lte"; value: string | number | boolean }[];
}

export interface RoutingRule {
  id: string;
  categoryCode: string;
  /** null: the whole district */
  areaPath: string | null;
  conditions: RuleConditions;
  lead: RoutingPartyRef;
  assist: RoutingPartyRef[];
}

export interface RoutableCase {
  categoryCode: string;
  /** the category's family (its top-level code) */
  family: string;
  areaPath: string;
  severity: string;
  fields: Record<string, string | number | boolean>;
}

function conditionsHold(c: RuleConditions, k: RoutableCase): boolean {
  if (c.severity && !c.severity.includes(k.severity)) return false;
  for (const f of c.fields ?? []) {
    const v = k.fields[f.code];
    if (v === undefined) return false;
    if (f.op === "eq" && v !== f.value) return false;
    if (f.op === "gte" && !(typeof v === "number" && typeof f.value === "number" && v >= f.value))
      return false;
    if (f.op === "lte" && !(typeof v === "number" && typeof f.value === "number" && v <= f.value))
      return false;
  }
  return true;
}

/** Does the rule apply to the case at all? */
export function ruleMatches(rule: RoutingRule, k: RoutableCase): boolean {
  if (rule.categoryCode !== k.categoryCode && rule.categoryCode !== k.family) return false;
  if (rule.areaPath !== null && !k.areaPath.startsWith(rule.areaPath)) return false;
  return conditionsHold(rule.conditions, k);
}

/** Higher is more specific: category first, then area depth, then conditions. */
export function ruleSpecificity(rule: RoutingRule, k: RoutableCase): number {
  const category = rule.categoryCode === k.categoryCode && k.categoryCode !== k.family ? 2 : 1;
  const depth = rule.areaPath === null ? 0 : rule.areaPath.split("/").filter(Boolean).length;
  const conditions =
    (rule.conditions.severity ? 1 : 0) +
    (rule.conditions.fields ? rule.conditions.fields.length : 0);
  return category * 10_000 + depth * 100 + conditions;
}

/** The winning rule, or null when none matches (the case goes to the coordination queue). */
export function chooseRule(rules: readonly RoutingRule[], k: RoutableCase): RoutingRule | null {
  let best: RoutingRule | null = null;
  let bestScore = -1;
  for (const r of rules) {
    if (!ruleMatches(r, k)) continue;
    const s = ruleSpecificity(r, k);
    if (s > bestScore || (s === bestScore && best !== null && BigInt(r.id) < BigInt(best.id))) {
      best = r;
      bestScore = s;
    }
  }
  return best;
}
