/**
 * Points of the demo district: the ledger derived from the seeded verified
 * work (hours, tips, mediations, adopted proposals) by the same rules the app
 * applies, and a share of volunteers who chose to appear on their
 * community's leaderboard. Runs after every seed of such work.
 */
import type { SeedContext } from "../../seed/seed-context.js";
import { reconcilePoints } from "./points.service.js";

/** The share of volunteers who opted in to their community's leaderboard. */
const LEADERBOARD_SHARE = 0.3;

export async function seedPoints(ctx: SeedContext) {
  const written = await reconcilePoints(ctx.trx, null);
  const volunteers = await ctx.trx
    .selectFrom("volunteers as v")
    .innerJoin("users as u", "u.id", "v.user_id")
    .select(["v.user_id", "u.username"])
    .orderBy("v.user_id")
    .execute();
  // The demo resident decides for themself (the browser test switches it on).
  const optIn = volunteers.filter(
    (v) => v.username !== "resident" && ctx.random.chance(LEADERBOARD_SHARE),
  );
  for (let i = 0; i < optIn.length; i += 2000)
    await ctx.trx
      .insertInto("points_preferences")
      .values(optIn.slice(i, i + 2000).map((v) => ({ user_id: v.user_id, leaderboard: true })))
      .execute();
  ctx.log(`points: ${written} ledger entries, ${optIn.length} on leaderboards`);
}
