/**
 * A small data-loading hook: runs `fetcher` whenever `key` changes (null
 * means "not yet"), aborts the previous request, and keeps the last data
 * while a reload is in flight so the screen does not flicker.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { isAbort } from "../api/client.js";

export interface ApiState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

export function useApi<T>(
  key: string | null,
  fetcher: (signal: AbortSignal) => Promise<T>,
): ApiState<T> {
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;
  const [nonce, setNonce] = useState(0);
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: key !== null,
  });
  const effectiveKey = key === null ? null : `${key}#${nonce}`;

  useEffect(() => {
    if (effectiveKey === null) return;
    const ac = new AbortController();
    setState((s) => ({ ...s, loading: true, error: undefined }));
    fetcherRef.current(ac.signal).then(
      (data) => setState({ data, error: undefined, loading: false }),
      (error: unknown) => {
        if (!isAbort(error)) setState((s) => ({ ...s, error, loading: false }));
      },
    );
    return () => ac.abort();
  }, [effectiveKey]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { ...state, reload };
}
