/**
 * The machinery every server-paged list screen shares (账户管理, 实有人口,
 * 实有房屋, 实有单位 …): filters, sort and page kept in the URL query string
 * (so reload, back and shared links work), a debounced search box, an antd
 * Table whose sorting and paging are done by the server, the total, the empty
 * state (with 清除筛选 when filters hide everything), the load-error alert and
 * an XLSX export link carrying the current filters.
 *
 * How to use it:
 *
 * ```tsx
 * const SORTS = ["name", "-name", "createdAt", "-createdAt"] as const;
 * type Sort = (typeof SORTS)[number];
 *
 * function ThingsPage() {
 *   // 1. Declare the URL state: one codec per filter, the sorts the API accepts.
 *   const query = useListQuery({
 *     filters: { q: param.text(), kind: param.oneOf(KINDS), mine: param.flag() },
 *     sorts: SORTS,
 *     defaultSort: "name",
 *   });
 *   // 2. Turn it into the API's query and load a page ({items, total}).
 *   const f = query.filters;
 *   const apiFilter = { q: f.q || undefined, kind: f.kind, mine: f.mine ? "true" : undefined };
 *   const request = { ...apiFilter, sort: query.sort, limit: query.limit, offset: query.offset };
 *   const list = useApi(`things:${JSON.stringify(request)}`, (s) => listThings(request, s));
 *   // 3. Columns whose `key` is a sort field get `sorter: true`; ListTable keeps
 *   //    their sortOrder in step with the URL ("-key" is descending).
 *   const columns: TableColumnsType<Thing> = [{ key: "name", dataIndex: "name", sorter: true }];
 *   return (
 *     <ListPage testId="things-page" title="…" intro="…" actions={<Button>新建</Button>}
 *       filters={
 *         <>
 *           <SearchInput value={f.q} onSearch={(q) => query.setFilters({ q })}
 *             placeholder="搜索名称" testId="things-search" />
 *           <ExportButton href={buildUrl("/api/things/export.xlsx", { ...apiFilter, sort: query.sort })}
 *             testId="things-export" />
 *         </>
 *       }>
 *       <ListTable<Thing, Sort> rowKey="id" query={query} list={list} columns={columns}
 *         testId="things" emptyText="还没有…" noMatchText="没有符合条件的…" />
 *     </ListPage>
 *   );
 * }
 * ```
 *
 * Test ids: ListTable renders `${testId}-table`, `${testId}-total` and
 * `${testId}-clear-filters`. Query-string keys the list does not own (a tab,
 * say) are left alone.
 */
import { DownloadOutlined, SearchOutlined } from "@ant-design/icons";
import type { TableColumnsType, TableProps } from "antd";
import { Button, Card, Empty, Input, Space, Table, Typography } from "antd";
import type { SortOrder } from "antd/es/table/interface";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";
import { ErrorAlert } from "./error-alert.js";
import type { ApiState } from "./use-api.js";

/** How one filter is read from and written to the query string (null: leave it out). */
export interface ParamCodec<T> {
  parse(raw: string | null): T;
  format(value: T): string | null;
}

/** The usual codecs. */
export const param = {
  /** Free text; empty is "no filter". */
  text: (): ParamCodec<string> => ({ parse: (r) => r ?? "", format: (v) => v || null }),
  /** One of a fixed list; anything else (a stale link) is "no filter". */
  oneOf: <T extends string>(values: readonly T[]): ParamCodec<T | undefined> => ({
    parse: (r) => (r !== null && (values as readonly string[]).includes(r) ? (r as T) : undefined),
    format: (v) => v ?? null,
  }),
  /** A checkbox: present as `true`, otherwise absent. */
  flag: (): ParamCodec<boolean> => ({
    parse: (r) => r === "true",
    format: (v) => (v ? "true" : null),
  }),
};

export type ParamCodecs<F> = { [K in keyof F]: ParamCodec<F[K]> };

