/**
 * Who is signed in: the user, their grants and permissions, and the CSRF
 * token, loaded from /api/auth/me on start and replaced on login/logout.
 */
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from "react";
import type { MeResponse } from "../../shared/schemas/auth.js";
import { api, setCsrfToken, setUnauthenticatedHandler } from "../api/client.js";

export type AuthStatus = "loading" | "anonymous" | "authenticated" | "error";

export interface AuthContextValue {
  status: AuthStatus;
  me: MeResponse | null;
  /** Why the session check failed (status "error"): network, 5xx. */
  error: unknown;
  /** The user logged out here (rather than the session ending): the next login starts fresh. */
  loggedOut: boolean;
  login: (username: string, password: string) => Promise<MeResponse>;
  logout: () => Promise<void>;
  /** Check the session again (after an error, or to refresh grants). */
  refresh: () => void;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider(props: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthStatus>("loading");
  const [me, setMe] = useState<MeResponse | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [probe, setProbe] = useState(0);
  const [loggedOut, setLoggedOut] = useState(false);

  const signedIn = useCallback((m: MeResponse) => {
    setCsrfToken(m.csrfToken);
    setMe(m);
    setError(null);
    setLoggedOut(false);
    setStatus("authenticated");
  }, []);

  const signedOut = useCallback(() => {
    setCsrfToken(null);
    setMe(null);
    setStatus("anonymous");
  }, []);

  useEffect(() => {
    setUnauthenticatedHandler(signedOut);
    return () => setUnauthenticatedHandler(null);
  }, [signedOut]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `probe` re-runs the check on demand
  useEffect(() => {
    const ac = new AbortController();
    setStatus((s) => (s === "authenticated" ? s : "loading"));
    api<MeResponse>("/api/auth/me", { signal: ac.signal, expectUnauthenticated: true })
      .then(signedIn)
      .catch((err: unknown) => {
        if (ac.signal.aborted) return;
        if ((err as { status?: number }).status === 401) signedOut();
        else {
          setError(err);
          setStatus("error");
        }
      });
    return () => ac.abort();
  }, [probe, signedIn, signedOut]);

  const login = useCallback(
    async (username: string, password: string) => {
      const m = await api<MeResponse>("/api/auth/login", {
        method: "POST",
        body: { username, password },
        expectUnauthenticated: true,
      });
      signedIn(m);
      return m;
    },
    [signedIn],
  );

  const logout = useCallback(async () => {
    try {
      await api<void>("/api/auth/logout", { method: "POST", expectUnauthenticated: true });
    } finally {
      setLoggedOut(true);
      signedOut();
    }
  }, [signedOut]);

  const refresh = useCallback(() => setProbe((n) => n + 1), []);

  const value = useMemo<AuthContextValue>(
    () => ({ status, me, error, loggedOut, login, logout, refresh }),
    [status, me, error, loggedOut, login, logout, refresh],
  );
  return <AuthContext.Provider value={value}>{props.children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error("useAuth outside <AuthProvider>");
  return v;
}
