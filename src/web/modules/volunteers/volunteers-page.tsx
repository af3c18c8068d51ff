/**
 * 志愿者 (/volunteers) for grid workers, coordinators and associations: the
 * volunteers they may see, searched and filtered by skill, dialect, origin
 * and team; a row opens the volunteer with training records (leaders and
 * staff add them).
 */
import {
  App,
  Button,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  Select,
  Space,
  type TableColumnsType,
  Tag,
} from "antd";
import type { Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import {
  DIALECTS,
  PROVINCE_DIALECTS,
  VOLUNTEER_SKILLS,
  VOLUNTEER_SORTS,
} from "../../../shared/schemas/volunteers.js";
import { describeError, ErrorAlert } from "../../ui/error-alert.js";
import { ListPage, ListTable, param, SearchInput, useListQuery } from "../../ui/list-page.js";
import { PageLoading } from "../../ui/page-loading.js";
import { useApi } from "../../ui/use-api.js";
import { hoursOf } from "./volunteer-bits.js";
import { TrainingList } from "./volunteer-home-page.js";
import { addTraining, getVolunteer, listVolunteers, type Volunteer } from "./volunteers-api.js";

export function VolunteersPage() {
  const { t } = useTranslation();
  const query = useListQuery({
    filters: {
      q: param.text(),
      skill: param.oneOf(VOLUNTEER_SKILLS),
      dialect: param.oneOf(DIALECTS),
      originProvince: param.text(),
    },
    sorts: VOLUNTEER_SORTS,
    defaultSort: "name",
  });
  const f = query.filters;
  const request = {
    q: f.q || undefined,
    skill: f.skill,
    dialect: f.dialect,
    originProvince: f.originProvince || undefined,
    sort: query.sort,
    limit: query.limit,
    offset: query.offset,
  };
  const list = useApi(`volunteers:${JSON.stringify(request)}`, (signal) =>
    listVolunteers(request, signal),
  );
  const [open, setOpen] = useState<string | null>(null);
  const columns: TableColumnsType<Volunteer> = [
    { title: t("volunteers.list.name"), dataIndex: "name", key: "name", sorter: true },
    {
      title: t("volunteers.profile.skills"),
      render: (_, v) => (
        <Space wrap size={[2, 2]}>
          {v.skills.map((s) => (
            <Tag key={s}>{t(`volunteers.skills.${s}`)}</Tag>
          ))}
        </Space>
      ),
    },
    { title: t("volunteers.profile.dialects"), render: (_, v) => v.dialects.join("、") || "—" },
    { title: t("volunteers.profile.origin"), render: (_, v) => v.originProvince ?? "—" },
    {
      title: t("volunteers.profile.communities"),
      render: (_, v) => v.preferredAreas.map((a) => a.name).join("、"),
    },
    {
      title: t("volunteers.home.teams"),
      render: (_, v) =>
        v.teams
          .map((x) =>
            x.role === "leader" ? `${x.name}（${t("volunteers.roles.leader")}）` : x.name,
          )
          .join("、") || "—",
    },
    {
      title: t("volunteers.home.verifiedHours"),
      key: "hours",
      render: (_, v) => hoursOf(v.verifiedMinutes),
    },
    {
      title: t("volunteers.list.status"),
      render: (_, v) =>
        v.status === "active" ? null : <Tag>{t(`volunteers.status.${v.status}`)}</Tag>,
    },
  ];
  return (
    <ListPage
      testId="volunteers-page"
      title={t("volunteers.nav.volunteers")}
      intro={t("volunteers.list.intro")}
      filters={
        <>
          <SearchInput
            value={f.q}
            onSearch={(q) => query.setFilters({ q })}
            placeholder={t("volunteers.list.search")}
          />
          <Select
            allowClear
            placeholder={t("volunteers.profile.skills")}
            value={f.skill}
            onChange={(skill) => query.setFilters({ skill })}
            options={VOLUNTEER_SKILLS.map((k) => ({
              value: k,
              label: t(`volunteers.skills.${k}`),
            }))}
            style={{ width: 140 }}
          />
          <Select
            allowClear
            placeholder={t("volunteers.profile.dialects")}
            value={f.dialect}
            onChange={(dialect) => query.setFilters({ dialect })}
            options={DIALECTS.map((d) => ({ value: d, label: d }))}
            style={{ width: 140 }}
          />
          <Select
            allowClear
            showSearch
            placeholder={t("volunteers.profile.origin")}
            value={f.originProvince || undefined}
            onChange={(p?: string) => query.setFilters({ originProvince: p ?? "" })}
            options={Object.keys(PROVINCE_DIALECTS).map((p) => ({ value: p, label: p }))}
            style={{ width: 140 }}
          />
          <Select
            value={query.sort}
            onChange={(s) => query.setSort(s)}
            options={VOLUNTEER_SORTS.map((s) => ({
              value: s,
              label: t(`volunteers.list.sorts.${s}`),
            }))}
            style={{ width: 150 }}
          />
        </>
      }
    >
      <ListTable<Volunteer, (typeof VOLUNTEER_SORTS)[number]>
        rowKey="id"
        query={query}
        list={list}
        columns={columns}
        testId="volunteers"
        emptyText={t("volunteers.list.empty")}
        noMatchText={t("volunteers.list.noMatch")}
        scroll={{ x: true }}
        onRow={(v) => ({ onClick: () => setOpen(v.id), style: { cursor: "pointer" } })}
      />
      <Drawer
        open={open !== null}
        onClose={() => setOpen(null)}
        size="large"
        title={t("volunteers.list.detail")}
        destroyOnHidden
      >
        {open ? <VolunteerDetailPanel id={open} /> : null}
      </Drawer>
    </ListPage>
  );
}

function VolunteerDetailPanel(props: { id: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const v = useApi(`volunteer:${props.id}`, (signal) => getVolunteer(props.id, signal));
  const [form] = Form.useForm<{
    title: string;
    issuer: string;
    issuedOn: Dayjs;
    validUntil?: Dayjs;
    certificateNo?: string;
  }>();
  const [saving, setSaving] = useState(false);
  if (v.error && !v.data) return <ErrorAlert error={v.error} onRetry={v.reload} />;
  if (!v.data) return <PageLoading />;
  const d = v.data;
  const submit = async (x: {
    title: string;
    issuer: string;
    issuedOn: Dayjs;
    validUntil?: Dayjs;
    certificateNo?: string;
  }) => {
    setSaving(true);
    try {
      await addTraining(props.id, {
        title: x.title,
        issuer: x.issuer,
        issuedOn: x.issuedOn.format("YYYY-MM-DD"),
        ...(x.validUntil ? { validUntil: x.validUntil.format("YYYY-MM-DD") } : {}),
        ...(x.certificateNo?.trim() ? { certificateNo: x.certificateNo.trim() } : {}),
      });
      form.resetFields();
      void message.success(t("volunteers.training.recorded"));
      v.reload();
    } catch (err) {
      void message.error(describeError(err, t));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Space orientation="vertical" style={{ width: "100%" }} data-testid="volunteer-detail">
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t("volunteers.list.name")}>{d.name}</Descriptions.Item>
        <Descriptions.Item label={t("volunteers.profile.skills")}>
          {d.skills.map((s) => t(`volunteers.skills.${s}`)).join("、")}
        </Descriptions.Item>
        <Descriptions.Item label={t("volunteers.profile.dialects")}>
          {[...d.dialects, ...d.languages].join("、") || "—"}
        </Descriptions.Item>
        <Descriptions.Item label={t("volunteers.profile.origin")}>
          {d.originProvince ?? "—"}
        </Descriptions.Item>
        <Descriptions.Item label={t("volunteers.profile.availability")}>
          {d.availability
            .map(
              (s) =>
                `${t(`volunteers.weekdays.${s.weekday}` as "volunteers.weekdays.1")}${t(`volunteers.slots.${s.slot}`)}`,
            )
            .join("、") || "—"}
        </Descriptions.Item>
        <Descriptions.Item label={t("volunteers.home.verifiedHours")}>
          {hoursOf(d.verifiedMinutes)}
        </Descriptions.Item>
        <Descriptions.Item label={t("volunteers.list.figures")}>
          {t("volunteers.list.figuresText", {
            signedUp: d.stats.signedUp,
            attended: d.stats.attended,
            observations: d.stats.observations,
          })}
        </Descriptions.Item>
      </Descriptions>
      <TrainingList training={d.training} />
      {d.allowedActions.includes("add_training") ? (
        <Form form={form} layout="vertical" onFinish={submit} data-testid="training-form">
          <Form.Item
            name="title"
            label={t("volunteers.training.name")}
            rules={[{ required: true, min: 2 }]}
          >
            <Input maxLength={80} data-testid="training-title" />
          </Form.Item>
          <Form.Item
            name="issuer"
            label={t("volunteers.training.issuer")}
            rules={[{ required: true, min: 2 }]}
          >
            <Input maxLength={80} data-testid="training-issuer" />
          </Form.Item>
          <Space wrap>
            <Form.Item
              name="issuedOn"
              label={t("volunteers.training.issuedOn")}
              rules={[{ required: true }]}
            >
              <DatePicker data-testid="training-issued-on" />
            </Form.Item>
            <Form.Item name="validUntil" label={t("volunteers.training.validUntil")}>
              <DatePicker data-testid="training-valid-until" />
            </Form.Item>
            <Form.Item name="certificateNo" label={t("volunteers.training.certificateNo")}>
              <Input maxLength={40} data-testid="training-certificate-no" />
            </Form.Item>
          </Space>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="training-submit">
            {t("volunteers.training.add")}
          </Button>
        </Form>
      ) : null}
    </Space>
  );
}
