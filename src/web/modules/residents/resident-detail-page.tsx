/**
 * A resident (/residents/:id): the masked record, the history of
 * registrations as a timeline, and the actions the server allows:
 * 迁入新住址, 登记迁出 (confirmed) and 查看完整号码 (audited, with a reason).
 */
import { ArrowLeftOutlined } from "@ant-design/icons";
import {
  Alert,
  App,
  Button,
  type ButtonProps,
  Card,
  Checkbox,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Radio,
  Space,
  Tag,
  Timeline,
  Typography,
} from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { mobileSchema } from "../../../shared/formats/mobile.js";
import { registerResidentBody, revealBody } from "../../../shared/schemas/residents.js";
import { isStaff } from "../../auth/access.js";
import { useAuth } from "../../auth/auth-context.js";
import { DetailLoadFailed } from "../../ui/detail-load-failed.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { PageLoading } from "../../ui/page-loading.js";
import { applyServerErrors } from "../../ui/server-errors.js";
import { useApi } from "../../ui/use-api.js";
import { optionalZodRule, zodRule } from "../../ui/zod-rule.js";
import {
  getResident,
  moveOutResident,
  moveResident,
  type ResidentDetail,
  revealResident,
  updateResident,
} from "./base-data-api.js";
import { EligibleTag, ResidentStatusTag } from "./resident-bits.js";
import { UnitSelect } from "./unit-select.js";

export function ResidentDetailPage() {
  const { id = "" } = useParams();
  return <ResidentDetailView id={id} />;
}

