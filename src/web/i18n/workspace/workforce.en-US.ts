/** UI strings (en-US) of the enterprise workspace: workforce; same keys as zh-CN. */
import type zh from "./workforce.zh-CN.js";

const workforce: typeof zh = {
  title: "",
};

export default workforce;
