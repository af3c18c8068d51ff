/**
 * Administrative division names (GB/T 2260) for the codes embedded in resident
 * ID numbers and credit codes: every provincial-level division by its 2-digit
 * code, and prefecture-level cities by their 4-digit code from a table copied
 * into `reference/china-cities.json` (its `source` says where it came from).
 * County-level names are not included.
 */
import reference from "./reference/china-cities.json" with { type: "json" };

/** All 34 provincial-level divisions. */
export const PROVINCES = {
  "11": "北京市",
  "12": "天津市",
  "13": "河北省",
  "14": "山西省",
  "15": "内蒙古自治区",
  "21": "辽宁省",
  "22": "吉林省",
  "23": "黑龙江省",
  "31": "上海市",
  "32": "江苏省",
  "33": "浙江省",
  "34": "安徽省",
  "35": "福建省",
  "36": "江西省",
  "37": "山东省",
  "41": "河南省",
  "42": "湖北省",
  "43": "湖南省",
  "44": "广东省",
  "45": "广西壮族自治区",
  "46": "海南省",
  "50": "重庆市",
  "51": "四川省",
  "52": "贵州省",
  "53": "云南省",
  "54": "西藏自治区",
  "61": "陕西省",
  "62": "甘肃省",
  "63": "青海省",
  "64": "宁夏回族自治区",
  "65": "新疆维吾尔自治区",
  "71": "台湾省",
  "81": "香港特别行政区",
  "82": "澳门特别行政区",
} as const;
export type ProvinceCode = keyof typeof PROVINCES;

const CITIES: Readonly<Record<string, string>> = reference.cities;

export function isProvinceCode(code: string): code is ProvinceCode {
  return Object.hasOwn(PROVINCES, code);
}

export function provinceName(code2: string): string | undefined {
  return isProvinceCode(code2) ? PROVINCES[code2] : undefined;
}

export interface RegionName {
  province: string;
  /** The prefecture-level city; absent for municipalities (北京市 …), for
   *  county-level units directly under a province, and where the table has no
   *  entry (Hong Kong, Macao, Taiwan, or a code newer than the table). */
  city?: string;
}

/** Names a 6-digit division code; undefined unless it is 6 digits with a known
 *  province. */
export function regionName(code6: string): RegionName | undefined {
  if (!/^\d{6}$/.test(code6)) return undefined;
  const province = provinceName(code6.slice(0, 2));
  if (province === undefined) return undefined;
  const city = Object.hasOwn(CITIES, code6.slice(0, 4)) ? CITIES[code6.slice(0, 4)] : undefined;
  return city === undefined ? { province } : { province, city };
}
