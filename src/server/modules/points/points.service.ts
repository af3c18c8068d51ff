/**
 * Points (积分) of the new-citizen points scheme: the ledger is derived from
 * verified work — service hours a leader verified, tips that led to a resolved
 * case, mediations of disputes that closed, proposals a department adopted —
 * by `reconcilePoints`, which any change of such work calls in its own
 * transaction (and a job calls for everyone, to catch up). Each source pays
 * once; a later change of the work (hours corrected or rejected) is put right
 * by a correction entry, never by changing an entry. Caps per person per day
 * and per month cut awards; no one earns from work they verified themselves.
 */
import type { Kysely, Transaction } from "kysely";
import { addMonths, todayInChina } from "../../../shared/dates.js";
import { isEnterpriseRole } from "../../../shared/roles.js";
import { RUNGS, type Rung } from "../../../shared/schemas/points.js";
import type { DB } from "../../db/schema.js";
import { forbidden, notFound, validation } from "../../errors.js";
import type { Actor } from "../access/access.policy.js";
import { recordAudit } from "../audit/audit.service.js";
import { findAreaByCode } from "../geo/areas.service.js";
import { findOrganisationById } from "../organisations/organisations.service.js";
import {
  highestRung,
  isSuperficial,
  type ParticipationFacts,
  rungDates,
} from "./participation-ladder.js";
import * as repo from "./points.repository.js";
import { capAward, DAILY_CAP, MONTHLY_CAP, pointsForMinutes, RULE_POINTS } from "./points-rules.js";

export interface PointsDeps {
  db: Kysely<DB>;
}

type Entry = Awaited<ReturnType<typeof repo.entriesOf>>[number];

const keyOf = (rule: string, type: string | null, id: string | null, user: string) =>
  `${rule}|${type}|${id}|${user}`;
const monthOf = (day: string) => day.slice(0, 7);

/** What a source should have paid in all, before caps. */
function targetOf(s: repo.SourceRow): number {
  if (!s.payable) return 0;
  return s.rule === "verified_hours" ? pointsForMinutes(s.minutes) : RULE_POINTS[s.rule];
}

const CORRECTION_NOTE = {
  down: "核定时长减少或被退回，扣回相应积分",
  up: "核定时长增加，补发相应积分",
} as const;

/**
 * The entries that bring the ledger in line with the sources, given what it
 * holds. Pure apart from its inputs: the awards in order of the day the work
 * was done, each under the caps of that day and month as they stand.
 */
