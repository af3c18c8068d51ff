import { describe, expect, it } from "vitest";
import { savedCaseQuery } from "../../../shared/schemas/saved-filters.js";
import {
  applyToParams,
  type InboxState,
  inboxOfQuery,
  queryOfInbox,
  sameInbox,
} from "./saved-filter-model.js";

const state: InboxState = {
  inbox: "overdue",
  q: " 车棚 ",
  status: "accepted",
  category: "theft_fraud.theft",
  sort: "due",
};

describe("saved filters of the case inbox", () => {
  it("save the inbox as the inbox endpoint reads it, and come back the same", () => {
    const body = queryOfInbox(state);
    expect(body).toEqual({
      inbox: "overdue",
      q: "车棚",
      status: "accepted",
      category: "theft_fraud.theft",
      sort: "due",
    });
    // What the server stores is what the shared schema makes of it.
    const stored = savedCaseQuery.parse(body);
    expect(stored.status).toEqual(["accepted"]);
    expect(inboxOfQuery(stored)).toEqual({ ...state, q: "车棚" });
    expect(sameInbox(state, stored)).toBe(true);
    expect(sameInbox({ ...state, sort: "newest" }, stored)).toBe(false);
    // Empty filters are left out, not sent as empty strings.
    expect(
      queryOfInbox({ inbox: "mine", q: "  ", status: undefined, category: "", sort: "newest" }),
    ).toEqual({ inbox: "mine", sort: "newest" });
  });

  it("apply to the URL: tab, filters and sort on page 1, the map view kept", () => {
    const stored = savedCaseQuery.parse({ inbox: "area", category: "dispute", sort: "newest" });
    const next = applyToParams(
      new URLSearchParams("view=map&inbox=mine&q=old&status=closed&page=3&sort=due"),
      stored,
      "newest",
    );
    expect(Object.fromEntries(next)).toEqual({ view: "map", inbox: "area", category: "dispute" });
  });

  it("a query the inbox cannot show as it is (several statuses, a grid) never looks applied", () => {
    const several = savedCaseQuery.parse({ inbox: "overdue", status: ["accepted", "dispatched"] });
    expect(sameInbox({ ...state, q: "", category: "", sort: "newest" }, several)).toBe(false);
  });
});
