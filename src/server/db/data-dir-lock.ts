/**
 * One process at a time on an embedded (PGlite) database directory. PGlite
 * has no lock of its own between processes: a second process opening the
 * same directory (a `gongzhi backup` beside a running server, say) would run
 * crash recovery under the first one's feet. The first process writes its
 * pid beside the directory (`<dir>.pid`, outside it, so a dump of the
 * directory never carries it); another finds that process alive and refuses
 * with a message naming it. A pid left by a process that died (kill -9) is
 * taken over.
 */
import fs from "node:fs";
import path from "node:path";

export class DataDirBusyError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database in ${dir} is in use by another Gongzhi process (pid ${pid}). ` +
        `Stop that process first (a server: Ctrl+C, or kill ${pid}), then run this command again.`,
    );
    this.name = "DataDirBusyError";
  }
}

export const lockFileOf = (dir: string) => `${path.resolve(dir)}.pid`;

/** Claims held by this process, per lock file (several opens share one). */
const held = new Map<string, number>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The live process holding `dir`, other than this one; null when free. */
export function dataDirOwner(dir: string): number | null {
  let text: string;
  try {
    text = fs.readFileSync(lockFileOf(dir), "utf8");
  } catch {
    return null;
  }
  const pid = Number.parseInt(text, 10);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  return alive(pid) ? pid : null;
}

/**
 * Claims `dir` for this process; returns the release function. Throws
 * DataDirBusyError while another live process holds it.
 */
export function claimDataDir(dir: string): () => void {
  const file = lockFileOf(dir);
  const count = held.get(file) ?? 0;
  if (count === 0) {
    for (let attempt = 0; ; attempt++) {
      try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, `${process.pid}\n`, { flag: "wx" });
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0)
          throw new Error(
            `The data directory ${path.dirname(file)} cannot be written (${(err as Error).message}). ` +
              "Set DATA_DIR to a writable directory.",
          );
        const owner = dataDirOwner(dir);
        if (owner !== null) throw new DataDirBusyError(path.resolve(dir), owner);
        // Left by a process that is gone.
        fs.rmSync(file, { force: true });
      }
    }
    process.on("exit", removeOnExit);
  }
  held.set(file, count + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (held.get(file) ?? 1) - 1;
    if (left > 0) {
      held.set(file, left);
      return;
    }
    held.delete(file);
    removeIfOurs(file);
    if (held.size === 0) process.off("exit", removeOnExit);
  };
}

function removeIfOurs(file: string) {
  try {
    if (fs.readFileSync(file, "utf8").trim() === String(process.pid)) fs.rmSync(file);
  } catch {
    // Already gone.
  }
}

function removeOnExit() {
  for (const file of held.keys()) removeIfOurs(file);
}