export function planEntries(entries: Entry[], sources: repo.SourceRow[]): repo.NewEntry[] {
  const dayTotals = new Map<string, number>();
  const monthTotals = new Map<string, number>();
  const add = (user: string, day: string, amount: number) => {
    const d = `${user}|${day}`;
    const m = `${user}|${monthOf(day)}`;
    dayTotals.set(d, (dayTotals.get(d) ?? 0) + amount);
    monthTotals.set(m, (monthTotals.get(m) ?? 0) + amount);
  };
  const capState = (user: string, day: string) => ({
    day: dayTotals.get(`${user}|${day}`) ?? 0,
    month: monthTotals.get(`${user}|${monthOf(day)}`) ?? 0,
  });
  // Each award with the running state of its chain (the award and its corrections).
  const chains = new Map<string, { award: Entry; total: number; basis: number }>();
  const byId = new Map<string, Entry>();
  for (const e of entries) {
    byId.set(e.id, e);
    add(e.user_id, e.occurred_on, e.amount);
    if (e.rule !== "correction") {
      chains.set(keyOf(e.rule, e.source_type, e.source_id, e.user_id), {
        award: e,
        total: e.amount,
        basis: e.uncapped,
      });
    } else if (e.corrects_id) {
      const award = byId.get(e.corrects_id);
      const chain =
        award && chains.get(keyOf(award.rule, award.source_type, award.source_id, award.user_id));
      if (chain) {
        chain.total += e.amount;
        chain.basis = e.uncapped;
      }
    }
  }
  const ordered = [...sources].sort(
    (a, b) =>
      a.user_id.localeCompare(b.user_id) ||
      a.occurred_on.localeCompare(b.occurred_on) ||
      a.rule.localeCompare(b.rule) ||
      Number(a.source_id) - Number(b.source_id),
  );
  const out: repo.NewEntry[] = [];
  for (const s of ordered) {
    const target = targetOf(s);
    const chain = chains.get(keyOf(s.rule, s.source_type, s.source_id, s.user_id));
    if (!chain) {
      if (target <= 0) continue;
      const award = capAward(target, capState(s.user_id, s.occurred_on));
      out.push({
        user_id: s.user_id,
        amount: award.amount,
        rule: s.rule,
        source_type: s.source_type,
        source_id: s.source_id,
        occurred_on: s.occurred_on,
        uncapped: target,
        capped_by: award.cappedBy,
        note: award.cappedBy
          ? `已达${award.cappedBy === "day" ? "每日" : "每月"}积分上限，本次计 ${award.amount} 分（应得 ${target} 分）`
          : null,
        corrects_id: null,
        created_by: null,
      });
      add(s.user_id, s.occurred_on, award.amount);
      continue;
    }
    if (target === chain.basis) continue;
    let amount: number;
    let cappedBy: "day" | "month" | null = null;
    if (target < chain.basis) {
      amount = -Math.min(chain.total, chain.basis - target);
    } else {
      const extra = capAward(target - chain.basis, capState(s.user_id, chain.award.occurred_on));
      amount = extra.amount;
      cappedBy = extra.cappedBy;
    }
    out.push({
      user_id: s.user_id,
      amount,
      rule: "correction",
      source_type: s.source_type,
      source_id: s.source_id,
      occurred_on: chain.award.occurred_on,
      uncapped: target,
      capped_by: cappedBy,
      note: amount < 0 ? CORRECTION_NOTE.down : CORRECTION_NOTE.up,
      corrects_id: chain.award.id,
      created_by: null,
    });
    add(s.user_id, chain.award.occurred_on, amount);
    chain.total += amount;
    chain.basis = target;
  }
  return out;
}

/**
 * Brings the ledger of these users (everyone when null) in line with their
 * verified work, inside the caller's transaction. Returns the entries written.
 */
export async function reconcilePoints(
  trx: Transaction<DB>,
  userIds: readonly string[] | null,
): Promise<number> {
  if (userIds !== null && userIds.length === 0) return 0;
  await repo.lockUsers(trx, userIds);
  const [entries, sources] = await Promise.all([
    repo.entriesOf(trx, userIds),
    repo.sources(trx, userIds),
  ]);
  // Sequential on PGlite's one connection either way; Promise.all is fine on PostgreSQL.
  const plan = planEntries(entries, sources);
  return repo.appendEntries(trx, plan);
}

/** Everyone's ledger in line with their work (after a seed, or by an admin). */
export async function runPointsReconciliation(db: Kysely<DB>) {
  return db.transaction().execute((trx) => reconcilePoints(trx, null));
}

/** How far back the job looks again: transactions still open at its last run. */
const WATERMARK_OVERLAP_MS = 5 * 60_000;

/**
 * The points job: the people whose verified work changed since the last run
 * (everyone on the first run), brought in line. Safe to run twice or on two
 * servers at once: awards are unique per source and writes are serialised
 * per person.
 */
export async function runPointsJob(db: Kysely<DB>, now: Date) {
  return db.transaction().execute(async (trx) => {
    const last = await repo.watermark(trx);
    const users =
      last === null
        ? null
        : await repo.usersChangedSince(trx, new Date(last.getTime() - WATERMARK_OVERLAP_MS));
    const written = users === null || users.length > 0 ? await reconcilePoints(trx, users) : 0;
    await repo.setWatermark(trx, now);
    return { people: users?.length ?? null, written };
  });
}

// ----------------------------------------------------------- corrections

/** District or area coordinators and admins put a wrong entry right. */
export function canCorrectPoints(actor: Actor): boolean {
  return actor.grants.some((g) => g.role === "admin" || g.role === "coordinator");
}

