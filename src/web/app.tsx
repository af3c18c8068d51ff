/** The app root: antd theme and locale, the session, and the routes. */
import { App as AntApp, ConfigProvider } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import { lazy, Suspense, useEffect } from "react";
import { useTranslation } from "react-i18next";
import { BrowserRouter, Route, Routes } from "react-router-dom";
import {
  canBrowseAreas,
  canEditAnyBaseData,
  canManageTokens,
  canManageUsers,
  isResident,
  isStaff,
} from "./auth/access.js";
import { AuthProvider } from "./auth/auth-context.js";
import { RequireAccess, RequireAuth } from "./auth/guards.js";
import { PublicShell } from "./modules/cases/public-shell.js";
import { canSeeWageWarnings } from "./modules/enterprise-risk/risk-access.js";
import { WorkspaceAwareHome } from "./modules/enterprises/workspace-aware-home.js";
import { canManageInspections, canSeeHazards } from "./modules/inspections/inspections-access.js";
import { canUseMediations, canUseNotices } from "./modules/liaison/liaison-access.js";
import { canSeeMeetings } from "./modules/meetings/meetings-access.js";
import { canSeeParticipation } from "./modules/points/points-access.js";
import { canUseProposalDesk } from "./modules/proposals/proposals-access.js";
import {
  canManageVolunteers,
  canVerifyHours,
  canVolunteer,
} from "./modules/volunteers/volunteers-access.js";
import { HomePage } from "./pages/home-page.js";
import { LoginPage } from "./pages/login-page.js";
import { NotFoundPage } from "./pages/status-pages.js";
import { AppLayout } from "./ui/app-layout.js";
import { PageLoading } from "./ui/page-loading.js";

// The map and admin screens are split out so the login page loads fast.
const AreaBrowserPage = lazy(() =>
  import("./modules/areas/area-browser-page.js").then((m) => ({ default: m.AreaBrowserPage })),
);
const ResidentsPage = lazy(() =>
  import("./modules/residents/residents-page.js").then((m) => ({ default: m.ResidentsPage })),
);
const ResidentDetailPage = lazy(() =>
  import("./modules/residents/resident-detail-page.js").then((m) => ({
    default: m.ResidentDetailPage,
  })),
);
const UnitsPage = lazy(() =>
  import("./modules/units/units-page.js").then((m) => ({ default: m.UnitsPage })),
);
const UnitDetailPage = lazy(() =>
  import("./modules/units/unit-detail-page.js").then((m) => ({ default: m.UnitDetailPage })),
);
const OrganisationsPage = lazy(() =>
  import("./modules/organisations/organisations-page.js").then((m) => ({
    default: m.OrganisationsPage,
  })),
);
const RoutingRulesPage = lazy(() =>
  import("./modules/routing/routing-rules-page.js").then((m) => ({
    default: m.RoutingRulesPage,
  })),
);
const OrganisationDetailPage = lazy(() =>
  import("./modules/organisations/organisation-detail-page.js").then((m) => ({
    default: m.OrganisationDetailPage,
  })),
);
const ImportsPage = lazy(() =>
  import("./modules/imports/imports-page.js").then((m) => ({ default: m.ImportsPage })),
);
const UsersPage = lazy(() =>
  import("./modules/admin/users-page.js").then((m) => ({ default: m.UsersPage })),
);
const MyResidencePage = lazy(() =>
  import("./modules/residents/my-residence-page.js").then((m) => ({
    default: m.MyResidencePage,
  })),
);
const ReportPage = lazy(() =>
  import("./modules/cases/report-page.js").then((m) => ({ default: m.ReportPage })),
);
const AnonymousReportPage = lazy(() =>
  import("./modules/cases/report-page.js").then((m) => ({ default: m.AnonymousReportPage })),
);
const TrackPage = lazy(() =>
  import("./modules/cases/track-page.js").then((m) => ({ default: m.TrackPage })),
);
const OpenDataPage = lazy(() =>
  import("./modules/open-data/open-data-page.js").then((m) => ({ default: m.OpenDataPage })),
);
const CasesPage = lazy(() =>
  import("./modules/cases/cases-page.js").then((m) => ({ default: m.CasesPage })),
);
const CaseDetailPage = lazy(() =>
  import("./modules/cases/case-detail-page.js").then((m) => ({ default: m.CaseDetailPage })),
);
const EnterprisesPage = lazy(() =>
  import("./modules/enterprises/enterprises-page.js").then((m) => ({
    default: m.EnterprisesPage,
  })),
);
const EnterpriseProfilePage = lazy(() =>
  import("./modules/enterprises/enterprise-profile-page.js").then((m) => ({
    default: m.EnterpriseProfilePage,
  })),
);
const WageWarningsPage = lazy(() =>
  import("./modules/enterprise-risk/wage-warnings-page.js").then((m) => ({
    default: m.WageWarningsPage,
  })),
);
const ApiTokensPage = lazy(() =>
  import("./modules/admin/api-tokens-page.js").then((m) => ({ default: m.ApiTokensPage })),
);
const NoticesPage = lazy(() =>
  import("./modules/liaison/notices-page.js").then((m) => ({ default: m.NoticesPage })),
);
const NoticeDetailPage = lazy(() =>
  import("./modules/liaison/notice-detail-page.js").then((m) => ({ default: m.NoticeDetailPage })),
);
const MediationsPage = lazy(() =>
  import("./modules/liaison/mediations-page.js").then((m) => ({ default: m.MediationsPage })),
);
const MediationDetailPage = lazy(() =>
  import("./modules/liaison/mediation-detail-page.js").then((m) => ({
    default: m.MediationDetailPage,
  })),
);

