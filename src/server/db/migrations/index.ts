/**
 * The ordered list of migrations. Kept in code (not read from a folder) so the
 * same list works from source, from tests and from any bundle.
 */
import type { Migration } from "kysely/migration";
import * as m0001 from "./0001-foundation.js";
import * as m0002 from "./0002-base-data.js";
import * as m0003 from "./0003-partial-indexes.js";
import * as m0004 from "./0004-address-search.js";
import * as m0005 from "./0005-import-heartbeat.js";
import * as m0006 from "./0006-cases.js";
import * as m0007 from "./0007-case-escalations.js";
import * as m0008 from "./0008-routing-rule-history.js";
import * as m0009 from "./0009-case-handling.js";
import * as m0010 from "./0010-audit-chain-batches.js";
import * as m0011 from "./0011-case-attachments.js";
import * as m0012 from "./0012-case-places.js";
import * as m0013 from "./0013-notification-delivery.js";
import * as m0014 from "./0014-user-email.js";
import * as m0015 from "./0015-saved-filters.js";
import * as m0016 from "./0016-inbox-indexes.js";
import * as m0017 from "./0017-open311.js";
import * as m0018 from "./0018-department-due-indexes.js";
import * as m0019 from "./0019-enterprise-workforce.js";
import * as m0020 from "./0020-inspections-hazards.js";
import * as m0021 from "./0021-enterprise-risk.js";
import * as m0022 from "./0022-liaison.js";
import * as m0023 from "./0023-category-editing.js";
import * as m0024 from "./0024-volunteers.js";
import * as m0025 from "./0025-proposals.js";
import * as m0026 from "./0026-points.js";
import * as m0027 from "./0027-notification-links.js";
import * as m0028 from "./0028-enterprise-managers.js";
import * as m0029 from "./0029-participation-gaps.js";
import * as m0030 from "./0030-case-rollups.js";
import * as m0031 from "./0031-joint-meetings.js";
import * as m0032 from "./0032-grid-risk.js";
import * as m0033 from "./0033-reports-broadcasts.js";
import * as m0034 from "./0034-enterprise-workspace-gaps.js";
import * as m0035 from "./0035-participation-gaps-2.js";
import * as m0036 from "./0036-repeat-incidents.js";

export const migrations: Record<string, Migration> = {
  "0001-foundation": m0001,
  "0002-base-data": m0002,
  "0003-partial-indexes": m0003,
  "0004-address-search": m0004,
  "0005-import-heartbeat": m0005,
  "0006-cases": m0006,
  "0007-case-escalations": m0007,
  "0008-routing-rule-history": m0008,
  "0009-case-handling": m0009,
  "0010-audit-chain-batches": m0010,
  "0011-case-attachments": m0011,
  "0012-case-places": m0012,
  "0013-notification-delivery": m0013,
  "0014-user-email": m0014,
  "0015-saved-filters": m0015,
  "0016-inbox-indexes": m0016,
  "0017-open311": m0017,
  "0018-department-due-indexes": m0018,
  "0019-enterprise-workforce": m0019,
  "0020-inspections-hazards": m0020,
  "0021-enterprise-risk": m0021,
  "0022-liaison": m0022,
  "0023-category-editing": m0023,
  "0024-volunteers": m0024,
  "0025-proposals": m0025,
  "0026-points": m0026,
  "0027-notification-links": m0027,
  "0028-enterprise-managers": m0028,
  "0029-participation-gaps": m0029,
  "0030-case-rollups": m0030,
  "0031-joint-meetings": m0031,
  "0032-grid-risk": m0032,
  "0033-reports-broadcasts": m0033,
  "0034-enterprise-workspace-gaps": m0034,
  "0035-participation-gaps-2": m0035,
  "0036-repeat-incidents": m0036,
};
