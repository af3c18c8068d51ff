/** Volunteers, teams, shifts and hours endpoints (/api/volunteers, /api/teams, /api/shifts). */
import type { z } from "zod";
import type {
  HoursEntry,
  hoursHistorySchema,
  MyMediation,
  MyVolunteer,
  mediatorSearchSchema,
  observationSchema,
  Shift,
  ShiftDetail,
  Signup,
  Team,
  TeamDetail,
  Volunteer,
  VolunteerDetail,
} from "../../../shared/schemas/volunteers.js";
import { api } from "../../api/client.js";

export type {
  HoursEntry,
  MyVolunteer,
  Shift,
  ShiftDetail,
  Signup,
  Team,
  TeamDetail,
  Volunteer,
  VolunteerDetail,
};
export type HoursHistoryEntry = z.infer<typeof hoursHistorySchema>;
export type MediatorSearch = z.infer<typeof mediatorSearchSchema>;
export type Observation = z.infer<typeof observationSchema>;
export interface Page<T> {
  items: T[];
  total: number;
}
type Q = Record<string, string | number | boolean | undefined>;

const sig = (signal?: AbortSignal) => (signal ? { signal } : {});

// --------------------------------------------------------------- volunteers
export const getMyVolunteer = (signal?: AbortSignal) =>
  api<MyVolunteer>("/api/volunteers/me", sig(signal));

export const signUpVolunteer = (body: Record<string, unknown>) =>
  api<VolunteerDetail>("/api/volunteers", { method: "POST", body });

export const updateMyVolunteer = (body: Record<string, unknown>) =>
  api<VolunteerDetail>("/api/volunteers/me", { method: "PATCH", body });

export const listVolunteers = (query: Q, signal?: AbortSignal) =>
  api<Page<Volunteer>>("/api/volunteers", { query, ...sig(signal) });

export const getVolunteer = (id: string, signal?: AbortSignal) =>
  api<VolunteerDetail>(`/api/volunteers/${id}`, sig(signal));

export const addTraining = (id: string, body: Record<string, unknown>) =>
  api<VolunteerDetail>(`/api/volunteers/${id}/training`, { method: "POST", body });

export type Mediation = MyMediation;
export const getMyMediations = (signal?: AbortSignal) =>
  api<Page<MyMediation>>("/api/volunteers/me/mediations", sig(signal));

export const acceptMediation = (invitationId: string) =>
  api<MyMediation>(`/api/volunteers/me/mediations/${invitationId}/accept`, { method: "POST" });

export const declineMediation = (invitationId: string, reason: string) =>
  api<MyMediation>(`/api/volunteers/me/mediations/${invitationId}/decline`, {
    method: "POST",
    body: { reason },
  });

export const findMediators = (query: Q, signal?: AbortSignal) =>
  api<MediatorSearch>("/api/volunteers/mediators", { query, ...sig(signal) });

export const inviteMediator = (body: { caseId: string; volunteerId: string; task: string }) =>
  api<{
    caseId: string;
    caseCode: string;
    volunteerId: string;
    invitationId: string;
    name: string;
  }>("/api/volunteers/mediators/invite", { method: "POST", body });

// -------------------------------------------------------------------- teams
export const listTeams = (query: Q, signal?: AbortSignal) =>
  api<Page<Team>>("/api/teams", { query, ...sig(signal) });

export const getTeam = (id: string, signal?: AbortSignal) =>
  api<TeamDetail>(`/api/teams/${id}`, sig(signal));

export const createTeam = (body: Record<string, unknown>) =>
  api<TeamDetail>("/api/teams", { method: "POST", body });

export const addMember = (teamId: string, body: { volunteerId: string; role: string }) =>
  api<TeamDetail>(`/api/teams/${teamId}/members`, { method: "POST", body });

export const setMemberRole = (teamId: string, volunteerId: string, role: string) =>
  api<TeamDetail>(`/api/teams/${teamId}/members/${volunteerId}`, {
    method: "PATCH",
    body: { role },
  });

export const removeMember = (teamId: string, volunteerId: string) =>
  api<TeamDetail>(`/api/teams/${teamId}/members/${volunteerId}`, { method: "DELETE" });

// ------------------------------------------------------------------- shifts
export const listShifts = (query: Q, signal?: AbortSignal) =>
  api<Page<Shift>>("/api/shifts", { query, ...sig(signal) });

export const getShift = (id: string, signal?: AbortSignal) =>
  api<ShiftDetail>(`/api/shifts/${id}`, sig(signal));

export const createShift = (body: Record<string, unknown>) =>
  api<ShiftDetail>("/api/shifts", { method: "POST", body });

export const cancelShift = (id: string) =>
  api<ShiftDetail>(`/api/shifts/${id}/cancel`, { method: "POST" });

export const signUpForShift = (id: string) =>
  api<ShiftDetail>(`/api/shifts/${id}/sign-up`, { method: "POST" });

export const cancelSignUp = (id: string) =>
  api<ShiftDetail>(`/api/shifts/${id}/sign-up/cancel`, { method: "POST" });

export interface Position {
  lat: number;
  lng: number;
  accuracy?: number;
}
export const checkIn = (id: string, pos: Position) =>
  api<ShiftDetail>(`/api/shifts/${id}/check-in`, { method: "POST", body: pos });

export const checkOut = (id: string, pos: Position) =>
  api<ShiftDetail>(`/api/shifts/${id}/check-out`, { method: "POST", body: pos });

/** A retry with the same key gets the first case back instead of a second one. */
export const reportObservation = (
  id: string,
  body: Record<string, unknown>,
  idempotencyKey: string,
) =>
  api<Observation>(`/api/shifts/${id}/observations`, {
    method: "POST",
    body,
    headers: { "idempotency-key": idempotencyKey },
  });

// -------------------------------------------------------------------- hours
export const hoursQueue = (query: Q, signal?: AbortSignal) =>
  api<Page<HoursEntry>>("/api/shifts/hours", { query, ...sig(signal) });

export const verifyHours = (signupIds: string[]) =>
  api<{ verified: string[] }>("/api/shifts/hours/verify", {
    method: "POST",
    body: { signupIds },
  });

export const rejectHours = (id: string, reason: string, version?: number) =>
  api<Signup>(`/api/shifts/hours/${id}/reject`, { method: "POST", body: { reason, version } });

export const correctHours = (id: string, minutes: number, reason: string, version?: number) =>
  api<Signup>(`/api/shifts/hours/${id}/correct`, {
    method: "POST",
    body: { minutes, reason, version },
  });

export const hoursHistory = (id: string, signal?: AbortSignal) =>
  api<Page<HoursHistoryEntry>>(`/api/shifts/hours/${id}/history`, sig(signal));

export const listCommunities = (signal?: AbortSignal) =>
  api<Page<{ code: string; name: string; street: string }>>(
    "/api/volunteers/communities",
    sig(signal),
  );

/** The real check-out time of an attendance the system closed (未签退), with the reason. */
export const setCheckoutTime = (
  id: string,
  checkedOutAt: string,
  reason: string,
  version?: number,
) =>
  api<Signup>(`/api/shifts/hours/${id}/check-out-time`, {
    method: "POST",
    body: { checkedOutAt, reason, version },
  });
