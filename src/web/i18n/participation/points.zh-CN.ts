/** UI strings (zh-CN) of participation: points. Mounted at `points`. */
const points = {
  title: "",
};

export default points;
