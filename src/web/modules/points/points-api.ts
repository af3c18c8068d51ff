/** Points and participation endpoints (/api/points, /api/participation). */
import type { z } from "zod";
import type {
  leaderboardSchema,
  Participant,
  ParticipationSummary,
  PointsEntry,
  PointsStatement,
  Rung,
} from "../../../shared/schemas/points.js";
import { api, buildUrl } from "../../api/client.js";

export type { Participant, ParticipationSummary, PointsEntry, PointsStatement, Rung };
export type Leaderboard = z.infer<typeof leaderboardSchema>;

const sig = (signal?: AbortSignal) => (signal ? { signal } : {});

export function getStatement(
  q: { userId?: string | undefined; limit: number; offset: number },
  signal?: AbortSignal,
) {
  return api<PointsStatement>("/api/points", { query: { ...q }, ...sig(signal) });
}

export const statementXlsxUrl = (userId?: string) =>
  buildUrl("/api/points/statement.xlsx", userId ? { userId } : undefined);

export function setLeaderboardOptIn(optIn: boolean) {
  return api<{ optIn: boolean }>("/api/points/leaderboard", { method: "PUT", body: { optIn } });
}

export function getLeaderboard(community: string, signal?: AbortSignal) {
  return api<Leaderboard>("/api/points/leaderboard", { query: { community }, ...sig(signal) });
}

export function correctEntry(body: { entryId: string; amount: number; reason: string }) {
  return api<{ id: string }>("/api/points/corrections", { method: "POST", body });
}

export function getMyParticipation(signal?: AbortSignal) {
  return api<Participant>("/api/participation/me", sig(signal));
}

/** Whose participation: a community's people, or an organisation's volunteers. */
export type ParticipationScope = { community: string } | { organisationId: string };

export function getParticipationSummary(scope: ParticipationScope, signal?: AbortSignal) {
  return api<ParticipationSummary>("/api/participation/summary", {
    query: { ...scope },
    ...sig(signal),
  });
}

export function listParticipants(
  q: ParticipationScope & {
    rung?: Rung | undefined;
    superficial?: "true" | undefined;
    q?: string | undefined;
    limit: number;
    offset: number;
  },
  signal?: AbortSignal,
) {
  return api<{ items: Participant[]; total: number }>("/api/participation", {
    query: { ...q },
    ...sig(signal),
  });
}
