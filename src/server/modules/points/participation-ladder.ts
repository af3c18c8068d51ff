/**
 * The participation ladder (参与深度): each person's highest rung from what
 * they actually did, with the date they first reached each one. Pure: the
 * repository gathers the first date of each kind of act; this decides.
 *
 *   informed     signed up as a volunteer, or took part in anything below
 *   reporter     reported a case under their own name
 *   verifier     did on-site work whose hours a leader verified (patrol, visit)
 *   co_handler   took a task on a case (a party) or reported a tip that led to
 *                a resolved case
 *   mediator     mediated a dispute case that was closed
 *   deliberator  proposed or supported a community proposal
 *   co_decider   had a proposal accepted (in whole or in part) by a department
 */

import { RUNGS, type Rung } from "../../../shared/schemas/points.js";

/** The first date (ISO day) of each kind of act; absent when never. */
export interface ParticipationFacts {
  signedUp?: string | null;
  reported?: string | null;
  verifiedWork?: string | null;
  caseParty?: string | null;
  tipResolved?: string | null;
  mediationClosed?: string | null;
  proposedOrSupported?: string | null;
  proposalAdopted?: string | null;
}

const earliest = (...days: (string | null | undefined)[]) =>
  days.filter((d): d is string => typeof d === "string").sort()[0] ?? null;

/** When each rung was first reached (null: not reached). */
export function rungDates(f: ParticipationFacts): Record<Rung, string | null> {
  const reached: Record<Rung, string | null> = {
    informed: null,
    reporter: f.reported ?? null,
    verifier: f.verifiedWork ?? null,
    co_handler: earliest(f.caseParty, f.tipResolved),
    mediator: f.mediationClosed ?? null,
    deliberator: f.proposedOrSupported ?? null,
    co_decider: f.proposalAdopted ?? null,
  };
  // Anyone who did anything is at least informed, from their first act.
  reached.informed = earliest(f.signedUp, ...RUNGS.slice(1).map((r) => reached[r]));
  return reached;
}

/** The highest rung reached and since when; null for someone who did nothing. */
export function highestRung(f: ParticipationFacts): { rung: Rung; since: string } | null {
  const dates = rungDates(f);
  for (let i = RUNGS.length - 1; i >= 0; i--) {
    const rung = RUNGS[i] as Rung;
    const since = dates[rung];
    if (since) return { rung, since };
  }
  return null;
}

/**
 * A superficial volunteer: signed up (or checked in) but nothing of theirs was
 * ever verified, reported, handled, mediated or deliberated.
 */
export function isSuperficial(f: ParticipationFacts): boolean {
  return (
    !!f.signedUp &&
    !f.reported &&
    !f.verifiedWork &&
    !f.caseParty &&
    !f.tipResolved &&
    !f.mediationClosed &&
    !f.proposedOrSupported &&
    !f.proposalAdopted
  );
}
