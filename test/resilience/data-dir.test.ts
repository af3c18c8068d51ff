/**
 * The embedded database's directory unusable at start: `gongzhi serve` and
 * `gongzhi start` must stop with exit code 1 and one message that names the
 * directory and says what to do — not a stack trace, and not PGlite's own
 * `ErrnoError { errno: 51 }`.
 *
 * Tests may run as root, for whom chmod stops nothing: a path under a
 * regular file works for everyone; a read-only and a full file system are
 * real tmpfs mounts when this process may mount (root with CAP_SYS_ADMIN),
 * a directory without write permission when it is not root. What cannot be
 * set up here is skipped with the reason printed, and the mapping of the
 * errors (ENOSPC, EROFS…) is tested with the errors injected.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkDataDir,
  DataDirError,
  dataDirFailure,
  errnoOf,
} from "../../src/server/db/data-dir-check.js";
import { openDatabase } from "../../src/server/db/database.js";
import { productEnv, runCli } from "./support.js";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "gongzhi-data-dir-"));
const mounts: string[] = [];
const isRoot = process.getuid?.() === 0;

/** Mounts a tmpfs at a new directory; the reason when this process may not. */
function tryMount(name: string, options: string): { dir: string } | { reason: string } {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir], { stdio: "pipe" });
    mounts.push(dir);
    return { dir };
  } catch (err) {
    return { reason: `cannot mount a tmpfs here (${String((err as Error).message).trim()})` };
  }
}

/** `gongzhi <command>` with DATA_DIR on `dataDir` and the embedded database. */
function gongzhi(command: "serve" | "start", dataDir: string) {
  // `start` builds the web app when there is none; a stand-in skips that.
  const webDir = path.join(root, "web");
  fs.mkdirSync(webDir, { recursive: true });
  fs.writeFileSync(path.join(webDir, "index.html"), "<!doctype html>");
  return runCli(
    command === "serve" ? ["serve", "--port", "0"] : ["start", "--scale", "small"],
    productEnv({ DATA_DIR: dataDir, GONGZHI_WEB_DIR: webDir, DATABASE_URL: undefined }),
  );
}

/** Exit 1, a message naming the directory, what to do, no stack trace. */
function expectClearRefusal(
  r: { code: number | null; stdout: string; stderr: string },
  dir: string,
  says: RegExp,
) {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).toContain(dir);
  expect(r.stderr).toMatch(says);
  expect(r.stderr).toMatch(/DATA_DIR/);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(/ErrnoError/);
  expect(r.stdout).not.toMatch(/listening at/);
}

afterAll(() => {
  for (const dir of mounts.reverse()) {
    try {
      execFileSync("umount", ["-l", dir], { stdio: "pipe" });
    } catch {
      // already gone
    }
  }
  fs.rmSync(root, { recursive: true, force: true });
});

