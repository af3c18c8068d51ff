import { describe, expect, it } from "vitest";
import {
  parseW3cDatetime,
  renderErrors,
  renderList,
  renderObject,
  w3cDatetime,
} from "./open311.format.js";

describe("W3C datetimes", () => {
  it("writes China time with its offset and whole seconds", () => {
    expect(w3cDatetime(new Date("2026-01-05T00:15:30.789Z"))).toBe("2026-01-05T08:15:30+08:00");
    expect(w3cDatetime(new Date("2026-12-31T16:00:00Z"))).toBe("2027-01-01T00:00:00+08:00");
  });

  it("reads any offset, Z, fractions and bare dates; refuses the rest", () => {
    expect(parseW3cDatetime("2026-01-05T08:15:30+08:00")?.toISOString()).toBe(
      "2026-01-05T00:15:30.000Z",
    );
    expect(parseW3cDatetime("2026-01-05T00:15:30.5Z")?.toISOString()).toBe(
      "2026-01-05T00:15:30.500Z",
    );
    expect(parseW3cDatetime("2026-01-05T08:15-05:00")?.toISOString()).toBe(
      "2026-01-05T13:15:00.000Z",
    );
    expect(parseW3cDatetime("2026-01-05")?.toISOString()).toBe("2026-01-04T16:00:00.000Z");
    for (const bad of [
      "2026-01-05T08:15:30",
      "yesterday",
      "2026-02-30",
      "2026-13-01T00:00:00Z",
      "",
    ])
      expect(parseW3cDatetime(bad)).toBeNull();
  });
});

describe("XML and JSON", () => {
  it("writes lists as bare JSON arrays and as root/item XML without whitespace", () => {
    const items = [
      { service_code: "a.b", metadata: true, lat: 31.5, notes: null },
      { service_code: "c&d", metadata: false, lat: 31, notes: "x < y" },
    ];
    expect(JSON.parse(renderList("json", "services", "service", items))).toEqual(items);
    expect(renderList("xml", "services", "service", items)).toBe(
      '<?xml version="1.0" encoding="utf-8"?><services>' +
        "<service><service_code>a.b</service_code><metadata>true</metadata><lat>31.5</lat></service>" +
        "<service><service_code>c&amp;d</service_code><metadata>false</metadata><lat>31</lat><notes>x &lt; y</notes></service>" +
        "</services>",
    );
    expect(renderList("xml", "r", "i", [{ description: "  有人打架\n  " }])).toBe(
      '<?xml version="1.0" encoding="utf-8"?><r><i><description>有人打架</description></i></r>',
    );
    expect(renderList("xml", "service_requests", "request", [])).toBe(
      '<?xml version="1.0" encoding="utf-8"?><service_requests/>',
    );
  });

  it("wraps nested lists in their item element", () => {
    const def = {
      service_code: "x.y",
      attributes: {
        item: "attribute",
        items: [{ code: "n", values: { item: "value", items: [{ key: "1", name: "一" }] } }],
      },
    };
    expect(renderObject("xml", "service_definition", def)).toBe(
      '<?xml version="1.0" encoding="utf-8"?><service_definition><service_code>x.y</service_code>' +
        "<attributes><attribute><code>n</code><values><value><key>1</key><name>一</name></value></values></attribute></attributes>" +
        "</service_definition>",
    );
    expect(JSON.parse(renderObject("json", "service_definition", def))).toEqual({
      service_code: "x.y",
      attributes: [{ code: "n", values: [{ key: "1", name: "一" }] }],
    });
  });

  it("writes errors in the specification's shape", () => {
    expect(renderErrors("xml", [{ code: 403, description: "api_key is not valid" }])).toBe(
      '<?xml version="1.0" encoding="utf-8"?><errors><error><code>403</code><description>api_key is not valid</description></error></errors>',
    );
    expect(
      JSON.parse(
        renderErrors("json", [
          { code: 400, description: "a" },
          { code: 400, description: "b" },
        ]),
      ),
    ).toEqual([
      { code: 400, description: "a" },
      { code: 400, description: "b" },
    ]);
  });
});
