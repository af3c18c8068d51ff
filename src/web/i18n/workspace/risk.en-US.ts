/** UI strings (en-US) of the enterprise workspace: risk; same keys as zh-CN. */
import type zh from "./risk.zh-CN.js";

const risk: typeof zh = {
  title: "",
};

export default risk;
