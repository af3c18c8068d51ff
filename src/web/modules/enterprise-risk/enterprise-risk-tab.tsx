/** An enterprise's payroll declarations, wage-arrears warning and safety credit rating, for its profile page (placeholder: being written by another part of issue 6). */
export function EnterpriseRiskTab(_props: { enterpriseId: string }) {
  return null;
}
