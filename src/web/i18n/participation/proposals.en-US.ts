/** UI strings (en-US) of participation: proposals; same keys as zh-CN. */
import type zh from "./proposals.zh-CN.js";

const proposals: typeof zh = {
  title: "",
};

export default proposals;
