/**
 * The responsibility list keeps its history: every version of every rule,
 * who changed it and when, so a dispute over who should have handled a case
 * can be settled by what the list said at the time.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE routing_rule_versions (
      rule_id bigint NOT NULL REFERENCES routing_rules(id),
      version integer NOT NULL,
      change text NOT NULL CHECK (change IN ('created', 'updated', 'deactivated', 'reactivated')),
      snapshot jsonb NOT NULL,
      changed_by bigint REFERENCES users(id),
      changed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (rule_id, version)
    )`.execute(db);
  // The seeded rules' first version.
  await sql`
    INSERT INTO routing_rule_versions (rule_id, version, change, snapshot, changed_at)
    SELECT id, version, 'created',
      jsonb_build_object('categoryCode', category_code, 'areaPath', area_path, 'conditions', conditions,
        'lead', lead, 'assist', assist, 'note', note, 'active', active),
      created_at
    FROM routing_rules`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE routing_rule_versions`.execute(db);
}
