/**
 * 概况: an enterprise's facts, its figures (workforce, dormitories, hazards,
 * rating, warning) and its sites — added, changed and deactivated here by
 * those the server allows (`manageSites`).
 */
import { EditOutlined, PlusOutlined, StopOutlined } from "@ant-design/icons";
import type { ButtonProps, TableColumnsType } from "antd";
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Popconfirm,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import {
  createSiteBody,
  type EnterpriseDetail,
  SITE_KINDS,
  type Site,
  type SiteKind,
} from "../../../shared/schemas/enterprises.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { applyServerErrors } from "../../ui/server-errors.js";
import { zodRule } from "../../ui/zod-rule.js";
import { type LngLat, LocationPicker } from "../areas/location-picker.js";
import { RatingTag, SiteKindTag, WarningTag } from "./enterprise-bits.js";
import { createSite, deactivateSite, updateSite } from "./enterprises-api.js";

export function EnterpriseOverviewTab(props: {
  enterprise: EnterpriseDetail;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const e = props.enterprise;
  const dash = (v: string | null | undefined) => (v ? v : "—");
  return (
    <Space orientation="vertical" size={16} style={{ width: "100%" }}>
      <Row gutter={[12, 12]} data-testid="enterprise-figures">
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={t("enterprises.facts.headcount")}
              value={e.headcount}
              data-testid="enterprise-headcount"
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={t("enterprises.facts.overcrowdedRooms")}
              value={e.dormitory.overcrowdedRooms}
              suffix={`/ ${e.dormitory.rooms}`}
              styles={{
                content: { color: e.dormitory.overcrowdedRooms > 0 ? "#cf1322" : undefined },
              }}
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={t("enterprises.facts.openHazards")}
              value={e.openHazards}
              suffix={
                e.majorHazards > 0 ? (
                  <Typography.Text type="danger" style={{ fontSize: 14 }}>
                    {t("enterprises.facts.majorHazards")} {e.majorHazards}
                  </Typography.Text>
                ) : undefined
              }
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <div style={{ color: "rgba(0,0,0,0.45)", marginBottom: 8 }}>
              {t("enterprises.rating")} / {t("enterprises.warningLevel")}
            </div>
            <Space size={4}>
              <RatingTag rating={e.rating} />
              <WarningTag level={e.warningLevel} />
            </Space>
          </Card>
        </Col>
      </Row>
      <Card size="small" data-testid="enterprise-facts">
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3 }}
          items={[
            {
              key: "uscc",
              label: t("enterprises.uscc"),
              children: e.uscc ? (
                <Typography.Text code style={{ whiteSpace: "nowrap" }}>
                  {e.uscc}
                </Typography.Text>
              ) : (
                "—"
              ),
            },
            { key: "industry", label: t("enterprises.industry"), children: dash(e.industry) },
            {
              key: "size",
              label: t("enterprises.size"),
              children: e.size ? t(`enterprises.sizes.${e.size}`) : "—",
            },
            {
              key: "legal",
              label: t("enterprises.facts.legalRepresentative"),
              children: dash(e.legalRepresentative),
            },
            {
              key: "officer",
              label: t("enterprises.facts.safetyOfficer"),
              children: dash(e.safetyOfficer),
            },
            {
              key: "phone",
              label: t("enterprises.facts.safetyOfficerPhone"),
              children: dash(e.safetyOfficerPhone),
            },
            {
              key: "dorm",
              label: t("enterprises.facts.dormitory"),
              children: t("enterprises.facts.dormitoryValue", e.dormitory),
            },
            { key: "address", label: t("enterprises.facts.address"), children: dash(e.address) },
            {
              key: "area",
              label: t("enterprises.area"),
              children: e.areas.map((a) => a.name).join(" / "),
            },
            {
              key: "record",
              label: t("enterprises.facts.baseData"),
              children: <Link to={`/organisations/${e.id}`}>{e.name}</Link>,
            },
          ]}
        />
      </Card>
      <SitesCard enterprise={e} onChanged={props.onChanged} />
    </Space>
  );
}

