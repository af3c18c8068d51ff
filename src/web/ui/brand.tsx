/** The product mark: a blue tile with 共 and the name beside it. */
import { useTranslation } from "react-i18next";

export function Brand(props: { compact?: boolean; dark?: boolean }) {
  const { t } = useTranslation();
  return (
    <div style={{ display: "flex", alignItems: "center", gap: 10, minWidth: 0, lineHeight: 1 }}>
      <div
        aria-hidden
        style={{
          width: 32,
          height: 32,
          flex: "none",
          borderRadius: 8,
          background: "linear-gradient(135deg, #1668dc, #13a8a8)",
          color: "#fff",
          display: "grid",
          placeItems: "center",
          fontWeight: 700,
          fontSize: 18,
        }}
      >
        共
      </div>
      {props.compact ? null : (
        <span
          data-testid="brand-name"
          style={{
            fontWeight: 700,
            fontSize: 18,
            color: props.dark ? "#fff" : "inherit",
            whiteSpace: "nowrap",
          }}
        >
          {t("app.name")}
        </span>
      )}
    </div>
  );
}
