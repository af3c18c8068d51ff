/**
 * Open311 GeoReport v2 over cases: services from the taxonomy, service
 * requests from cases, updates from their public steps, and new requests
 * through the same intake as the web (routing, deadlines, notifications).
 *
 * What leaves here is public: no reporter of any kind, redacted text, places
 * coarsened, and nothing of a sensitive category's place or text (see
 * src/shared/public-case.ts).
 */
import { categoryFamily, validateCaseFields } from "../../../shared/case-taxonomy.js";
import {
  coarsenPoint,
  PUBLIC_CLOSED_STATUSES,
  PUBLIC_OPEN_STATUSES,
  publicAddress,
  publicStatus,
  redactPersonalText,
  SENSITIVE_TEXT,
} from "../../../shared/public-case.js";
import type { CaseStatusValue } from "../../db/schema.js";
import { AppError } from "../../errors.js";
import type { Actor } from "../access/access.policy.js";
import * as cases from "../cases/cases.service.js";
import { locateAddress } from "../housing/housing.service.js";
import type { Open311Object } from "./open311.format.js";
import { parseW3cDatetime, w3cDatetime } from "./open311.format.js";
import * as repo from "./open311.repository.js";

export interface Open311Deps extends cases.CasesDeps {
  /** Absolute base of media links, e.g. https://gongzhi.example.cn (else taken from the request). */
  publicUrl?: string | undefined;
}

/** An Open311 error: its HTTP status is also its code. */
export class Open311Error extends AppError {}

export const badRequest = (description: string) => new Open311Error("validation", 400, description);
export const notFound311 = (description: string) => new Open311Error("not_found", 404, description);
export const forbidden311 = (description: string) =>
  new Open311Error("forbidden", 403, description);

/** At most this many requests or updates in one answer. */
export const MAX_RESULTS = 1000;
/** Without dates, requests of the last 90 days; a period may not span more. */
const DEFAULT_WINDOW_MS = 90 * 86_400_000;
/** Without dates, updates of the last day. */
const DEFAULT_UPDATE_WINDOW_MS = 86_400_000;

// ------------------------------------------------------------- jurisdiction

let cachedJurisdiction: { code: string; name: string } | undefined;

/** The district's administrative code (e.g. 320505): Open311's jurisdiction_id. */
export async function jurisdiction(deps: Pick<Open311Deps, "db">) {
  if (!cachedJurisdiction) {
    const d = await repo.districtCode(deps.db);
    if (!d) throw new AppError("unavailable", 503, "the district has not been set up yet");
    cachedJurisdiction = d;
  }
  return cachedJurisdiction;
}

/** A jurisdiction_id, when given, must be this district's. */
export async function checkJurisdiction(deps: Pick<Open311Deps, "db">, given: unknown) {
  if (given === undefined || given === "") return;
  const j = await jurisdiction(deps);
  if (String(given) !== j.code)
    throw notFound311(
      `jurisdiction_id ${String(given)} not found: this endpoint serves ${j.code} (${j.name})`,
    );
}

// ------------------------------------------------------------------ services

type CategoryList = Awaited<ReturnType<typeof cases.listCategories>>;
type CategoryItem = CategoryList[number];

/** Services are the categories a report can be filed under (not families, not ones we refuse). */
export async function services(deps: Open311Deps): Promise<Open311Object[]> {
  const all = await cases.listCategories(deps);
  const families = new Map(all.filter((c) => c.parent === null).map((c) => [c.code, c.name]));
  return all
    .filter((c) => c.parent !== null && !c.invalid)
    .map((c) => ({
      service_code: c.code,
      service_name: c.name,
      description: c.description ?? "",
      metadata: c.fields.length > 0,
      type: "realtime",
      keywords: [families.get(c.parent ?? ""), c.name].filter(Boolean).join(","),
      group: families.get(c.parent ?? "") ?? "",
    }));
}

async function leafCategory(deps: Open311Deps, code: string): Promise<CategoryItem | undefined> {
  const all = await cases.listCategories(deps);
  return all.find((c) => c.code === code && c.parent !== null && !c.invalid);
}

type Field = CategoryItem["fields"][number];

