/** UI strings (en-US) of the enterprise workspace: inspections; same keys as zh-CN. */
import type zh from "./inspections.zh-CN.js";

const inspections: typeof zh = {
  title: "",
};

export default inspections;
