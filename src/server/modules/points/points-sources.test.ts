/**
 * The points rules beyond service hours: a tip that led to a resolved case,
 * a mediation of a dispute that closed, a proposal the department adopted in
 * full or in part — each paid once, to the right person, at the rule's
 * points; a withdrawn report or one taken down by a hotline operator is no tip.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/test-database.js";
import type { Database } from "../../db/database.js";
import { reconcilePoints } from "./points.service.js";
import { RULE_POINTS } from "./points-rules.js";

let database: Database;
let person = "";
const day = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * day);

beforeAll(async () => {
  database = await createTestDatabase("seeded");
  // A resident with no points yet, so caps and other awards do not mix in.
  const r = await sql<{ id: string }>`
    SELECT u.id::text AS id FROM users u JOIN role_grants g ON g.user_id = u.id
    WHERE g.role = 'resident' AND NOT EXISTS (SELECT 1 FROM points_ledger l WHERE l.user_id = u.id)
      AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.reporter_user_id = u.id)
      AND NOT EXISTS (SELECT 1 FROM proposals p WHERE p.proposer_user_id = u.id)
    ORDER BY u.id LIMIT 1`.execute(database.db);
  person = r.rows[0]?.id ?? "";
});
afterAll(() => database.close());

const reconcile = () => database.db.transaction().execute((trx) => reconcilePoints(trx, [person]));
const ledger = async () =>
  (
    await sql<{ rule: string; amount: number; source_id: string }>`
      SELECT rule, amount, source_id::text FROM points_ledger WHERE user_id = ${person} ORDER BY id`.execute(
      database.db,
    )
  ).rows;

describe("points for tips, mediations and proposals", () => {
  it("pays each once, at its rule's points, to the person who did it", async () => {
    expect(person).not.toBe("");
    const db = database.db;
    // A tip: a web report of theirs that was dispatched and resolved.
    const tip = await sql<{ id: string }>`
      UPDATE cases SET reporter_user_id = ${person}, resolved_at = ${ago(3)}
      WHERE id = (SELECT id FROM cases WHERE channel = 'web' AND status = 'closed'
        AND dispatched_at IS NOT NULL ORDER BY id LIMIT 1)
      RETURNING id::text`.execute(db);
    // A mediation: they mediated a dispute case that closed.
    const dispute = await sql<{ id: string }>`
      UPDATE cases SET closed_at = ${ago(5)}
      WHERE id = (SELECT id FROM cases WHERE status = 'closed' AND category_code LIKE 'dispute.%'
        ORDER BY id LIMIT 1)
      RETURNING id::text`.execute(db);
    await sql`INSERT INTO case_parties (case_id, role, user_id, status)
      VALUES (${dispute.rows[0]?.id}, 'mediator', ${person}, 'done')`.execute(db);
    // Two proposals of theirs: one adopted, one adopted in part.
    const proposals = await sql<{ id: string; answer: string }>`
      UPDATE proposals p SET proposer_user_id = ${person},
        answered_at = CASE WHEN p.answer = 'accepted' THEN ${ago(7)}::timestamptz ELSE ${ago(9)}::timestamptz END
      WHERE p.id IN (
        (SELECT id FROM proposals WHERE answer = 'accepted' ORDER BY id LIMIT 1)
        UNION ALL (SELECT id FROM proposals WHERE answer = 'partly_accepted' ORDER BY id LIMIT 1))
      RETURNING p.id::text, p.answer`.execute(db);
    // Not tips: a withdrawn report and one a hotline operator took down for them.
    const notTips = await sql<{ id: string }>`
      UPDATE cases SET reporter_user_id = ${person}, resolved_at = ${ago(4)},
        status = CASE WHEN channel = 'web' THEN 'withdrawn' ELSE status END
      WHERE id IN (
        (SELECT id FROM cases WHERE channel = 'web' AND status = 'closed'
          AND dispatched_at IS NOT NULL ORDER BY id OFFSET 1 LIMIT 1)
        UNION ALL (SELECT id FROM cases WHERE channel = 'hotline' AND status = 'closed'
          AND dispatched_at IS NOT NULL ORDER BY id LIMIT 1))
      RETURNING id::text`.execute(db);
    expect(notTips.rows).toHaveLength(2);
    expect(tip.rows).toHaveLength(1);
    expect(proposals.rows).toHaveLength(2);

    await reconcile();
    const got = await ledger();
    const adopted = proposals.rows.find((p) => p.answer === "accepted")?.id;
    const partly = proposals.rows.find((p) => p.answer === "partly_accepted")?.id;
    expect(got).toEqual(
      expect.arrayContaining([
        { rule: "tip_resolved", amount: RULE_POINTS.tip_resolved, source_id: tip.rows[0]?.id },
        {
          rule: "mediation_closed",
          amount: RULE_POINTS.mediation_closed,
          source_id: dispute.rows[0]?.id,
        },
        { rule: "proposal_adopted", amount: RULE_POINTS.proposal_adopted, source_id: adopted },
        {
          rule: "proposal_partly_adopted",
          amount: RULE_POINTS.proposal_partly_adopted,
          source_id: partly,
        },
      ]),
    );
    expect(got).toHaveLength(4);

    // Run again: nothing more.
    await reconcile();
    expect(await ledger()).toHaveLength(4);
  });
});