function datatypeOf(f: Field): string {
  switch (f.type) {
    case "integer":
    case "number":
      return "number";
    case "date":
      return "datetime";
    case "select":
    case "boolean":
      return "singlevaluelist";
    default:
      return (f.maxLength ?? 0) > 200 ? "text" : "string";
  }
}

function datatypeDescription(f: Field): string {
  const parts: string[] = [];
  if (f.help) parts.push(f.help);
  if (f.type === "integer") parts.push("整数 / a whole number");
  if (f.min !== undefined && f.max !== undefined) parts.push(`${f.min}–${f.max}`);
  else if (f.min !== undefined) parts.push(`≥ ${f.min}`);
  else if (f.max !== undefined) parts.push(`≤ ${f.max}`);
  if (f.type === "date") parts.push("日期 YYYY-MM-DD / a date");
  if (f.maxLength) parts.push(`最多 ${f.maxLength} 字 / at most ${f.maxLength} characters`);
  return parts.join("；");
}

function valuesOf(f: Field): { key: string; name: string }[] | null {
  if (f.type === "select") return (f.options ?? []).map((o) => ({ key: o.value, name: o.label }));
  if (f.type === "boolean")
    return [
      { key: "true", name: "是" },
      { key: "false", name: "否" },
    ];
  return null;
}

/** A service definition: the category's extra fields as attributes. */
export async function serviceDefinition(deps: Open311Deps, code: string): Promise<Open311Object> {
  const c = await leafCategory(deps, code);
  if (!c) throw notFound311(`service_code ${code} not found`);
  return {
    service_code: c.code,
    attributes: {
      item: "attribute",
      items: c.fields.map((f, i) => {
        const values = valuesOf(f);
        return {
          variable: true,
          code: f.code,
          datatype: datatypeOf(f),
          required: f.required,
          datatype_description: datatypeDescription(f),
          order: i + 1,
          description: f.label,
          ...(values ? { values: { item: "value", items: values } } : {}),
        };
      }),
    },
  };
}

// ------------------------------------------------------------------ requests

/** A token that names a case and cannot be forged: its id and a keyed hash of it. */
export function tokenFor(deps: Pick<Open311Deps, "fieldCrypto">, caseId: string) {
  return `${caseId}-${deps.fieldCrypto.blindIndex("open311_token", caseId).slice(0, 24)}`;
}

function caseIdOfToken(deps: Pick<Open311Deps, "fieldCrypto">, token: string): string | null {
  const m = /^(\d{1,18})-([0-9a-f]{24})$/.exec(token);
  if (!m?.[1]) return null;
  return tokenFor(deps, m[1]) === token ? m[1] : null;
}

export function mediaUrl(base: string, id: string, mime: string) {
  const ext = mime === "image/png" ? "png" : mime === "image/webp" ? "webp" : "jpg";
  return `${base}/open311/v2/media/${id}.${ext}`;
}

/** A case as an Open311 service request, with nothing of its reporter. */
export function presentRequest(r: repo.PublicCaseRow, base: string): Open311Object {
  const point = r.sensitive ? null : coarsenPoint(r.lat, r.lng);
  const notes = r.sensitive
    ? null
    : r.status === "merged" && r.merged_into_code
      ? `与 ${r.merged_into_code} 合并办理 / merged into ${r.merged_into_code}`
      : r.status_notes
        ? redactPersonalText(r.status_notes)
        : null;
  return {
    service_request_id: r.code,
    status: publicStatus(r.status),
    status_notes: notes,
    service_name: r.category_name,
    service_code: r.category_code,
    description: r.sensitive ? SENSITIVE_TEXT : redactPersonalText(r.description),
    agency_responsible: r.agency,
    service_notice: r.service_notice,
    requested_datetime: w3cDatetime(r.created_at),
    updated_datetime: w3cDatetime(r.updated_at),
    expected_datetime: r.resolve_due_at ? w3cDatetime(r.resolve_due_at) : null,
    address: r.sensitive ? null : publicAddress(r.address),
    address_id: null,
    zipcode: null,
    lat: point?.lat ?? null,
    long: point?.lng ?? null,
    media_url: r.media_id && !r.sensitive ? mediaUrl(base, r.media_id, r.media_mime ?? "") : null,
  };
}

