import { describe, expect, it } from "vitest";
import { RefreshingCache } from "./refreshing-cache.js";

/** A computation the test finishes by hand, counting how often it started. */
function gate() {
  let calls = 0;
  let release: (v: string) => void = () => undefined;
  let fail: (e: Error) => void = () => undefined;
  const compute = () => {
    calls++;
    return new Promise<string>((res, rej) => {
      release = res;
      fail = rej;
    });
  };
  return {
    compute,
    calls: () => calls,
    release: (v: string) => release(v),
    fail: (e: Error) => fail(e),
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("RefreshingCache", () => {
  it("computes once for concurrent callers and serves the value until the TTL passes", async () => {
    let now = 0;
    const cache = new RefreshingCache<string>({ ttlMs: 100, now: () => now });
    const g = gate();
    const waiting = [cache.get("k", g.compute), cache.get("k", g.compute)];
    await tick();
    expect(g.calls()).toBe(1);
    g.release("one");
    expect((await Promise.all(waiting)).map((e) => e.value)).toEqual(["one", "one"]);
    now = 99;
    expect((await cache.get("k", g.compute)).value).toBe("one");
    expect(g.calls()).toBe(1);
  });

  it("serves the stale value at once while one refresh runs behind it", async () => {
    let now = 0;
    const cache = new RefreshingCache<string>({ ttlMs: 100, now: () => now });
    await cache.get("k", async () => "old");
    now = 150;
    const g = gate();
    expect((await cache.get("k", g.compute)).value).toBe("old");
    expect((await cache.get("k", g.compute)).value).toBe("old");
    await tick();
    expect(g.calls()).toBe(1);
    g.release("new");
    await tick();
    expect(await cache.get("k", g.compute)).toEqual({ value: "new", computedAt: 150 });
  });

  it("keeps nothing from a failed first computation, and the old value when a refresh fails", async () => {
    let now = 0;
    const errors: string[] = [];
    const cache = new RefreshingCache<string>({
      ttlMs: 100,
      now: () => now,
      onRefreshError: (err) => errors.push((err as Error).message),
    });
    await expect(
      cache.get("k", async () => {
        throw new Error("down");
      }),
    ).rejects.toThrow("down");
    expect((await cache.get("k", async () => "up")).value).toBe("up");
    now = 200;
    const g = gate();
    expect((await cache.get("k", g.compute)).value).toBe("up");
    await tick();
    g.fail(new Error("refresh failed"));
    await tick();
    expect(errors).toEqual(["refresh failed"]);
    // Still the old value; the next call tries again.
    expect((await cache.get("k", async () => "again")).value).toBe("up");
    await tick();
    expect((await cache.get("k", async () => "later")).value).toBe("again");
  });

  it("holds at most maxEntries keys, dropping the oldest", async () => {
    const cache = new RefreshingCache<string>({ ttlMs: 1000, maxEntries: 2 });
    for (const k of ["a", "b", "c"]) await cache.get(k, async () => k);
    let computed = 0;
    await cache.get("a", async () => {
      computed++;
      return "a2";
    });
    await cache.get("c", async () => {
      computed++;
      return "c2";
    });
    expect(computed).toBe(1);
  });
});
