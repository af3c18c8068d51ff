/**
 * Base-data scope, generated: every role (in the scopes it comes with) × the
 * relation of a record to the caller × every action on the base-data
 * endpoints (residents, units, buildings, organisations, imports), run
 * against the real API. The expectations are the product's rules, written
 * here apart from the policy code:
 *
 * - a grid worker sees and edits their grid; a community or street
 *   coordinator theirs; a police station its area; an admin or coordinator
 *   of the district all of it;
 * - an enterprise officer sees only their own employees, dormitories and
 *   enterprise; an association representative only their association;
 * - a resident sees only themself (and the unit they live in);
 * - a record outside scope answers 404, like a missing one; an action the
 *   role may never take answers 403, whatever the record; a reference in a
 *   request body to a unit or building outside scope is refused like an
 *   unknown one (400);
 * - lists, exports and the map hold only records in scope;
 * - registering a known ID number finds the person again, but tells someone
 *   who may not see them only that they exist elsewhere (409);
 * - imports (whose refused rows hold what people typed) are seen by whoever
 *   uploaded them, and by admins and coordinators of the whole district;
 *   each row is imported only inside the uploader's area;
 * - ID and phone numbers are masked in every answer; revealing one is
 *   refused to roles whose policy forbids it, and otherwise writes an audit
 *   row saying who read whose number, which one and why.
 *
 * Adding an actor to ACTORS, a record to the target tables or an action to
 * an action list adds its cases.
 */
import ExcelJS from "exceljs";
import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importErrors, uploadImport, waitForImport } from "../../../../test/import-upload.js";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import { residentIdCheckChar } from "../../../shared/formats/resident-id.js";
import { usccCheckChar } from "../../../shared/formats/uscc.js";
import type { Role } from "../../../shared/roles.js";
import { type Boundary, boundaryInteriorPoint } from "../geo/geometry.js";

// ---------------------------------------------------------------------------
// The model: areas, actors, records, and the rules over them.

const LEVELS = ["district", "street", "community", "grid"] as const;

/**
 * Four grids of the seeded district: G1 and G2 share a community (C1) of
 * street S1, G3 lies in another community (C2) of S1, G4 in another street.
 */
type Place = "G1" | "G2" | "G3" | "G4";
type AreaKey = "D" | "S1" | "S2" | "C1" | "C2" | "C3" | Place;
const CHAIN: Record<Place, readonly AreaKey[]> = {
  G1: ["D", "S1", "C1", "G1"],
  G2: ["D", "S1", "C1", "G2"],
  G3: ["D", "S1", "C2", "G3"],
  G4: ["D", "S2", "C3", "G4"],
};
const PLACES = Object.keys(CHAIN) as Place[];

type OrgKey = "E1" | "E2" | "A1";

interface ActorSpec {
  label: string;
  role: Role;
  /** The area the grant reaches: its own area, or its department's. */
  area?: "D" | "S1" | "C1" | "G1";
  /** The grant names the police station of S1 rather than an area. */
  police?: boolean;
  /** The organisation the grant names. */
  org?: OrgKey;
}

const ACTORS: ActorSpec[] = [
  { label: "admin", role: "admin", area: "D" },
  { label: "street_admin", role: "admin", area: "S1" },
  { label: "district_coordinator", role: "coordinator", area: "D" },
  { label: "street_coordinator", role: "coordinator", area: "S1" },
  { label: "community_coordinator", role: "coordinator", area: "C1" },
  { label: "grid_worker", role: "grid_worker", area: "G1" },
  { label: "police_officer", role: "department_officer", area: "S1", police: true },
  { label: "enterprise_officer", role: "enterprise_officer", org: "E1" },
  { label: "association_rep", role: "association_rep", org: "A1" },
  { label: "resident", role: "resident" },
];

interface UnitTarget {
  key: string;
  place: Place;
  /** The enterprise whose dormitory it is. */
  landlord?: OrgKey;
  /** The resident actor lives here. */
  home?: boolean;
}
const UNITS: UnitTarget[] = [
  ...PLACES.map((place) => ({ key: `U-${place}`, place })),
  { key: "U-dorm-E1", place: "G4", landlord: "E1" },
  { key: "U-dorm-E2", place: "G4", landlord: "E2" },
  { key: "U-home", place: "G4", home: true },
];
const unitSpec = (key: string) => UNITS.find((u) => u.key === key) as UnitTarget;

interface ResidentTarget {
  key: string;
  unit: string;
  employer?: OrgKey;
  /** The resident actor's own record. */
  self?: boolean;
}
const RESIDENTS: ResidentTarget[] = [
  ...PLACES.map((place) => ({ key: `R-${place}`, unit: `U-${place}` })),
  // Employees live in the other enterprise's dormitory, so seeing the one
  // never follows from seeing the other.
  { key: "R-employee-E1", unit: "U-dorm-E2", employer: "E1" },
  { key: "R-employee-E2", unit: "U-dorm-E1", employer: "E2" },
  { key: "R-self", unit: "U-home", self: true },
  { key: "R-housemate", unit: "U-home" },
];

interface OrgTarget {
  key: string;
  place: Place;
  kind: "enterprise" | "association";
}
const ORGS: OrgTarget[] = [
  ...PLACES.map((place) => ({ key: `O-${place}`, place, kind: "association" as const })),
  { key: "E1", place: "G4", kind: "enterprise" },
  { key: "E2", place: "G4", kind: "enterprise" },
  { key: "A1", place: "G4", kind: "association" },
];

/** What a resident record is, for the rules: where they live, who employs them. */
interface ResidentFacts {
  unit: string | null;
  employer?: OrgKey | undefined;
  self?: boolean | undefined;
}

