/** UI strings (zh-CN) of participation: volunteers. Mounted at `volunteers`. */
const volunteers = {
  title: "",
};

export default volunteers;
