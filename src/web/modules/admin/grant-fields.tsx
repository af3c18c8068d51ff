/**
 * One grant in a form: a role select, and beside it the scope picker that
 * role needs (ROLE_SCOPE): an area from the hierarchy, a department from a
 * search, an organisation number for now, or nothing for a resident.
 * The area list is loaded once per page by AreaOptionsProvider, the first
 * time a picker asks for it.
 */
import { DeleteOutlined } from "@ant-design/icons";
import type { FormRule } from "antd";
import {
  Badge,
  Button,
  Form,
  Input,
  Select,
  Spin,
  Tag,
  Tooltip,
  TreeSelect,
  Typography,
} from "antd";
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from "react";
import { useTranslation } from "react-i18next";
import { ROLES, type Role } from "../../../shared/roles.js";
import type { AreaSummary } from "../../../shared/schemas/areas.js";
import { grantInput } from "../../../shared/schemas/users.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { ROLE_COLORS } from "../../ui/grant-display.js";
import { DepartmentPicker } from "../../ui/search-picker.js";
import { type ApiState, useApi } from "../../ui/use-api.js";
import { LEVEL_TAG_COLORS } from "../areas/area-tree.js";
import { type AreaNode, buildAreaTree } from "../areas/area-tree-model.js";
import { loadAllAreas } from "../areas/areas-api.js";
import { scopeFieldOf } from "./user-form-model.js";

interface AreaOptions {
  state: ApiState<AreaSummary[]>;
  want: () => void;
}

const AreaOptionsContext = createContext<AreaOptions | null>(null);

/** Loads every area the admin can see, once, when the first area picker mounts. */
export function AreaOptionsProvider(props: { children: ReactNode }) {
  const [wanted, setWanted] = useState(false);
  const state = useApi(wanted ? "grant-areas" : null, loadAllAreas);
  const want = useCallback(() => setWanted(true), []);
  const value = useMemo(() => ({ state, want }), [state, want]);
  return <AreaOptionsContext.Provider value={value}>{props.children}</AreaOptionsContext.Provider>;
}

interface AreaTreeOption {
  value: string;
  key: string;
  title: ReactNode;
  label: string;
  searchText: string;
  children: AreaTreeOption[];
}

interface PickerProps {
  id?: string;
  value?: string;
  onChange?: (value: string | undefined) => void;
  "data-testid"?: string;
}

function AreaPicker(props: PickerProps) {
  const { t } = useTranslation();
  const ctx = useContext(AreaOptionsContext);
  if (!ctx) throw new Error("AreaPicker outside <AreaOptionsProvider>");
  const { state, want } = ctx;
  useEffect(want, [want]);

  const roots = useMemo(() => buildAreaTree(state.data ?? []), [state.data]);
  const treeData = useMemo(() => {
    const toOption = (n: AreaNode): AreaTreeOption => ({
      value: n.area.code,
      key: n.area.code,
      label: `${n.area.name} · ${t(`levels.${n.area.level}`)}`,
      searchText: `${n.area.name.toLowerCase()} ${n.area.code}`,
      title: (
        <span data-code={n.area.code} data-level={n.area.level}>
          {n.area.name}{" "}
          <Tag
            color={LEVEL_TAG_COLORS[n.area.level]}
            style={{ marginInline: 2, fontSize: 11, lineHeight: "16px", paddingInline: 4 }}
          >
            {t(`levels.${n.area.level}`)}
          </Tag>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {n.area.code}
          </Typography.Text>
        </span>
      ),
      children: n.children.map(toOption),
    });
    return roots.map(toOption);
  }, [roots, t]);

  return (
    <>
      <TreeSelect<string, AreaTreeOption>
        id={props.id}
        value={props.value}
        onChange={(v) => props.onChange?.(v)}
        treeData={treeData}
        treeNodeLabelProp="label"
        treeDefaultExpandedKeys={roots.map((r) => r.area.code)}
        showSearch={{
          filterTreeNode: (input, node) =>
            String((node as unknown as AreaTreeOption).searchText ?? "").includes(
              input.trim().toLowerCase(),
            ),
        }}
        allowClear
        placeholder={state.loading ? t("users.areasLoading") : t("users.areaPlaceholder")}
        loading={state.loading}
        notFoundContent={state.loading ? <Spin size="small" /> : undefined}
        popupMatchSelectWidth={false}
        styles={{ popup: { root: { minWidth: 320 } } }}
        style={{ width: "100%" }}
        data-testid={props["data-testid"]}
      />
      {state.error ? (
        <div style={{ marginTop: 8 }}>
          <ErrorAlert error={state.error} onRetry={state.reload} />
        </div>
      ) : null}
    </>
  );
}