/** A comma-separated parameter as its parts (Open311 lists: "a,b,c"). */
export function listParam(v: unknown, name: string, max = 100): string[] | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  const parts = (Array.isArray(v) ? v : [v])
    .flatMap((x) => String(x).split(","))
    .map((x) => x.trim())
    .filter(Boolean);
  if (parts.length > max) throw badRequest(`${name}: at most ${max} values`);
  return parts;
}

function dateParam(v: unknown, name: string): Date | undefined {
  if (v === undefined || v === "") return undefined;
  const d = parseW3cDatetime(String(v));
  if (!d)
    throw badRequest(
      `${name} must be a W3C datetime such as 2026-01-05T08:15:30+08:00 (got ${String(v).slice(0, 40)})`,
    );
  return d;
}

export interface RequestsQuery {
  service_request_id?: unknown;
  service_code?: unknown;
  start_date?: unknown;
  end_date?: unknown;
  status?: unknown;
}

/** GET requests: by ids, or by service, status and period (default the last 90 days). */
export async function listRequests(
  deps: Open311Deps,
  q: RequestsQuery,
  base: string,
  now = new Date(),
): Promise<Open311Object[]> {
  const codes = listParam(q.service_request_id, "service_request_id", MAX_RESULTS);
  if (codes) {
    // With ids every other filter is ignored, as the specification says.
    const rows = await repo.publicCases(deps.db, { codes, limit: MAX_RESULTS });
    return rows.map((r) => presentRequest(r, base));
  }
  const end = dateParam(q.end_date, "end_date");
  const start = dateParam(q.start_date, "start_date");
  const to = end ?? (start ? new Date(start.getTime() + DEFAULT_WINDOW_MS) : now);
  const from = start ?? new Date(to.getTime() - DEFAULT_WINDOW_MS);
  if (from > to) throw badRequest("start_date is after end_date");
  if (to.getTime() - from.getTime() > DEFAULT_WINDOW_MS)
    throw badRequest("start_date and end_date may not span more than 90 days");

  let statuses: CaseStatusValue[] | undefined;
  const wanted = listParam(q.status, "status", 2);
  if (wanted) {
    for (const s of wanted)
      if (s !== "open" && s !== "closed")
        throw badRequest(`status must be open or closed (got ${s.slice(0, 20)})`);
    if (!(wanted.includes("open") && wanted.includes("closed")))
      statuses = [...(wanted.includes("open") ? PUBLIC_OPEN_STATUSES : PUBLIC_CLOSED_STATUSES)];
  }

  let categoryCodes: string[] | undefined;
  const serviceCodes = listParam(q.service_code, "service_code");
  if (serviceCodes) {
    const all = await cases.listCategories(deps);
    const known = new Set(all.map((c) => c.code));
    for (const s of serviceCodes)
      if (!known.has(s)) throw badRequest(`service_code ${s} not found`);
    // A family's code stands for all of its services.
    categoryCodes = all
      .filter((c) => serviceCodes.includes(c.code) || serviceCodes.includes(categoryFamily(c.code)))
      .map((c) => c.code);
  }
  const rows = await repo.publicCases(deps.db, {
    ...(categoryCodes ? { categoryCodes } : {}),
    ...(statuses ? { statuses } : {}),
    from,
    to,
    limit: MAX_RESULTS,
  });
  return rows.map((r) => presentRequest(r, base));
}

/** GET requests/{id}: one request (a list of one, as the specification has it). */
export async function getRequest(deps: Open311Deps, id: string, base: string) {
  const rows = await repo.publicCases(deps.db, { codes: [id], limit: 1 });
  const r = rows[0];
  if (!r) throw notFound311(`service_request_id ${id} not found`);
  return [presentRequest(r, base)];
}

/** GET tokens/{token}: the request a token stands for. */
export async function requestForToken(deps: Open311Deps, token: string) {
  const id = caseIdOfToken(deps, token);
  const c = id ? await repo.caseCodeById(deps.db, id) : undefined;
  if (!c) throw notFound311(`token ${token.slice(0, 60)} not found`);
  return [{ service_request_id: c.code, token }];
}

