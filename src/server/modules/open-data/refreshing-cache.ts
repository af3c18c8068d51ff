/**
 * An in-process cache for results that are expensive to compute and fine to
 * serve a little old (public statistics over millions of cases):
 *
 * - fresh for `ttlMs`; after that the old value is still served at once
 *   while one refresh runs in the background (stale-while-revalidate);
 * - single-flight: callers asking for a key being computed wait for that
 *   computation instead of starting their own;
 * - a failed first computation is not kept (the next call tries again); a
 *   failed refresh keeps the old value and is retried on a later call;
 * - at most `maxEntries` keys, the least recently computed dropped first.
 *
 * Each server keeps its own; at worst N servers compute once per TTL each.
 */

export interface CacheEntry<V> {
  value: V;
  computedAt: number;
}

export interface RefreshingCacheOptions {
  ttlMs: number;
  maxEntries?: number;
  /** The clock, for tests. */
  now?: () => number;
  /** Told of a background refresh that failed (the old value stays). */
  onRefreshError?: (err: unknown, key: string) => void;
}

export class RefreshingCache<V> {
  private readonly entries = new Map<string, CacheEntry<V>>();
  private readonly inFlight = new Map<string, Promise<CacheEntry<V>>>();
  private readonly now: () => number;
  private readonly maxEntries: number;

  constructor(private readonly opts: RefreshingCacheOptions) {
    this.now = opts.now ?? Date.now;
    this.maxEntries = opts.maxEntries ?? 100;
  }

  /** The value for `key`: cached, stale (refreshing behind), or computed now and shared. */
  async get(key: string, compute: () => Promise<V>): Promise<CacheEntry<V>> {
    const held = this.entries.get(key);
    if (held) {
      if (this.now() - held.computedAt >= this.opts.ttlMs && !this.inFlight.has(key)) {
        this.run(key, compute).catch((err: unknown) => this.opts.onRefreshError?.(err, key));
      }
      return held;
    }
    return this.inFlight.get(key) ?? this.run(key, compute);
  }

  /** Forget everything (tests, or after a change that must show at once). */
  clear(): void {
    this.entries.clear();
  }

  private run(key: string, compute: () => Promise<V>): Promise<CacheEntry<V>> {
    // compute starts on the next microtask, after the promise is registered as in flight.
    const p = Promise.resolve()
      .then(compute)
      .then((value) => {
        const entry = { value, computedAt: this.now() };
        this.entries.delete(key);
        this.entries.set(key, entry);
        while (this.entries.size > this.maxEntries) {
          const oldest = this.entries.keys().next().value;
          if (oldest === undefined) break;
          this.entries.delete(oldest);
        }
        return entry;
      })
      .finally(() => {
        this.inFlight.delete(key);
      });
    this.inFlight.set(key, p);
    return p;
  }
}
