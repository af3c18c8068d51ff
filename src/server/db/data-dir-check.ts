/**
 * The embedded database's directory, checked before PGlite opens it: a path
 * that cannot be a directory, a directory this user may not write, a
 * read-only file system or a full disk each stop the start with one message
 * that names the directory and says what to do — not a stack trace, and not
 * PGlite's own `ErrnoError { errno: 51 }` from deep inside its file system.
 */
import fs from "node:fs";
import path from "node:path";

/**
 * Free space wanted to start: a fresh database takes about 40 MB, and the
 * write-ahead log grows in 16 MB segments.
 */
export const MIN_FREE_BYTES = 64 * 1024 * 1024;

export class DataDirError extends Error {
  constructor(
    readonly dir: string,
    message: string,
  ) {
    super(message);
    this.name = "DataDirError";
  }
}

/** PGlite's file system (Emscripten) reports WASI errno numbers, not names. */
const WASI_ERRNO: Record<number, string> = {
  2: "EACCES",
  19: "EDQUOT",
  51: "ENOSPC",
  54: "ENOTDIR",
  63: "EPERM",
  69: "EROFS",
};

/** The errno name of a Node or PGlite file-system error, if it is one. */
export function errnoOf(err: unknown): string | undefined {
  if (err === null || typeof err !== "object") return undefined;
  const { code, errno, name } = err as { code?: unknown; errno?: unknown; name?: unknown };
  if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return code;
  if (name === "ErrnoError" && typeof errno === "number") return WASI_ERRNO[errno];
  return undefined;
}

const mb = (bytes: number) => Math.floor(bytes / (1024 * 1024));
const FULL_ADVICE = `Free space on that disk, or set DATA_DIR to a directory on a disk with room (the database needs at least ${mb(MIN_FREE_BYTES)} MB).`;

/**
 * The message for a file-system failure on the data directory, or undefined
 * when `err` is not one (then it is some other failure, reported as it is).
 */
export function dataDirFailure(dir: string, err: unknown): DataDirError | undefined {
  const code = errnoOf(err);
  switch (code) {
    case "ENOSPC":
    case "EDQUOT":
      return new DataDirError(
        dir,
        `The data directory ${dir} is full (${code === "EDQUOT" ? "disk quota exceeded" : "no space left on the device"}). ${FULL_ADVICE}`,
      );
    case "EROFS":
      return new DataDirError(
        dir,
        `The data directory ${dir} is on a read-only file system. Mount it read-write, or set DATA_DIR to a directory on a writable disk.`,
      );
    case "EACCES":
    case "EPERM":
      return new DataDirError(
        dir,
        `The data directory ${dir} is not writable by this user (uid ${process.getuid?.() ?? "?"}). Give it write access (chown or chmod the directory), or set DATA_DIR to a directory it may write to.`,
      );
    case "ENOTDIR":
    case "EEXIST":
      return new DataDirError(
        dir,
        `The data directory ${dir} cannot be created: part of the path is a file, not a directory. Set DATA_DIR to a directory (it is created if missing).`,
      );
    default:
      return undefined;
  }
}

/** The directory itself, or the nearest directory above it that exists. */
function nearestExisting(dir: string): string {
  let p = dir;
  while (!fs.existsSync(p)) {
    const up = path.dirname(p);
    if (up === p) break;
    p = up;
  }
  return p;
}

/**
 * Makes sure `dir` exists, can be written (by writing a file: permissions
 * alone say yes to root on a read-only mount) and has room; throws a
 * DataDirError otherwise.
 */
export function checkDataDir(dir: string, minFreeBytes = MIN_FREE_BYTES): void {
  const existing = nearestExisting(dir);
  if (!fs.statSync(existing).isDirectory())
    throw new DataDirError(
      dir,
      `The data directory ${dir} cannot be created: ${existing} is a file, not a directory. Set DATA_DIR to a directory (it is created if missing).`,
    );
  const probe = path.join(dir, `.write-test-${process.pid}`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(probe, "gongzhi\n");
  } catch (caught) {
    let err = caught;
    // A recursive mkdir on a read-only file system says ENOENT: ask the
    // directory that exists for the real reason (EROFS, EACCES).
    if (errnoOf(err) === "ENOENT")
      try {
        fs.accessSync(existing, fs.constants.W_OK);
      } catch (why) {
        err = why;
      }
    throw (
      dataDirFailure(dir, err) ??
      new DataDirError(
        dir,
        `The data directory ${dir} cannot be written (${(err as Error).message}). Set DATA_DIR to a writable directory.`,
      )
    );
  } finally {
    try {
      fs.rmSync(probe, { force: true });
    } catch {
      // Never written.
    }
  }
  const { bavail, bsize } = fs.statfsSync(dir);
  const free = bavail * bsize;
  if (free < minFreeBytes)
    throw new DataDirError(
      dir,
      `The data directory ${dir} is nearly full: ${mb(free)} MB free. ${FULL_ADVICE}`,
    );
}
