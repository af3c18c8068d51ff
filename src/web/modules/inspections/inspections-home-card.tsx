/** The enterprise officer's inspections due and hazards to rectify, for the workspace home (placeholder: being written by another part of issue 6). */
export function InspectionsHomeCard(_props: { enterpriseId: string }) {
  return null;
}
