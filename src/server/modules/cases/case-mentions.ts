/**
 * @mentions in case comments. A comment names the people it mentions by id
 * (`mentions: [userId]`, the note carries the "@显示名" text people read);
 * ids are unambiguous where display names are not. Who may be mentioned on a
 * case: the active users of its active parties (the lead and assisting
 * departments' officers, the assisting enterprises' and associations'
 * people) and the coordinators whose area holds the case — all staff, who
 * read internal entries — and, in a comment the reporter sees too, the
 * reporter when they reported with an account. Nobody mentions themself.
 * Each mentioned person gets an in-app notification with the comment.
 */
import type { Transaction } from "kysely";
import type { DB } from "../../db/schema.js";
import { AppError, forbidden } from "../../errors.js";
import * as mentionRepo from "./case-mentions.repository.js";

type Db = Parameters<typeof mentionRepo.partyUsers>[0];

export interface Mentionable {
  id: string;
  displayName: string;
  /** whom they work for on this case: a department, an enterprise, an association, a coordination centre; null for the reporter */
  organisation: string | null;
  /** reads internal entries (every party and coordinator); false for the reporter */
  staff: boolean;
}

/** What mentioning needs to know of a case. */
export interface MentionCase {
  areaPath: string;
  /** the reporter's account, unless they reported anonymously or had none */
  reporterUserId: string | null;
  parties: { active: boolean; department_id: string | null; organisation_id: string | null }[];
}

/** The people who may be mentioned on the case by `selfId`: parties first, then coordinators, then the reporter. */
export async function mentionableOn(
  db: Db,
  c: MentionCase,
  selfId: string | null,
): Promise<Mentionable[]> {
  const active = c.parties.filter((p) => p.active);
  const departments = active.flatMap((p) => (p.department_id ? [p.department_id] : []));
  const organisations = active.flatMap((p) => (p.organisation_id ? [p.organisation_id] : []));
  // One after another: inside a transaction they share one connection.
  const party = await mentionRepo.partyUsers(db, departments, organisations);
  const coordinators = await mentionRepo.coordinatorsCovering(db, c.areaPath);
  const reporter = c.reporterUserId
    ? await mentionRepo.activeUser(db, c.reporterUserId)
    : undefined;
  const out = new Map<string, Mentionable>();
  const add = (m: Mentionable) => {
    if (m.id !== selfId && !out.has(m.id)) out.set(m.id, m);
  };
  for (const u of party)
    add({ id: u.id, displayName: u.display_name, organisation: u.organisation, staff: true });
  for (const u of coordinators)
    add({
      id: u.id,
      displayName: u.display_name,
      organisation: `综治中心（${u.area_name}）`,
      staff: true,
    });
  if (reporter)
    add({ id: reporter.id, displayName: reporter.display_name, organisation: null, staff: false });
  return [...out.values()];
}

const refused = (message: string, userIds: string[]) =>
  new AppError("validation", 422, message, [{ path: "body.mentions", message, userIds }]);

/**
 * The people a comment mentions, checked: the writer works the case (not
 * only reported it), each id may be mentioned by them, and an internal
 * comment mentions only staff. Refusals (422) name the people the writer may
 * see (others by number only).
 */
export async function checkMentions(
  trx: Transaction<DB>,
  m: {
    ids: readonly string[];
    case: MentionCase;
    writerId: string | null;
    /** the writer works the case (a reporter who is only that may not mention) */
    writerIsStaff: boolean;
    visibility: "internal" | "public";
  },
): Promise<Mentionable[]> {
  const ids = [...new Set(m.ids)];
  if (ids.length === 0) return [];
  if (!m.writerIsStaff || m.writerId === null)
    throw forbidden("只有办理人员可以在留言中提及他人 / only staff on the case may mention people");
  if (ids.includes(m.writerId))
    throw refused("不能提及自己 / you cannot mention yourself", [m.writerId]);
  const allowed = new Map(
    (await mentionableOn(trx, m.case, m.writerId)).map((x) => [x.id, x] as const),
  );
  const outside = ids.filter((id) => !allowed.has(id));
  if (outside.length > 0) {
    // By number only: a refusal must not tell who an arbitrary id is.
    const who = outside.map((id) => `#${id}`).join("、");
    throw refused(
      `不能提及 ${who}：只能提及本事件的办理单位人员、所在区域的综治中心人员${m.visibility === "public" ? "和上报人" : ""} / ${who} cannot be mentioned on this case`,
      outside,
    );
  }
  const mentioned = ids.map((id) => allowed.get(id) as Mentionable);
  const notStaff = mentioned.filter((x) => !x.staff);
  if (m.visibility === "internal" && notStaff.length > 0) {
    const who = notStaff.map((x) => x.displayName).join("、");
    throw refused(
      `内部留言只能提及办理人员：${who} 看不到内部留言 / an internal comment can mention staff only; ${who} cannot read it`,
      notStaff.map((x) => x.id),
    );
  }
  return mentioned;
}

/** One notification per person mentioned, to go with the comment. */
export function mentionNotices(
  mentioned: readonly Mentionable[],
  c: { code: string; by: string; note: string },
) {
  return mentioned.map((x) => ({
    user_id: x.id,
    kind: "case.mentioned",
    title: `${c.by}在事件 ${c.code} 的留言中提到了您`,
    body: c.note.slice(0, 120),
  }));
}

/** What the timeline shows of a comment's mentions, by action id. */
export async function mentionsByAction(db: Db, caseId: string) {
  const rows = await mentionRepo.mentionsOnCase(db, caseId);
  const out = new Map<string, { id: string; name: string }[]>();
  for (const r of rows)
    if (Array.isArray(r.mentions))
      out.set(
        r.id,
        (r.mentions as { id?: unknown; name?: unknown }[]).map((x) => ({
          id: String(x.id),
          name: String(x.name),
        })),
      );
  return out;
}
