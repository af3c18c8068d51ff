/**
 * A case (/cases/:id) for anyone signed in who may see it — the lead
 * department, a grid worker or coordinator of its place, an assisting party,
 * the resident who reported it. The actions are those the server allows
 * this reader now; when another person acted first (409) the action bar
 * says so and the page shows the case as it is now.
 */
import { ArrowLeftOutlined } from "@ant-design/icons";
import { Button } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useLocation, useNavigate, useParams } from "react-router-dom";
import type { CaseDetail } from "../../../shared/schemas/cases.js";
import { useLiveEvents } from "../../api/live.js";
import { useMeta } from "../../api/meta.js";
import { hasPermission, homeAreaCode, isStaff } from "../../auth/access.js";
import { useAuth } from "../../auth/auth-context.js";
import { DetailLoadFailed } from "../../ui/detail-load-failed.js";
import { PageLoading } from "../../ui/page-loading.js";
import { useApi } from "../../ui/use-api.js";
import { CaseActions } from "./case-actions.js";
import { CaseView } from "./case-view.js";
import { caseStep, getCase, loadCategories } from "./cases-api.js";

export function CaseDetailPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const meta = useMeta();
  const navigate = useNavigate();
  const location = useLocation();
  const { id = "" } = useParams();
  // Opening the case again (a notification about it, say) loads it afresh.
  const res = useApi(`case:${id}:${location.key}`, (signal) => getCase(id, signal));
  const categories = useApi("case-categories", () => loadCategories());
  // The answer to an action is the case as it is now: shown at once, no reload needed.
  const [latest, setLatest] = useState<CaseDetail | null>(null);
  useEffect(() => {
    if (res.data) setLatest(res.data);
  }, [res.data]);
  // Someone else changed the case: show it as it is now.
  const shownVersion = latest?.version ?? 0;
  useLiveEvents(
    id ? `/api/events?caseId=${encodeURIComponent(id)}` : null,
    (_name, data) => {
      const v = (data as { version?: number } | null)?.version ?? 0;
      if (v > shownVersion) res.reload();
    },
    ["case"],
  );

  const cameFromList = (location.state as { fromList?: boolean } | null)?.fromList === true;
  const staff = isStaff(me);
  const back = (
    <Button
      type="link"
      icon={<ArrowLeftOutlined />}
      style={{ paddingInline: 0 }}
      onClick={() => (cameFromList ? navigate(-1) : navigate("/cases"))}
      data-testid="case-back"
    >
      {staff ? t("cases.backToList") : t("cases.backToMine")}
    </Button>
  );

  const c = latest?.id === id ? latest : res.data?.id === id ? res.data : undefined;
  if (res.error && !c) {
    return (
      <DetailLoadFailed
        testId="case-detail"
        back={back}
        error={res.error}
        notFoundText={t("cases.notFound")}
        onRetry={res.reload}
      />
    );
  }
  if (!c) return <PageLoading />;

  const outlineCode = hasPermission(me, "areas.read")
    ? (c.grid?.code ?? homeAreaCode(me) ?? meta?.district?.code ?? null)
    : null;

  return (
    <div data-testid="case-detail">
      {back}
      <CaseView
        c={c}
        categories={categories.data}
        reporterView={!staff}
        outlineCode={outlineCode}
        onChanged={res.reload}
        actions={
          <CaseActions
            c={c}
            staff={staff}
            perform={(action, body) => caseStep(c.id, action, body)}
            onDone={setLatest}
            onStale={res.reload}
          />
        }
      />
    </div>
  );
}
