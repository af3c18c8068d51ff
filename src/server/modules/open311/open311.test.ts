import { XMLParser } from "fast-xml-parser";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GPS_EXIF, jpegWithGps } from "../../../../test/images.js";
import { pointInDemoGrid } from "../../../../test/places.js";
import { createTestApp, login, type Session, type TestApp } from "../../../../test/test-app.js";
import { coarsenPoint } from "../../../shared/public-case.js";

let t: TestApp;
let admin: Session;
let resident: Session;
let officer: Session;
let here: { lat: number; lng: number };
/** An API token with open311:write, one with only cases:read. */
let key: string;
let readOnlyKey: string;

const W3C = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;
const parser = new XMLParser({ parseTagValue: false, trimValues: false });

beforeAll(async () => {
  t = await createTestApp();
  [admin, resident, officer] = await Promise.all([
    login(t.app, "admin"),
    login(t.app, "resident"),
    login(t.app, "officer"),
  ]);
  here = await pointInDemoGrid(t.app);
  const mk = async (scopes: string[]) => {
    const res = await admin.request({
      method: "POST",
      url: "/api/admin/tokens",
      payload: { name: `open311 ${scopes.join(" ")}`, scopes },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().token as string;
  };
  key = await mk(["open311:write"]);
  readOnlyKey = await mk(["cases:read"]);
});
afterAll(() => t.close());

const get = (url: string) => t.app.inject({ method: "GET", url });

function form(fields: Record<string, string | number>) {
  return new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();
}

async function postForm(
  fields: Record<string, string | number>,
  path = "/open311/v2/requests.xml",
  headers = {},
) {
  return t.app.inject({
    method: "POST",
    url: path,
    payload: form(fields),
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
  });
}

/** A theft report through Open311 (form-encoded, XML back, as FixMyStreet sends it). */
async function submitTheft(extra: Record<string, string | number> = {}) {
  const res = await postForm({
    jurisdiction_id: "320505",
    api_key: key,
    service_code: "theft_fraud.theft",
    lat: here.lat,
    long: here.lng,
    description: "楼下车棚的电瓶被偷了，联系人王小明 13912345678",
    first_name: "小明",
    last_name: "王",
    email: "xiaoming@example.com",
    phone: "13912345678",
    address_string: "狮山路88号3栋1201室",
    ...extra,
  });
  expect(res.statusCode, res.body).toBe(201);
  const doc = parser.parse(res.body);
  return doc.service_requests.request as {
    service_request_id: string;
    token: string;
    service_notice: string;
  };
}

function errorsOfXml(body: string) {
  const doc = parser.parse(body);
  const e = doc.errors.error;
  return (Array.isArray(e) ? e : [e]) as { code: string; description: string }[];
}

describe("discovery", () => {
  it("lists a production and a test endpoint with their formats, in JSON and XML", async () => {
    const j = await get("/open311/discovery.json");
    expect(j.statusCode).toBe(200);
    expect(j.headers["content-type"]).toMatch(/^application\/json/);
    const d = j.json();
    expect(d.endpoints.map((e: { type: string }) => e.type)).toEqual(["production", "test"]);
    for (const e of d.endpoints) {
      expect(e.specification).toBe("http://wiki.open311.org/GeoReport_v2");
      expect(e.formats).toEqual(["text/xml", "application/json"]);
      expect(e.url).toMatch(/^http:\/\/.+\/open311\/(test\/)?v2$/);
      expect(e.changeset).toMatch(W3C);
    }
    const x = await get("/open311/discovery.xml");
    expect(x.headers["content-type"]).toMatch(/^text\/xml/);
    const doc = parser.parse(x.body);
    expect(doc.discovery.endpoints.endpoint).toHaveLength(2);
    expect(doc.discovery.endpoints.endpoint[1].formats.format).toEqual([
      "text/xml",
      "application/json",
    ]);
  });
});

describe("services", () => {
  it("lists the categories one can report, with metadata as a boolean", async () => {
    const j = await get("/open311/v2/services.json?jurisdiction_id=320505");
    expect(j.statusCode).toBe(200);
    const items = j.json() as {
      service_code: string;
      metadata: boolean;
      group: string;
      type: string;
    }[];
    expect(items.length).toBeGreaterThan(30);
    const wage = items.find((s) => s.service_code === "dispute.labour_wage");
    expect(wage).toMatchObject({ metadata: true, type: "realtime", group: "矛盾纠纷" });
    expect(items.every((s) => typeof s.metadata === "boolean")).toBe(true);
    // Families are groups, not services; what we do not handle is not offered.
    expect(items.some((s) => s.service_code === "dispute")).toBe(false);
    const cats = (await get("/api/categories")).json().items as {
      code: string;
      invalid: boolean;
    }[];
    for (const c of cats.filter((x) => x.invalid))
      expect(items.some((s) => s.service_code === c.code)).toBe(false);

    const x = await get("/open311/v2/services.xml");
    expect(x.headers["content-type"]).toMatch(/^text\/xml/);
    expect(
      x.body.startsWith('<?xml version="1.0" encoding="utf-8"?><services><service><service_code>'),
    ).toBe(true);
    expect(x.body).not.toMatch(/>\s+</);
    const doc = parser.parse(x.body);
    expect(doc.services.service).toHaveLength(items.length);
    expect(
      doc.services.service.find(
        (s: { service_code: string }) => s.service_code === "dispute.labour_wage",
      ).metadata,
    ).toBe("true");
  });

  it("defines a service's attributes from the category's fields", async () => {
    const j = await get("/open311/v2/services/dispute.labour_wage.json");
    expect(j.statusCode, j.body).toBe(200);
    const def = j.json();
    expect(def.service_code).toBe("dispute.labour_wage");
    const attrs = def.attributes as {
      variable: boolean;
      code: string;
      datatype: string;
      required: boolean;
      order: number;
      description: string;
      datatype_description: string;
      values?: { key: string; name: string }[];
    }[];
    expect(attrs.length).toBeGreaterThan(0);
    expect(attrs.map((a) => a.order)).toEqual(attrs.map((_, i) => i + 1));
    for (const a of attrs) {
      expect(a.variable).toBe(true);
      expect([
        "string",
        "number",
        "datetime",
        "text",
        "singlevaluelist",
        "multivaluelist",
      ]).toContain(a.datatype);
      expect(typeof a.required).toBe("boolean");
      expect(a.description.length).toBeGreaterThan(0);
    }
    expect(attrs.some((a) => a.required)).toBe(true);

    const x = await get("/open311/v2/services/dispute.labour_wage.xml");
    const doc = parser.parse(x.body);
    expect(doc.service_definition.service_code).toBe("dispute.labour_wage");
    const xa = doc.service_definition.attributes.attribute;
    expect(Array.isArray(xa) ? xa.length : 1).toBe(attrs.length);

    // A select field's options become values.
    const cats = (await get("/api/categories")).json().items as {
      code: string;
      fields: { code: string; type: string; options?: { value: string }[] }[];
    }[];
    const withSelect = cats.find((c) => c.fields.some((f) => f.type === "select"));
    expect(withSelect).toBeDefined();
    const sel = (await get(`/open311/v2/services/${withSelect?.code}.json`)).json();
    const selField = withSelect?.fields.find((f) => f.type === "select");
    const selAttr = sel.attributes.find((a: { code: string }) => a.code === selField?.code);
    expect(selAttr.datatype).toBe("singlevaluelist");
    expect(selAttr.values.map((v: { key: string }) => v.key)).toEqual(
      selField?.options?.map((o) => o.value),
    );
  });

  it("answers an unknown service or jurisdiction with 404 in the spec's error shape", async () => {
    const j = await get("/open311/v2/services/no.such.json");
    expect(j.statusCode).toBe(404);
    expect(j.json()).toEqual([{ code: 404, description: expect.stringContaining("no.such") }]);
    const x = await get("/open311/v2/services/no.such.xml");
    expect(x.statusCode).toBe(404);
    expect(x.headers["content-type"]).toMatch(/^text\/xml/);
    expect(errorsOfXml(x.body)[0]?.code).toBe("404");
    const wrong = await get("/open311/v2/services.xml?jurisdiction_id=310000");
    expect(wrong.statusCode).toBe(404);
    expect(errorsOfXml(wrong.body)[0]?.description).toContain("320505");
    const unknownPath = await get("/open311/v2/nothing.xml");
    expect(unknownPath.statusCode).toBe(404);
    expect(errorsOfXml(unknownPath.body)).toHaveLength(1);
  });
});

describe("POST requests", () => {
  it("creates a real case through the web's intake: routed, with deadlines, the reporter kept private", async () => {
    const r = await submitTheft();
    expect(r.service_request_id).toMatch(/^SJ\d{14}$/);
    expect(r.token).toMatch(/^\d+-[0-9a-f]{24}$/);
    // As staff see it: routed to a department, with deadlines and the caller's name kept.
    const found = await officer.request({
      method: "GET",
      url: `/api/cases?q=${encodeURIComponent(r.service_request_id)}`,
    });
    expect(found.statusCode).toBe(200);
    const id = (found.json().items as { id: string; code: string }[]).find(
      (c) => c.code === r.service_request_id,
    )?.id;
    expect(id).toBeDefined();
    const c = (await officer.request({ method: "GET", url: `/api/cases/${id}` })).json();
    expect(c.status).toBe("dispatched");
    expect(c.lead).not.toBeNull();
    expect(c.resolveDueAt).not.toBeNull();
    expect(c.channel).toBe("api");
    const rows = await t.database.db
      .selectFrom("cases")
      .select(["on_behalf_name", "on_behalf_phone_masked", "address", "reporter_token_id"])
      .where("code", "=", r.service_request_id)
      .executeTakeFirstOrThrow();
    expect(rows.on_behalf_name).toBe("小明 王");
    expect(rows.on_behalf_phone_masked).toMatch(/^139\*+5678$/);
    expect(rows.reporter_token_id).not.toBeNull();
    const notes = await t.database.db
      .selectFrom("notifications")
      .select("id")
      .where("case_id", "=", id as string)
      .execute();
    expect(notes.length).toBeGreaterThan(0);
  });

  it("takes JSON with the key in the query string and attributes as an object", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: `/open311/v2/requests.json?api_key=${key}&jurisdiction_id=320505`,
      payload: {
        service_code: "dispute.labour_wage",
        lat: here.lat,
        long: here.lng,
        description: "工厂拖欠三个月工资，二十多人",
        attribute: await requiredAttributes("dispute.labour_wage"),
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    const [r] = res.json();
    expect(r.service_request_id).toMatch(/^SJ/);
    expect(r.service_notice).toContain("劳动保障监察");
    expect(r).toHaveProperty("account_id", null);
  });

  it("refuses a missing, wrong or under-scoped api_key with 403", async () => {
    const base = {
      service_code: "theft_fraud.theft",
      lat: here.lat,
      long: here.lng,
      description: "电瓶被偷了好几次",
    };
    const none = await postForm(base);
    expect(none.statusCode).toBe(403);
    expect(errorsOfXml(none.body)[0]).toEqual({
      code: "403",
      description: "api_key is required to submit",
    });
    const wrong = await postForm({ ...base, api_key: "gz_not_a_real_key" });
    expect(wrong.statusCode).toBe(403);
    const scoped = await postForm({ ...base, api_key: readOnlyKey }, "/open311/v2/requests.json");
    expect(scoped.statusCode).toBe(403);
    expect(scoped.json()).toEqual([
      { code: 403, description: "api_key lacks the open311:write scope" },
    ]);
  });

  it("names every missing or bad field with 400, and writes nothing", async () => {
    const before = await caseCount();
    const noCode = await postForm({
      api_key: key,
      lat: here.lat,
      long: here.lng,
      description: "有人打架",
    });
    expect(noCode.statusCode).toBe(400);
    expect(errorsOfXml(noCode.body)[0]?.description).toBe("service_code is required");
    const unknown = await postForm({ api_key: key, service_code: "nope.nope", lat: 1, long: 1 });
    expect(unknown.statusCode).toBe(400);

    const bad = await t.app.inject({
      method: "POST",
      url: "/open311/v2/requests.json",
      payload: { api_key: key, service_code: "dispute.labour_wage", description: "x" },
    });
    expect(bad.statusCode).toBe(400);
    const descriptions = (bad.json() as { code: number; description: string }[]).map(
      (e) => e.description,
    );
    expect(bad.json().every((e: { code: number }) => e.code === 400)).toBe(true);
    expect(descriptions.some((d) => d.includes("location is required"))).toBe(true);
    expect(descriptions.some((d) => d.startsWith("attribute["))).toBe(true);
    expect(descriptions.some((d) => d.startsWith("description"))).toBe(true);

    const outside = await postForm({
      api_key: key,
      service_code: "theft_fraud.theft",
      lat: 39.9,
      long: 116.4,
      description: "北京的电动车被偷了",
    });
    expect(outside.statusCode).toBe(400);
    expect(errorsOfXml(outside.body)[0]?.description).toMatch(/^lat: /);

    const badNumber = await postForm({
      api_key: key,
      service_code: "dispute.labour_wage",
      lat: here.lat,
      long: here.lng,
      description: "拖欠工资好几个月了",
      ...Object.fromEntries(
        Object.entries(await requiredAttributes("dispute.labour_wage")).map(([k, v]) => [
          `attribute[${k}]`,
          v,
        ]),
      ),
      "attribute[no_such_field]": "1",
    });
    expect(badNumber.statusCode).toBe(400);
    expect(errorsOfXml(badNumber.body).map((e) => e.description)).toContain(
      "attribute[no_such_field] is not an attribute of service dispute.labour_wage",
    );

    const notForm = await t.app.inject({
      method: "POST",
      url: "/open311/v2/requests.xml",
      payload: "service_code=x",
      headers: { "content-type": "text/plain" },
    });
    expect(notForm.statusCode).toBe(415);
    expect(errorsOfXml(notForm.body)[0]?.code).toBe("415");
    expect(await caseCount()).toBe(before);
  });

  it("places a report by its address when it brings no coordinates", async () => {
    const b = await t.database.db
      .selectFrom("buildings")
      .select(["address", "lat", "lng"])
      .orderBy("id")
      .limit(1)
      .executeTakeFirstOrThrow();
    const res = await postForm({
      api_key: key,
      service_code: "fire_hazard.blocked_exit",
      address_string: `${b.address}1201室`,
      description: "消防通道被杂物堵死了",
    });
    expect(res.statusCode, res.body).toBe(201);
    const code = parser.parse(res.body).service_requests.request.service_request_id;
    const row = await t.database.db
      .selectFrom("cases")
      .select(["lat", "lng"])
      .where("code", "=", code)
      .executeTakeFirstOrThrow();
    expect([Number(row.lat), Number(row.lng)]).toEqual([Number(b.lat), Number(b.lng)]);
    const nowhere = await postForm({
      api_key: key,
      service_code: "fire_hazard.blocked_exit",
      address_string: "火星路1号",
      description: "消防通道被杂物堵死了",
    });
    expect(nowhere.statusCode).toBe(400);
    expect(errorsOfXml(nowhere.body)[0]?.description).toContain("not a known address");
  });

  it("answers a retry with the same Idempotency-Key with the first request", async () => {
    const before = await caseCount();
    const fields = {
      api_key: key,
      service_code: "theft_fraud.theft",
      lat: here.lat,
      long: here.lng,
      description: "同一份报告提交两次",
    };
    const a = await postForm(fields, "/open311/v2/requests.json", {
      "idempotency-key": "fms-report-42",
    });
    const b = await postForm(fields, "/open311/v2/requests.json", {
      "idempotency-key": "fms-report-42",
    });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.json()[0].service_request_id).toBe(a.json()[0].service_request_id);
    expect(await caseCount()).toBe(before + 1);
  });

  it("on the test endpoint goes the whole way and keeps nothing", async () => {
    const before = await caseCount();
    const res = await postForm(
      {
        api_key: key,
        service_code: "theft_fraud.theft",
        lat: here.lat,
        long: here.lng,
        description: "测试端点的报告",
      },
      "/open311/test/v2/requests.xml",
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(parser.parse(res.body).service_requests.request.service_request_id).toMatch(/^TEST-SJ/);
    expect(await caseCount()).toBe(before);
    const bad = await postForm(
      { api_key: key, service_code: "theft_fraud.theft" },
      "/open311/test/v2/requests.xml",
    );
    expect(bad.statusCode).toBe(400);
  });
});

describe("GET requests", () => {
  it("shows a request with its state, agency, deadline and public notes, and nothing of the reporter", async () => {
    const r = await submitTheft();
    const res = await get(
      `/open311/v2/requests/${r.service_request_id}.json?jurisdiction_id=320505`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const [sr] = res.json();
    expect(sr).toMatchObject({
      service_request_id: r.service_request_id,
      status: "open",
      service_code: "theft_fraud.theft",
      service_name: expect.any(String),
      agency_responsible: expect.any(String),
    });
    for (const k of ["requested_datetime", "updated_datetime", "expected_datetime"])
      expect(sr[k]).toMatch(W3C);
    expect(typeof sr.lat).toBe("number");
    expect(typeof sr.long).toBe("number");
    const c = coarsenPoint(here.lat, here.lng);
    expect([sr.lat, sr.long]).toEqual([c.lat, c.lng]);
    expect(sr.address).toBe("狮山路88号");
    expect(sr.description).toContain("[电话已隐去]");
    const all = res.body;
    for (const secret of ["13912345678", "xiaoming", "小明 王", "1201"])
      expect(all).not.toContain(secret);

    // Worked and resolved: closed, with the outcome as status_notes.
    const id = await caseIdOf(r.service_request_id);
    for (const [action, body] of [
      ["accept", {}],
      ["start", {}],
      ["resolve", { note: "已调取监控并登记，车主电话13800001111已回访" }],
    ] as const) {
      const v = await versionOf(id);
      const res2 = await officer.request({
        method: "POST",
        url: `/api/cases/${id}/${action}`,
        payload: { ...body, version: v },
      });
      expect(res2.statusCode, res2.body).toBe(200);
    }
    const after = (await get(`/open311/v2/requests/${r.service_request_id}.xml`)).body;
    const x = parser.parse(after).service_requests.request;
    expect(x.status).toBe("closed");
    expect(x.status_notes).toContain("已调取监控并登记");
    expect(x.status_notes).not.toContain("13800001111");
    expect(x.requested_datetime).toMatch(W3C);
    expect(after).not.toMatch(/>\s+</);
  });

  it("withholds the place and text of sensitive categories", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/open311/v2/requests.json",
      payload: {
        api_key: key,
        service_code: "vulnerable.domestic_violence",
        lat: here.lat,
        long: here.lng,
        address_string: "狮山路88号3栋",
        description: "隔壁经常传来打骂声，女主人叫李某",
        attribute: await requiredAttributes("vulnerable.domestic_violence"),
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const code = res.json()[0].service_request_id;
    const [sr] = (await get(`/open311/v2/requests/${code}.json`)).json();
    expect(sr.lat).toBeNull();
    expect(sr.long).toBeNull();
    expect(sr.address).toBeNull();
    expect(sr.description).not.toContain("李某");
    const x = (await get(`/open311/v2/requests/${code}.xml`)).body;
    // Absent values are no elements at all in XML (null in JSON).
    expect(x).not.toMatch(/<(lat|long|address|media_url)\b/);
    expect(x).not.toContain("李某");
  });

  it("filters by ids, service, status and period; refuses bad dates", async () => {
    const a = await submitTheft();
    const b = await submitTheft({
      service_code: "fire_hazard.blocked_exit",
      description: "消防通道堵了",
    });
    const both = (
      await get(
        `/open311/v2/requests.json?service_request_id=${a.service_request_id},${b.service_request_id}&status=closed`,
      )
    ).json();
    expect(both.map((x: { service_request_id: string }) => x.service_request_id).sort()).toEqual(
      [a.service_request_id, b.service_request_id].sort(),
    );
    const fire = (
      await get("/open311/v2/requests.json?service_code=fire_hazard.blocked_exit")
    ).json() as { service_code: string }[];
    expect(fire.length).toBeGreaterThan(0);
    expect(fire.every((x) => x.service_code === "fire_hazard.blocked_exit")).toBe(true);
    const family = (await get("/open311/v2/requests.json?service_code=fire_hazard")).json() as {
      service_code: string;
    }[];
    expect(family.every((x) => x.service_code.startsWith("fire_hazard."))).toBe(true);
    const open = (await get("/open311/v2/requests.json?status=open")).json() as {
      status: string;
    }[];
    expect(open.every((x) => x.status === "open")).toBe(true);

    const now = new Date();
    const inChina = (d: Date) =>
      `${new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
    const recent = (
      await get(
        `/open311/v2/requests.json?start_date=${encodeURIComponent(inChina(new Date(now.getTime() - 3600_000)))}&end_date=${encodeURIComponent(inChina(new Date(now.getTime() + 60_000)))}`,
      )
    ).json() as { service_request_id: string }[];
    expect(recent.some((x) => x.service_request_id === a.service_request_id)).toBe(true);
    const old = (
      await get(
        "/open311/v2/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z",
      )
    ).json();
    expect(old).toEqual([]);
    const x = await get(
      "/open311/v2/requests.xml?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z",
    );
    expect(x.body).toBe('<?xml version="1.0" encoding="utf-8"?><service_requests/>');

    const bad = await get("/open311/v2/requests.xml?start_date=yesterday");
    expect(bad.statusCode).toBe(400);
    expect(errorsOfXml(bad.body)[0]?.description).toContain("W3C datetime");
    expect((await get("/open311/v2/requests.json?status=pending")).statusCode).toBe(400);
    expect((await get("/open311/v2/requests.json?service_code=zz")).statusCode).toBe(400);
    expect((await get("/open311/v2/requests/SJ0000.json")).statusCode).toBe(404);
  });
});

describe("tokens", () => {
  it("turns a POST's token into its request id; a forged token is 404", async () => {
    const r = await submitTheft();
    const res = await get(`/open311/v2/tokens/${r.token}.xml`);
    expect(res.statusCode).toBe(200);
    expect(parser.parse(res.body).service_requests.request).toEqual({
      service_request_id: r.service_request_id,
      token: r.token,
    });
    const [id] = r.token.split("-");
    const forged = await get(`/open311/v2/tokens/${id}-${"0".repeat(24)}.json`);
    expect(forged.statusCode).toBe(404);
    expect(forged.json()[0].code).toBe(404);
  });
});

describe("servicerequestupdates", () => {
  it("lists the public status changes, oldest first, with mySociety's element names", async () => {
    const start = new Date(Date.now() - 1000);
    const r = await submitTheft();
    const id = await caseIdOf(r.service_request_id);
    for (const action of ["accept", "start"] as const) {
      const res = await officer.request({
        method: "POST",
        url: `/api/cases/${id}/${action}`,
        payload: { version: await versionOf(id) },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const q = `start_date=${encodeURIComponent(start.toISOString().slice(0, 19))}Z&service_request_id=${r.service_request_id}`;
    const x = await get(`/open311/v2/servicerequestupdates.xml?${q}`);
    expect(x.statusCode, x.body).toBe(200);
    expect(
      x.body.startsWith(
        '<?xml version="1.0" encoding="utf-8"?><service_requests_updates><request_update>',
      ),
    ).toBe(true);
    const ups = parser.parse(x.body).service_requests_updates.request_update as {
      update_id: string;
      service_request_id: string;
      status: string;
      updated_datetime: string;
    }[];
    expect(ups.map((u) => u.status)).toEqual(["OPEN", "ACTION_SCHEDULED", "IN_PROGRESS"]);
    for (const u of ups) {
      expect(u.service_request_id).toBe(r.service_request_id);
      expect(u.updated_datetime).toMatch(W3C);
    }
    const j = (await get(`/open311/v2/servicerequestupdates.json?${q}`)).json();
    expect(j.map((u: { update_id: string }) => u.update_id)).toEqual(ups.map((u) => u.update_id));
    expect((await get("/open311/v2/servicerequestupdates.json?end_date=notadate")).statusCode).toBe(
      400,
    );
  });
});

describe("POST servicerequestupdates", () => {
  it("adds the client's update to its own request as a comment its handlers see", async () => {
    const r = await submitTheft();
    const res = await postForm(
      {
        api_key: key,
        service_request_id: r.service_request_id,
        description: "今天又看到有人在车棚附近转悠",
        status: "OPEN",
        updated_datetime: "2026-11-29T10:00:00+08:00",
        email: "xiaoming@example.com",
        update_id_ext: "fms-77",
      },
      "/open311/v2/servicerequestupdates.xml",
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.body).toMatch(
      /^<\?xml version="1.0" encoding="utf-8"\?><service_request_updates><request_update><update_id>\d+<\/update_id><\/request_update><\/service_request_updates>$/,
    );
    const id = await caseIdOf(r.service_request_id);
    const c = (await officer.request({ method: "GET", url: `/api/cases/${id}` })).json();
    const comment = c.timeline.find((x: { action: string }) => x.action === "comment");
    expect(comment).toMatchObject({ note: "今天又看到有人在车棚附近转悠", visibility: "public" });
    expect(JSON.stringify(c)).not.toContain("xiaoming@example.com");

    // Another client's request, a missing text, an unknown request.
    const other = await admin.request({
      method: "POST",
      url: "/api/admin/tokens",
      payload: { name: "another open311 client", scopes: ["open311:write"] },
    });
    const otherKey = other.json().token as string;
    const notMine = await postForm(
      { api_key: otherKey, service_request_id: r.service_request_id, description: "别人的请求" },
      "/open311/v2/servicerequestupdates.json",
    );
    expect(notMine.statusCode).toBe(404);
    const noText = await postForm(
      { api_key: key, service_request_id: r.service_request_id, status: "DONE" },
      "/open311/v2/servicerequestupdates.json",
    );
    expect(noText.statusCode).toBe(400);
    expect(noText.json().map((e: { description: string }) => e.description)).toEqual([
      "description is required",
      expect.stringContaining("status must be one of"),
    ]);
    const unknown = await postForm(
      { api_key: key, service_request_id: "SJ00000000000000", description: "不存在的请求" },
      "/open311/v2/servicerequestupdates.json",
    );
    expect(unknown.statusCode).toBe(404);
    const noKey = await postForm(
      { service_request_id: r.service_request_id, description: "没有密钥" },
      "/open311/v2/servicerequestupdates.json",
    );
    expect(noKey.statusCode).toBe(403);
  });
});

describe("media", () => {
  it("links the first public photo, served without its location data; sensitive ones not at all", async () => {
    const r = await t.app.inject({
      method: "POST",
      url: "/api/cases",
      payload: {
        categoryCode: "theft_fraud.theft",
        description: "车棚的电瓶被偷了，有照片",
        ...here,
      },
      headers: { cookie: resident.cookie, "x-csrf-token": resident.csrf },
    });
    expect(r.statusCode, r.body).toBe(201);
    const c = r.json();
    const boundary = "----open311";
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
      ),
      jpegWithGps(),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await resident.request({
      method: "POST",
      url: `/api/cases/${c.id}/attachments`,
      payload,
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
    });
    expect(up.statusCode, up.body).toBe(201);
    const [sr] = (await get(`/open311/v2/requests/${c.code}.json`)).json();
    expect(sr.media_url).toMatch(/^http:\/\/.+\/open311\/v2\/media\/\d+\.jpg$/);
    const img = await get(new URL(sr.media_url).pathname);
    expect(img.statusCode).toBe(200);
    expect(img.headers["content-type"]).toBe("image/jpeg");
    expect(img.rawPayload.includes(GPS_EXIF)).toBe(false);
    expect((await get("/open311/v2/media/999999999.jpg")).statusCode).toBe(404);
  });
});

async function requiredAttributes(code: string): Promise<Record<string, string>> {
  const def = (await get(`/open311/v2/services/${code}.json`)).json();
  const out: Record<string, string> = {};
  for (const a of def.attributes as {
    code: string;
    required: boolean;
    datatype: string;
    values?: { key: string }[];
    datatype_description: string;
  }[]) {
    if (!a.required) continue;
    out[a.code] =
      a.values?.[0]?.key ??
      (a.datatype === "number" ? "3" : a.datatype === "datetime" ? "2026-11-01" : "某某工厂");
  }
  return out;
}

async function caseCount() {
  const r = await t.database.db
    .selectFrom("cases")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function caseIdOf(code: string) {
  const r = await t.database.db
    .selectFrom("cases")
    .select("id")
    .where("code", "=", code)
    .executeTakeFirstOrThrow();
  return r.id;
}

async function versionOf(id: string) {
  const r = await t.database.db
    .selectFrom("cases")
    .select("version")
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return r.version;
}

describe("limits", () => {
  it("refuses a period longer than 90 days, and never returns more than 1,000 requests", async () => {
    const long = await get(
      "/open311/v2/requests.json?start_date=2026-01-01T00:00:00%2B08:00&end_date=2026-06-01T00:00:00%2B08:00",
    );
    expect(long.statusCode).toBe(400);
    expect(long.json()[0].description).toContain("90 days");
    // 1,100 more cases in the last hours (copies of one, straight into the table).
    await sql`
      INSERT INTO cases (code, category_code, severity, status, description, lat, lng, area_path,
        channel, created_at, updated_at)
      SELECT 'BULK' || g, category_code, severity, status, description, lat, lng, area_path,
        channel, now() - g * interval '1 second', now()
      FROM cases, generate_series(1, 1100) g
      WHERE cases.id = (SELECT min(id) FROM cases)`.execute(t.database.db);
    const res = await get("/open311/v2/requests.json");
    expect(res.statusCode).toBe(200);
    const items = res.json() as { service_request_id: string; requested_datetime: string }[];
    expect(items).toHaveLength(1000);
    // Newest first.
    const times = items.map((x) => Date.parse(x.requested_datetime));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });
});