/** One resident's record; `self` for a resident's own page (no way back to a list). */
export function ResidentDetailView(props: { id: string; self?: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { id } = props;
  const staff = isStaff(useAuth().me);
  const res = useApi(`resident:${id}`, (signal) => getResident(id, signal));
  const [override, setOverride] = useState<ResidentDetail | null>(null);
  const [modal, setModal] = useState<"edit" | "move" | "moveOut" | "reveal" | null>(null);

  const r = override?.id === id ? override : res.data;
  const back = props.self ? null : (
    <Link to="/residents">
      <Button type="link" icon={<ArrowLeftOutlined />} style={{ paddingInline: 0 }}>
        {t("residents.backToList")}
      </Button>
    </Link>
  );

  if (res.error && !r) {
    return (
      <DetailLoadFailed
        testId="resident-detail"
        back={back}
        error={res.error}
        notFoundText={t("residents.notFound")}
        onRetry={res.reload}
      />
    );
  }
  if (!r) return <PageLoading />;

  const can = (a: ResidentDetail["allowedActions"][number]) => r.allowedActions.includes(a);
  // Staff open the unit's page (occupants, history); a resident sees the address.
  const unitLink = (u: { id: string; address: string }) =>
    staff ? <Link to={`/units/${u.id}`}>{u.address}</Link> : u.address;
  const updated = (d: ResidentDetail, text: string) => {
    setOverride(d);
    setModal(null);
    void message.success(text);
  };

  return (
    <div data-testid="resident-detail" data-resident-id={r.id}>
      {back}
      <Space style={{ width: "100%", justifyContent: "space-between", margin: "8px 0" }} wrap>
        <Space wrap>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {r.name}
          </Typography.Title>
          <ResidentStatusTag status={r.status} />
          {r.permitEligible ? <EligibleTag /> : null}
        </Space>
        <Space wrap>
          {can("edit") ? (
            <Button onClick={() => setModal("edit")} data-testid="resident-edit">
              {t("residents.edit")}
            </Button>
          ) : null}
          {can("move") ? (
            <Button onClick={() => setModal("move")} data-testid="resident-move">
              {t("residents.move")}
            </Button>
          ) : null}
          {can("move") && r.unit ? (
            <Button danger onClick={() => setModal("moveOut")} data-testid="resident-move-out">
              {t("residents.moveOut")}
            </Button>
          ) : null}
          {can("reveal") ? (
            <Button onClick={() => setModal("reveal")} data-testid="resident-reveal">
              {t("residents.reveal")}
            </Button>
          ) : null}
        </Space>
      </Space>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3 }}
          items={[
            {
              key: "id",
              label: t("residents.idNumber"),
              children: <span data-testid="resident-detail-id">{r.idNumber}</span>,
            },
            {
              key: "ga",
              label: t("residents.genderAge"),
              children: `${t(`residents.gender.${r.gender}`)} / ${t("residents.ageValue", { age: r.age })}`,
            },
            {
              key: "origin",
              label: t("residents.origin"),
              children: [r.origin.province, r.origin.city].filter(Boolean).join(" "),
            },
            { key: "phone", label: t("residents.phone"), children: r.phone ?? "—" },
            { key: "arrival", label: t("residents.arrivalDate"), children: r.arrivalDate ?? "—" },
            {
              key: "since",
              label: t("residents.registeredSince"),
              children: r.registeredSince ?? "—",
            },
            {
              key: "eligible",
              label: t("residents.eligibleSince"),
              children: (
                <span data-testid="resident-detail-eligible">
                  {r.status === "registered" && r.permitEligibleSince
                    ? t(
                        r.permitEligible
                          ? "residents.eligibleSinceMet"
                          : "residents.eligibleOnDate",
                        {
                          date: r.permitEligibleSince,
                        },
                      )
                    : r.status === "permit_holder"
                      ? t("residents.hasPermit")
                      : "—"}
                </span>
              ),
            },
            {
              key: "unit",
              label: t("residents.unit"),
              children: r.unit ? unitLink(r.unit) : "—",
            },
            {
              key: "employer",
              label: t("residents.employer"),
              children: r.employer ? (
                staff ? (
                  <Link to={`/organisations/${r.employer.id}`}>{r.employer.name}</Link>
                ) : (
                  r.employer.name
                )
              ) : (
                "—"
              ),
            },
          ]}
        />
      </Card>
      <Card size="small" title={t("residents.history")} data-testid="resident-history">
        {r.registrations.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("residents.noHistory")} />
        ) : (
          <Timeline
            items={r.registrations.map((g) => ({
              key: g.id,
              color: g.movedOut ? "gray" : "green",
              content: (
                <div data-registration={g.id}>
                  <Space wrap size={4}>
                    <Typography.Text strong>{unitLink(g.unit)}</Typography.Text>
                    {g.movedOut ? null : <Tag color="green">{t("residents.current")}</Tag>}
                  </Space>
                  <div>
                    {t("residents.movedInAt", { date: g.movedIn })}
                    {g.movedOut ? ` · ${t("residents.movedOutAt", { date: g.movedOut })}` : ""}
                  </div>
                  <Typography.Text type="secondary">
                    {t("residents.channel")}：{t(`residents.channels.${g.channel}`)}
                    {g.registeredBy ? ` · ${t("residents.registeredBy")}：${g.registeredBy}` : ""}
                  </Typography.Text>
                </div>
              ),
            }))}
          />
        )}
      </Card>
      <EditModal
        resident={modal === "edit" ? r : null}
        onClose={() => setModal(null)}
        onDone={(d) => updated(d, t("residents.savedOk"))}
      />
      <MoveModal
        resident={modal === "move" ? r : null}
        onClose={() => setModal(null)}
        onDone={(d) => updated(d, t("residents.movedOk"))}
      />
      <MoveOutModal
        resident={modal === "moveOut" ? r : null}
        onClose={() => setModal(null)}
        onDone={(d) => updated(d, t("residents.movedOutOk"))}
      />
      <RevealModal resident={modal === "reveal" ? r : null} onClose={() => setModal(null)} />
    </div>
  );
}

