/** The responsibility-list endpoints (/api/routing-rules), the departments a rule may name, and the preview. */
import type { z } from "zod";
import type {
  routingPreviewBody,
  routingPreviewSchema,
  routingRuleBody,
  routingRuleSchema,
  updateRoutingRuleBody,
} from "../../../shared/schemas/cases.js";
import { api } from "../../api/client.js";
import type { DepartmentOption } from "../../ui/search-picker.js";

export type RoutingRule = z.infer<typeof routingRuleSchema>;
export type RoutingRuleInput = z.input<typeof routingRuleBody>;
export type RoutingRuleUpdate = z.input<typeof updateRoutingRuleBody>;
export type RoutingPreviewInput = z.input<typeof routingPreviewBody>;
export type RoutingPreview = z.infer<typeof routingPreviewSchema>;
export type PartyRef = RoutingRule["lead"]["ref"];
export type RuleChange = "created" | "updated" | "deactivated" | "reactivated";
export interface RoutingRuleDetail extends RoutingRule {
  history: {
    version: number;
    change: RuleChange;
    snapshot: Record<string, unknown>;
    changedAt: string;
    changedBy: string | null;
  }[];
}
export type ActiveFilter = "true" | "false" | "all";

const sig = (signal?: AbortSignal) => (signal ? { signal } : {});
const one = (id: string) => `/api/routing-rules/${encodeURIComponent(id)}`;

export function listRoutingRules(
  f: { category?: string | undefined; active: ActiveFilter; limit: number; offset: number },
  signal?: AbortSignal,
) {
  return api<{ items: RoutingRule[]; total: number }>("/api/routing-rules", {
    query: { ...f },
    ...sig(signal),
  });
}

export function getRoutingRule(id: string, signal?: AbortSignal) {
  return api<RoutingRuleDetail>(one(id), sig(signal));
}

export function createRoutingRule(body: RoutingRuleInput) {
  return api<RoutingRuleDetail>("/api/routing-rules", { method: "POST", body });
}

export function updateRoutingRule(id: string, body: RoutingRuleUpdate) {
  return api<RoutingRuleDetail>(one(id), { method: "PATCH", body });
}

export function previewRouting(body: RoutingPreviewInput) {
  return api<RoutingPreview>("/api/routing-rules/preview", { method: "POST", body });
}

/** Every department (a district has a few dozen), for the lead and assisting pickers. */
export function listAllDepartments(signal?: AbortSignal) {
  return api<{ items: DepartmentOption[]; total: number }>("/api/departments", {
    query: { limit: 200 },
    ...sig(signal),
  });
}