const BASE_DATA_EDITORS: readonly Role[] = [
  "admin",
  "coordinator",
  "grid_worker",
  "department_officer",
];
const editsBaseData = (a: ActorSpec) => BASE_DATA_EDITORS.includes(a.role);
const mayReveal = (a: ActorSpec) => editsBaseData(a) || a.role === "resident";
const reaches = (a: ActorSpec, p: Place) => a.area !== undefined && CHAIN[p].includes(a.area);
/** Admins and coordinators of the whole district oversee every import. */
const seesAllImports = (a: ActorSpec) =>
  a.area === "D" && (a.role === "admin" || a.role === "coordinator");

function seesResident(a: ActorSpec, r: ResidentFacts): boolean {
  if (a.area) return r.unit !== null && reaches(a, unitSpec(r.unit).place);
  if (a.role === "enterprise_officer") return r.employer === a.org;
  if (a.role === "resident") return r.self === true;
  return false;
}
function seesUnit(a: ActorSpec, u: UnitTarget): boolean {
  if (a.area) return reaches(a, u.place);
  if (a.role === "enterprise_officer") return u.landlord === a.org;
  if (a.role === "resident") return u.home === true;
  return false;
}
function seesOrg(a: ActorSpec, o: OrgTarget): boolean {
  if (a.area) return reaches(a, o.place);
  return a.org === o.key;
}

/** "own-grid", "sibling-grid", "other-community", "other-street", … */
function placeRelation(a: ActorSpec, p: Place): string {
  const area = a.area as AreaKey;
  // Every actor's area lies on G1's chain: the chain down to it is the actor's.
  const mine = CHAIN.G1.slice(0, CHAIN.G1.indexOf(area) + 1);
  const level = mine.length - 1;
  const chain = CHAIN[p];
  if (chain[level] === area) return `own-${LEVELS[level]}`;
  const split = chain.findIndex((x, i) => x !== mine[i]);
  return split === level ? `sibling-${LEVELS[level]}` : `other-${LEVELS[split]}`;
}

function residentRelation(a: ActorSpec, r: ResidentTarget): string {
  if (a.area) return placeRelation(a, unitSpec(r.unit).place);
  if (a.role === "resident") return r.self ? "self" : "other-resident";
  if (a.role === "enterprise_officer")
    return r.employer === a.org
      ? "own-employee"
      : r.employer
        ? "other-enterprise-employee"
        : "not-an-employee";
  return "unrelated-resident";
}
function unitRelation(a: ActorSpec, u: UnitTarget): string {
  if (a.area) return placeRelation(a, u.place);
  if (a.role === "resident") return u.home ? "own-home" : "other-unit";
  if (a.role === "enterprise_officer")
    return u.landlord === a.org
      ? "own-dormitory"
      : u.landlord
        ? "other-enterprise-dormitory"
        : "not-a-dormitory";
  return "unrelated-unit";
}
function orgRelation(a: ActorSpec, o: OrgTarget): string {
  if (a.area) return placeRelation(a, o.place);
  if (a.org === o.key) return `own-${o.kind}`;
  return "other-organisation";
}
function placeRelationOrNone(a: ActorSpec, p: Place): string {
  return a.area ? placeRelation(a, p) : "no-area-scope";
}

// ---------------------------------------------------------------------------
// The actions and what each should answer.

type ResidentAction =
  | "resident.detail"
  | "resident.register-again"
  | "resident.move"
  | "resident.move-out"
  | "resident.reveal-id"
  | "resident.reveal-phone";
const RESIDENT_ACTIONS: ResidentAction[] = [
  "resident.detail",
  "resident.register-again",
  "resident.reveal-id",
  "resident.reveal-phone",
  "resident.move",
  "resident.move-out",
];
function expectResident(a: ActorSpec, r: ResidentTarget, action: ResidentAction): number {
  const sees = seesResident(a, r);
  switch (action) {
    case "resident.detail":
      return sees ? 200 : 404;
    case "resident.reveal-id":
    case "resident.reveal-phone":
      return !mayReveal(a) ? 403 : sees ? 200 : 404;
    case "resident.move":
    case "resident.move-out":
      return !editsBaseData(a) ? 403 : sees ? 200 : 404;
    case "resident.register-again":
      // Registering a known ID number (with no unit) finds the person again.
      // A resident may only find themself; an enterprise makes them its
      // employee (given the recorded name); an editor is told the person exists elsewhere (409) but not
      // who or where they are.
      if (a.role === "resident") return r.self ? 200 : 409;
      if (a.role === "enterprise_officer") return 200;
      if (!editsBaseData(a)) return 403;
      return sees ? 200 : 409;
  }
}

type UnitAction = "unit.detail" | "unit.update" | "resident.create";
const UNIT_ACTIONS: UnitAction[] = ["unit.detail", "unit.update", "resident.create"];
function expectUnit(a: ActorSpec, u: UnitTarget, action: UnitAction): number {
  switch (action) {
    case "unit.detail":
      return seesUnit(a, u) ? 200 : 404;
    case "unit.update":
      return !editsBaseData(a) ? 403 : seesUnit(a, u) ? 200 : 404;
    case "resident.create":
      // Registering someone into this unit. A resident registers only
      // themself, once (they already are); an enterprise its own employees
      // into its own dormitories.
      if (a.role === "resident") return 409;
      if (a.role === "enterprise_officer") return u.landlord === a.org ? 201 : 400;
      if (!editsBaseData(a)) return 403;
      return reaches(a, u.place) ? 201 : 400;
  }
}

type OrgAction = "organisation.detail" | "organisation.update";
const ORG_ACTIONS: OrgAction[] = ["organisation.detail", "organisation.update"];
function expectOrg(a: ActorSpec, o: OrgTarget, action: OrgAction): number {
  if (action === "organisation.detail") return seesOrg(a, o) ? 200 : 404;
  return !editsBaseData(a) ? 403 : seesOrg(a, o) ? 200 : 404;
}

type EmployerAction = "resident.register-employee";
const EMPLOYER_ACTIONS: EmployerAction[] = ["resident.register-employee"];
const ENTERPRISES = ORGS.filter((o) => o.kind === "enterprise");
function expectEmployer(a: ActorSpec, o: OrgTarget, _action: EmployerAction): number {
  if (a.role === "resident") return 409;
  // An enterprise registers its own employees only.
  if (a.role === "enterprise_officer") return o.key === a.org ? 201 : 403;
  if (!editsBaseData(a)) return 403;
  // People often work outside the area they live in: any enterprise may employ them.
  return 201;
}

