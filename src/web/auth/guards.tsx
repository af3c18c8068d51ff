/** Route guards: sign-in required, and a permission check that shows 403. */
import { Navigate, Outlet, useLocation } from "react-router-dom";
import type { MeResponse } from "../../shared/schemas/auth.js";
import { ForbiddenPage, SessionErrorPage } from "../pages/status-pages.js";
import { PageLoading } from "../ui/page-loading.js";
import { useAuth } from "./auth-context.js";

export function RequireAuth() {
  const { status, error, loggedOut, refresh } = useAuth();
  const location = useLocation();
  if (status === "loading") return <PageLoading />;
  if (status === "error") return <SessionErrorPage error={error} onRetry={refresh} />;
  // Come back here after logging in again, unless this user chose to log out: whoever
  // logs in next starts at home, not on the previous user's page.
  if (status === "anonymous")
    return <Navigate to="/login" replace state={loggedOut ? null : { from: location }} />;
  return <Outlet />;
}

/** Renders the nested routes only when `allow(me)`; otherwise the 403 page, in place. */
export function RequireAccess(props: { allow: (me: MeResponse | null) => boolean }) {
  const { me } = useAuth();
  return props.allow(me) ? <Outlet /> : <ForbiddenPage />;
}