describe("an unusable data directory at start", () => {
  it("a path under a regular file: refused, naming the file", async () => {
    const file = path.join(root, "not-a-directory");
    fs.writeFileSync(file, "x");
    const r = await gongzhi("serve", path.join(file, "data"));
    expectClearRefusal(r, path.join(file, "data", "pglite"), /is a file, not a directory/);
    expect(r.stderr).toContain(file);
  });

  describe("a directory that cannot be written", () => {
    let dir = "";
    let skipped = "";
    beforeAll(() => {
      if (!isRoot) {
        dir = path.join(root, "read-only");
        fs.mkdirSync(dir);
        fs.chmodSync(dir, 0o555);
        return;
      }
      const m = tryMount("read-only-mount", "ro,size=1m");
      if ("dir" in m) dir = m.dir;
      else skipped = m.reason;
      if (skipped) console.warn(`[resilience] read-only data directory skipped: ${skipped}`);
    });

    it("is refused with what to do", async (ctx) => {
      if (skipped) ctx.skip();
      const r = await gongzhi("serve", dir);
      expectClearRefusal(
        r,
        path.join(dir, "pglite"),
        isRoot ? /read-only file system/ : /not writable by this user/,
      );
    });
  });

  describe("a full disk", () => {
    let full = "";
    let small = "";
    let skipped = "";
    beforeAll(() => {
      if (!isRoot) skipped = "not root: cannot mount a small file system";
      else {
        const a = tryMount("full", "size=1m");
        const b = tryMount("small", "size=12m");
        if ("dir" in a && "dir" in b) {
          full = a.dir;
          small = b.dir;
          // Fill it to the last byte.
          try {
            fs.writeFileSync(path.join(full, "filler"), Buffer.alloc(2 * 1024 * 1024));
          } catch {
            // ENOSPC: full, as wanted
          }
        } else skipped = "reason" in a ? a.reason : (b as { reason: string }).reason;
      }
      if (skipped) console.warn(`[resilience] full data directory skipped: ${skipped}`);
    });

    it("serve and start are refused before the database is touched", async (ctx) => {
      if (skipped) ctx.skip();
      const [serve, start] = await Promise.all([gongzhi("serve", full), gongzhi("start", full)]);
      for (const r of [serve, start]) expectClearRefusal(r, path.join(full, "pglite"), /full/);
      expect(start.stderr).toMatch(/Free space on that disk/);
    });

    it("running out of space while the database is created says so, and leaves the directory empty", async (ctx) => {
      if (skipped) ctx.skip();
      const dir = path.join(small, "pglite");
      // Past the free-space check (which would refuse 12 MB), into PGlite's own writes.
      const err = await openDatabase({ pgliteDir: dir, pgliteMinFreeBytes: 0 }).then(
        async (d) => {
          await d.close();
          return null;
        },
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DataDirError);
      expect((err as Error).message).toMatch(
        new RegExp(`^The data directory ${dir} is full \\(no space left on the device\\)`),
      );
      expect((err as Error).message).toMatch(/DATA_DIR/);
      // Nothing half-made is left to trip the next start.
      expect(fs.readdirSync(dir)).toEqual([]);
    });
  });
});

describe("the messages for file-system failures", () => {
  it("name the directory and the remedy for each errno, from Node or from PGlite", () => {
    const dir = "/srv/gongzhi/pglite";
    const node = (code: string) => Object.assign(new Error(`${code}: x`), { code });
    const pglite = (errno: number) => ({ name: "ErrnoError", errno });
    const cases: [unknown, RegExp][] = [
      [node("ENOSPC"), /is full \(no space left on the device\)\. Free space/],
      [pglite(51), /is full \(no space left on the device\)\. Free space/],
      [node("EDQUOT"), /is full \(disk quota exceeded\)/],
      [pglite(69), /read-only file system\. Mount it read-write, or set DATA_DIR/],
      [node("EROFS"), /read-only file system/],
      [node("EACCES"), /not writable by this user \(uid \d+\)\. Give it write access/],
      [pglite(63), /not writable by this user/],
      [node("ENOTDIR"), /part of the path is a file/],
    ];
    for (const [err, says] of cases) {
      const e = dataDirFailure(dir, err);
      expect(e, JSON.stringify(err)).toBeInstanceOf(DataDirError);
      expect(e?.message).toContain(dir);
      expect(e?.message).toMatch(says);
      expect(e?.message).toMatch(/DATA_DIR/);
    }
    // Not a file-system failure: left to be reported as it is.
    expect(dataDirFailure(dir, new Error("syntax error"))).toBeUndefined();
    expect(dataDirFailure(dir, pglite(44))).toBeUndefined();
    expect(errnoOf({ code: "ECONNREFUSED" })).toBe("ECONNREFUSED");
    expect(errnoOf("ENOSPC")).toBeUndefined();
  });

  it("checkDataDir creates a missing directory, leaves no trace, and refuses too little room", () => {
    const dir = path.join(root, "fresh", "pglite");
    checkDataDir(dir, 0);
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(() => checkDataDir(dir, Number.MAX_SAFE_INTEGER)).toThrow(
      new RegExp(
        `^The data directory ${dir} is nearly full: \\d+ MB free\\. Free space on that disk`,
      ),
    );
  });
});