/** Actions that put a new record in a place. */
type PlaceAction =
  | "building.create"
  | "unit.create"
  | "organisation.create"
  | "import.residents-row";
const PLACE_ACTIONS: PlaceAction[] = [
  "building.create",
  "unit.create",
  "organisation.create",
  "import.residents-row",
];
function expectPlace(a: ActorSpec, p: Place, action: PlaceAction): number | "inserted" | "refused" {
  if (!editsBaseData(a)) return 403;
  switch (action) {
    case "building.create":
    case "organisation.create":
      return reaches(a, p) ? 201 : 403;
    case "unit.create":
      // The building outside scope is an unknown building.
      return reaches(a, p) ? 201 : 400;
    case "import.residents-row":
      return reaches(a, p) ? "inserted" : "refused";
  }
}

type ListAction =
  | "resident.list"
  | "resident.export"
  | "unit.list"
  | "unit.export"
  | "unit.map"
  | "building.list"
  | "organisation.list"
  | "organisation.export"
  | "import.list";
const LIST_ACTIONS: ListAction[] = [
  "resident.list",
  "resident.export",
  "unit.list",
  "unit.export",
  "unit.map",
  "building.list",
  "organisation.list",
  "organisation.export",
  "import.list",
];
function expectList(a: ActorSpec, action: ListAction): number {
  if (action === "building.list") return a.role === "resident" ? 403 : 200;
  if (action === "import.list") return editsBaseData(a) ? 200 : 403;
  return 200;
}

type ImportTarget = "own-import" | "district-admin-import";
const IMPORT_TARGETS: ImportTarget[] = ["own-import", "district-admin-import"];
function expectImport(a: ActorSpec, target: ImportTarget): number {
  if (!editsBaseData(a)) return 403;
  return target === "own-import" || seesAllImports(a) ? 200 : 404;
}

// ---------------------------------------------------------------------------
// The test data, made through the API in beforeAll.

const PASSWORD = "Scope-test-2026";
/** Fixture names and roads carry this, so filtered lists stay short. */
const MARK = "范测";

let t: TestApp;
/** The seeded district admin, who makes the fixtures. */
let root: Session;
const areas = new Map<AreaKey, { id: string; code: string; path: string }>();
const gridPoint = new Map<Place, [number, number]>();
const gridPathByCode = new Map<string, string>();
let policeStationId = "";
const ids = new Map<string, string>();
const sessions = new Map<string, Session>();
const userIds = new Map<string, string>();
/** Every resident this file made (fixtures, copies, registrations), by id. */
const residentFacts = new Map<string, ResidentFacts>();
/** Plain ID and phone numbers of everything made here: no answer may hold one unrevealed. */
const secrets = new Set<string>();
const plain = new Map<string, { idNumber: string; phone: string }>();
const unitAddresses = new Map<string, string>();
let serial = 0;

const idOf = (key: string) => {
  const id = ids.get(key);
  if (!id) throw new Error(`no fixture ${key}`);
  return id;
};
const sessionOf = (a: ActorSpec) => sessions.get(a.label) as Session;

function nextIdNumber(): string {
  serial++;
  const year = 1971 + Math.floor(serial / 900);
  const first17 = `340102${year}0611${String(100 + (serial % 900)).padStart(3, "0")}`;
  return first17 + residentIdCheckChar(first17);
}
function nextPhone(): string {
  return `1390${String(7000000 + serial).padStart(7, "0")}`;
}
function nextUscc(): string {
  serial++;
  const first17 = `91320505MA1TQ${String(1000 + serial).slice(-4)}`;
  return first17 + usccCheckChar(first17);
}

function assertNoSecrets(body: string, what: string) {
  for (const s of secrets) {
    if (body.includes(s)) expect.fail(`${what}: the answer holds the unmasked number ${s}`);
  }
}

/** A request as the actor; the answer must not hold an unmasked number unless it is a reveal. */
async function call(
  a: ActorSpec,
  o: InjectOptions,
  what: string,
  revealing = false,
): Promise<LightMyRequestResponse> {
  const res = await sessionOf(a).request(o);
  if (!(revealing && res.statusCode === 200)) assertNoSecrets(res.body, what);
  return res;
}

function expectStatus(what: string, expected: number, res: LightMyRequestResponse) {
  if (res.statusCode !== expected)
    expect.fail(`${what} → expected ${expected}, got ${res.statusCode}: ${res.body.slice(0, 300)}`);
}

