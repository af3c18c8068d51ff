/** Notices sent to an enterprise and its mediation requests, for its profile page (placeholder: being written by another part of issue 6). */
export function EnterpriseLiaisonTab(_props: { enterpriseId: string }) {
  return null;
}
