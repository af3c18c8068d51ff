/**
 * Plausible Chinese personal names and mainland mobile numbers for demo data
 * (residents, legal representatives, safety officers). Drawn from the seed's
 * PRNG only, so the same seed gives the same people.
 */
import { type Random, weightedPicker } from "./random.js";

/** The commonest surnames, weighted roughly by their share of the population. */
const SURNAMES: readonly (readonly [string, number])[] = [
  ["王", 72],
  ["李", 70],
  ["张", 66],
  ["刘", 53],
  ["陈", 46],
  ["杨", 33],
  ["黄", 24],
  ["赵", 20],
  ["吴", 20],
  ["周", 19],
  ["徐", 16],
  ["孙", 15],
  ["马", 14],
  ["朱", 13],
  ["胡", 13],
  ["郭", 12],
  ["何", 12],
  ["高", 11],
  ["林", 11],
  ["罗", 10],
  ["郑", 9],
  ["梁", 9],
  ["谢", 8],
  ["宋", 7],
  ["唐", 7],
  ["许", 7],
  ["韩", 6],
  ["冯", 6],
  ["邓", 6],
  ["曹", 6],
  ["彭", 6],
  ["曾", 5],
  ["肖", 5],
  ["田", 5],
  ["董", 5],
  ["袁", 5],
  ["潘", 5],
  ["于", 5],
  ["蒋", 4],
  ["蔡", 4],
  ["余", 4],
  ["杜", 4],
  ["叶", 4],
  ["程", 4],
  ["苏", 4],
  ["魏", 4],
  ["吕", 4],
  ["丁", 4],
  ["任", 4],
  ["沈", 4],
  ["姚", 3],
  ["卢", 3],
  ["姜", 3],
  ["崔", 3],
  ["钟", 3],
  ["谭", 3],
  ["陆", 3],
  ["汪", 3],
  ["范", 3],
  ["金", 3],
  ["石", 3],
  ["廖", 3],
  ["贾", 3],
  ["夏", 3],
  ["韦", 3],
  ["付", 3],
  ["方", 3],
  ["白", 2],
  ["邹", 2],
  ["孟", 2],
  ["熊", 2],
  ["秦", 2],
  ["邱", 2],
  ["江", 2],
  ["尹", 2],
  ["薛", 2],
  ["闫", 2],
  ["段", 2],
  ["雷", 2],
  ["侯", 2],
  ["龙", 2],
  ["史", 2],
  ["陶", 2],
  ["黎", 2],
  ["贺", 2],
  ["顾", 2],
  ["毛", 2],
  ["郝", 2],
  ["龚", 2],
  ["邵", 2],
  ["万", 2],
  ["钱", 2],
  ["严", 2],
  ["武", 2],
  ["戴", 2],
  ["孔", 1],
  ["向", 1],
  ["汤", 1],
  ["常", 1],
  ["葛", 1],
];

const MALE_FIRST = Array.from("建志国文海明俊振永春宏金晓家云立德子天伟长海光");
const MALE_SECOND = Array.from(
  "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林阳峰亮成东兵志文新晨博翔然轩泽睿豪航毅锋彬松力庆",
);
const FEMALE_FIRST = Array.from("秀丽美小晓春玉雅婷思佳欣雨梦紫桂红凤海晶");
const FEMALE_SECOND = Array.from(
  "芳娜敏静丽艳娟霞秀玲燕红婷雪慧琳倩颖洁佳琴云莉兰萍梅丹蕾璐晶欣怡悦婧媛露瑶薇月莹菲彤妍涵琪雯珊",
);
/** Given names fashionable for children born from about 2000 on. */
const YOUNG_MALE = [
  "子轩",
  "浩然",
  "宇航",
  "梓豪",
  "俊杰",
  "一鸣",
  "博文",
  "天佑",
  "嘉豪",
  "明轩",
  "皓宇",
  "睿泽",
  "奕辰",
  "宇轩",
  "锦程",
  "思远",
  "子墨",
  "沐阳",
];
const YOUNG_FEMALE = [
  "雨桐",
  "欣怡",
  "梓涵",
  "诗涵",
  "可馨",
  "思琪",
  "梦瑶",
  "佳怡",
  "雨欣",
  "子琪",
  "紫萱",
  "语嫣",
  "若曦",
  "一诺",
  "欣妍",
  "依诺",
  "梓萱",
  "安然",
];

const pickSurname = weightedPicker(SURNAMES, ([, weight]) => weight);

export function surname(random: Random): string {
  return (pickSurname(random) as (typeof SURNAMES)[number])[0];
}

/** A full name; `birthYear` picks the naming fashion of the time. */
export function personName(random: Random, sex: "male" | "female", birthYear = 1990): string {
  const family = surname(random);
  if (birthYear >= 2000 && random.chance(0.6)) {
    return family + random.pick(sex === "male" ? YOUNG_MALE : YOUNG_FEMALE);
  }
  const second = random.pick(sex === "male" ? MALE_SECOND : FEMALE_SECOND);
  if (random.chance(0.25)) return family + second;
  return family + random.pick(sex === "male" ? MALE_FIRST : FEMALE_FIRST) + second;
}

/** Mainland mobile number blocks of the three carriers. */
const MOBILE_PREFIXES = [
  "130",
  "131",
  "132",
  "133",
  "135",
  "136",
  "137",
  "138",
  "139",
  "150",
  "151",
  "152",
  "155",
  "156",
  "157",
  "158",
  "159",
  "166",
  "173",
  "175",
  "176",
  "177",
  "178",
  "180",
  "181",
  "182",
  "183",
  "185",
  "186",
  "187",
  "188",
  "189",
  "191",
  "193",
  "195",
  "198",
  "199",
];

/** A valid 11-digit mainland mobile number (not unique). */
export function mobileNumber(random: Random): string {
  return random.pick(MOBILE_PREFIXES) + String(random.int(0, 99_999_999)).padStart(8, "0");
}