async function createOk(s: Session, url: string, payload: object): Promise<{ id: string }> {
  const res = await s.request({ method: "POST", url, payload });
  if (res.statusCode !== 201) throw new Error(`POST ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** Registers a resident as the root admin (a copy of a target, or a fixture). */
async function registerResident(name: string, facts: ResidentFacts): Promise<string> {
  const idNumber = nextIdNumber();
  const phone = nextPhone();
  secrets.add(idNumber);
  secrets.add(phone);
  const r = await createOk(root, "/api/residents", {
    name,
    idNumber,
    phone,
    ...(facts.unit ? { unitId: idOf(facts.unit) } : {}),
    ...(facts.employer ? { employerId: idOf(facts.employer) } : {}),
  });
  residentFacts.set(r.id, facts);
  plain.set(r.id, { idNumber, phone });
  return r.id;
}

async function findAreas() {
  const db = t.database.db;
  const all = await db
    .selectFrom("areas")
    .select(["id", "code", "path", "level", "boundary"])
    .where("level", "in", ["district", "street", "community", "grid"])
    .orderBy("code")
    .execute();
  const byCode = new Map(all.map((a) => [a.code, a]));
  const grids = all.filter((a) => a.level === "grid");
  for (const g of grids) gridPathByCode.set(g.code, g.path);
  const codesOf = (path: string) => path.split("/").filter(Boolean);
  const inS1 = grids.filter((g) => codesOf(g.path)[1] === "320505002");
  const byCommunity = new Map<string, typeof grids>();
  for (const g of inS1) {
    const c = codesOf(g.path)[2] as string;
    byCommunity.set(c, [...(byCommunity.get(c) ?? []), g]);
  }
  const c1 = [...byCommunity.entries()].find(([, gs]) => gs.length >= 2);
  const c2 = [...byCommunity.entries()].find(([c]) => c !== c1?.[0]);
  const g4 = grids.find((g) => codesOf(g.path)[1] !== "320505002");
  if (!c1 || !c2 || !g4) throw new Error("the seeded district lacks the grids this test needs");
  const picked: Record<Place, (typeof grids)[number]> = {
    G1: c1[1][0] as (typeof grids)[number],
    G2: c1[1][1] as (typeof grids)[number],
    G3: c2[1][0] as (typeof grids)[number],
    G4: g4,
  };
  const put = (key: AreaKey, code: string) => {
    const a = byCode.get(code);
    if (!a) throw new Error(`no area ${code}`);
    areas.set(key, { id: a.id, code: a.code, path: a.path });
  };
  for (const p of PLACES) {
    const [d, s, c, g] = codesOf(picked[p].path) as [string, string, string, string];
    put("D", d);
    put(p, g);
    const chain = CHAIN[p];
    put(chain[1] as AreaKey, s);
    put(chain[2] as AreaKey, c);
    gridPoint.set(p, boundaryInteriorPoint(picked[p].boundary as Boundary));
  }
  const police = await db
    .selectFrom("departments")
    .select("id")
    .where("kind", "=", "police_station")
    .where("area_id", "=", areas.get("S1")?.id as string)
    .executeTakeFirstOrThrow();
  policeStationId = police.id;
}

async function makeFixtures() {
  // Organisations.
  for (const o of ORGS) {
    const phone = nextPhone();
    secrets.add(phone);
    const r = await createOk(root, "/api/organisations", {
      kind: o.kind,
      name: `${MARK}${o.key}`,
      gridCode: areas.get(o.place)?.code,
      safetyOfficer: "安全员",
      safetyOfficerPhone: phone,
      ...(o.kind === "enterprise" ? { uscc: nextUscc() } : { associationKind: "social" }),
    });
    ids.set(o.key, r.id);
  }
  // A building per grid; every unit of a grid in its building.
  for (const [i, p] of PLACES.entries()) {
    const [lng, lat] = gridPoint.get(p) as [number, number];
    const b = await createOk(root, "/api/buildings", {
      road: `${MARK}路`,
      houseNumber: String(i + 1),
      lng,
      lat,
    });
    ids.set(`B-${p}`, b.id);
  }
  for (const [i, u] of [...UNITS, { key: "U-destination", place: "G1" as Place }].entries()) {
    const r = await root.request({
      method: "POST",
      url: "/api/units",
      payload: {
        buildingId: idOf(`B-${u.place}`),
        unitNo: String(101 + i),
        floorAreaM2: 30,
        isRental: true,
        declaredCapacity: 4,
        ...("landlord" in u && u.landlord
          ? { landlord: { kind: "organisation", id: idOf(u.landlord) } }
          : {}),
      },
    });
    if (r.statusCode !== 201) throw new Error(`unit ${u.key}: ${r.body}`);
    ids.set(u.key, r.json().id);
    unitAddresses.set(u.key, r.json().address);
  }
  // Accounts, one per actor, made through the users admin API.
  for (const [i, a] of ACTORS.entries()) {
    const grant = a.police
      ? { role: a.role, departmentId: policeStationId }
      : a.area
        ? { role: a.role, areaCode: areas.get(a.area)?.code }
        : a.org
          ? { role: a.role, organisationId: idOf(a.org) }
          : { role: a.role };
    const username = `scope-${i}-${a.role.replace(/_/g, "-")}`;
    const res = await root.request({
      method: "POST",
      url: "/api/admin/users",
      payload: { username, displayName: a.label, password: PASSWORD, grants: [grant] },
    });
    if (res.statusCode !== 201) throw new Error(`user ${a.label}: ${res.body}`);
    userIds.set(a.label, res.json().id);
    sessions.set(a.label, await login(t.app, username, PASSWORD));
  }
  // Residents; the resident actor registers themself.
  for (const r of RESIDENTS) {
    if (r.self) {
      const resident = ACTORS.find((a) => a.role === "resident") as ActorSpec;
      const idNumber = nextIdNumber();
      const phone = nextPhone();
      secrets.add(idNumber);
      secrets.add(phone);
      const res = await createOk(sessionOf(resident), "/api/residents", {
        name: `${MARK}${r.key}`,
        idNumber,
        phone,
        unitId: idOf(r.unit),
      });
      ids.set(r.key, res.id);
      residentFacts.set(res.id, { unit: r.unit, self: true });
      plain.set(res.id, { idNumber, phone });
    } else {
      ids.set(
        r.key,
        await registerResident(`${MARK}${r.key}`, { unit: r.unit, employer: r.employer }),
      );
    }
  }
}

/** An import by the seeded district admin: someone else's, for every actor. */
let rootImportId = "";

beforeAll(async () => {
  t = await createTestApp();
  root = await login(t.app, "admin");
  await findAreas();
  await makeFixtures();
  const idNumber = nextIdNumber();
  secrets.add(idNumber);
  const res = await uploadImport(
    root,
    "residents",
    "district.csv",
    `姓名,身份证号\r\n范导根,${idNumber}\r\n`,
  );
  if (res.statusCode !== 202) throw new Error(`root import: ${res.body}`);
  rootImportId = (await waitForImport(root, res.json().id)).id;
});
afterAll(() => t?.close());

// ---------------------------------------------------------------------------
// Cases.

interface Case<T, A, E> {
  name: string;
  actor: ActorSpec;
  target: T;
  action: A;
  expected: E;
  /** "grid_worker × sibling-grid (R-G2) × resident.detail" */
  what: string;
}

/** Every actor × target × action, named for the report, with what it should answer. */
function cases<T, A extends string, E extends number | string = number>(
  targets: readonly T[],
  actions: readonly A[],
  label: (t: T) => string,
  relation: (a: ActorSpec, t: T) => string,
  expected: (a: ActorSpec, t: T, action: A) => E,
): Case<T, A, E>[] {
  return ACTORS.flatMap((actor) =>
    targets.flatMap((target) =>
      actions.map((action) => {
        const e = expected(actor, target, action);
        const what = `${actor.label} × ${relation(actor, target)} (${label(target)}) × ${action}`;
        return { name: `${what} → ${e}`, actor, target, action, expected: e, what };
      }),
    ),
  );
}

describe("residents: role × relation × action", () => {
  const all = cases(RESIDENTS, RESIDENT_ACTIONS, (r) => r.key, residentRelation, expectResident);

  it.each(all)("$name", async (c) => {
    const a = c.actor;
    const self = c.target.self === true;
    // Moves change the record, so they act on a fresh copy with the same
    // facts (the resident actor's own record cannot be copied: it is theirs).
    const mutating =
      c.action === "resident.move" ||
      c.action === "resident.move-out" ||
      c.action === "resident.register-again";
    const id =
      mutating && !(self && a.role === "resident")
        ? await registerResident(`范克${c.target.key}`, {
            unit: c.target.unit,
            employer: c.target.employer,
          })
        : idOf(c.target.key);
    if (mutating && self && a.role === "resident")
      residentFacts.set(id, { unit: c.target.unit, self: true });

    switch (c.action) {
      case "resident.detail": {
        const res = await call(a, { method: "GET", url: `/api/residents/${id}` }, c.what);
        expectStatus(c.what, c.expected, res);
        if (res.statusCode === 200) {
          const body = res.json();
          expect(body.id, c.what).toBe(id);
          expect(body.idNumber, c.what).toMatch(/\*/);
          expect(body.phone, c.what).toMatch(/\*/);
        }
        return;
      }
      case "resident.reveal-id":
      case "resident.reveal-phone": {
        const field = c.action === "resident.reveal-id" ? "idNumber" : "phone";
        const reason = `核查 ${c.what}`.slice(0, 200);
        const before = await lastAuditId();
        const res = await call(
          a,
          { method: "POST", url: `/api/residents/${id}/reveal`, payload: { field, reason } },
          c.what,
          true,
        );
        expectStatus(c.what, c.expected, res);
        const rows = await t.database.db
          .selectFrom("audit_log")
          .select(["actor_user_id", "subject_type", "subject_id", "details"])
          .where("id", ">", before)
          .where("action", "=", "personal_data.read")
          .execute();
        if (res.statusCode === 200) {
          expect(res.json(), c.what).toEqual({ field, value: plain.get(id)?.[field] });
          expect(rows, c.what).toEqual([
            {
              actor_user_id: userIds.get(a.label),
              subject_type: "resident",
              subject_id: id,
              details: { field, reason },
            },
          ]);
        } else {
          expect(rows, `${c.what}: a refused reveal writes no read record`).toEqual([]);
        }
        return;
      }
      case "resident.register-again": {
        const employer = a.role === "enterprise_officer" ? a.org : undefined;
        const res = await call(
          a,
          {
            method: "POST",
            url: "/api/residents",
            payload: {
              // An enterprise has its employee's papers: it gives the
              // recorded name (a wrong one is refused, residents.test.ts).
              name: employer ? `范克${c.target.key}` : "重复登记",
              idNumber: plain.get(id)?.idNumber,
              ...(employer ? { employerId: idOf(employer) } : {}),
            },
          },
          c.what,
        );
        expectStatus(c.what, c.expected, res);
        if (res.statusCode === 200) {
          expect(res.json().id, c.what).toBe(id);
          if (employer)
            residentFacts.set(id, { ...(residentFacts.get(id) as ResidentFacts), employer });
        } else {
          // …without saying who the person is or where they live.
          expect(res.body, c.what).not.toContain(`范克${c.target.key}`);
          expect(res.body, c.what).not.toContain(unitAddresses.get(c.target.unit));
        }
        return;
      }
      case "resident.move": {
        const res = await call(
          a,
          {
            method: "POST",
            url: `/api/residents/${id}/move`,
            payload: { unitId: idOf("U-destination") },
          },
          c.what,
        );
        expectStatus(c.what, c.expected, res);
        if (res.statusCode === 200) {
          expect(res.json().unit.id, c.what).toBe(idOf("U-destination"));
          residentFacts.set(id, { ...(residentFacts.get(id) as ResidentFacts), unit: "U-G1" });
        }
        return;
      }
      case "resident.move-out": {
        const res = await call(
          a,
          { method: "POST", url: `/api/residents/${id}/move-out`, payload: {} },
          c.what,
        );
        expectStatus(c.what, c.expected, res);
        if (res.statusCode === 200) expect(res.json().status, c.what).toBe("departed");
        return;
      }
    }
  });
});

async function lastAuditId(): Promise<string> {
  const r = await t.database.db
    .selectFrom("audit_log")
    .select((eb) => eb.fn.max("id").as("id"))
    .executeTakeFirst();
  return String(r?.id ?? 0);
}

describe("units: role × relation × action", () => {
  const all = cases(UNITS, UNIT_ACTIONS, (u) => u.key, unitRelation, expectUnit);

  it.each(all)("$name", async (c) => {
    const a = c.actor;
    const unitId = idOf(c.target.key);
    switch (c.action) {
      case "unit.detail": {
        const res = await call(a, { method: "GET", url: `/api/units/${unitId}` }, c.what);
        expectStatus(c.what, c.expected, res);
        if (res.statusCode === 200) {
          const body = res.json();
          // Occupants and history name only residents the caller may see.
          const named = [
            ...body.residents.map((r: { id: string }) => r.id),
            ...body.history.map((h: { resident: { id: string } }) => h.resident.id),
          ];
          for (const rid of named) {
            const facts = residentFacts.get(rid);
            expect(facts, `${c.what}: names a resident this test did not make`).toBeDefined();
            if (!seesResident(a, facts as ResidentFacts))
              expect.fail(`${c.what}: names resident ${rid}, who is outside the caller's scope`);
          }
          // …and every fixture resident living there whom the caller may see.
          for (const r of RESIDENTS.filter((r) => r.unit === c.target.key && seesResident(a, r)))
            expect(
              body.residents.map((x: { id: string }) => x.id),
              c.what,
            ).toContain(idOf(r.key));
        }
        return;
      }
      case "unit.update": {
        const res = await call(
          a,
          { method: "PATCH", url: `/api/units/${unitId}`, payload: { floorAreaM2: 30 } },
          c.what,
        );
        expectStatus(c.what, c.expected, res);
        return;
      }
      case "resident.create": {
        const idNumber = nextIdNumber();
        const phone = nextPhone();
        secrets.add(idNumber);
        secrets.add(phone);
        const employer = a.role === "enterprise_officer" ? a.org : undefined;
        const res = await call(
          a,
          {
            method: "POST",
            url: "/api/residents",
            payload: {
              name: `范建${c.target.key}`,
              idNumber,
              phone,
              unitId,
              ...(employer ? { employerId: idOf(employer) } : {}),
            },
          },
          c.what,
        );
        expectStatus(c.what, c.expected, res);
        if (res.statusCode === 201) {
          expect(res.json().unit.id, c.what).toBe(unitId);
          residentFacts.set(res.json().id, { unit: c.target.key, employer });
        }
        return;
      }
    }
  });
});

