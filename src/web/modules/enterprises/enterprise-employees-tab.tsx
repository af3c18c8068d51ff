/**
 * 员工: the workforce at a glance (headcount, by province of origin, hires and
 * leavers over twelve months) and the employee register — current, former or
 * all, searchable, paged by the server — with 办理入职, 离职 and 批量导入 (a
 * CSV or XLSX; the rows refused come back with their row number and reason)
 * for those the server allows (`manageEmployees`).
 */
import { CloudUploadOutlined, DownloadOutlined, UserAddOutlined } from "@ant-design/icons";
import type { ButtonProps, TableColumnsType } from "antd";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Input,
  List,
  Modal,
  Row,
  Segmented,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
  Upload,
} from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { mobileSchema } from "../../../shared/formats/mobile.js";
import { residentIdSchema } from "../../../shared/formats/resident-id.js";
import {
  type Employee,
  type EmployeeSyncResult,
  type EnterpriseDetail,
  hireBody,
  type Workforce,
} from "../../../shared/schemas/enterprises.js";
import { localizeMessage } from "../../i18n/index.js";
import { EChart } from "../../ui/echart.js";
import { ErrorAlert } from "../../ui/error-alert.js";
import { SearchInput } from "../../ui/list-page.js";
import { applyServerErrors } from "../../ui/server-errors.js";
import { useApi } from "../../ui/use-api.js";
import { optionalZodRule, zodRule } from "../../ui/zod-rule.js";
import {
  EMPLOYEE_TEMPLATE_URL,
  getWorkforce,
  hireEmployee,
  importEmployees,
  leaveEmployee,
  listEmployees,
} from "./enterprises-api.js";

const PAGE_SIZE = 10;
type Status = "current" | "left" | "all";

export function EnterpriseEmployeesTab(props: {
  enterprise: EnterpriseDetail;
  onChanged: () => void;
}) {
  const e = props.enterprise;
  const [version, setVersion] = useState(0);
  const changed = () => {
    setVersion((v) => v + 1);
    props.onChanged();
  };
  const workforce = useApi(`enterprise-workforce:${e.id}:${version}`, (signal) =>
    getWorkforce(e.id, signal),
  );
  return (
    <Space orientation="vertical" size={16} style={{ width: "100%" }}>
      <WorkforceCharts data={workforce.data} error={workforce.error} onRetry={workforce.reload} />
      <EmployeesCard enterprise={e} version={version} onChanged={changed} />
    </Space>
  );
}

function WorkforceCharts(props: {
  data: Workforce | undefined;
  error: unknown;
  onRetry: () => void;
}) {
  const { t } = useTranslation();
  const w = props.data;
  const origin = useMemo(() => {
    const top = (w?.byOrigin ?? []).slice(0, 12).reverse();
    return {
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: top.map((o) => o.province) },
      series: [
        {
          type: "bar",
          name: t("enterprises.workforce.headcount"),
          data: top.map((o) => o.count),
          itemStyle: { color: "#1668dc" },
          label: { show: true, position: "right" },
        },
      ],
    };
  }, [w, t]);
  const months = useMemo(
    () => ({
      grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      xAxis: { type: "category", data: (w?.months ?? []).map((m) => m.month.slice(2)) },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        {
          type: "bar",
          name: t("enterprises.workforce.hires"),
          data: (w?.months ?? []).map((m) => m.hires),
          itemStyle: { color: "#52c41a" },
        },
        {
          type: "bar",
          name: t("enterprises.workforce.leavers"),
          data: (w?.months ?? []).map((m) => m.leavers),
          itemStyle: { color: "#fa8c16" },
        },
      ],
    }),
    [w, t],
  );
  if (props.error && !w)
    return (
      <ErrorAlert error={props.error} title={t("errors.loadFailed")} onRetry={props.onRetry} />
    );
  return (
    <Row gutter={[12, 12]}>
      <Col xs={24} lg={10}>
        <Card
          size="small"
          title={t("enterprises.workforce.byOrigin")}
          extra={
            <Statistic
              value={w?.headcount ?? 0}
              suffix={t("enterprises.workforce.headcount")}
              styles={{ content: { fontSize: 16 } }}
              data-testid="workforce-headcount"
            />
          }
        >
          {w && w.byOrigin.length === 0 ? (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={t("enterprises.workforce.noData")}
            />
          ) : (
            <EChart
              option={origin}
              height={Math.max(160, Math.min(12, w?.byOrigin.length ?? 6) * 26)}
              renderer="svg"
              loading={!w}
              ariaLabel={t("enterprises.workforce.byOriginAria")}
              testId="workforce-origin-chart"
            />
          )}
        </Card>
      </Col>
      <Col xs={24} lg={14}>
        <Card size="small" title={t("enterprises.workforce.months")}>
          <EChart
            option={months}
            height={220}
            renderer="svg"
            loading={!w}
            ariaLabel={t("enterprises.workforce.monthsAria")}
            testId="workforce-months-chart"
          />
        </Card>
      </Col>
    </Row>
  );
}

