/** CPU accounting for benchmarks. */
import fs from "node:fs";

/** Total CPU seconds of the local PostgreSQL processes, from /proc (Linux). */
export function localPostgresCpuSeconds(): number | null {
  try {
    const ticksPerSecond = 100; // USER_HZ on Linux
    let ticks = 0;
    for (const pid of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      } catch {
        continue; // the process ended meanwhile
      }
      if (!stat.includes("(postgres)")) continue;
      // Fields after "(comm) ": state is the first; utime and stime the 12th and 13th.
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(f[11]) + Number(f[12]);
    }
    return ticks / ticksPerSecond;
  } catch {
    return null;
  }
}