export interface ListQuery<F, S extends string> {
  filters: F;
  sort: S;
  defaultSort: S;
  page: number;
  pageSize: number;
  /** The page as the API wants it. */
  limit: number;
  offset: number;
  /** Whether any filter is set (the empty state then offers 清除筛选). */
  filtered: boolean;
  /** Change some filters; the list starts again at page 1. */
  setFilters(patch: Partial<F>): void;
  setSort(sort: S): void;
  setPage(page: number): void;
  /** Every filter back to "no filter" (the sort stays). */
  clearFilters(): void;
}

const SORT = "sort";
const PAGE = "page";

/** The list's state in the URL: `?<filters>&sort=&page=`; defaults are left out. */
export function useListQuery<F extends object, S extends string>(spec: {
  filters: ParamCodecs<F>;
  sorts: readonly S[];
  defaultSort: S;
  pageSize?: number;
}): ListQuery<F, S> {
  const [params, setParams] = useSearchParams();
  const pageSize = spec.pageSize ?? 20;
  const keys = Object.keys(spec.filters) as (keyof F & string)[];

  const filters = {} as F;
  for (const k of keys) filters[k] = spec.filters[k].parse(params.get(k));
  const rawSort = params.get(SORT);
  const sort =
    rawSort !== null && (spec.sorts as readonly string[]).includes(rawSort)
      ? (rawSort as S)
      : spec.defaultSort;
  const page = Math.max(1, Number.parseInt(params.get(PAGE) ?? "1", 10) || 1);

  const write = (next: { filters: F; sort: S; page: number }) => {
    // Keep what the list does not own (a tab, a map view) as it is.
    const out = new URLSearchParams(params);
    for (const k of keys) {
      const v = spec.filters[k].format(next.filters[k]);
      if (v === null) out.delete(k);
      else out.set(k, v);
    }
    if (next.sort === spec.defaultSort) out.delete(SORT);
    else out.set(SORT, next.sort);
    if (next.page > 1) out.set(PAGE, String(next.page));
    else out.delete(PAGE);
    setParams(out, { replace: true });
  };

  return {
    filters,
    sort,
    defaultSort: spec.defaultSort,
    page,
    pageSize,
    limit: pageSize,
    offset: (page - 1) * pageSize,
    filtered: keys.some((k) => spec.filters[k].format(filters[k]) !== null),
    setFilters: (patch) => write({ filters: { ...filters, ...patch }, sort, page: 1 }),
    setSort: (s) => write({ filters, sort: s, page: 1 }),
    setPage: (p) => write({ filters, sort, page: p }),
    clearFilters: () => {
      const cleared = {} as F;
      for (const k of keys) cleared[k] = spec.filters[k].parse(null);
      write({ filters: cleared, sort, page: 1 });
    },
  };
}

/**
 * A search box that answers as you type, a moment after you stop. `value` is
 * the search in force (from the URL); clearing it elsewhere empties the box.
 */
export function SearchInput(props: {
  value: string;
  onSearch: (value: string) => void;
  placeholder: string;
  testId?: string;
  width?: number;
  delayMs?: number;
}) {
  const [input, setInput] = useState(props.value);
  const sent = useRef(props.value);
  const onSearch = useRef(props.onSearch);
  onSearch.current = props.onSearch;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const delayMs = props.delayMs ?? 300;

  // Each keystroke restarts the wait; what is typed is searched once it
  // settles. (Timed from the keystroke itself, so clearing the box right
  // after a filter was applied from outside still searches.)
  const change = (value: string) => {
    setInput(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const settled = value.trim();
      if (settled !== sent.current) {
        sent.current = settled;
        onSearch.current(settled);
      }
    }, delayMs);
  };
  useEffect(() => () => clearTimeout(timer.current), []);

  // Filters cleared (or a link followed): show what is in force.
  useEffect(() => {
    if (props.value !== sent.current) {
      sent.current = props.value;
      clearTimeout(timer.current);
      setInput(props.value);
    }
  }, [props.value]);

  return (
    <Input
      allowClear
      prefix={<SearchOutlined />}
      placeholder={props.placeholder}
      aria-label={props.placeholder}
      value={input}
      onChange={(e) => change(e.target.value)}
      style={{ width: props.width ?? 240, maxWidth: "100%" }}
      data-testid={props.testId}
    />
  );
}

