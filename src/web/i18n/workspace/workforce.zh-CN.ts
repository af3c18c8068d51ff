/** UI strings (zh-CN) of the enterprise workspace: workforce. Mounted at `enterprises`. */
const workforce = {
  title: "",
};

export default workforce;