function EmployeesCard(props: {
  enterprise: EnterpriseDetail;
  version: number;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const e = props.enterprise;
  const canEdit = e.allowedActions.includes("manageEmployees");
  const [status, setStatus] = useState<Status>("current");
  const [q, setQ] = useState("");
  const [page, setPage] = useState(1);
  const [hiring, setHiring] = useState(false);
  const [importing, setImporting] = useState(false);
  const [leaving, setLeaving] = useState<Employee | null>(null);
  const request = {
    status,
    q: q || undefined,
    sort: (status === "left" ? "-leftOn" : "-hiredOn") as "-leftOn" | "-hiredOn",
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
  const list = useApi(
    `enterprise-employees:${e.id}:${props.version}:${JSON.stringify(request)}`,
    (signal) => listEmployees(e.id, request, signal),
  );

  const columns: TableColumnsType<Employee> = [
    {
      key: "name",
      title: t("enterprises.staff.name"),
      width: 100,
      fixed: "left",
      render: (_v, r) => r.name,
    },
    {
      key: "idNumber",
      title: t("enterprises.staff.idNumber"),
      width: 180,
      render: (_v, r) => (
        <Typography.Text code style={{ whiteSpace: "nowrap" }}>
          {r.idNumber}
        </Typography.Text>
      ),
    },
    {
      key: "genderAge",
      title: t("enterprises.staff.genderAge"),
      width: 100,
      render: (_v, r) =>
        `${t(`residents.gender.${r.gender}`)} / ${t("residents.ageValue", { age: r.age })}`,
    },
    {
      key: "origin",
      title: t("enterprises.staff.origin"),
      width: 130,
      render: (_v, r) => [r.origin.province, r.origin.city].filter(Boolean).join(" "),
    },
    {
      key: "position",
      title: t("enterprises.staff.position"),
      width: 110,
      render: (_v, r) => r.position ?? "—",
    },
    {
      key: "hiredOn",
      title: t("enterprises.staff.hiredOn"),
      width: 110,
      render: (_v, r) => r.hiredOn ?? t("enterprises.staff.unknownHire"),
    },
    ...(status !== "current"
      ? [
          {
            key: "leftOn",
            title: t("enterprises.staff.leftOn"),
            width: 110,
            render: (_v: unknown, r: Employee) => r.leftOn ?? "—",
          },
        ]
      : []),
    {
      key: "dormitory",
      title: t("enterprises.staff.dormitory"),
      width: 200,
      ellipsis: { showTitle: true },
      render: (_v, r) => r.dormitory?.address ?? "—",
    },
    {
      key: "source",
      title: t("enterprises.staff.source"),
      width: 90,
      render: (_v, r) => (r.source ? <Tag>{t(`enterprises.staff.sources.${r.source}`)}</Tag> : "—"),
    },
    ...(canEdit
      ? [
          {
            key: "actions",
            title: "",
            width: 70,
            render: (_v: unknown, r: Employee) =>
              r.current ? (
                <Button type="link" size="small" onClick={() => setLeaving(r)}>
                  {t("enterprises.staff.leave")}
                </Button>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <Card
      size="small"
      title={t("enterprises.staff.title")}
      data-testid="enterprise-employees"
      extra={
        canEdit ? (
          <Space wrap>
            <Button
              icon={<CloudUploadOutlined />}
              onClick={() => setImporting(true)}
              data-testid="employees-import"
            >
              {t("enterprises.staff.import")}
            </Button>
            <Button
              type="primary"
              icon={<UserAddOutlined />}
              onClick={() => setHiring(true)}
              data-testid="employees-hire"
            >
              {t("enterprises.staff.hire")}
            </Button>
          </Space>
        ) : null
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented<Status>
          value={status}
          onChange={(s) => {
            setStatus(s);
            setPage(1);
          }}
          options={(["current", "left", "all"] as const).map((s) => ({
            value: s,
            label: t(`enterprises.staff.statuses.${s}`),
          }))}
          data-testid="employees-status"
        />
        <SearchInput
          value={q}
          onSearch={(v) => {
            setQ(v);
            setPage(1);
          }}
          placeholder={t("enterprises.staff.search")}
          width={180}
          testId="employees-search"
        />
      </Space>
      {list.error ? (
        <div style={{ marginBottom: 12 }}>
          <ErrorAlert error={list.error} title={t("errors.loadFailed")} onRetry={list.reload} />
        </div>
      ) : null}
      <Table<Employee>
        rowKey={(r) => `${r.residentId}:${r.employmentId ?? ""}`}
        size="small"
        loading={list.loading}
        columns={columns}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 1100 }}
        data-testid="employees-table"
        locale={{
          emptyText: list.error ? (
            " "
          ) : (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={q ? t("enterprises.staff.noMatch") : t("enterprises.staff.empty")}
            />
          ),
        }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          hideOnSinglePage: true,
          onChange: setPage,
          showTotal: (total) => (
            <span data-testid="employees-total">{t("common.total", { count: total })}</span>
          ),
        }}
      />
      <HireModal
        open={hiring}
        enterpriseId={e.id}
        onClose={() => setHiring(false)}
        onDone={(emp) => {
          setHiring(false);
          void message.success(t("enterprises.staff.hiredOk", { name: emp.name }));
          props.onChanged();
        }}
      />
      <LeaveModal
        enterpriseId={e.id}
        employee={leaving}
        onClose={() => setLeaving(null)}
        onDone={() => {
          setLeaving(null);
          void message.success(t("enterprises.staff.leftOk"));
          props.onChanged();
        }}
      />
      <ImportModal
        open={importing}
        enterpriseId={e.id}
        onClose={() => setImporting(false)}
        onImported={props.onChanged}
      />
    </Card>
  );
}

interface HireForm {
  name: string;
  idNumber: string;
  phone?: string;
  hiredOn: string;
  position?: string;
}

const HIRE_FIELDS = ["name", "idNumber", "phone", "hiredOn", "position"];

function HireModal(props: {
  open: boolean;
  enterpriseId: string;
  onClose: () => void;
  onDone: (e: Employee) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<HireForm>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const close = () => {
    form.resetFields();
    setError(null);
    props.onClose();
  };
  const submit = async (v: HireForm) => {
    setSaving(true);
    setError(null);
    try {
      const phone = v.phone?.trim();
      const position = v.position?.trim();
      const emp = await hireEmployee(props.enterpriseId, {
        name: v.name.trim(),
        idNumber: residentIdSchema.parse(v.idNumber),
        ...(phone ? { phone: mobileSchema.parse(phone) } : {}),
        hiredOn: v.hiredOn,
        ...(position ? { position } : {}),
      });
      form.resetFields();
      props.onDone(emp);
    } catch (err) {
      setError(
        applyServerErrors(form, err, (path) => {
          const name = path.replace(/^body\./, "");
          return HIRE_FIELDS.includes(name) ? [name] : null;
        }),
      );
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={props.open}
      title={t("enterprises.staff.hireTitle")}
      okText={t("enterprises.staff.hire")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={close}
      okButtonProps={{ "data-testid": "employee-hire-submit" } as ButtonProps}
      mask={{ closable: false }}
      forceRender
    >
      <Typography.Paragraph type="secondary">
        {t("enterprises.staff.hireHelp")}
      </Typography.Paragraph>
      <Form<HireForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        autoComplete="off"
      >
        <Form.Item
          name="name"
          label={t("enterprises.staff.name")}
          rules={[zodRule(hireBody.shape.name)]}
        >
          <Input maxLength={40} data-testid="employee-name" />
        </Form.Item>
        <Form.Item
          name="idNumber"
          label={t("enterprises.staff.idNumber")}
          rules={[zodRule(residentIdSchema)]}
          hasFeedback
        >
          <Input maxLength={20} spellCheck={false} data-testid="employee-id-number" />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t("enterprises.staff.phone")}
          rules={[optionalZodRule(mobileSchema)]}
        >
          <Input maxLength={20} inputMode="tel" data-testid="employee-phone" />
        </Form.Item>
        <Form.Item
          name="hiredOn"
          label={t("enterprises.staff.hiredOn")}
          rules={[zodRule(hireBody.shape.hiredOn)]}
        >
          <Input type="date" data-testid="employee-hired-on" />
        </Form.Item>
        <Form.Item name="position" label={t("enterprises.staff.position")}>
          <Input maxLength={40} data-testid="employee-position" />
        </Form.Item>
        {error ? <ErrorAlert error={error} /> : null}
      </Form>
    </Modal>
  );
}

function LeaveModal(props: {
  enterpriseId: string;
  employee: Employee | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ leftOn: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const close = () => {
    form.resetFields();
    setError(null);
    props.onClose();
  };
  return (
    <Modal
      open={props.employee !== null}
      title={t("enterprises.staff.leaveTitle", { name: props.employee?.name ?? "" })}
      okText={t("common.confirm")}
      cancelText={t("common.cancel")}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={close}
      okButtonProps={{ "data-testid": "employee-leave-submit" } as ButtonProps}
      mask={{ closable: false }}
      destroyOnHidden
    >
      <Form<{ leftOn: string }>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={async (v) => {
          if (!props.employee) return;
          setSaving(true);
          setError(null);
          try {
            await leaveEmployee(props.enterpriseId, props.employee.residentId, v.leftOn);
            form.resetFields();
            props.onDone();
          } catch (err) {
            setError(
              applyServerErrors(form, err, (p) => (p === "body.leftOn" ? ["leftOn"] : null)),
            );
          } finally {
            setSaving(false);
          }
        }}
      >
        <Form.Item
          name="leftOn"
          label={t("enterprises.staff.leftOn")}
          rules={[zodRule(hireBody.shape.hiredOn)]}
        >
          <Input type="date" data-testid="employee-left-on" />
        </Form.Item>
        {error ? <ErrorAlert error={error} /> : null}
      </Form>
    </Modal>
  );
}

function ImportModal(props: {
  open: boolean;
  enterpriseId: string;
  onClose: () => void;
  onImported: () => void;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<EmployeeSyncResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const close = () => {
    setResult(null);
    setError(null);
    props.onClose();
  };
  return (
    <Modal
      open={props.open}
      title={t("enterprises.staff.importTitle")}
      footer={
        <Button onClick={close} data-testid="employees-import-close">
          {t("common.close")}
        </Button>
      }
      onCancel={close}
      mask={{ closable: !busy }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {t("enterprises.staff.importHelp")}
      </Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <Button icon={<DownloadOutlined />} href={EMPLOYEE_TEMPLATE_URL.xlsx} download>
          {t("enterprises.staff.template")}
        </Button>
        <Button icon={<DownloadOutlined />} href={EMPLOYEE_TEMPLATE_URL.csv} download>
          {t("enterprises.staff.templateCsv")}
        </Button>
      </Space>
      <Upload
        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        showUploadList={false}
        maxCount={1}
        disabled={busy}
        beforeUpload={(file) => {
          setBusy(true);
          setError(null);
          setResult(null);
          importEmployees(props.enterpriseId, file)
            .then((r) => {
              setResult(r);
              props.onImported();
            })
            .catch(setError)
            .finally(() => setBusy(false));
          return false;
        }}
      >
        <Button
          type="primary"
          icon={<CloudUploadOutlined />}
          loading={busy}
          data-testid="employees-import-file"
        >
          {busy ? t("enterprises.staff.importing") : t("enterprises.staff.chooseFile")}
        </Button>
      </Upload>
      {error ? (
        <div style={{ marginTop: 12 }}>
          <ErrorAlert error={error} />
        </div>
      ) : null}
      {result ? (
        <div style={{ marginTop: 12 }} data-testid="employees-import-result">
          <Alert
            type={result.errors.length ? "warning" : "success"}
            showIcon
            title={t("enterprises.staff.importDone", {
              received: result.received,
              hired: result.hired,
              updated: result.updated,
              unchanged: result.unchanged,
              errors: result.errors.length,
            })}
            description={
              result.residentsCreated
                ? t("enterprises.staff.residentsCreated", { count: result.residentsCreated })
                : undefined
            }
          />
          {result.errors.length ? (
            <List
              size="small"
              header={
                <Typography.Text strong>{t("enterprises.staff.errorsTitle")}</Typography.Text>
              }
              dataSource={result.errors.slice(0, 200)}
              data-testid="employees-import-errors"
              renderItem={(err) => (
                <List.Item data-row={err.row}>
                  <Space align="start">
                    <Tag color="red">{t("enterprises.staff.errorRow", { row: err.row })}</Tag>
                    <span>{localizeMessage(err.reason)}</span>
                  </Space>
                </List.Item>
              )}
            />
          ) : null}
        </div>
      ) : null}
    </Modal>
  );
}
