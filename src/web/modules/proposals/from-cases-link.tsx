/**
 * 转为议事提案: a small link other pages put next to a group of cases (a
 * case and its likely duplicates) for coordinators, opening the proposal
 * form prefilled from those cases.
 */
import { BranchesOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useAuth } from "../../auth/auth-context.js";
import { coordinatesProposals } from "./proposals-access.js";

export function FromCasesLink(props: { caseIds: string[] }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  if (!coordinatesProposals(me) || props.caseIds.length === 0) return null;
  return (
    <Link
      to={`/proposals/from-cases?caseIds=${props.caseIds.slice(0, 50).join(",")}`}
      data-testid="case-to-proposal"
    >
      <BranchesOutlined /> {t("proposals.fromCases.link")}
    </Link>
  );
}
