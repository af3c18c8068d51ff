/**
 * What of a case may leave the platform in public: through Open311, the open
 * data feed and the public statistics. Reporters' names, phones and e-mails
 * never do (callers simply do not read them); what is written here cleans the
 * parts that are public by nature but can still point at a person — the
 * place, the address and free text.
 *
 * - Locations are snapped to the centre of a cell of about 100 m, so a pin
 *   shows the block, not the door.
 * - Sensitive categories (domestic violence, drug tips, …) publish no place
 *   and no text at all.
 * - Addresses keep the road and number, not the building or room.
 * - Free text loses mobile and landline numbers, identity-card numbers,
 *   e-mail addresses and plate numbers. Names in free text cannot be found
 *   reliably; staff write public notes knowing they are public.
 */

/** The size of a coarsening cell in degrees (≈111 m north–south, ≈95 m east–west here). */
export const PUBLIC_CELL_DEGREES = 0.001;

/** A point moved to the centre of its cell, rounded to whole micro-degrees. */
export function coarsenPoint(
  lat: number,
  lng: number,
  cell = PUBLIC_CELL_DEGREES,
): { lat: number; lng: number } {
  const snap = (v: number) => Number(((Math.floor(v / cell) + 0.5) * cell).toFixed(6));
  return { lat: snap(lat), lng: snap(lng) };
}

const ROOM_AFTER = /^(.*?[号弄])/u;
const ROAD = /^(.*?(?:路|街|巷|大道|道|村|小区|新村|花园|家园|苑|园))/u;

/**
 * The public part of an address: up to the house number ("金鸡湖大道88号"),
 * or up to the road or estate name when there is no number; null when
 * neither can be told apart from the rest.
 */
export function publicAddress(address: string | null | undefined): string | null {
  const a = address?.trim();
  if (!a) return null;
  const numbered = ROOM_AFTER.exec(a);
  if (numbered?.[1]) return redactPersonalText(numbered[1]);
  const road = ROAD.exec(a);
  return road?.[1] ? redactPersonalText(road[1]) : null;
}

const PATTERNS: readonly [RegExp, string][] = [
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, "[邮箱已隐去]"],
  [/(?<!\d)\d{17}[\dXx](?!\d)/g, "[证件号已隐去]"],
  [/(?<!\d)(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)/g, "[电话已隐去]"],
  [/(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)/g, "[电话已隐去]"],
  [
    /[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][·\s-]?[A-Z0-9]{5,6}/gu,
    "[车牌已隐去]",
  ],
];

/** Free text with phone, identity-card, e-mail and plate numbers taken out. */
export function redactPersonalText(text: string): string {
  let out = text;
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
  return out;
}

/** Shown instead of the text of a case in a sensitive category. */
export const SENSITIVE_TEXT = "（该类事项涉及个人隐私，内容不公开）";

/** Case states that Open311 and the open data call open… */
export const PUBLIC_OPEN_STATUSES = [
  "reported",
  "verified",
  "dispatched",
  "accepted",
  "in_progress",
  "returned",
] as const;
/** …and closed: finished one way or another (a merged duplicate too). */
export const PUBLIC_CLOSED_STATUSES = ["resolved", "closed", "withdrawn", "merged"] as const;

export type PublicStatus = "open" | "closed";

export function publicStatus(status: string): PublicStatus {
  return (PUBLIC_CLOSED_STATUSES as readonly string[]).includes(status) ? "closed" : "open";
}
