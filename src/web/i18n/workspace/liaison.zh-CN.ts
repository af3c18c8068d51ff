/** UI strings (zh-CN) of the enterprise workspace: liaison. Mounted at `liaison`. */
const liaison = {
  title: "",
};

export default liaison;
