/**
 * 保存的筛选 in the case inbox: a button that opens the user's saved filters
 * (click one to apply it: tab, filters, search and sort; rename it; delete
 * it, confirmed), with an empty state that says how to make one; and
 * 保存当前筛选, which names the inbox as it is now. The button shows the
 * name of the saved filter the inbox shows at the moment, if any.
 */
import {
  DeleteOutlined,
  DownOutlined,
  EditOutlined,
  FilterOutlined,
  SaveOutlined,
} from "@ant-design/icons";
import {
  App,
  Button,
  type ButtonProps,
  Descriptions,
  Empty,
  Form,
  Input,
  List,
  Modal,
  Popconfirm,
  Popover,
  Spin,
  Typography,
} from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  SAVED_FILTER_LIMIT,
  type SavedFilter,
  savedFilterName,
} from "../../../shared/schemas/saved-filters.js";
import { describeError, ErrorAlert } from "../../ui/error-alert.js";
import { applyServerErrors } from "../../ui/server-errors.js";
import { useApi } from "../../ui/use-api.js";
import { zodRule } from "../../ui/zod-rule.js";
import { type InboxState, inboxOfQuery, queryOfInbox, sameInbox } from "./saved-filter-model.js";
import {
  createSavedFilter,
  deleteSavedFilter,
  listSavedFilters,
  updateSavedFilter,
} from "./saved-filters-api.js";

/** The inbox state as a few readable lines (what a saved filter holds). */
function InboxSummary(props: { s: InboxState; categoryName: (code: string) => string }) {
  const { t } = useTranslation();
  const s = props.s;
  const any = t("savedFilters.any");
  return (
    <Descriptions
      size="small"
      column={1}
      data-testid="saved-filter-summary"
      items={[
        { key: "inbox", label: t("savedFilters.tab"), children: t(`cases.inboxes.${s.inbox}`) },
        {
          key: "status",
          label: t("cases.status"),
          children: s.status ? t(`cases.statuses.${s.status}`) : any,
        },
        {
          key: "category",
          label: t("cases.category"),
          children: s.category ? props.categoryName(s.category) : any,
        },
        { key: "q", label: t("savedFilters.search"), children: s.q.trim() || any },
        { key: "sort", label: t("cases.sort"), children: t(`cases.sorts.${s.sort}`) },
      ]}
    />
  );
}

/** Name a filter: a new one (the inbox as it is now) or a rename. */
function NameModal(props: {
  open: boolean;
  /** the filter renamed, or null for 保存当前筛选 */
  renaming: SavedFilter | null;
  current: InboxState;
  categoryName: (code: string) => string;
  onClose: () => void;
  onSaved: (f: SavedFilter) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ name: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!props.open) return;
    setError(null);
    form.resetFields();
    form.setFieldsValue({ name: props.renaming?.name ?? "" });
  }, [props.open, props.renaming, form]);

  const submit = async (v: { name: string }) => {
    setSaving(true);
    setError(null);
    const name = v.name.trim();
    try {
      const saved = props.renaming
        ? await updateSavedFilter(props.renaming.id, { name })
        : await createSavedFilter({ scope: "cases", name, query: queryOfInbox(props.current) });
      props.onSaved(saved);
    } catch (err) {
      setError(applyServerErrors(form, err, (p) => (p === "body.name" ? ["name"] : null)));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={props.open}
      title={props.renaming ? t("savedFilters.renameTitle") : t("savedFilters.saveTitle")}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={props.onClose}
      okButtonProps={{ "data-testid": "saved-filter-name-submit" } as ButtonProps}
      mask={{ closable: false }}
      forceRender
    >
      <Form<{ name: string }>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        autoComplete="off"
        data-testid="saved-filter-name-form"
      >
        {props.renaming ? null : (
          <div style={{ marginBottom: 16 }}>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
              {t("savedFilters.saveIntro")}
            </Typography.Paragraph>
            <InboxSummary s={props.current} categoryName={props.categoryName} />
          </div>
        )}
        <Form.Item
          name="name"
          label={t("savedFilters.name")}
          rules={[zodRule(savedFilterName)]}
          extra={t("savedFilters.nameHelp")}
        >
          <Input
            maxLength={40}
            placeholder={t("savedFilters.namePlaceholder")}
            onPressEnter={() => form.submit()}
            data-testid="saved-filter-name"
          />
        </Form.Item>
      </Form>
      {error ? <ErrorAlert error={error} /> : null}
    </Modal>
  );
}

