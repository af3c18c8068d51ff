/**
 * The area tree (district → street → community → grid) with a search box.
 * Selection lives in the URL; this component only reports clicks.
 */
import { SearchOutlined } from "@ant-design/icons";
import type { GetRef, TreeDataNode } from "antd";
import { Empty, Input, Tag, Tree, Typography } from "antd";
import { type ReactNode, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { AreaLevel } from "../../../shared/roles.js";
import type { AreaSummary } from "../../../shared/schemas/areas.js";
import { type AreaNode, ancestorCodesOf, filterAreaTree } from "./area-tree-model.js";

export const LEVEL_TAG_COLORS: Record<AreaLevel, string> = {
  district: "blue",
  street: "geekblue",
  community: "cyan",
  grid: "orange",
};

function highlight(text: string, query: string): ReactNode {
  const q = query.trim();
  if (!q) return text;
  const at = text.toLowerCase().indexOf(q.toLowerCase());
  if (at < 0) return text;
  return (
    <>
      {text.slice(0, at)}
      <mark style={{ padding: 0, background: "#ffe58f" }}>{text.slice(at, at + q.length)}</mark>
      {text.slice(at + q.length)}
    </>
  );
}

export interface AreaTreeProps {
  roots: AreaNode[];
  byCode: Map<string, AreaSummary>;
  selectedCode: string | undefined;
  onSelect: (code: string) => void;
  height: number;
}

export function AreaTree(props: AreaTreeProps) {
  const { t } = useTranslation();
  const [query, setQuery] = useState("");
  const [expanded, setExpanded] = useState<string[]>([]);
  const treeRef = useRef<GetRef<typeof Tree>>(null);

  const filtered = useMemo(() => filterAreaTree(props.roots, query), [props.roots, query]);

  // Open the way down to the selected area (from the URL or a map click).
  const selected = props.selectedCode ? props.byCode.get(props.selectedCode) : undefined;
  useEffect(() => {
    if (!selected) return;
    const want = [...ancestorCodesOf(selected), selected.code];
    setExpanded((cur) => {
      const missing = want.filter((c) => !cur.includes(c));
      return missing.length ? [...cur, ...missing] : cur;
    });
    // Bring it into view once the branches have opened (the tree is virtual).
    const timer = window.setTimeout(
      () => treeRef.current?.scrollTo({ key: selected.code, align: "auto" }),
      50,
    );
    return () => window.clearTimeout(timer);
  }, [selected]);

  // A new search opens every branch that leads to a match.
  useEffect(() => {
    if (filtered.expandCodes.length === 0) return;
    setExpanded((cur) => [...new Set([...cur, ...filtered.expandCodes])]);
  }, [filtered]);

  const treeData = useMemo(() => {
    const toData = (n: AreaNode): TreeDataNode => ({
      key: n.area.code,
      title: (
        <span data-code={n.area.code} data-level={n.area.level}>
          <span className="gz-area-name">{highlight(n.area.name, query)}</span>{" "}
          <Tag
            color={LEVEL_TAG_COLORS[n.area.level]}
            style={{
              marginInlineStart: 2,
              marginInlineEnd: 0,
              fontSize: 11,
              lineHeight: "16px",
              paddingInline: 4,
            }}
          >
            {t(`levels.${n.area.level}`)}
          </Tag>
        </span>
      ),
      isLeaf: n.children.length === 0,
      children: n.children.map(toData),
    });
    return filtered.nodes.map(toData);
  }, [filtered, query, t]);

  return (
    <div>
      <Input
        allowClear
        prefix={<SearchOutlined />}
        placeholder={t("areas.search")}
        aria-label={t("areas.search")}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        data-testid="area-search"
        style={{ marginBottom: 8 }}
      />
      {query.trim() ? (
        <Typography.Text
          type="secondary"
          style={{ fontSize: 12, display: "block", marginBottom: 4 }}
        >
          {filtered.matchCount > 0 ? t("areas.matches", { count: filtered.matchCount }) : null}
        </Typography.Text>
      ) : null}
      <div data-testid="area-tree">
        {treeData.length === 0 ? (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={query.trim() ? t("areas.noMatch") : t("areas.empty")}
          />
        ) : (
          <Tree
            ref={treeRef}
            treeData={treeData}
            height={props.height}
            blockNode
            showLine={{ showLeafIcon: false }}
            expandedKeys={expanded}
            onExpand={(keys) => setExpanded(keys.map(String))}
            selectedKeys={props.selectedCode ? [props.selectedCode] : []}
            onSelect={(_keys, info) => props.onSelect(String(info.node.key))}
          />
        )}
      </div>
    </div>
  );
}
