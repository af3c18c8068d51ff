import { createHash } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../test/test-database.js";
import { TEST_KEYS } from "../../../test/test-database-config.js";
import { todayInChina } from "../../shared/dates.js";
import { parseMobile } from "../../shared/formats/mobile.js";
import { parseResidentId } from "../../shared/formats/resident-id.js";
import { parseUscc } from "../../shared/formats/uscc.js";
import { createFieldCrypto, parseKeyring } from "../crypto/field-crypto.js";
import type { Database } from "../db/database.js";
import { ID_INDEX_KIND, PHONE_INDEX_KIND } from "../modules/residents/residents.service.js";
import { runSeed } from "./seed.js";

const crypto = createFieldCrypto(parseKeyring(TEST_KEYS));

describe("the seeded demo district (small, as in the test template)", () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase("seeded");
  });
  afterAll(() => database.close());

  it("has its residents, housing and organisations at the small scale", async () => {
    const r = await sql<Record<string, number>>`SELECT
      (SELECT count(*)::int FROM residents) AS residents,
      (SELECT count(*)::int FROM units) AS units,
      (SELECT count(*)::int FROM organisations WHERE kind = 'enterprise') AS enterprises,
      (SELECT count(*)::int FROM organisations WHERE kind = 'association') AS associations
    `.execute(database.db);
    const n = r.rows[0] as Record<string, number>;
    expect(n.residents).toBe(2_000);
    expect(n.units).toBeGreaterThanOrEqual(800);
    expect(n.units).toBeLessThan(1_000);
    expect(n.enterprises).toBe(100);
    expect(n.associations).toBeGreaterThanOrEqual(10);
  });

  it("stores personal numbers only encrypted: each decrypts to a valid number matching its index and mask", async () => {
    const rows = await database.db.selectFrom("residents").selectAll().execute();
    let phones = 0;
    for (const r of rows) {
      const id = crypto.decrypt(r.id_number_enc, "residents.id_number");
      const parsed = parseResidentId(id);
      expect(parsed.ok, id.slice(0, 6)).toBe(true);
      expect(crypto.blindIndex(ID_INDEX_KIND, id)).toBe(r.id_number_index);
      expect(r.id_number_masked).toBe(`${id.slice(0, 6)}********${id.slice(14)}`);
      expect(r.birth_date).toBe(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`);
      if (r.phone_enc) {
        phones++;
        const phone = crypto.decrypt(r.phone_enc, "residents.phone");
        expect(parseMobile(phone).ok).toBe(true);
        expect(crypto.blindIndex(PHONE_INDEX_KIND, phone)).toBe(r.phone_index);
      }
    }
    expect(phones / rows.length).toBeGreaterThan(0.6);
    expect(phones / rows.length).toBeLessThan(0.8);
  });

  it("gives every resident one registration that agrees with the row", async () => {
    const bad = await sql<{ n: number }>`SELECT count(*)::int AS n FROM residents r
      WHERE (r.status <> 'departed' AND NOT EXISTS (SELECT 1 FROM residence_registrations g
               WHERE g.resident_id = r.id AND g.moved_out IS NULL
                 AND g.unit_id = r.unit_id AND g.moved_in = r.registered_since))
         OR (r.status = 'departed' AND (r.unit_id IS NOT NULL OR NOT EXISTS (
               SELECT 1 FROM residence_registrations g
               WHERE g.resident_id = r.id AND g.moved_out IS NOT NULL)))
         OR r.arrival_date > r.registered_since`.execute(database.db);
    expect(bad.rows[0]?.n).toBe(0);
    const permit = await sql<{ share: number }>`SELECT
      avg((status = 'permit_holder')::int)::float AS share FROM residents`.execute(database.db);
    expect(permit.rows[0]?.share).toBeGreaterThan(0.2);
    expect(permit.rows[0]?.share).toBeLessThan(0.4);
  });

  it("overcrowds a few units, and lets rooms through landlords or companies", async () => {
    const r = await sql<{ crowded: number; units: number; let_without_landlord: number }>`
      WITH o AS (
        SELECT u.*, (SELECT count(*) FROM residents r
                     WHERE r.unit_id = u.id AND r.status <> 'departed') AS n
        FROM units u)
      SELECT count(*) FILTER (WHERE n > declared_capacity
               OR (n > 0 AND floor_area_m2 / n < 5))::int AS crowded,
             count(*)::int AS units,
             count(*) FILTER (WHERE is_rental AND landlord_resident_id IS NULL
               AND landlord_organisation_id IS NULL)::int AS let_without_landlord
      FROM o`.execute(database.db);
    const x = r.rows[0] as { crowded: number; units: number; let_without_landlord: number };
    expect(x.crowded / x.units).toBeGreaterThan(0.015);
    expect(x.crowded / x.units).toBeLessThan(0.06);
    expect(x.let_without_landlord).toBe(0);
  });

  it("gives enterprises valid, unique credit codes of this district", async () => {
    const rows = await database.db.selectFrom("organisations").select(["uscc", "kind"]).execute();
    const codes = rows.map((r) => r.uscc).filter((c): c is string => c !== null);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) {
      const parsed = parseUscc(c);
      expect(parsed.ok, c).toBe(true);
      if (parsed.ok) expect(parsed.value.regionCode).toBe("320505");
    }
    expect(rows.filter((r) => r.kind === "enterprise").every((r) => r.uscc !== null)).toBe(true);
  });

  it("leaves the demo grid worker's grid empty, and links the demo resident", async () => {
    const r = await sql<Record<string, number>>`
      WITH g AS (SELECT path FROM areas WHERE level = 'grid' AND code LIKE '320505002%'
                 ORDER BY code LIMIT 1)
      SELECT (SELECT count(*)::int FROM units, g WHERE units.area_path = g.path) AS units,
             (SELECT count(*)::int FROM residents, g WHERE residents.area_path = g.path) AS residents,
             (SELECT count(*)::int FROM residents r JOIN users u ON u.id = r.user_id
              WHERE u.username = 'resident') AS linked`.execute(database.db);
    expect(r.rows[0]).toEqual({ units: 0, residents: 0, linked: 1 });
  });

  it("gives the demo enterprise a workforce: employees, leavers, two dormitory buildings, an overcrowded room", async () => {
    const r = await sql<Record<string, number>>`
      WITH e AS (SELECT g.organisation_id AS id FROM role_grants g
                 JOIN users u ON u.id = g.user_id WHERE u.username = 'enterprise'),
           rooms AS (SELECT u.*, (SELECT count(*) FROM residents r
                                  WHERE r.unit_id = u.id AND r.status <> 'departed') AS n
                     FROM units u, e WHERE u.landlord_organisation_id = e.id)
      SELECT (SELECT count(*)::int FROM residents, e WHERE employer_id = e.id) AS employees,
             (SELECT count(*)::int FROM employments, e
              WHERE organisation_id = e.id AND left_on IS NULL) AS current,
             (SELECT count(*)::int FROM employments, e
              WHERE organisation_id = e.id AND left_on IS NOT NULL) AS leavers,
             (SELECT count(*)::int FROM enterprise_sites s, e
              WHERE s.organisation_id = e.id AND s.kind = 'dormitory') AS dorm_sites,
             (SELECT count(*)::int FROM rooms) AS rooms,
             (SELECT count(*)::int FROM rooms WHERE n > 0) AS occupied,
             (SELECT count(*)::int FROM rooms
              WHERE n > declared_capacity OR (n > 0 AND floor_area_m2 / n < 5)) AS crowded,
             (SELECT count(*)::int FROM enterprise_sites s, e
              WHERE s.organisation_id = e.id AND s.area_path = (
                SELECT path FROM areas WHERE level = 'grid' AND code LIKE '320505002%'
                ORDER BY code LIMIT 1)) AS in_demo_grid`.execute(database.db);
    const x = r.rows[0] as Record<string, number>;
    expect(x.employees).toBeGreaterThanOrEqual(40);
    expect(x.employees).toBeLessThanOrEqual(120);
    // Everyone the enterprise employs has an open employment with it, and nobody else.
    expect(x.current).toBe(x.employees);
    expect(x.leavers).toBeGreaterThan(0);
    expect(x.dorm_sites).toBe(2);
    expect(x.rooms).toBe(20);
    expect(x.occupied).toBeGreaterThan(15);
    expect(x.crowded).toBeGreaterThanOrEqual(1);
    expect(x.in_demo_grid).toBe(0);
  });

  it("gives the demo enterprise a realistic year: sites, dormitory rooms with occupants, inspections, hazards, payroll", async () => {
    // Dates as in China, where the seed's months begin.
    const today = todayInChina();
    const r = await sql<Record<string, number>>`
      WITH e AS (SELECT g.organisation_id AS id FROM role_grants g
                 JOIN users u ON u.id = g.user_id WHERE u.username = 'enterprise'),
           rooms AS (SELECT u.id, (SELECT count(*) FROM residents r
                                   WHERE r.unit_id = u.id AND r.status <> 'departed') AS n
                     FROM units u, e WHERE u.landlord_organisation_id = e.id)
      SELECT (SELECT count(*)::int FROM enterprise_sites s, e
              WHERE s.organisation_id = e.id AND s.active) AS sites,
             (SELECT count(DISTINCT s.kind)::int FROM enterprise_sites s, e
              WHERE s.organisation_id = e.id AND s.active) AS site_kinds,
             (SELECT count(*)::int FROM rooms WHERE n > 0) AS occupied_rooms,
             (SELECT coalesce(sum(n), 0)::int FROM rooms) AS occupants,
             (SELECT count(*)::int FROM employments m, e
              WHERE m.organisation_id = e.id AND m.left_on IS NULL) AS employees,
             (SELECT count(DISTINCT i.period)::int FROM inspections i
              JOIN checklist_templates t ON t.id = i.template_id, e
              WHERE i.organisation_id = e.id AND t.frequency = 'monthly') AS monthly_periods,
             (SELECT count(*)::int FROM inspections i, e
              WHERE i.organisation_id = e.id AND i.status = 'submitted') AS submitted,
             (SELECT count(*)::int FROM inspections i, e
              WHERE i.organisation_id = e.id AND i.due_on < ${today}::date) AS past,
             (SELECT count(*)::int FROM inspections i, e
              WHERE i.organisation_id = e.id AND i.status = 'due'
                AND i.due_on >= ${today}::date) AS due_now,
             (SELECT (${today}::date - min(i.due_on))::int FROM inspections i, e
              WHERE i.organisation_id = e.id) AS inspected_days_back,
             (SELECT count(*)::int FROM hazards h, e
              WHERE h.organisation_id = e.id AND h.status = 'closed') AS rectified,
             (SELECT count(*)::int FROM hazards h, e
              WHERE h.organisation_id = e.id AND h.status <> 'closed') AS open_hazards,
             (SELECT count(*)::int FROM hazards h, e
              WHERE h.organisation_id = e.id AND h.source = 'inspection') AS from_inspections,
             (SELECT count(DISTINCT p.period)::int FROM payroll_declarations p, e
              WHERE p.organisation_id = e.id) AS payroll_months,
             (SELECT count(*)::int FROM payroll_declarations p, e
              WHERE p.organisation_id = e.id
                AND p.period = to_char(${today}::date, 'YYYY-MM')) AS payroll_this_month
    `.execute(database.db);
    const x = r.rows[0] as Record<
      | "sites"
      | "site_kinds"
      | "occupied_rooms"
      | "occupants"
      | "employees"
      | "monthly_periods"
      | "inspected_days_back"
      | "past"
      | "submitted"
      | "due_now"
      | "rectified"
      | "open_hazards"
      | "from_inspections"
      | "payroll_months"
      | "payroll_this_month",
      number
    >;
    // Sites of more than one kind (a plant and its dormitories), rooms lived in.
    expect(x.sites).toBeGreaterThanOrEqual(3);
    expect(x.site_kinds).toBeGreaterThanOrEqual(2);
    expect(x.occupied_rooms).toBeGreaterThan(15);
    expect(x.occupants).toBeGreaterThan(x.occupied_rooms);
    expect(x.employees).toBeGreaterThanOrEqual(40);
    // A year of monthly self-inspections, mostly submitted, this month's still to do.
    expect(x.monthly_periods).toBeGreaterThanOrEqual(12);
    expect(x.inspected_days_back).toBeGreaterThanOrEqual(300);
    expect(x.past).toBeGreaterThanOrEqual(11);
    expect(x.submitted).toBeGreaterThanOrEqual(Math.ceil(x.past * 0.7));
    expect(x.due_now).toBeGreaterThanOrEqual(1);
    // Hazards: some rectified and closed, some still open; most found by its own inspections.
    expect(x.rectified).toBeGreaterThanOrEqual(1);
    expect(x.open_hazards).toBeGreaterThanOrEqual(2);
    expect(x.from_inspections).toBeGreaterThanOrEqual(1);
    // Eleven past months declared; this month's declaration still due (the demo's task).
    expect(x.payroll_months).toBeGreaterThanOrEqual(11);
    expect(x.payroll_this_month).toBe(0);
  });

  it("has enterprises whose wage arrears build up into a warning with the signals behind it", async () => {
    const today = todayInChina();
    const r = await sql<{ id: string; level: string; signals: unknown[]; short_months: number }>`
      SELECT s.organisation_id AS id, s.warning_level AS level, s.warning_signals AS signals,
        (SELECT count(*)::int FROM payroll_declarations p
         WHERE p.organisation_id = s.organisation_id AND p.amount_paid < p.amount_due
           AND p.period >= to_char(${today}::date - interval '6 months', 'YYYY-MM')) AS short_months
      FROM enterprise_scores s
      WHERE s.warning_level IN ('warning', 'alarm')`.execute(database.db);
    const arrears = r.rows.filter((w) => w.short_months >= 2);
    expect(arrears.length).toBeGreaterThanOrEqual(1);
    for (const w of arrears) expect(w.signals.length).toBeGreaterThan(0);
    // Each warned enterprise's rise is on record, and wants its preventive case.
    const wanted = await sql<{ n: number }>`
      SELECT count(DISTINCT organisation_id)::int AS n FROM wage_warning_history
      WHERE case_wanted AND level IN ('warning', 'alarm')
        AND organisation_id IN (${sql.join(arrears.map((w) => w.id))})`.execute(database.db);
    expect(wanted.rows[0]?.n).toBe(arrears.length);
  });

  it("never closes a major hazard that no department put under supervision", async () => {
    const r = await sql<Record<string, number>>`SELECT
      (SELECT count(*)::int FROM hazards WHERE level = 'major' AND status = 'closed'
         AND supervising_department_id IS NULL) AS closed_unsupervised,
      (SELECT count(*)::int FROM hazards WHERE level = 'major' AND status = 'closed') AS closed_major,
      (SELECT count(*)::int FROM hazards WHERE level = 'major' AND status <> 'closed'
         AND supervising_department_id IS NULL) AS awaiting,
      (SELECT count(*)::int FROM hazards h WHERE h.status = 'closed' AND h.level = 'major'
         AND NOT EXISTS (SELECT 1 FROM hazard_actions a WHERE a.hazard_id = h.id
           AND a.kind = 'supervise' AND a.id < (SELECT max(b.id) FROM hazard_actions b
             WHERE b.hazard_id = h.id AND b.kind = 'accept'))) AS accepted_before_supervision
    `.execute(database.db);
    const x = r.rows[0] as Record<string, number>;
    expect(x.closed_major).toBeGreaterThan(0);
    expect(x.closed_unsupervised).toBe(0);
    expect(x.accepted_before_supervision).toBe(0);
    // Some still wait for a department (待挂牌), so the filter has something to show.
    expect(x.awaiting).toBeGreaterThan(0);
  });
});

describe("determinism", () => {
  /** A digest of everything a seed chooses (ciphertexts, with their random IVs, left out). */
  async function digest(seed: number, now: Date): Promise<string> {
    const database = await createTestDatabase("empty");
    try {
      await runSeed(database.db, {
        scale: "small",
        seed,
        force: false,
        demoPassword: "Determinism-2026",
        fieldCrypto: crypto,
        now,
      });
      const parts = await Promise.all([
        sql`SELECT name, uscc, address, industry, size, legal_representative, safety_officer,
              safety_officer_phone_masked, area_path FROM organisations ORDER BY id`.execute(
          database.db,
        ),
        sql`SELECT address, lng, lat, area_path FROM buildings ORDER BY id`.execute(database.db),
        sql`SELECT address, floor_area_m2, is_rental, declared_capacity, landlord_resident_id,
              landlord_organisation_id FROM units ORDER BY id`.execute(database.db),
        sql`SELECT name, id_number_index, phone_index, birth_date, arrival_date, unit_id,
              employer_id, status, registered_since, user_id FROM residents ORDER BY id`.execute(
          database.db,
        ),
        sql`SELECT resident_id, unit_id, moved_in, moved_out, channel
            FROM residence_registrations ORDER BY id`.execute(database.db),
      ]);
      return createHash("sha256")
        .update(JSON.stringify(parts.map((p) => p.rows)))
        .digest("hex");
    } finally {
      await database.close();
    }
  }

  // The dated parts (cases, patrols, hours) stand on the clock; the people,
  // housing and accounts must not: a seed run at another hour of another day
  // gives the same district.
  it("the same seed gives the same district at any hour; another seed another", async () => {
    const now = new Date("2026-11-20T09:59:59.500Z");
    const a = await digest(7, now);
    expect(await digest(7, new Date("2026-11-21T16:00:00.250Z"))).toBe(a);
    expect(await digest(8, now)).not.toBe(a);
  }, 180_000);
});
