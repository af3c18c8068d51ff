/** UI strings (zh-CN) of the enterprise workspace: inspections. Mounted at `inspections`. */
const inspections = {
  title: "",
};

export default inspections;