function SitesCard(props: { enterprise: EnterpriseDetail; onChanged: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const e = props.enterprise;
  const canEdit = e.allowedActions.includes("manageSites");
  const [editing, setEditing] = useState<Site | "new" | null>(null);
  const [error, setError] = useState<unknown>(null);

  const columns: TableColumnsType<Site> = [
    {
      key: "name",
      title: t("enterprises.sites.name"),
      width: 200,
      render: (_v, s) => (
        <Space size={4} wrap>
          <SiteKindTag kind={s.kind} />
          <span>{s.name}</span>
        </Space>
      ),
    },
    {
      key: "address",
      title: t("enterprises.sites.address"),
      width: 260,
      ellipsis: { showTitle: true },
      render: (_v, s) => s.address,
    },
    {
      key: "grid",
      title: t("enterprises.sites.grid"),
      width: 180,
      ellipsis: { showTitle: true },
      render: (_v, s) => s.grid.name,
    },
    ...(canEdit
      ? [
          {
            key: "actions",
            title: "",
            width: 150,
            render: (_v: unknown, s: Site) => (
              <Space size={0}>
                <Button
                  type="link"
                  size="small"
                  icon={<EditOutlined />}
                  onClick={() => setEditing(s)}
                >
                  {t("enterprises.sites.edit")}
                </Button>
                <Popconfirm
                  title={t("enterprises.sites.deactivateConfirm", { name: s.name })}
                  okText={t("enterprises.sites.deactivate")}
                  cancelText={t("common.cancel")}
                  onConfirm={async () => {
                    try {
                      await deactivateSite(e.id, s.id);
                      void message.success(t("enterprises.sites.deactivatedOk"));
                      props.onChanged();
                    } catch (err) {
                      setError(err);
                    }
                  }}
                >
                  <Button type="link" size="small" danger icon={<StopOutlined />}>
                    {t("enterprises.sites.deactivate")}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ];
  return (
    <Card
      size="small"
      title={t("enterprises.sites.title", { count: e.sites.length })}
      data-testid="enterprise-sites"
      extra={
        canEdit ? (
          <Button
            icon={<PlusOutlined />}
            onClick={() => setEditing("new")}
            data-testid="enterprise-site-add"
          >
            {t("enterprises.sites.add")}
          </Button>
        ) : null
      }
    >
      {error ? (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert error={error} />
        </div>
      ) : null}
      <Table<Site>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={e.sites}
        pagination={false}
        scroll={{ x: 640 }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={t("enterprises.sites.empty")}
            />
          ),
        }}
      />
      <SiteFormModal
        enterpriseId={e.id}
        site={editing}
        onClose={() => setEditing(null)}
        onDone={() => {
          setEditing(null);
          void message.success(t("enterprises.sites.savedOk"));
          props.onChanged();
        }}
      />
    </Card>
  );
}

interface SiteForm {
  name: string;
  kind: SiteKind;
  address: string;
  point?: LngLat;
}

function fieldOf(path: string): string[] | null {
  const name = path.replace(/^body\./, "");
  if (name === "lat" || name === "lng") return ["point"];
  return ["name", "kind", "address"].includes(name) ? [name] : null;
}

function SiteFormModal(props: {
  enterpriseId: string;
  site: Site | "new" | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<SiteForm>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const site = props.site === "new" ? null : props.site;

  const close = () => {
    form.resetFields();
    setError(null);
    props.onClose();
  };

  const submit = async (v: SiteForm) => {
    setSaving(true);
    setError(null);
    const point = v.point ? { lng: v.point[0], lat: v.point[1] } : {};
    try {
      if (site) {
        await updateSite(props.enterpriseId, site.id, {
          version: site.version,
          name: v.name.trim(),
          kind: v.kind,
          address: v.address.trim(),
          ...point,
        });
      } else {
        await createSite(props.enterpriseId, {
          name: v.name.trim(),
          kind: v.kind,
          address: v.address.trim(),
          ...point,
        });
      }
      form.resetFields();
      props.onDone();
    } catch (err) {
      setError(applyServerErrors(form, err, fieldOf));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={props.site !== null}
      title={
        site
          ? t("enterprises.sites.editTitle", { name: site.name })
          : t("enterprises.sites.addTitle")
      }
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={close}
      okButtonProps={{ "data-testid": "enterprise-site-submit" } as ButtonProps}
      mask={{ closable: false }}
      destroyOnHidden
    >
      <Form<SiteForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        autoComplete="off"
        initialValues={
          site
            ? { name: site.name, kind: site.kind, address: site.address }
            : { kind: "factory" as SiteKind }
        }
      >
        <Form.Item
          name="name"
          label={t("enterprises.sites.name")}
          rules={[zodRule(createSiteBody.shape.name)]}
        >
          <Input
            maxLength={60}
            placeholder={t("enterprises.sites.namePlaceholder")}
            data-testid="enterprise-site-name"
          />
        </Form.Item>
        <Form.Item name="kind" label={t("enterprises.sites.kind")}>
          <Select
            options={SITE_KINDS.map((k) => ({
              value: k,
              label: t(`enterprises.sites.kinds.${k}`),
            }))}
            data-testid="enterprise-site-kind"
          />
        </Form.Item>
        <Form.Item
          name="address"
          label={t("enterprises.sites.address")}
          extra={t("enterprises.sites.addressHelp")}
          rules={[zodRule(createSiteBody.shape.address)]}
        >
          <Input maxLength={120} data-testid="enterprise-site-address" />
        </Form.Item>
        <Form.Item name="point" label={t("enterprises.sites.location")}>
          <LocationPicker
            testId="enterprise-site-map"
            label={t("enterprises.sites.location")}
            help={t("enterprises.sites.locationHelp")}
            height={220}
          />
        </Form.Item>
        {error ? <ErrorAlert error={error} /> : null}
      </Form>
    </Modal>
  );
}