describe("organisations: role × relation × action", () => {
  const all = cases(ORGS, ORG_ACTIONS, (o) => o.key, orgRelation, expectOrg);

  it.each(all)("$name", async (c) => {
    const a = c.actor;
    const id = idOf(c.target.key);
    const res =
      c.action === "organisation.detail"
        ? await call(a, { method: "GET", url: `/api/organisations/${id}` }, c.what)
        : await call(
            a,
            {
              method: "PATCH",
              url: `/api/organisations/${id}`,
              payload: { industry: `行业${serial++}` },
            },
            c.what,
          );
    expectStatus(c.what, c.expected, res);
    if (res.statusCode === 200) {
      expect(res.json().id, c.what).toBe(id);
      expect(res.json().safetyOfficerPhone, c.what).toMatch(/\*/);
    }
  });
});

describe("employees: role × relation × action", () => {
  const all = cases(ENTERPRISES, EMPLOYER_ACTIONS, (o) => o.key, orgRelation, expectEmployer);

  it.each(all)("$name", async (c) => {
    const a = c.actor;
    const idNumber = nextIdNumber();
    const phone = nextPhone();
    secrets.add(idNumber);
    secrets.add(phone);
    // Editors register the employee into a unit of their own area.
    const unit = editsBaseData(a) ? "U-G1" : null;
    const res = await call(
      a,
      {
        method: "POST",
        url: "/api/residents",
        payload: {
          name: `范雇${c.target.key}`,
          idNumber,
          phone,
          employerId: idOf(c.target.key),
          ...(unit ? { unitId: idOf(unit) } : {}),
        },
      },
      c.what,
    );
    expectStatus(c.what, c.expected, res);
    if (res.statusCode === 201) {
      const id = res.json().id as string;
      residentFacts.set(id, { unit, employer: c.target.key as OrgKey });
      // Whoever registered them may now find them.
      const detail = await call(a, { method: "GET", url: `/api/residents/${id}` }, c.what);
      expectStatus(`${c.what}, then resident.detail`, 200, detail);
    }
  });
});