const InspectionsPage = lazy(() =>
  import("./modules/inspections/inspections-page.js").then((m) => ({ default: m.InspectionsPage })),
);
const InspectionFormPage = lazy(() =>
  import("./modules/inspections/inspection-form-page.js").then((m) => ({
    default: m.InspectionFormPage,
  })),
);
const HazardsPage = lazy(() =>
  import("./modules/inspections/hazards-page.js").then((m) => ({ default: m.HazardsPage })),
);
const HazardDetailPage = lazy(() =>
  import("./modules/inspections/hazard-detail-page.js").then((m) => ({
    default: m.HazardDetailPage,
  })),
);
const TemplatesPage = lazy(() =>
  import("./modules/inspections/templates-page.js").then((m) => ({ default: m.TemplatesPage })),
);
const SpotChecksPage = lazy(() =>
  import("./modules/inspections/spot-checks-page.js").then((m) => ({ default: m.SpotChecksPage })),
);
const SpotCheckDetailPage = lazy(() =>
  import("./modules/inspections/spot-checks-page.js").then((m) => ({
    default: m.SpotCheckDetailPage,
  })),
);
const CategoriesPage = lazy(() =>
  import("./modules/categories/categories-page.js").then((m) => ({ default: m.CategoriesPage })),
);
const MyPointsPage = lazy(() =>
  import("./modules/points/my-points-page.js").then((m) => ({ default: m.MyPointsPage })),
);
const PointsStatementPage = lazy(() =>
  import("./modules/points/points-statement-page.js").then((m) => ({
    default: m.PointsStatementPage,
  })),
);
const ParticipationPage = lazy(() =>
  import("./modules/points/participation-page.js").then((m) => ({ default: m.ParticipationPage })),
);
const ProposalsPage = lazy(() =>
  import("./modules/proposals/proposals-page.js").then((m) => ({ default: m.ProposalsPage })),
);
const ProposalDetailPage = lazy(() =>
  import("./modules/proposals/proposal-detail-page.js").then((m) => ({
    default: m.ProposalDetailPage,
  })),
);
const NewProposalPage = lazy(() =>
  import("./modules/proposals/proposal-form-page.js").then((m) => ({ default: m.NewProposalPage })),
);
const ProposalFromCasesPage = lazy(() =>
  import("./modules/proposals/proposal-form-page.js").then((m) => ({ default: m.FromCasesPage })),
);
const ProposalsDeskPage = lazy(() =>
  import("./modules/proposals/proposals-desk-page.js").then((m) => ({
    default: m.ProposalsDeskPage,
  })),
);
const VolunteerHomePage = lazy(() =>
  import("./modules/volunteers/volunteer-home-page.js").then((m) => ({
    default: m.VolunteerHomePage,
  })),
);
const MyShiftsPage = lazy(() =>
  import("./modules/volunteers/my-shifts-page.js").then((m) => ({ default: m.MyShiftsPage })),
);
const ShiftDetailPage = lazy(() =>
  import("./modules/volunteers/shift-detail-page.js").then((m) => ({
    default: m.ShiftDetailPage,
  })),
);
const ShiftPlanPage = lazy(() =>
  import("./modules/volunteers/shift-plan-page.js").then((m) => ({ default: m.ShiftPlanPage })),
);
const VolunteersPage = lazy(() =>
  import("./modules/volunteers/volunteers-page.js").then((m) => ({ default: m.VolunteersPage })),
);
const TeamsPage = lazy(() =>
  import("./modules/volunteers/teams-page.js").then((m) => ({ default: m.TeamsPage })),
);
const TeamDetailPage = lazy(() =>
  import("./modules/volunteers/teams-page.js").then((m) => ({ default: m.TeamDetailPage })),
);
const GridRiskPage = lazy(() =>
  import("./modules/grid-risk/grid-risk-page.js").then((m) => ({ default: m.GridRiskPage })),
);
const GridProfilePage = lazy(() =>
  import("./modules/grid-risk/grid-profile-page.js").then((m) => ({
    default: m.GridProfilePage,
  })),
);
const MeetingsPage = lazy(() =>
  import("./modules/meetings/meetings-page.js").then((m) => ({ default: m.MeetingsPage })),
);
const MeetingDetailPage = lazy(() =>
  import("./modules/meetings/meeting-detail-page.js").then((m) => ({
    default: m.MeetingDetailPage,
  })),
);
const CoordinationPage = lazy(() =>
  import("./modules/coordination/coordination-page.js").then((m) => ({
    default: m.CoordinationPage,
  })),
);
const ReportsPage = lazy(() =>
  import("./modules/reports/reports-page.js").then((m) => ({ default: m.ReportsPage })),
);
const ReportDetailPage = lazy(() =>
  import("./modules/reports/report-pages.js").then((m) => ({ default: m.ReportDetailPage })),
);
const ReportPreviewPage = lazy(() =>
  import("./modules/reports/report-pages.js").then((m) => ({ default: m.ReportPreviewPage })),
);
const ReportPrintPage = lazy(() =>
  import("./modules/reports/report-pages.js").then((m) => ({ default: m.ReportPrintPage })),
);
const BroadcastsPage = lazy(() =>
  import("./modules/broadcasts/broadcasts-page.js").then((m) => ({ default: m.BroadcastsPage })),
);
const BroadcastDetailPage = lazy(() =>
  import("./modules/broadcasts/broadcast-detail-page.js").then((m) => ({
    default: m.BroadcastDetailPage,
  })),
);
const HoursPage = lazy(() =>
  import("./modules/volunteers/hours-page.js").then((m) => ({ default: m.HoursPage })),
);
export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      {/* Outside the login wall: anyone may report anonymously, follow that report, read open data. */}
      <Route element={<PublicShell />}>
        <Route path="/report/anonymous" element={<AnonymousReportPage />} />
        <Route path="/track" element={<TrackPage />} />
        <Route path="/open-data" element={<OpenDataPage />} />
      </Route>
      <Route element={<RequireAuth />}>
        {/* The printable report, outside the app's frame (its own print CSS). */}
        <Route
          path="coordination/reports/:id/print"
          element={
            <Suspense fallback={<PageLoading />}>
              <ReportPrintPage />
            </Suspense>
          }
        />
        <Route element={<AppLayout />}>
          <Route
            index
            element={
              <WorkspaceAwareHome>
                <HomePage />
              </WorkspaceAwareHome>
            }
          />
          <Route path="report" element={<ReportPage />} />
          <Route path="cases" element={<CasesPage />} />
          <Route path="cases/:id" element={<CaseDetailPage />} />
          <Route path="proposals" element={<ProposalsPage />} />
          <Route path="proposals/new" element={<NewProposalPage />} />
          <Route element={<RequireAccess allow={canUseProposalDesk} />}>
            <Route path="proposals/desk" element={<ProposalsDeskPage />} />
            <Route path="proposals/from-cases" element={<ProposalFromCasesPage />} />
          </Route>
          <Route path="proposals/:id" element={<ProposalDetailPage />} />
          <Route element={<RequireAccess allow={canBrowseAreas} />}>
            <Route path="areas/:code?" element={<AreaBrowserPage />} />
          </Route>
          <Route element={<RequireAccess allow={isResident} />}>
            <Route path="me" element={<MyResidencePage />} />
            <Route path="points" element={<MyPointsPage />} />
          </Route>
          <Route path="points/statement" element={<PointsStatementPage />} />
          <Route element={<RequireAccess allow={canSeeParticipation} />}>
            <Route path="participation" element={<ParticipationPage />} />
          </Route>
          <Route element={<RequireAccess allow={isStaff} />}>
            <Route path="residents" element={<ResidentsPage />} />
            <Route path="residents/:id" element={<ResidentDetailPage />} />
            <Route path="units" element={<UnitsPage />} />
            <Route path="units/:id" element={<UnitDetailPage />} />
            <Route path="organisations" element={<OrganisationsPage />} />
            <Route path="routing-rules" element={<RoutingRulesPage />} />
            <Route path="categories" element={<CategoriesPage />} />
            <Route path="organisations/:id" element={<OrganisationDetailPage />} />
            <Route path="enterprises" element={<EnterprisesPage />} />
            <Route path="enterprises/:id" element={<EnterpriseProfilePage />} />
          </Route>
          <Route element={<RequireAccess allow={canEditAnyBaseData} />}>
            <Route path="imports" element={<ImportsPage />} />
          </Route>
          <Route element={<RequireAccess allow={canManageUsers} />}>
            <Route path="admin/users" element={<UsersPage />} />
          </Route>
          <Route element={<RequireAccess allow={canManageTokens} />}>
            <Route path="admin/tokens" element={<ApiTokensPage />} />
          </Route>
          <Route element={<RequireAccess allow={canUseNotices} />}>
            <Route path="notices" element={<NoticesPage />} />
            <Route path="notices/:id" element={<NoticeDetailPage />} />
          </Route>
          <Route element={<RequireAccess allow={canUseMediations} />}>
            <Route path="mediations" element={<MediationsPage />} />
            <Route path="mediations/:id" element={<MediationDetailPage />} />
          </Route>
          <Route element={<RequireAccess allow={canSeeHazards} />}>
            <Route path="inspections" element={<InspectionsPage />} />
            <Route path="inspections/:id" element={<InspectionFormPage />} />
            <Route path="hazards" element={<HazardsPage />} />
            <Route path="hazards/:id" element={<HazardDetailPage />} />
          </Route>
          <Route element={<RequireAccess allow={canManageInspections} />}>
            <Route path="inspection-templates" element={<TemplatesPage />} />
            <Route path="spot-checks" element={<SpotChecksPage />} />
            <Route path="spot-checks/:id" element={<SpotCheckDetailPage />} />
          </Route>
          <Route element={<RequireAccess allow={canSeeWageWarnings} />}>
            <Route path="wage-warnings" element={<WageWarningsPage />} />
          </Route>
          <Route element={<RequireAccess allow={canVolunteer} />}>
            <Route path="volunteer" element={<VolunteerHomePage />} />
            <Route path="volunteer/shifts" element={<MyShiftsPage />} />
          </Route>
          <Route path="shifts/:id" element={<ShiftDetailPage />} />
          {/* Checks coordination.read itself, to say which permission is missing. */}
          <Route path="coordination" element={<CoordinationPage />} />
          <Route element={<RequireAccess allow={canSeeMeetings} />}>
            <Route path="meetings" element={<MeetingsPage />} />
            <Route path="meetings/:id" element={<MeetingDetailPage />} />
          </Route>
          {/* Checks its own access: coordinators and admins, grid workers for their grids. */}
          <Route path="coordination/risk" element={<GridRiskPage />} />
          <Route path="coordination/risk/grids/:code" element={<GridProfilePage />} />
          <Route path="coordination/reports" element={<ReportsPage />} />
          <Route path="coordination/reports/preview" element={<ReportPreviewPage />} />
          <Route path="coordination/reports/:id" element={<ReportDetailPage />} />
          <Route path="broadcasts" element={<BroadcastsPage />} />
          <Route path="broadcasts/:id" element={<BroadcastDetailPage />} />
          <Route element={<RequireAccess allow={canVerifyHours} />}>
            <Route path="hours" element={<HoursPage />} />
          </Route>
          <Route element={<RequireAccess allow={canManageVolunteers} />}>
            <Route path="shifts" element={<ShiftPlanPage />} />
            <Route path="volunteers" element={<VolunteersPage />} />
            <Route path="teams" element={<TeamsPage />} />
            <Route path="teams/:id" element={<TeamDetailPage />} />
          </Route>
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Route>
    </Routes>
  );
}

export function App() {
  const { t, i18n } = useTranslation();
  const locale = i18n.resolvedLanguage === "en-US" ? enUS : zhCN;
  const title = t("app.fullName");
  useEffect(() => {
    document.title = title;
  }, [title]);
  return (
    <ConfigProvider locale={locale} theme={{ token: { colorPrimary: "#1668dc", borderRadius: 6 } }}>
      <AntApp>
        <AuthProvider>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}