export async function correctEntry(
  deps: PointsDeps,
  actor: Actor,
  body: { entryId: string; amount: number; reason: string },
  requestId: string,
) {
  if (!canCorrectPoints(actor)) throw forbidden();
  return deps.db.transaction().execute(async (trx) => {
    const entry = await repo.findEntry(trx, body.entryId);
    if (!entry) throw notFound("积分记录", "ledger entry");
    if (entry.user_id === actor.userId)
      throw forbidden("不能更正自己的积分 / you cannot correct your own points");
    await repo.lockUsers(trx, [entry.user_id]);
    const target = entry.corrects_id ? await repo.findEntry(trx, entry.corrects_id) : entry;
    if (!target) throw notFound("积分记录", "ledger entry");
    const total = await repo.correctedTotal(trx, target.id);
    if (total + body.amount < 0)
      throw validation(
        `扣减不能超过该笔积分的余额 ${total} 分 / cannot take back more than the ${total} points left of it`,
        [{ path: "body.amount", message: "too much" }],
      );
    const basis = await lastBasis(trx, target.id, target.uncapped);
    const [written] = await trx
      .insertInto("points_ledger")
      .values({
        user_id: target.user_id,
        amount: body.amount,
        rule: "correction",
        source_type: target.source_type,
        source_id: target.source_id,
        occurred_on: target.occurred_on,
        uncapped: basis,
        capped_by: null,
        note: body.reason,
        corrects_id: target.id,
        created_by: actor.userId,
      })
      .returning("id")
      .execute();
    await recordAudit(
      trx,
      { actor, requestId },
      {
        action: "points.corrected",
        subjectType: "points_ledger",
        subjectId: written?.id ?? null,
        details: { corrects: target.id, amount: body.amount, userId: target.user_id },
      },
    );
    return { id: written?.id ?? "" };
  });
}

/** The basis (uncapped target) a chain stands on: its last entry's. */
async function lastBasis(trx: Transaction<DB>, awardId: string, fallback: number) {
  const r = await trx
    .selectFrom("points_ledger")
    .select("uncapped")
    .where((eb) => eb.or([eb("id", "=", awardId), eb("corrects_id", "=", awardId)]))
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return r?.uncapped ?? fallback;
}

// -------------------------------------------------------------- statements

/** Staff whose area covers the place (or lies in it, for community figures). */
function staffSees(actor: Actor, areaPath: string | null, opts: { within?: boolean } = {}) {
  if (areaPath === null) return false;
  return actor.grants.some(
    (g) =>
      (g.role === "admin" || g.role === "coordinator" || g.role === "grid_worker") &&
      g.areaPath !== null &&
      (areaPath.startsWith(g.areaPath) ||
        (opts.within === true && g.areaPath.startsWith(areaPath))),
  );
}

/** The person a statement is about, if the actor may read it (else 404). */
async function readablePerson(deps: PointsDeps, actor: Actor, userId: string | undefined) {
  const id = userId ?? actor.userId;
  if (!id) throw forbidden("请先登录 / sign in first");
  const person = await repo.personOf(deps.db, id);
  if (!person) throw notFound("人员", "person");
  // Staff over the person's community, or working inside it (a grid worker of one of its grids).
  if (id !== actor.userId && !staffSees(actor, person.area_path, { within: true }))
    throw notFound("人员", "person");
  return person;
}

export async function getStatement(
  deps: PointsDeps,
  actor: Actor,
  q: {
    userId?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
    limit: number;
    offset: number;
  },
) {
  const person = await readablePerson(deps, actor, q.userId);
  const [[rows, count], balance, leaderboard] = await Promise.all([
    repo.statement(deps.db, person.id, q),
    repo.balanceOf(deps.db, person.id),
    repo.leaderboardPreference(deps.db, person.id),
  ]);
  const labels = await repo.sourceLabels(
    deps.db,
    rows
      .filter((r) => r.source_type && r.source_id)
      .map((r) => ({ type: r.source_type as string, id: r.source_id as string })),
  );
  const communityCode = person.area_path?.split("/").filter(Boolean)[2];
  const community = communityCode ? await findAreaByCode(deps, communityCode) : undefined;
  return {
    user: { id: person.id, displayName: person.display_name },
    community: community ? { code: community.code, name: community.name } : null,
    balance: balance?.balance ?? 0,
    earned: balance?.earned ?? 0,
    leaderboard,
    caps: { day: DAILY_CAP, month: MONTHLY_CAP },
    items: rows.map((r) => ({
      id: r.id,
      amount: r.amount,
      rule: r.rule,
      source:
        r.source_type && r.source_id
          ? (labels.get(`${r.source_type}:${r.source_id}`) ?? null)
          : null,
      sourceType: r.source_type,
      sourceId: r.source_id,
      occurredOn: r.occurred_on,
      uncapped: r.uncapped,
      cappedBy: r.capped_by,
      note: r.note,
      correctsId: r.corrects_id,
      createdAt: new Date(r.created_at).toISOString(),
      createdBy: r.created_by_name,
    })),
    total: Number(count.n),
    canCorrect: person.id !== actor.userId && canCorrectPoints(actor),
  };
}

