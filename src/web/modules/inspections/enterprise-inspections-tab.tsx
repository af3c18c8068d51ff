/** An enterprise's self-inspections, for its profile page (placeholder: being written by another part of issue 6). */
export function EnterpriseInspectionsTab(_props: { enterpriseId: string }) {
  return null;
}
