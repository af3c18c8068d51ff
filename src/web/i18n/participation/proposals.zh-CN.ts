/** UI strings (zh-CN) of participation: proposals. Mounted at `proposals`. */
const proposals = {
  title: "",
};

export default proposals;