/** One residents import per actor, with a row per grid (rows 2–5 in PLACES order). */
const imports = new Map<
  string,
  Promise<{ status: number; body: string; id?: string; errors?: Map<number, string> }>
>();
const importNames = (a: ActorSpec) => PLACES.map((p) => `范导${ACTORS.indexOf(a)}${p}`);

function importOf(a: ActorSpec) {
  let run = imports.get(a.label);
  if (!run) {
    run = (async () => {
      const names = importNames(a);
      const lines = ["姓名,身份证号,手机号,现住地址"];
      const facts: ResidentFacts[] = [];
      for (const [i, p] of PLACES.entries()) {
        const idNumber = nextIdNumber();
        const phone = nextPhone();
        secrets.add(idNumber);
        secrets.add(phone);
        lines.push(`${names[i]},${idNumber},${phone},${unitAddresses.get(`U-${p}`)}`);
        facts.push({ unit: `U-${p}` });
      }
      const res = await uploadImport(
        sessionOf(a),
        "residents",
        "scope.csv",
        `${lines.join("\r\n")}\r\n`,
      );
      assertNoSecrets(res.body, `${a.label} × import.upload`);
      if (res.statusCode !== 202) return { status: res.statusCode, body: res.body };
      const done = await waitForImport(sessionOf(a), res.json().id);
      expect(done.status, `${a.label} × import.residents`).toBe("done");
      const errors = await importErrors(sessionOf(a), done.id);
      // The imported people are this file's too (unit details name them).
      for (const [i, name] of names.entries()) {
        const found = await root.request({
          method: "GET",
          url: `/api/residents?q=${encodeURIComponent(name)}`,
        });
        for (const r of found.json().items as { id: string }[])
          residentFacts.set(r.id, facts[i] as ResidentFacts);
      }
      return { status: 202, body: res.body, id: done.id, errors };
    })();
    imports.set(a.label, run);
  }
  return run;
}