// ------------------------------------------------------------- new requests

/** Open311 POST parameters (form fields or JSON), as received. */
export type PostParams = Record<string, unknown>;

const ATTRIBUTE_KEY = /^attribute\[([^\]]+)\](?:\[\])?$/;

/** attribute[code]=v (form) or attribute: {code: v} (JSON) → {code: "v"}. */
export function attributesOf(p: PostParams): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (code: string, v: unknown) => {
    if (v === undefined || v === null) return;
    out[code] = Array.isArray(v) ? v.map(String).join(",") : String(v);
  };
  const obj = p.attribute;
  if (obj && typeof obj === "object" && !Array.isArray(obj))
    for (const [k, v] of Object.entries(obj)) put(k, v);
  for (const [k, v] of Object.entries(p)) {
    const m = ATTRIBUTE_KEY.exec(k);
    if (m?.[1]) put(m[1], v);
  }
  return out;
}

/** Attribute strings as the category's field types; what cannot be read is named. */
function fieldsFrom(cat: CategoryItem, attrs: Record<string, string>) {
  const fields: Record<string, string | number | boolean> = {};
  const problems: string[] = [];
  for (const f of cat.fields) {
    const raw = attrs[f.code];
    if (raw === undefined || raw.trim() === "") continue;
    const v = raw.trim();
    switch (f.type) {
      case "integer":
      case "number": {
        const n = Number(v);
        if (!Number.isFinite(n) || (f.type === "integer" && !Number.isInteger(n)))
          problems.push(
            `attribute[${f.code}] must be ${f.type === "integer" ? "a whole number" : "a number"}`,
          );
        else fields[f.code] = n;
        break;
      }
      case "boolean": {
        const t = v.toLowerCase();
        if (["true", "1", "yes", "是"].includes(t)) fields[f.code] = true;
        else if (["false", "0", "no", "否"].includes(t)) fields[f.code] = false;
        else problems.push(`attribute[${f.code}] must be true or false`);
        break;
      }
      case "date":
        // A W3C datetime is accepted for a date; the day in China is kept.
        fields[f.code] = /^\d{4}-\d{2}-\d{2}T/.test(v)
          ? (() => {
              const d = parseW3cDatetime(v);
              return d ? w3cDatetime(d).slice(0, 10) : v;
            })()
          : v;
        break;
      default:
        fields[f.code] = v;
    }
  }
  for (const code of Object.keys(attrs))
    if (!cat.fields.some((f) => f.code === code))
      problems.push(`attribute[${code}] is not an attribute of service ${cat.code}`);
  return { fields, problems };
}

const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v).trim());

/**
 * POST requests: a new case through the web's intake, as the API token's
 * report. `dryRun` (the test endpoint) goes the whole way and rolls back.
 */