export async function setLeaderboardOptIn(deps: PointsDeps, actor: Actor, optIn: boolean) {
  if (!actor.userId) throw forbidden();
  await repo.setLeaderboard(deps.db, actor.userId, optIn);
  return { optIn };
}

export async function getLeaderboard(
  deps: PointsDeps,
  actor: Actor,
  q: { community: string; limit: number },
) {
  const area = await findAreaByCode(deps, q.community);
  if (area?.level !== "community") throw notFound("社区", "community");
  const rows = (await repo.leaderboard(deps.db, area.path, q.limit)).rows;
  return {
    community: { code: area.code, name: area.name },
    items: rows.map((r, i) => ({
      rank: i + 1,
      displayName: r.display_name,
      balance: r.balance,
      me: r.user_id === actor.userId,
    })),
    total: rows.length,
  };
}

// ---------------------------------------------------------- participation

const MONTHS_BACK = 12;

function lastMonths(now: Date, n: number): string[] {
  const today = todayInChina(now);
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i--) out.push(addMonths(`${today.slice(0, 7)}-01`, -i).slice(0, 7));
  return out;
}

/** Whose figures: a community's people, or the volunteers in an organisation's teams. */
type ParticipationScope = { community?: string | undefined; organisationId?: string | undefined };

/**
 * The people of the scope and their facts, if the actor may read them (else
 * 404): staff over or inside a community; for an organisation, its own
 * representatives (an association's, an enterprise's officers and managers)
 * and staff whose area covers the organisation's place.
 */
async function scopeFacts(deps: PointsDeps, actor: Actor, scope: ParticipationScope, now: Date) {
  const months = lastMonths(now, 3);
  const since = new Date(`${months[0]}-01T00:00:00+08:00`);
  if (scope.organisationId !== undefined) {
    const org = await findOrganisationById(deps, scope.organisationId);
    const represents = actor.grants.some(
      (g) =>
        (g.role === "association_rep" || isEnterpriseRole(g.role)) &&
        g.scopeId === scope.organisationId,
    );
    if (!org || !(represents || staffSees(actor, org.area_path ?? null)))
      throw notFound("组织", "organisation");
    const facts = await repo.participationFacts(deps.db, { organisationId: org.id }, since);
    return {
      community: null,
      organisation: { id: String(org.id), name: org.name },
      facts,
      months,
    };
  }
  const area = await findAreaByCode(deps, scope.community ?? "");
  if (area?.level !== "community" || !staffSees(actor, area.path, { within: true }))
    throw notFound("社区", "community");
  const facts = await repo.participationFacts(deps.db, { communityPath: area.path }, since);
  return { community: { code: area.code, name: area.name }, organisation: null, facts, months };
}

const factsOf = (f: repo.FactsRow): ParticipationFacts => ({
  signedUp: f.signed_up,
  reported: f.reported,
  verifiedWork: f.verified_work,
  caseParty: f.case_party,
  tipResolved: f.tip_resolved,
  mediationClosed: f.mediation_closed,
  proposedOrSupported: f.proposed_or_supported,
  proposalAdopted: f.proposal_adopted,
});

const zeroRungs = () => Object.fromEntries(RUNGS.map((r) => [r, 0])) as Record<Rung, number>;

