/** UI strings (en-US) of participation: volunteers; same keys as zh-CN. */
import type zh from "./volunteers.zh-CN.js";

const volunteers: typeof zh = {
  title: "",
};

export default volunteers;
