/**
 * Live updates from `GET /api/events` (Server-Sent Events): the callback
 * runs for each named event. The browser reconnects by itself; pages keep
 * their polling as the fallback.
 */
import { useCallback, useEffect, useRef, useState } from "react";

export function useLiveEvents(
  /** null: not connected (no session, say) */
  url: string | null,
  onEvent: (name: string, data: unknown) => void,
  names: readonly string[],
) {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const key = names.join(",");
  useEffect(() => {
    if (!url || typeof EventSource === "undefined") return;
    const source = new EventSource(url, { withCredentials: true });
    const listeners = key.split(",").map((name) => {
      const l = (e: MessageEvent) => {
        let data: unknown = null;
        try {
          data = JSON.parse(e.data as string);
        } catch {
          // A malformed payload still says "look again".
        }
        handler.current(name, data);
      };
      source.addEventListener(name, l);
      return [name, l] as const;
    });
    return () => {
      for (const [name, l] of listeners) source.removeEventListener(name, l);
      source.close();
    };
  }, [url, key]);
}

/** At most one reload per this long, however many events arrive. */
const LIVE_MIN_INTERVAL_MS = 5_000;
const LIVE_POLL_MS = 60_000;

/**
 * A reload counter for a dashboard-like page: bumped by `dashboard` events
 * (only those about one of `topics`, when given), throttled to one reload
 * per 5 s, by a 60 s timer (the fallback when events do not arrive) and by
 * `refresh()` (after the user's own change, say).
 */
export function useLiveRefresh(enabled: boolean, topics?: readonly string[]) {
  const [tick, setTick] = useState(0);
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refresh = useCallback(() => {
    if (timer.current) return;
    const wait = Math.max(0, last.current + LIVE_MIN_INTERVAL_MS - Date.now());
    timer.current = setTimeout(() => {
      timer.current = null;
      last.current = Date.now();
      setTick((n) => n + 1);
    }, wait);
  }, []);
  const reloadNow = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    last.current = Date.now();
    setTick((n) => n + 1);
  }, []);
  useEffect(() => {
    if (!enabled) return;
    const poll = setInterval(refresh, LIVE_POLL_MS);
    return () => {
      clearInterval(poll);
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [enabled, refresh]);
  const wanted = topics?.join(",");
  useLiveEvents(
    enabled ? "/api/events?topics=dashboard" : null,
    (_name, data) => {
      const about = (data as { topics?: unknown } | null)?.topics;
      if (wanted && Array.isArray(about) && !about.some((x) => wanted.split(",").includes(x)))
        return;
      refresh();
    },
    ["dashboard"],
  );
  return { tick, refresh, reloadNow };
}
