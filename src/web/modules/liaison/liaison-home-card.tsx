/** Unread notices and open mediation requests, for the workspace home (placeholder: being written by another part of issue 6). */
export function LiaisonHomeCard(_props: { enterpriseId: string }) {
  return null;
}
