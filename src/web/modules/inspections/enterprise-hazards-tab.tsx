/** An enterprise's hazards and their rectification, for its profile page (placeholder: being written by another part of issue 6). */
export function EnterpriseHazardsTab(_props: { enterpriseId: string }) {
  return null;
}