describe("creating in a place: role × relation × action", () => {
  const all = cases(PLACES, PLACE_ACTIONS, (p) => p, placeRelationOrNone, expectPlace);

  it.each(all)("$name", async (c) => {
    const a = c.actor;
    const p = c.target;
    const n = serial++;
    const status = typeof c.expected === "number" ? c.expected : 202;
    switch (c.action) {
      case "building.create": {
        const [lng, lat] = gridPoint.get(p) as [number, number];
        const res = await call(
          a,
          {
            method: "POST",
            url: "/api/buildings",
            payload: { road: "范建路", houseNumber: String(n), lng, lat },
          },
          c.what,
        );
        expectStatus(c.what, status, res);
        if (res.statusCode === 201) expect(res.json().grid.code, c.what).toBe(areas.get(p)?.code);
        return;
      }
      case "unit.create": {
        const res = await call(
          a,
          {
            method: "POST",
            url: "/api/units",
            payload: { buildingId: idOf(`B-${p}`), unitNo: `N${n}`, isRental: false },
          },
          c.what,
        );
        expectStatus(c.what, status, res);
        if (res.statusCode === 201) expect(res.json().gridPath, c.what).toBe(areas.get(p)?.path);
        return;
      }
      case "organisation.create": {
        const res = await call(
          a,
          {
            method: "POST",
            url: "/api/organisations",
            payload: {
              kind: "association",
              name: `范建协会${n}`,
              gridCode: areas.get(p)?.code,
              associationKind: "social",
            },
          },
          c.what,
        );
        expectStatus(c.what, status, res);
        return;
      }
      case "import.residents-row": {
        const run = await importOf(a);
        const expected = c.expected;
        if (typeof expected === "number") {
          if (run.status !== expected)
            expect.fail(`${c.what} → expected ${expected}, got ${run.status}`);
          return;
        }
        if (run.status !== 202)
          expect.fail(
            `${c.what} → expected the upload to be accepted, got ${run.status}: ${run.body}`,
          );
        const row = PLACES.indexOf(p) + 2;
        const refusal = run.errors?.get(row);
        if (expected === "refused") {
          if (refusal === undefined)
            expect.fail(`${c.what} → expected row ${row} refused, it was imported`);
          expect(refusal, c.what).toMatch(/管辖范围|outside your area/);
        } else {
          if (refusal !== undefined)
            expect.fail(`${c.what} → expected row ${row} imported, refused: ${refusal}`);
          const name = importNames(a)[PLACES.indexOf(p)] as string;
          const found = (
            await root.request({
              method: "GET",
              url: `/api/residents?q=${encodeURIComponent(name)}`,
            })
          ).json();
          expect(
            found.items.map((r: { gridPath: string }) => r.gridPath),
            c.what,
          ).toEqual([areas.get(p)?.path]);
        }
        return;
      }
    }
  });
});

// ---------------------------------------------------------------------------
// Lists and exports: the fixtures a caller gets are exactly those in scope,
// and every row of an unfiltered page is in scope too.

type Item = {
  id: string;
  gridPath?: string | null;
  employer?: { id: string } | null;
  landlord?: { kind: string; id: string } | null;
  grid?: { code: string };
};

function pathInScope(a: ActorSpec, path: string | null | undefined): boolean {
  const scope = a.area ? areas.get(a.area)?.path : undefined;
  return scope !== undefined && typeof path === "string" && path.startsWith(scope);
}

/** The spec's scope for a row of an unfiltered list (records this file did not make included). */
function rowInScope(
  a: ActorSpec,
  kind: "resident" | "unit" | "building" | "organisation",
  x: Item,
): boolean {
  if (kind === "building") return pathInScope(a, gridPathByCode.get(x.grid?.code ?? ""));
  if (a.area) return pathInScope(a, x.gridPath);
  switch (kind) {
    case "resident":
      return a.role === "enterprise_officer"
        ? x.employer?.id === idOf(a.org as OrgKey)
        : a.role === "resident" && x.id === idOf("R-self");
    case "unit":
      return a.role === "enterprise_officer"
        ? x.landlord?.kind === "organisation" && x.landlord.id === idOf(a.org as OrgKey)
        : a.role === "resident" && x.id === idOf("U-home");
    case "organisation":
      return a.org !== undefined && x.id === idOf(a.org);
  }
}

async function xlsxRows(body: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const rows: string[][] = [];
  wb.worksheets[0]?.eachRow((row) => {
    rows.push(
      (row.values as unknown[])
        .slice(1)
        .map((v) => (v === null || v === undefined ? "" : String(v))),
    );
  });
  return rows;
}

