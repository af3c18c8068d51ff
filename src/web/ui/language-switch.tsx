/** Switches the UI between Chinese and English; the choice is remembered. */
import { GlobalOutlined } from "@ant-design/icons";
import { Button, Dropdown } from "antd";
import { useTranslation } from "react-i18next";
import { currentLanguage, LANGUAGES, type Language, setLanguage } from "../i18n/index.js";

export function LanguageSwitch(props: { compact?: boolean }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  return (
    <Dropdown
      trigger={["click"]}
      menu={{
        selectable: true,
        selectedKeys: [lang],
        items: LANGUAGES.map((l) => ({ key: l, label: t(`lang.${l}`), lang: l })),
        onClick: ({ key }) => void setLanguage(key as Language),
      }}
    >
      <Button
        type="text"
        icon={<GlobalOutlined />}
        aria-label={t("lang.label")}
        data-testid="lang-switch"
      >
        {props.compact ? null : t(`lang.${lang}`)}
      </Button>
    </Dropdown>
  );
}