export async function createRequest(
  deps: Open311Deps,
  actor: Actor,
  p: PostParams,
  ctx: { requestId: string; idempotencyKey?: string | undefined; dryRun: boolean },
): Promise<Open311Object[]> {
  const serviceCode = str(p.service_code);
  if (!serviceCode) throw badRequest("service_code is required");
  const cat = await leafCategory(deps, serviceCode);
  if (!cat) throw badRequest(`service_code ${serviceCode} not found`);

  const errors: string[] = [];
  const latRaw = str(p.lat);
  const lngRaw = str(p.long ?? p.lng);
  const addressString = str(p.address_string);
  let lat: number | undefined;
  let lng: number | undefined;
  const address = addressString || undefined;
  if (latRaw || lngRaw) {
    lat = Number(latRaw);
    lng = Number(lngRaw);
    if (!latRaw || !Number.isFinite(lat) || lat < -90 || lat > 90)
      errors.push("lat must be a number between -90 and 90");
    if (!lngRaw || !Number.isFinite(lng) || lng < -180 || lng > 180)
      errors.push("long must be a number between -180 and 180");
  } else if (addressString) {
    const found = await locateAddress(deps, addressString);
    if (!found)
      errors.push(
        `address_string ${addressString.slice(0, 60)} is not a known address in this district; send lat and long`,
      );
    else {
      lat = found.lat;
      lng = found.lng;
    }
  } else {
    errors.push("a location is required: lat and long, or address_string");
  }

  const { fields, problems } = fieldsFrom(cat, attributesOf(p));
  errors.push(...problems);
  const check = validateCaseFields(cat, fields);
  if (!check.ok) for (const e of check.errors) errors.push(`attribute[${e.field}]: ${e.message}`);

  let description = str(p.description) ?? "";
  const media = str(p.media_url);
  if (media) {
    if (!/^https?:\/\/\S+$/i.test(media) || media.length > 500)
      errors.push("media_url must be an http or https URL");
    else description = `${description}\n照片 / photo: ${media}`.trim();
  }
  if (description.length < 5)
    errors.push("description is required: at least 5 characters saying what happened");
  if (description.length > 2000) errors.push("description: at most 2,000 characters");

  const name = [str(p.first_name), str(p.last_name)].filter(Boolean).join(" ").slice(0, 40);
  const phone = str(p.phone)
    ?.replace(/[\s-]/g, "")
    .replace(/^\+?86/, "");
  const mobile = phone && /^1[3-9]\d{9}$/.test(phone) ? phone : undefined;
  if (errors.length) throw new Open311Errors(errors);

  let result: cases.IntakeResult;
  try {
    result = await cases.createCase(
      deps,
      actor,
      {
        categoryCode: cat.code,
        description,
        lat: lat as number,
        lng: lng as number,
        ...(address ? { address: address.slice(0, 200) } : {}),
        fields: check.ok ? check.value : fields,
        // The person behind the report, kept encrypted for staff; never published.
        ...(name ? { onBehalf: { name, ...(mobile ? { phone: mobile } : {}) } } : {}),
      },
      { requestId: ctx.requestId, idempotencyKey: ctx.idempotencyKey, dryRun: ctx.dryRun },
    );
  } catch (err) {
    throw asOpen311(err);
  }
  const d = result.detail;
  return [
    {
      service_request_id: ctx.dryRun ? `TEST-${d.code}` : d.code,
      ...(ctx.dryRun ? {} : { token: tokenFor(deps, d.id) }),
      service_notice: cat.serviceNotice ?? null,
      account_id: null,
    },
  ];
}

/** Several 400 errors at once, each its own <error>. */
export class Open311Errors extends AppError {
  constructor(readonly descriptions: string[]) {
    super("validation", 400, descriptions.join("; "));
  }
}

/** The intake's own errors, told in Open311's words (paths as parameter names). */
function asOpen311(err: unknown): unknown {
  if (!(err instanceof AppError) || err instanceof Open311Error) return err;
  if (err.status >= 500) return err;
  const details = Array.isArray(err.details)
    ? (err.details as { path?: string; message?: string }[])
    : [];
  const named = details
    .filter((x) => x.message)
    .map((x) => {
      const path = (x.path ?? "")
        .replace(/^body\.fields\.(.+)$/, "attribute[$1]")
        .replace(/^body\.categoryCode$/, "service_code")
        .replace(/^body\.lng$/, "long")
        .replace(/^body\./, "");
      return path ? `${path}: ${x.message}` : String(x.message);
    });
  if (err.status === 400 || err.status === 422)
    return new Open311Errors(named.length ? named : [err.message]);
  return new Open311Error(err.id, err.status, err.message);
}

// ------------------------------------------------------------------- updates

const UPDATE_STATUS: Partial<Record<string, string>> = {
  resolve: "FIXED",
  reassign: "INTERNAL_REFERRAL",
  return: "INTERNAL_REFERRAL",
  merge: "DUPLICATE",
  withdraw: "NO_FURTHER_ACTION",
};

const STATUS_BY_STATE: Record<CaseStatusValue, string> = {
  reported: "OPEN",
  verified: "INVESTIGATING",
  dispatched: "OPEN",
  accepted: "ACTION_SCHEDULED",
  in_progress: "IN_PROGRESS",
  resolved: "FIXED",
  returned: "OPEN",
  closed: "CLOSED",
  withdrawn: "NO_FURTHER_ACTION",
  merged: "DUPLICATE",
};

