/**
 * Participation gaps, second round (issue 7): a volunteer asked to mediate a
 * dispute (以新调新) answers the invitation before joining the case.
 *
 * - mediation_invitations: staff working a dispute case invite a volunteer
 *   whose origin or dialect matches; the invitation waits ('pending') until
 *   the volunteer accepts (they then join the case as a party with role
 *   'mediator': `party_id`) or declines with a reason. At most one pending
 *   invitation per case and volunteer; a declined one may be followed by a
 *   new invitation. Mediator parties from before this migration were joined
 *   directly and have no invitation row.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE mediation_invitations (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      case_id bigint NOT NULL REFERENCES cases(id),
      volunteer_id bigint NOT NULL REFERENCES volunteers(id),
      user_id bigint NOT NULL REFERENCES users(id),
      task text NOT NULL CHECK (char_length(task) BETWEEN 2 AND 500),
      invited_by bigint REFERENCES users(id),
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined')),
      reason text CHECK (char_length(reason) <= 500),
      party_id bigint REFERENCES case_parties(id),
      responded_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((status = 'pending') = (responded_at IS NULL)),
      CHECK ((status = 'accepted') = (party_id IS NOT NULL)),
      CHECK (status <> 'declined' OR reason IS NOT NULL)
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX mediation_invitations_pending
    ON mediation_invitations (case_id, user_id) WHERE status = 'pending'`.execute(db);
  await sql`CREATE INDEX mediation_invitations_user ON mediation_invitations (user_id, id)`.execute(
    db,
  );
}
