/**
 * Live updates from `GET /api/events` (Server-Sent Events): the callback
 * runs for each named event. The browser reconnects by itself; pages keep
 * their polling as the fallback.
 */
import { useEffect, useRef } from "react";

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