/** A public step as mySociety's request_update. */
export function presentUpdate(u: repo.PublicUpdateRow, base: string): Open311Object {
  const status = UPDATE_STATUS[u.action] ?? STATUS_BY_STATE[u.to_status ?? u.case_status] ?? "OPEN";
  // A rating's words are the reporter's, not the agency's: not published.
  const note =
    u.sensitive || u.action === "feedback" || !u.note ? null : redactPersonalText(u.note);
  return {
    update_id: u.id,
    service_request_id: u.case_code,
    status,
    updated_datetime: w3cDatetime(u.created_at),
    description: note,
    media_url: u.media_id && !u.sensitive ? mediaUrl(base, u.media_id, u.media_mime ?? "") : null,
  };
}

/** GET servicerequestupdates: status changes in a period (default the last day), oldest first. */
export async function listUpdates(
  deps: Open311Deps,
  q: { start_date?: unknown; end_date?: unknown; service_request_id?: unknown },
  base: string,
  now = new Date(),
): Promise<Open311Object[]> {
  const end = dateParam(q.end_date, "end_date");
  const start = dateParam(q.start_date, "start_date");
  const to = end ?? now;
  const from = start ?? new Date(to.getTime() - DEFAULT_UPDATE_WINDOW_MS);
  if (from > to) throw badRequest("start_date is after end_date");
  const codes = listParam(q.service_request_id, "service_request_id", MAX_RESULTS);
  const rows = await repo.publicUpdates(deps.db, {
    from,
    to,
    ...(codes ? { codes } : {}),
    limit: MAX_RESULTS,
  });
  return rows.map((u) => presentUpdate(u, base));
}

const UPDATE_STATUSES = new Set([...Object.values(STATUS_BY_STATE), "INTERNAL_REFERRAL"]);

/**
 * POST servicerequestupdates: a client's update on a request it submitted
 * (FixMyStreet sends its users' comments this way) becomes a comment on the
 * case that its handlers and reporter see. Someone else's request answers 404.
 */
export async function addUpdate(
  deps: Open311Deps,
  actor: Actor,
  p: PostParams,
  ctx: { requestId: string; dryRun: boolean },
): Promise<Open311Object[]> {
  const errors: string[] = [];
  const code = str(p.service_request_id);
  const text = str(p.description);
  const status = str(p.status)?.toUpperCase();
  const media = str(p.media_url);
  if (!code) errors.push("service_request_id is required");
  if (!text) errors.push("description is required");
  else if (text.length > 1800) errors.push("description: at most 1,800 characters");
  if (status && !UPDATE_STATUSES.has(status))
    errors.push(`status must be one of ${[...UPDATE_STATUSES].join(", ")}`);
  if (media && (!/^https?:\/\/\S+$/i.test(media) || media.length > 500))
    errors.push("media_url must be an http or https URL");
  if (p.updated_datetime !== undefined && p.updated_datetime !== "")
    dateParam(p.updated_datetime, "updated_datetime");
  if (errors.length) throw new Open311Errors(errors);

  const found = await repo.caseIdByCode(deps.db, code as string);
  if (!found) throw notFound311(`service_request_id ${code} not found`);
  const note = [
    text,
    status === "CLOSED" || status === "FIXED"
      ? "（报告方表示问题已解决 / the reporter says it is fixed）"
      : null,
    media ? `照片 / photo: ${media}` : null,
  ]
    .filter(Boolean)
    .join("\n");
  if (ctx.dryRun) {
    await cases.caseAccess(deps, actor, found.id).then((a) => {
      if (!a) throw notFound311(`service_request_id ${code} not found`);
    });
    return [{ update_id: `TEST-${found.id}` }];
  }
  let detail: Awaited<ReturnType<typeof cases.transition>>;
  try {
    detail = await cases.transition(
      deps,
      actor,
      found.id,
      "comment",
      { note, visibility: "public" },
      {
        requestId: ctx.requestId,
      },
    );
  } catch (err) {
    if (err instanceof AppError && err.status === 404)
      throw notFound311(`service_request_id ${code} not found`);
    throw asOpen311(err);
  }
  const mine = detail.timeline.filter((x) => x.action === "comment").at(-1);
  return [{ update_id: mine?.id ?? "" }];
}
