/** UI strings (zh-CN) of the enterprise workspace: risk. Mounted at `enterpriseRisk`. */
const risk = {
  title: "",
};

export default risk;