export function SavedFilters(props: {
  current: InboxState;
  /** Show a saved filter's tab, filters, search and sort. */
  onApply: (f: SavedFilter) => void;
  categoryName: (code: string) => string;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const saved = useApi("saved-filters:cases", (signal) => listSavedFilters(signal));
  const [open, setOpen] = useState(false);
  const [naming, setNaming] = useState<{ renaming: SavedFilter | null } | null>(null);
  const items = saved.data?.items ?? [];
  const applied = items.find((f) => sameInbox(props.current, f.query));
  const full = items.length >= SAVED_FILTER_LIMIT;

  const remove = async (f: SavedFilter) => {
    try {
      await deleteSavedFilter(f.id);
      void message.success(t("savedFilters.deleted", { name: f.name }));
    } catch (err) {
      void message.error(describeError(err, t));
    }
    saved.reload();
  };

  const list = (
    <div style={{ width: 340, maxWidth: "80vw" }} data-testid="saved-filters-list">
      {saved.error ? <ErrorAlert error={saved.error} onRetry={saved.reload} /> : null}
      {saved.loading && !saved.data ? (
        <Spin />
      ) : items.length === 0 && !saved.error ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={t("savedFilters.empty")}
          data-testid="saved-filters-empty"
        />
      ) : (
        <List<SavedFilter>
          size="small"
          dataSource={items}
          style={{ maxHeight: 360, overflowY: "auto" }}
          renderItem={(f) => {
            const s = inboxOfQuery(f.query);
            const detail = [
              t(`cases.inboxes.${s.inbox}`),
              s.status ? t(`cases.statuses.${s.status}`) : null,
              s.category ? props.categoryName(s.category) : null,
              s.q ? `“${s.q}”` : null,
            ]
              .filter(Boolean)
              .join(" · ");
            return (
              <List.Item
                key={f.id}
                data-testid="saved-filter"
                data-filter-name={f.name}
                actions={[
                  <Button
                    key="rename"
                    type="text"
                    size="small"
                    icon={<EditOutlined />}
                    aria-label={t("savedFilters.rename")}
                    title={t("savedFilters.rename")}
                    onClick={() => {
                      setOpen(false);
                      setNaming({ renaming: f });
                    }}
                    data-testid="saved-filter-rename"
                  />,
                  <Popconfirm
                    key="delete"
                    title={t("savedFilters.deleteConfirm", { name: f.name })}
                    okText={t("savedFilters.delete")}
                    cancelText={t("common.cancel")}
                    okButtonProps={
                      { danger: true, "data-testid": "saved-filter-delete-confirm" } as ButtonProps
                    }
                    onConfirm={() => remove(f)}
                  >
                    <Button
                      type="text"
                      size="small"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={t("savedFilters.delete")}
                      title={t("savedFilters.delete")}
                      data-testid="saved-filter-delete"
                    />
                  </Popconfirm>,
                ]}
              >
                <button
                  type="button"
                  className="saved-filter-apply"
                  onClick={() => {
                    setOpen(false);
                    props.onApply(f);
                  }}
                  style={{
                    all: "unset",
                    cursor: "pointer",
                    display: "block",
                    minWidth: 0,
                    flex: 1,
                  }}
                  data-testid="saved-filter-apply"
                >
                  <Typography.Text strong={applied?.id === f.id} ellipsis style={{ maxWidth: 220 }}>
                    {f.name}
                  </Typography.Text>
                  <br />
                  <Typography.Text
                    type="secondary"
                    ellipsis
                    style={{ fontSize: 12, maxWidth: 220 }}
                  >
                    {detail}
                  </Typography.Text>
                </button>
              </List.Item>
            );
          }}
        />
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t("savedFilters.count", { count: items.length, limit: SAVED_FILTER_LIMIT })}
      </Typography.Text>
    </div>
  );

  return (
    <>
      <Popover
        open={open}
        onOpenChange={setOpen}
        trigger="click"
        placement="bottomLeft"
        title={t("savedFilters.title")}
        content={list}
      >
        <Button
          icon={<FilterOutlined />}
          data-testid="saved-filters"
          data-applied={applied?.name ?? ""}
        >
          {applied
            ? t("savedFilters.appliedLabel", { name: applied.name })
            : t("savedFilters.title")}
          <DownOutlined style={{ fontSize: 10 }} />
        </Button>
      </Popover>
      <Button
        icon={<SaveOutlined />}
        onClick={() => {
          if (full) void message.warning(t("savedFilters.full", { limit: SAVED_FILTER_LIMIT }));
          else setNaming({ renaming: null });
        }}
        disabled={applied !== undefined}
        title={applied ? t("savedFilters.alreadySaved", { name: applied.name }) : undefined}
        data-testid="saved-filters-save"
      >
        {t("savedFilters.save")}
      </Button>
      <NameModal
        open={naming !== null}
        renaming={naming?.renaming ?? null}
        current={props.current}
        categoryName={props.categoryName}
        onClose={() => setNaming(null)}
        onSaved={(f) => {
          void message.success(
            naming?.renaming
              ? t("savedFilters.renamed", { name: f.name })
              : t("savedFilters.saved", { name: f.name }),
          );
          setNaming(null);
          saved.reload();
        }}
      />
    </>
  );
}
