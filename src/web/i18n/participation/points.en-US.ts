/** UI strings (en-US) of participation: points; same keys as zh-CN. */
import type zh from "./points.zh-CN.js";

const points: typeof zh = {
  title: "",
};

export default points;
