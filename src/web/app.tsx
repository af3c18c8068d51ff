/** The app root: antd theme and locale, the session, and the routes. */
import { App as AntApp, ConfigProvider } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import { lazy, useEffect } from "react";
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
import { HomePage } from "./pages/home-page.js";
import { LoginPage } from "./pages/login-page.js";
import { NotFoundPage } from "./pages/status-pages.js";
import { AppLayout } from "./ui/app-layout.js";

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
const ApiTokensPage = lazy(() =>
  import("./modules/admin/api-tokens-page.js").then((m) => ({ default: m.ApiTokensPage })),
);

const CategoriesPage = lazy(() =>
  import("./modules/categories/categories-page.js").then((m) => ({ default: m.CategoriesPage })),
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
        <Route element={<AppLayout />}>
          <Route index element={<HomePage />} />
          <Route path="report" element={<ReportPage />} />
          <Route path="cases" element={<CasesPage />} />
          <Route path="cases/:id" element={<CaseDetailPage />} />
          <Route element={<RequireAccess allow={canBrowseAreas} />}>
            <Route path="areas/:code?" element={<AreaBrowserPage />} />
          </Route>
          <Route element={<RequireAccess allow={isResident} />}>
            <Route path="me" element={<MyResidencePage />} />
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
