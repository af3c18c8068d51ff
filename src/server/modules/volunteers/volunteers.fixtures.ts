/**
 * Builders the volunteers and shifts tests share: fresh resident accounts
 * that sign up as volunteers, the demo grid worker's grid with points inside
 * and outside its fence, and shifts planned through the API.
 */
import type { FastifyInstance } from "fastify";
import { login, type Session } from "../../../../test/test-app.js";
import { type Boundary, boundaryBbox, boundaryInteriorPoint } from "../geo/geometry.js";

export const NEW_PASSWORD = "Volunteer@2026x";
let counter = 0;

/** A new resident account (created by the admin), logged in. */
export async function newResident(
  app: FastifyInstance,
  admin: Session,
  displayName = "测试志愿者",
): Promise<Session & { userId: string; username: string }> {
  counter += 1;
  const username = `vt-${process.pid}-${counter}`;
  const res = await admin.request({
    method: "POST",
    url: "/api/admin/users",
    payload: {
      username,
      displayName: `${displayName}${counter}`,
      password: NEW_PASSWORD,
      grants: [{ role: "resident" }],
    },
  });
  if (res.statusCode !== 201) throw new Error(`create user: ${res.statusCode} ${res.body}`);
  const s = await login(app, username, NEW_PASSWORD);
  return { ...s, userId: res.json().id, username };
}

/** A new resident who signed up as a volunteer preferring `communityCode`. */
export async function newVolunteer(
  app: FastifyInstance,
  admin: Session,
  communityCode: string,
  extra: Record<string, unknown> = {},
) {
  const s = await newResident(app, admin);
  const res = await s.request({
    method: "POST",
    url: "/api/volunteers",
    payload: { skills: ["patrol"], preferredAreaCodes: [communityCode], ...extra },
  });
  if (res.statusCode !== 201) throw new Error(`sign up: ${res.statusCode} ${res.body}`);
  return { ...s, volunteerId: res.json().id as string };
}

export interface DemoGrid {
  gridCode: string;
  communityCode: string;
  boundary: Boundary;
  inside: { lat: number; lng: number };
  /** about 1 km east of the grid */
  outside: { lat: number; lng: number };
}

export async function demoGrid(gw: Session): Promise<DemoGrid> {
  const me = (await gw.request({ method: "GET", url: "/api/auth/me" })).json();
  const gridCode = me.grants[0].scope.code as string;
  const geo = await gw.request({ method: "GET", url: `/api/areas/${gridCode}/geojson?children=0` });
  if (geo.statusCode !== 200) throw new Error(`geojson: ${geo.statusCode} ${geo.body}`);
  const body = geo.json();
  const boundary = (body.geometry ?? body.features?.[0]?.geometry) as Boundary;
  const [lng, lat] = boundaryInteriorPoint(boundary);
  const bbox = boundaryBbox(boundary);
  return {
    gridCode,
    communityCode: gridCode.slice(0, 12),
    boundary,
    inside: { lat: lat as number, lng: lng as number },
    outside: { lat: (bbox[1] + bbox[3]) / 2, lng: bbox[2] + 0.011 },
  };
}

/** ISO time `minutes` from now. */
export const fromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

export async function planShift(staff: Session, body: Record<string, unknown>) {
  const res = await staff.request({
    method: "POST",
    url: "/api/shifts",
    payload: { kind: "patrol", title: "测试巡逻", capacity: 5, ...body },
  });
  if (res.statusCode !== 201) throw new Error(`plan shift: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; startsAt: string; endsAt: string };
}
