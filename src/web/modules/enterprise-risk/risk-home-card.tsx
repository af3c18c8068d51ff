/** The enterprise's rating, warning level and payroll declaration due, for the workspace home (placeholder: being written by another part of issue 6). */
export function RiskHomeCard(_props: { enterpriseId: string }) {
  return null;
}
