/**
 * 使用我的位置: asks the browser for the position (WGS84, as the API stores
 * points) and says in Chinese what went wrong — unsupported, refused, timed
 * out — suggesting to pick the place on the map instead.
 */
import { AimOutlined } from "@ant-design/icons";
import { Alert, Button } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

export function GeolocateButton(props: {
  /** longitude, latitude */
  onFound: (p: [number, number]) => void;
  testId: string;
  /** the test id of the problem's alert */
  problemTestId?: string;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const locate = () => {
    if (!("geolocation" in navigator)) {
      setProblem(t("report.geoUnsupported"));
      return;
    }
    setBusy(true);
    setProblem(null);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setBusy(false);
        props.onFound([pos.coords.longitude, pos.coords.latitude]);
      },
      (err) => {
        setBusy(false);
        setProblem(
          err.code === err.PERMISSION_DENIED
            ? t("report.geoDenied")
            : err.code === err.TIMEOUT
              ? t("report.geoTimeout")
              : t("report.geoUnavailable"),
        );
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };
  return (
    <div style={{ marginBottom: 8 }}>
      <Button icon={<AimOutlined />} loading={busy} onClick={locate} data-testid={props.testId}>
        {t("report.useMyLocation")}
      </Button>
      {problem ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 8 }}
          title={problem}
          data-testid={props.problemTestId}
        />
      ) : null}
    </div>
  );
}
