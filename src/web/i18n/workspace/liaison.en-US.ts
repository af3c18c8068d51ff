/** UI strings (en-US) of the enterprise workspace: liaison; same keys as zh-CN. */
import type zh from "./liaison.zh-CN.js";

const liaison: typeof zh = {
  title: "",
};

export default liaison;
