/**
 * The two wire formats of Open311 GeoReport v2 (JSON and XML) and its
 * datetimes. Pure functions: the routes pick the format from the URL's
 * extension and hand the same plain objects to either writer.
 *
 * Strict clients read these exactly (FixMyStreet parses XML only, by element
 * name), so: element names as in the specification, no indentation or other
 * whitespace inside text elements, datetimes in W3C format with the district's
 * offset and no fractional seconds, booleans as true/false.
 */
import { XMLBuilder } from "fast-xml-parser";
import { chinaDatetime } from "../../../shared/dates.js";

export type Open311Format = "json" | "xml";

export const CONTENT_TYPES: Record<Open311Format, string> = {
  json: "application/json; charset=utf-8",
  xml: "text/xml; charset=utf-8",
};

/** 2026-01-05T08:15:30+08:00 — W3C datetime in China time, whole seconds. */
export const w3cDatetime = chinaDatetime;

// YYYY-MM-DDThh:mm[:ss[.s…]] followed by Z or ±hh:mm, as W3C-DTF allows; a bare
// date (YYYY-MM-DD) is read as midnight in China.
const W3C =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Reads a W3C datetime; null when it is not one. */
export function parseW3cDatetime(value: string): Date | null {
  const m = W3C.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (h !== undefined && zone === undefined) return null;
  const iso =
    h === undefined
      ? `${y}-${mo}-${d}T00:00:00+08:00`
      : `${y}-${mo}-${d}T${h}:${mi}:${s ?? "00"}${frac ?? ""}${zone}`;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  // Date.parse rolls 2026-02-30 over to March: refuse dates that do not exist.
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return null;
  return new Date(t);
}

/** A value as Open311 carries it; null is null in JSON and no element in XML. */
export type Open311Value = string | number | boolean | null | undefined;
export interface Open311Object {
  [name: string]: Open311Value | Open311Object | Open311Object[] | Open311List;
}
/** A list whose XML wraps each item in `item` (e.g. <values><value>…</value></values>). */
export interface Open311List {
  item: string;
  items: Open311Object[] | string[];
}

const isList = (v: unknown): v is Open311List =>
  typeof v === "object" && v !== null && "item" in v && "items" in v && !Array.isArray(v);

function toJson(v: Open311Value | Open311Object | Open311Object[] | Open311List): unknown {
  if (Array.isArray(v)) return v.map(toJson);
  if (isList(v)) return (v.items as unknown[]).map((x) => toJson(x as Open311Object));
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = x === undefined ? null : toJson(x);
    return out;
  }
  return v ?? null;
}

function toXmlTree(v: Open311Value | Open311Object | Open311List): unknown {
  if (isList(v))
    return { [v.item]: (v.items as unknown[]).map((x) => toXmlTree(x as Open311Object)) };
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      // An absent value is no element at all: XML readers such as Perl's
      // XML::Simple turn an empty element into a structure, not a blank.
      if (x === null || x === undefined) continue;
      out[k] = Array.isArray(x) ? x.map(toXmlTree) : toXmlTree(x);
    }
    return out;
  }
  if (v === null || v === undefined) return "";
  // No whitespace around a value: strict readers compare the text as it is.
  return typeof v === "boolean" ? (v ? "true" : "false") : String(v).trim();
}

const builder = new XMLBuilder({
  format: false,
  suppressEmptyNode: true,
  processEntities: true,
  ignoreAttributes: true,
});

/**
 * A list response: JSON is a bare array of the items; XML wraps them as
 * <root><item>…</item>…</root> (e.g. services/service, service_requests/request).
 */
export function renderList(
  format: Open311Format,
  root: string,
  item: string,
  items: Open311Object[],
): string {
  if (format === "json") return JSON.stringify(items.map(toJson));
  return xmlDocument({ [root]: items.length ? { [item]: items.map(toXmlTree) } : "" });
}

/** A single-object response: JSON is the object; XML is <root>…</root>. */
export function renderObject(format: Open311Format, root: string, value: Open311Object): string {
  if (format === "json") return JSON.stringify(toJson(value));
  return xmlDocument({ [root]: toXmlTree(value) });
}

function xmlDocument(tree: unknown): string {
  return `<?xml version="1.0" encoding="utf-8"?>${builder.build(tree)}`;
}

export interface Open311Error {
  code: number;
  description: string;
}

/** The specification's error shape: [{code, description}] or <errors><error>…</error></errors>. */
export function renderErrors(format: Open311Format, errors: Open311Error[]): string {
  return renderList(
    format,
    "errors",
    "error",
    errors.map((e) => ({ code: e.code, description: e.description })),
  );
}