/** Role select options, each with its colour. */
export function useRoleOptions() {
  const { t } = useTranslation();
  return useMemo(
    () =>
      ROLES.map((r) => ({
        value: r,
        label: <Badge color={ROLE_COLORS[r]} text={t(`roles.${r}`)} />,
        title: t(`roles.${r}`),
      })),
    [t],
  );
}

type NamePath = (string | number)[];

export interface GrantFieldsProps {
  /** Field names relative to the enclosing Form.List item ([field.name]), or [] at the top. */
  name: NamePath;
  /** The same place from the form's root, to watch the role (["grants", field.name], or []). */
  path: NamePath;
  /** Test ids end with this: grant-role-0, grant-area-0, … */
  testSuffix: string;
  onRemove?: () => void;
}

export function GrantFields(props: GrantFieldsProps) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const role = Form.useWatch<Role | undefined>([...props.path, "role"], form);
  const roleOptions = useRoleOptions();
  const field = scopeFieldOf(role);
  const suffix = props.testSuffix;

  const required = (message: string): FormRule => ({ required: true, message });
  const organisationRule: FormRule = {
    validator: async (_r, v: string | undefined) => {
      if (v && !grantInput.shape.organisationId.safeParse(v.trim()).success)
        throw new Error(t("users.organisationInvalid"));
    },
  };
  const areaHelp =
    role === "admin" || role === "coordinator" || role === "grid_worker"
      ? t(`users.areaHelp.${role}`)
      : undefined;

  let scope: ReactNode;
  if (field === "areaCode") {
    scope = (
      <Form.Item
        name={[...props.name, "areaCode"]}
        rules={[required(t("users.areaRequired"))]}
        extra={areaHelp}
        style={{ flex: 1, minWidth: 200, marginBottom: 12 }}
      >
        <AreaPicker data-testid={`grant-area-${suffix}`} />
      </Form.Item>
    );
  } else if (field === "departmentId") {
    scope = (
      <Form.Item
        name={[...props.name, "departmentId"]}
        rules={[required(t("users.departmentRequired"))]}
        style={{ flex: 1, minWidth: 200, marginBottom: 12 }}
      >
        <DepartmentPicker data-testid={`grant-department-${suffix}`} />
      </Form.Item>
    );
  } else if (field === "organisationId") {
    scope = (
      <Form.Item
        name={[...props.name, "organisationId"]}
        rules={[required(t("users.organisationRequired")), organisationRule]}
        validateFirst
        extra={t("users.organisationHelp")}
        style={{ flex: 1, minWidth: 200, marginBottom: 12 }}
      >
        <Input
          inputMode="numeric"
          maxLength={18}
          placeholder={t("users.organisationPlaceholder")}
          data-testid={`grant-organisation-${suffix}`}
        />
      </Form.Item>
    );
  } else if (role === "resident") {
    scope = (
      <div style={{ flex: 1, minWidth: 200, paddingTop: 5, marginBottom: 12 }}>
        <Typography.Text type="secondary">{t("users.selfScope")}</Typography.Text>
      </div>
    );
  } else {
    scope = null;
  }

  return (
    <div
      style={{ display: "flex", gap: 8, alignItems: "flex-start" }}
      data-testid={`grant-row-${suffix}`}
    >
      {/* Role and scope sit side by side, and stack on a narrow screen. */}
      <div style={{ flex: 1, minWidth: 0, display: "flex", gap: 8, flexWrap: "wrap" }}>
        <Form.Item
          name={[...props.name, "role"]}
          rules={[required(t("users.roleRequired"))]}
          style={{ width: 220, maxWidth: "100%", marginBottom: 12 }}
        >
          <Select<Role>
            placeholder={t("users.rolePlaceholder")}
            options={roleOptions}
            aria-label={t("users.role")}
            data-testid={`grant-role-${suffix}`}
          />
        </Form.Item>
        {scope}
      </div>
      {props.onRemove ? (
        <Tooltip title={t("users.removeGrantRow")}>
          <Button
            type="text"
            icon={<DeleteOutlined />}
            aria-label={t("users.removeGrantRow")}
            onClick={props.onRemove}
            data-testid={`grant-remove-row-${suffix}`}
          />
        </Tooltip>
      ) : null}
    </div>
  );
}
