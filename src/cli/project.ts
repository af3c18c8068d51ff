/** Paths of the project itself, whatever the working directory. */
import path from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The built web app; GONGZHI_WEB_DIR puts it elsewhere (parallel browser-test runs). */
export const WEB_DIST = process.env.GONGZHI_WEB_DIR
  ? path.resolve(process.env.GONGZHI_WEB_DIR)
  : path.join(PROJECT_ROOT, "dist", "web");