describe("lists and exports: role × action", () => {
  const all = ACTORS.flatMap((actor) =>
    LIST_ACTIONS.map((action) => {
      const e = expectList(actor, action);
      const what = `${actor.label} × ${action}`;
      return { name: `${what} → ${e}, only in-scope rows`, actor, action, expected: e, what };
    }),
  );

  it.each(all)("$name", async (c) => {
    const a = c.actor;
    const fixtureNames = (keys: string[]) => keys.map((k) => `${MARK}${k}`).sort();
    const visibleResidents = RESIDENTS.filter((r) => seesResident(a, r)).map((r) => r.key);
    const visibleUnits = UNITS.filter((u) => seesUnit(a, u)).map((u) => u.key);
    const visibleOrgs = ORGS.filter((o) => seesOrg(a, o)).map((o) => o.key);
    const listed = async (url: string) => {
      const res = await call(a, { method: "GET", url }, c.what);
      expectStatus(c.what, c.expected, res);
      return res.statusCode === 200 ? (res.json() as { items: Item[]; total: number }) : null;
    };
    const onlyInScope = (kind: Parameters<typeof rowInScope>[1], items: Item[]) => {
      for (const x of items)
        if (!rowInScope(a, kind, x))
          expect.fail(`${c.what}: lists ${kind} ${x.id}, which is outside scope`);
    };
    /** The fixtures among the answer, as keys. */
    const fixturesIn = (items: Item[], keys: string[]) =>
      keys.filter((k) => items.some((x) => x.id === ids.get(k))).sort();
    const exported = async (url: string) => {
      const res = await sessionOf(a).request({ method: "GET", url });
      expectStatus(c.what, c.expected, res);
      const rows = await xlsxRows(res.rawPayload);
      assertNoSecrets(rows.flat().join("\n"), c.what);
      return rows.slice(1);
    };

    switch (c.action) {
      case "resident.list": {
        const mine = await listed(`/api/residents?q=${encodeURIComponent(MARK)}&limit=500`);
        if (!mine) return;
        expect(
          fixturesIn(
            mine.items,
            RESIDENTS.map((r) => r.key),
          ),
          c.what,
        ).toEqual([...visibleResidents].sort());
        const page = await listed("/api/residents?limit=300");
        onlyInScope("resident", page?.items ?? []);
        return;
      }
      case "resident.export": {
        const rows = await exported(`/api/residents/export.xlsx?q=${encodeURIComponent(MARK)}`);
        const names = rows.map((r) => r[0] as string).filter((n) => n.startsWith(MARK));
        expect(names.sort(), c.what).toEqual(fixtureNames(visibleResidents));
        return;
      }
      case "unit.list": {
        const mine = await listed(`/api/units?q=${encodeURIComponent(`${MARK}路`)}&limit=500`);
        if (!mine) return;
        expect(
          fixturesIn(
            mine.items,
            UNITS.map((u) => u.key),
          ),
          c.what,
        ).toEqual([...visibleUnits].sort());
        onlyInScope("unit", mine.items);
        const page = await listed("/api/units?limit=300");
        onlyInScope("unit", page?.items ?? []);
        return;
      }
      case "unit.map": {
        // Zoomed in on each fixture building: the units drawn are those in scope.
        const drawn: string[] = [];
        for (const p of PLACES) {
          const [lng, lat] = gridPoint.get(p) as [number, number];
          const bbox = [lng - 0.0005, lat - 0.0005, lng + 0.0005, lat + 0.0005].join(",");
          const res = await call(
            a,
            { method: "GET", url: `/api/units/map?bbox=${bbox}&zoom=19` },
            `${c.what} (${p})`,
          );
          expectStatus(c.what, c.expected, res);
          const body = res.json() as { mode: string; units: { id: string }[] };
          expect(body.mode, c.what).toBe("units");
          drawn.push(
            ...fixturesIn(
              body.units,
              UNITS.map((u) => u.key),
            ),
          );
        }
        expect(drawn.sort(), c.what).toEqual([...visibleUnits].sort());
        return;
      }
      case "unit.export": {
        const rows = await exported(`/api/units/export.xlsx?q=${encodeURIComponent(`${MARK}路`)}`);
        const fixtureAddresses = new Map(UNITS.map((u) => [unitAddresses.get(u.key), u.key]));
        const got = rows.flatMap((r) => fixtureAddresses.get(r[0]) ?? []).sort();
        expect(got, c.what).toEqual([...visibleUnits].sort());
        return;
      }
      case "building.list": {
        const mine = await listed(`/api/buildings?q=${encodeURIComponent(`${MARK}路`)}&limit=500`);
        if (!mine) return;
        const keys = PLACES.map((p) => `B-${p}`);
        expect(fixturesIn(mine.items, keys), c.what).toEqual(
          PLACES.filter((p) => a.area !== undefined && reaches(a, p)).map((p) => `B-${p}`),
        );
        const page = await listed("/api/buildings?limit=300");
        onlyInScope("building", page?.items ?? []);
        return;
      }
      case "organisation.list": {
        const mine = await listed(`/api/organisations?q=${encodeURIComponent(MARK)}&limit=500`);
        if (!mine) return;
        expect(
          fixturesIn(
            mine.items,
            ORGS.map((o) => o.key),
          ),
          c.what,
        ).toEqual([...visibleOrgs].sort());
        const page = await listed("/api/organisations?limit=300");
        onlyInScope("organisation", page?.items ?? []);
        return;
      }
      case "organisation.export": {
        const rows = await exported(`/api/organisations/export.xlsx?q=${encodeURIComponent(MARK)}`);
        const names = rows.map((r) => r[0] as string).filter((n) => n.startsWith(MARK));
        expect(names.sort(), c.what).toEqual(fixtureNames(visibleOrgs));
        return;
      }
      case "import.list": {
        const own = await importOf(a);
        const res = await call(a, { method: "GET", url: "/api/imports?limit=200" }, c.what);
        expectStatus(c.what, c.expected, res);
        if (res.statusCode !== 200) return;
        const items = res.json().items as { id: string; createdBy: { id: string } | null }[];
        expect(
          items.map((i) => i.id),
          c.what,
        ).toContain(own.id);
        expect(items.map((i) => i.id).includes(rootImportId), c.what).toBe(seesAllImports(a));
        if (!seesAllImports(a))
          for (const i of items)
            expect(i.createdBy?.id, `${c.what}: lists another user's import`).toBe(
              userIds.get(a.label),
            );
        return;
      }
    }
  });
});

describe("imports: role × whose import × action", () => {
  const all = ACTORS.flatMap((actor) =>
    IMPORT_TARGETS.flatMap((target) =>
      (["import.detail", "import.errors"] as const).map((action) => {
        const e = expectImport(actor, target);
        const what = `${actor.label} × ${target} × ${action}`;
        return { name: `${what} → ${e}`, actor, target, action, expected: e, what };
      }),
    ),
  );

  it.each(all)("$name", async (c) => {
    const a = c.actor;
    const own = editsBaseData(a) ? await importOf(a) : undefined;
    // A caller who may not import has no import of their own: ask for the root's.
    const id = c.target === "own-import" && own?.id ? own.id : rootImportId;
    const url =
      c.action === "import.detail" ? `/api/imports/${id}` : `/api/imports/${id}/errors.csv`;
    const res =
      c.action === "import.detail"
        ? await call(a, { method: "GET", url }, c.what)
        : await sessionOf(a).request({ method: "GET", url });
    expectStatus(c.what, c.expected, res);
  });
});