export async function participationSummary(
  deps: PointsDeps,
  actor: Actor,
  scope: ParticipationScope,
  now = new Date(),
) {
  const { community, organisation, facts, months } = await scopeFacts(deps, actor, scope, now);
  const people = facts.map((f) => ({
    f,
    ladder: rungDates(factsOf(f)),
    top: highestRung(factsOf(f)),
  }));
  const acted = people.filter((p) => p.top !== null);
  const distribution = zeroRungs();
  for (const p of acted) distribution[(p.top as { rung: Rung }).rung] += 1;
  const progression = lastMonths(now, MONTHS_BACK).map((month) => {
    const reached = zeroRungs();
    const end = `${month}-31`;
    for (const p of acted)
      for (const r of RUNGS) {
        const d = p.ladder[r];
        if (d && d <= end) reached[r] += 1;
      }
    return { month, reached };
  });
  const volunteers = facts.filter((f) => f.signed_up !== null);
  const superficial = volunteers.filter((f) => isSuperficial(factsOf(f))).length;
  return {
    community,
    organisation,
    people: acted.length,
    distribution,
    progression,
    retention: {
      months,
      activeEachMonth: months.map((m) => facts.filter((f) => f.active_months.includes(m)).length),
      activeAllThree: facts.filter((f) => months.every((m) => f.active_months.includes(m))).length,
    },
    volunteers: volunteers.length,
    superficialVolunteers: superficial,
    superficialShare: volunteers.length ? superficial / volunteers.length : null,
  };
}

export async function listParticipants(
  deps: PointsDeps,
  actor: Actor,
  q: ParticipationScope & {
    rung?: Rung | undefined;
    superficial?: "true" | "false" | undefined;
    q?: string | undefined;
    limit: number;
    offset: number;
  },
  now = new Date(),
) {
  const { facts } = await scopeFacts(deps, actor, q, now);
  // A name search reads every name of the community (a few thousand at most).
  const named = q.q
    ? new Set(
        (
          await repo.peopleNames(
            deps.db,
            facts.map((f) => f.user_id),
          )
        )
          .filter((n) => n.display_name.includes(q.q as string))
          .map((n) => n.id),
      )
    : null;
  const rows = facts
    .filter((f) => named === null || named.has(f.user_id))
    .map((f) => {
      const fx = factsOf(f);
      const top = highestRung(fx);
      return { f, top, rungs: rungDates(fx), superficial: isSuperficial(fx) };
    })
    .filter((p) => p.top !== null)
    .filter((p) => !q.rung || p.top?.rung === q.rung)
    .filter((p) => q.superficial === undefined || p.superficial === (q.superficial === "true"))
    .sort(
      (a, b) =>
        RUNGS.indexOf((b.top as { rung: Rung }).rung) -
          RUNGS.indexOf((a.top as { rung: Rung }).rung) ||
        (a.top?.since ?? "").localeCompare(b.top?.since ?? "") ||
        a.f.user_id.localeCompare(b.f.user_id),
    );
  const page = rows.slice(q.offset, q.offset + q.limit);
  const names = new Map(
    (
      await repo.peopleNames(
        deps.db,
        page.map((p) => p.f.user_id),
      )
    ).map((n) => [n.id, n.display_name]),
  );
  return {
    items: page.map((p) => ({
      userId: p.f.user_id,
      displayName: names.get(p.f.user_id) ?? "",
      rung: p.top?.rung ?? null,
      since: p.top?.since ?? null,
      rungs: p.rungs,
      superficial: p.superficial,
      activeMonths: p.f.active_months,
    })),
    total: rows.length,
  };
}

/** My own ladder. */
export async function myParticipation(deps: PointsDeps, actor: Actor, now = new Date()) {
  if (!actor.userId) throw forbidden();
  const months = lastMonths(now, 3);
  const [f] = await repo.participationFacts(
    deps.db,
    { userId: actor.userId },
    new Date(`${months[0]}-01T00:00:00+08:00`),
  );
  const fx = f ? factsOf(f) : {};
  const top = highestRung(fx);
  return {
    userId: actor.userId,
    displayName: actor.displayName ?? actor.label,
    rung: top?.rung ?? null,
    since: top?.since ?? null,
    rungs: rungDates(fx),
    superficial: isSuperficial(fx),
    activeMonths: f?.active_months ?? [],
  };
}
