/**
 * The home route (/): an enterprise officer lands on their enterprise's
 * workspace; everyone else gets the home page passed as children. Loaded
 * eagerly (it is tiny); the workspace itself is split out.
 */
import { lazy, type ReactNode } from "react";
import { canBrowseEnterprises, ownEnterprises } from "../../auth/access.js";
import { useAuth } from "../../auth/auth-context.js";

const EnterpriseWorkspaceHome = lazy(() =>
  import("./enterprise-workspace-home.js").then((m) => ({ default: m.EnterpriseWorkspaceHome })),
);

export function WorkspaceAwareHome(props: { children: ReactNode }) {
  const { me } = useAuth();
  const own = ownEnterprises(me)[0];
  // Government staff who also hold an enterprise grant keep the general home.
  if (own && !canBrowseEnterprises(me)) return <EnterpriseWorkspaceHome enterprise={own} />;
  return <>{props.children}</>;
}