/** 导出 Excel: a plain link, so the browser downloads with the session cookie. */
export function ExportButton(props: { href: string; testId?: string; label?: string }) {
  const { t } = useTranslation();
  return (
    <Button icon={<DownloadOutlined />} href={props.href} download data-testid={props.testId}>
      {props.label ?? t("common.exportXlsx")}
    </Button>
  );
}

/** The page frame: title with the main actions, a short intro, then a card with filters and the list. */
export function ListPage(props: {
  testId: string;
  title: ReactNode;
  intro?: ReactNode;
  actions?: ReactNode;
  /** The filter row (search boxes, selects, export). */
  filters?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div data-testid={props.testId}>
      <Space style={{ width: "100%", justifyContent: "space-between", marginBottom: 8 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {props.title}
        </Typography.Title>
        {props.actions ? <Space wrap>{props.actions}</Space> : null}
      </Space>
      {props.intro ? (
        <Typography.Paragraph type="secondary">{props.intro}</Typography.Paragraph>
      ) : null}
      <Card size="small">
        {props.filters ? (
          <Space wrap style={{ marginBottom: 12 }} align="start">
            {props.filters}
          </Space>
        ) : null}
        {props.children}
      </Card>
    </div>
  );
}

export interface ListTableProps<T, S extends string>
  extends Omit<TableProps<T>, "columns" | "dataSource" | "loading" | "pagination" | "onChange"> {
  query: ListQuery<unknown, S>;
  /** `totalCapped`: the server stopped counting at `total` (there are more) */
  list: ApiState<{ items: T[]; total: number; totalCapped?: boolean }>;
  /** Columns with `sorter: true` sort by their `key` (descending as `-key`). */
  columns: TableColumnsType<T>;
  /** Prefix of the test ids: `${testId}-table`, `-total`, `-clear-filters`. */
  testId: string;
  emptyText: ReactNode;
  noMatchText: ReactNode;
  /** More alerts under the load error (a failed row action, say). */
  alerts?: ReactNode;
}

/** The table of a list screen: server sorting and paging, total, empty and error states. */
export function ListTable<T extends object, S extends string>(props: ListTableProps<T, S>) {
  const { t } = useTranslation();
  const { query, list, columns, testId, emptyText, noMatchText, alerts, ...tableProps } = props;

  const sortOrderOf = (key: unknown): SortOrder =>
    query.sort === key ? "ascend" : query.sort === `-${String(key)}` ? "descend" : null;
  // Controlled sort arrows: the URL, not the table, says how the list is sorted.
  const controlled = columns.map((c) => (c.sorter ? { ...c, sortOrder: sortOrderOf(c.key) } : c));

  const onChange: TableProps<T>["onChange"] = (pagination, _filters, sorter, extra) => {
    if (extra.action === "sort") {
      const s = Array.isArray(sorter) ? sorter[0] : sorter;
      const key = String(s?.columnKey ?? "");
      const next = !s?.order ? query.defaultSort : s.order === "descend" ? `-${key}` : key;
      query.setSort(next as S);
    } else if (extra.action === "paginate") {
      query.setPage(pagination.current ?? 1);
    }
  };

  return (
    <>
      {list.error ? (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert error={list.error} title={t("errors.loadFailed")} onRetry={list.reload} />
        </div>
      ) : null}
      {alerts}
      <Table<T>
        size="middle"
        showSorterTooltip={false}
        data-testid={`${testId}-table`}
        {...tableProps}
        loading={list.loading}
        columns={controlled}
        dataSource={list.data?.items ?? []}
        onChange={onChange}
        locale={{
          emptyText: list.error ? (
            " "
          ) : (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={query.filtered ? noMatchText : emptyText}
            >
              {query.filtered ? (
                <Button onClick={query.clearFilters} data-testid={`${testId}-clear-filters`}>
                  {t("common.clearFilters")}
                </Button>
              ) : null}
            </Empty>
          ),
        }}
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (total) => (
            <span data-testid={`${testId}-total`}>
              {list.data?.totalCapped
                ? t("common.totalAtLeast", { count: total })
                : t("common.total", { count: total })}
            </span>
          ),
        }}
      />
    </>
  );
}
