/**
 * The pure rules of a shift: its time window, the check-in fence (the area's
 * boundary widened by a tolerance), when check-in opens, and how many minutes
 * of service a check-in and check-out are worth. No database; the shifts
 * service asks here and turns the answers into refusals.
 */
import { SHIFT_RULES } from "../../../shared/schemas/volunteers.js";
import {
  type Boundary,
  boundaryPolygons,
  EARTH_RADIUS_M,
  pointInBoundary,
} from "../geo/geometry.js";

const RAD = Math.PI / 180;
const MINUTE = 60_000;

/**
 * Metres from (lng, lat) to the nearest point of the boundary; 0 inside it.
 * Uses a flat projection around the point: exact enough within a district.
 */
export function distanceToBoundaryM(b: Boundary, lng: number, lat: number): number {
  if (pointInBoundary(b, lng, lat)) return 0;
  const kx = Math.cos(lat * RAD) * EARTH_RADIUS_M * RAD;
  const ky = EARTH_RADIUS_M * RAD;
  let best = Number.POSITIVE_INFINITY;
  for (const polygon of boundaryPolygons(b)) {
    for (const ring of polygon) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const p = ring[i] as number[];
        const q = ring[i + 1] as number[];
        const ax = ((p[0] as number) - lng) * kx;
        const ay = ((p[1] as number) - lat) * ky;
        const bx = ((q[0] as number) - lng) * kx;
        const by = ((q[1] as number) - lat) * ky;
        best = Math.min(best, distanceToSegment(ax, ay, bx, by));
      }
    }
  }
  return best;
}

/** Distance from the origin to the segment a–b (plane). */
function distanceToSegment(ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
  return Math.hypot(ax + t * dx, ay + t * dy);
}

export type FenceCheck = { ok: true; distanceM: number } | { ok: false; distanceM: number };

/** Inside the fence: within `toleranceM` metres of the boundary (or inside it). */
export function checkFence(
  b: Boundary,
  pos: { lng: number; lat: number },
  toleranceM: number,
): FenceCheck {
  const d = distanceToBoundaryM(b, pos.lng, pos.lat);
  return { ok: d <= toleranceM, distanceM: Math.round(d) };
}

/** Why a planned window is refused (null when it is fine). */
export function windowProblem(
  startsAt: Date,
  endsAt: Date,
  now: Date,
): "past" | "order" | "too_long" | null {
  if (startsAt.getTime() < now.getTime()) return "past";
  if (endsAt.getTime() <= startsAt.getTime()) return "order";
  if (endsAt.getTime() - startsAt.getTime() > SHIFT_RULES.maxHours * 3_600_000) return "too_long";
  return null;
}

export type CheckInWindow =
  | { ok: true }
  | { ok: false; reason: "too_early"; opensInMinutes: number; opensAt: Date }
  | { ok: false; reason: "ended" };

/** Check-in opens `checkInEarlyMinutes` before the start and closes at the end. */
export function checkInWindow(now: Date, startsAt: Date, endsAt: Date): CheckInWindow {
  const opensAt = new Date(startsAt.getTime() - SHIFT_RULES.checkInEarlyMinutes * MINUTE);
  if (now.getTime() < opensAt.getTime())
    return {
      ok: false,
      reason: "too_early",
      opensInMinutes: Math.ceil((opensAt.getTime() - now.getTime()) / MINUTE),
      opensAt,
    };
  if (now.getTime() >= endsAt.getTime()) return { ok: false, reason: "ended" };
  return { ok: true };
}

/**
 * Service minutes: from check-in to check-out, counted only inside the
 * shift's window (coming early or staying late adds nothing).
 */
export function serviceMinutes(
  checkedInAt: Date,
  checkedOutAt: Date,
  startsAt: Date,
  endsAt: Date,
): number {
  const from = Math.max(checkedInAt.getTime(), startsAt.getTime());
  const to = Math.min(checkedOutAt.getTime(), endsAt.getTime());
  return Math.max(0, Math.floor((to - from) / MINUTE));
}

/** Do two time windows overlap (touching ends do not)? */
export function windowsOverlap(
  a: { startsAt: Date; endsAt: Date },
  b: { startsAt: Date; endsAt: Date },
): boolean {
  return a.startsAt.getTime() < b.endsAt.getTime() && b.startsAt.getTime() < a.endsAt.getTime();
}

/** "11月20日 14:30" in China time, for messages. */
export function clock(d: Date): string {
  const c = new Date(d.getTime() + 8 * 3_600_000);
  return `${c.getUTCMonth() + 1}月${c.getUTCDate()}日 ${String(c.getUTCHours()).padStart(2, "0")}:${String(c.getUTCMinutes()).padStart(2, "0")}`;
}

/** "1 小时 20 分钟" style, for messages. */
export function durationText(minutes: number): string {
  if (minutes < 60) return `${minutes} 分钟`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} 小时 ${m} 分钟` : `${h} 小时`;
}
