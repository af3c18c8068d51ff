/** Places for tests: points inside the demo accounts' areas. */
import type { FastifyInstance } from "fastify";
import { boundaryInteriorPoint } from "../src/server/modules/geo/geometry.js";
import { login } from "./test-app.js";

/** A point inside the demo grid worker's grid (狮山街道, where the demo officer's police station is). */
export async function pointInDemoGrid(app: FastifyInstance): Promise<{ lat: number; lng: number }> {
  const gw = await login(app, "gridworker");
  const me = (await gw.request({ method: "GET", url: "/api/auth/me" })).json();
  const area = (
    await gw.request({ method: "GET", url: `/api/areas/${me.grants[0].scope.code}` })
  ).json();
  const [lng, lat] = boundaryInteriorPoint(area.boundary);
  return { lng, lat };
}