function MoveModal(props: {
  resident: ResidentDetail | null;
  onClose: () => void;
  onDone: (d: ResidentDetail) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ unitId?: string; date?: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const r = props.resident;
  const close = () => {
    form.resetFields();
    setError(null);
    props.onClose();
  };
  const submit = async (v: { unitId?: string; date?: string }) => {
    if (!r || !v.unitId) return;
    setSaving(true);
    setError(null);
    try {
      const d = await moveResident(r.id, { unitId: v.unitId, ...(v.date ? { date: v.date } : {}) });
      form.resetFields();
      props.onDone(d);
    } catch (err) {
      setError(
        applyServerErrors(form, err, (p) => {
          const n = p.replace(/^body\./, "");
          return n === "unitId" || n === "date" ? [n] : null;
        }),
      );
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={r !== null}
      title={r ? t("residents.moveTitle", { name: r.name }) : ""}
      okText={t("residents.moveSubmit")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={close}
      okButtonProps={{ "data-testid": "resident-move-submit" } as ButtonProps}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" requiredMark={false} onFinish={submit}>
        <Form.Item
          name="unitId"
          label={t("residents.newUnit")}
          rules={[{ required: true, message: t("residents.unitRequired") }]}
        >
          <UnitSelect data-testid="resident-move-unit" />
        </Form.Item>
        <Form.Item name="date" label={t("residents.date")} extra={t("residents.dateHelp")}>
          <Input type="date" />
        </Form.Item>
        {error ? <ErrorAlert error={error} /> : null}
      </Form>
    </Modal>
  );
}

function MoveOutModal(props: {
  resident: ResidentDetail | null;
  onClose: () => void;
  onDone: (d: ResidentDetail) => void;
}) {
  const { t } = useTranslation();
  const [date, setDate] = useState("");
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const r = props.resident;
  const close = () => {
    setDate("");
    setError(null);
    props.onClose();
  };
  const submit = async () => {
    if (!r) return;
    setSaving(true);
    setError(null);
    try {
      const d = await moveOutResident(r.id, date ? { date } : {});
      setDate("");
      props.onDone(d);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={r !== null}
      title={r ? t("residents.moveOutTitle", { name: r.name }) : ""}
      okText={t("residents.moveOut")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      onOk={submit}
      onCancel={close}
      okButtonProps={{ danger: true, "data-testid": "resident-move-out-submit" } as ButtonProps}
    >
      <Typography.Paragraph>{t("residents.moveOutBody")}</Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label={t("residents.moveOutDate")} extra={t("residents.dateHelp")}>
          <Input type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        </Form.Item>
      </Form>
      {error ? <ErrorAlert error={error} /> : null}
    </Modal>
  );
}

const updateNameSchema = registerResidentBody.shape.name;

interface EditForm {
  name: string;
  phone?: string;
  clearPhone?: boolean;
  arrivalDate?: string;
  permit: boolean;
}

/** 修改信息: name, phone (kept unless replaced or removed), arrival date, permit. */
function EditModal(props: {
  resident: ResidentDetail | null;
  onClose: () => void;
  onDone: (d: ResidentDetail) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<EditForm>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const r = props.resident;
  useEffect(() => {
    if (r)
      form.setFieldsValue({
        name: r.name,
        phone: "",
        clearPhone: false,
        arrivalDate: r.arrivalDate ?? "",
        permit: r.status === "permit_holder",
      });
  }, [r, form]);
  const close = () => {
    setError(null);
    props.onClose();
  };
  const submit = async (v: EditForm) => {
    if (!r) return;
    setSaving(true);
    setError(null);
    const phone = v.phone?.trim();
    try {
      const d = await updateResident(r.id, {
        name: v.name.trim(),
        ...(phone ? { phone: mobileSchema.parse(phone) } : v.clearPhone ? { phone: null } : {}),
        arrivalDate: v.arrivalDate || null,
        ...(r.status === "departed"
          ? {}
          : { status: v.permit ? ("permit_holder" as const) : ("registered" as const) }),
      });
      props.onDone(d);
    } catch (err) {
      setError(
        applyServerErrors(form, err, (path) => {
          const name = path.replace(/^body\./, "");
          return ["name", "phone", "arrivalDate"].includes(name) ? [name] : null;
        }),
      );
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={r !== null}
      title={r ? t("residents.editTitle", { name: r.name }) : ""}
      okText={t("common.save")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={close}
      okButtonProps={{ "data-testid": "resident-edit-submit" } as ButtonProps}
      forceRender
    >
      <Form<EditForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        data-testid="resident-edit-form"
        autoComplete="off"
      >
        <Form.Item name="name" label={t("residents.name")} rules={[zodRule(updateNameSchema)]}>
          <Input maxLength={40} data-testid="resident-edit-name" />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t("residents.phone")}
          extra={r?.phone ? t("residents.phoneKeep", { phone: r.phone }) : undefined}
          rules={[optionalZodRule(mobileSchema)]}
        >
          <Input maxLength={20} inputMode="tel" data-testid="resident-edit-phone" />
        </Form.Item>
        {r?.phone ? (
          <Form.Item name="clearPhone" valuePropName="checked" style={{ marginTop: -8 }}>
            <Checkbox data-testid="resident-edit-clear-phone">{t("residents.clearPhone")}</Checkbox>
          </Form.Item>
        ) : null}
        <Form.Item name="arrivalDate" label={t("residents.arrivalDate")}>
          <Input type="date" data-testid="resident-edit-arrival" />
        </Form.Item>
        {r && r.status !== "departed" ? (
          <Form.Item name="permit" valuePropName="checked" extra={t("residents.permitHelp")}>
            <Checkbox data-testid="resident-edit-permit">{t("residents.permitIssued")}</Checkbox>
          </Form.Item>
        ) : null}
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t("residents.editAuditNote")}
        </Typography.Paragraph>
        {error ? <ErrorAlert error={error} /> : null}
      </Form>
    </Modal>
  );
}

interface RevealForm {
  field: "idNumber" | "phone";
  reason: string;
}

function RevealModal(props: { resident: ResidentDetail | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<RevealForm>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [shown, setShown] = useState<{ field: string; value: string | null } | null>(null);
  const r = props.resident;
  const close = () => {
    form.resetFields();
    setError(null);
    setShown(null);
    props.onClose();
  };
  const submit = async (v: RevealForm) => {
    if (!r) return;
    setSaving(true);
    setError(null);
    try {
      setShown(await revealResident(r.id, { field: v.field, reason: v.reason.trim() }));
    } catch (err) {
      setError(
        applyServerErrors(form, err, (p) => {
          const n = p.replace(/^body\./, "");
          return n === "reason" || n === "field" ? [n] : null;
        }),
      );
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={r !== null}
      title={r ? t("residents.revealTitle", { name: r.name }) : ""}
      okText={shown ? t("common.close") : t("residents.revealSubmit")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      onOk={shown ? close : () => form.submit()}
      onCancel={close}
      cancelButtonProps={shown ? { style: { display: "none" } } : {}}
      okButtonProps={{ "data-testid": "resident-reveal-submit" } as ButtonProps}
      destroyOnHidden
    >
      {shown ? (
        <div data-testid="resident-revealed">
          <Typography.Text type="secondary">
            {t(shown.field === "phone" ? "residents.phone" : "residents.idNumber")} ·{" "}
            {t("residents.revealedValue")}
          </Typography.Text>
          <div style={{ marginTop: 8 }}>
            {shown.value ? (
              <Typography.Text
                copyable
                strong
                style={{ fontSize: 18 }}
                data-testid="resident-revealed-value"
              >
                {shown.value}
              </Typography.Text>
            ) : (
              <Typography.Text type="secondary">{t("residents.revealEmpty")}</Typography.Text>
            )}
          </div>
        </div>
      ) : (
        <Form<RevealForm>
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={submit}
          initialValues={{ field: "idNumber" }}
          data-testid="resident-reveal-form"
        >
          <Alert
            type="warning"
            showIcon
            title={t("residents.revealWarning")}
            style={{ marginBottom: 16 }}
          />
          <Form.Item name="field" label={t("residents.revealField")}>
            <Radio.Group
              options={[
                { value: "idNumber", label: t("residents.idNumber") },
                { value: "phone", label: t("residents.phone") },
              ]}
            />
          </Form.Item>
          <Form.Item
            name="reason"
            label={t("residents.revealReason")}
            rules={[zodRule(revealBody.shape.reason)]}
          >
            <Input.TextArea
              rows={2}
              maxLength={200}
              placeholder={t("residents.revealReasonPlaceholder")}
              data-testid="resident-reveal-reason"
            />
          </Form.Item>
          {error ? <ErrorAlert error={error} /> : null}
        </Form>
      )}
    </Modal>
  );
}
