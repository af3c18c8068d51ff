/**
 * i18next set-up: Chinese first, English on request. The choice is kept in
 * localStorage and mirrored on <html lang>. Server messages arrive bilingual
 * ("中文 / English"); localizeMessage picks the half for the current language.
 */
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import { z } from "zod";
import { en as zodEn, zhCN as zodZhCN } from "zod/locales";
import enUS from "./en-US.js";
import zhCN, { type Messages } from "./zh-CN.js";

export const LANGUAGES = ["zh-CN", "en-US"] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "zh-CN";
const STORAGE_KEY = "gongzhi.lang";

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: Messages };
    // One namespace; keys such as "tokens.scopeLabels.areas:read" contain colons.
    nsSeparator: false;
  }
}

function isLanguage(v: unknown): v is Language {
  return typeof v === "string" && (LANGUAGES as readonly string[]).includes(v);
}

function storedLanguage(): Language {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(v) ? v : DEFAULT_LANGUAGE;
  } catch {
    // Storage can be blocked (private mode, sandboxed frames): fall back.
    return DEFAULT_LANGUAGE;
  }
}

/** Zod's own messages (for checks the shared schemas leave unworded) follow the UI. */
function applyZodLocale(lang: Language): void {
  z.config(lang === "zh-CN" ? zodZhCN() : zodEn());
}

const initial = storedLanguage();
document.documentElement.lang = initial;
applyZodLocale(initial);

void i18n.use(initReactI18next).init({
  resources: { "zh-CN": { translation: zhCN }, "en-US": { translation: enUS } },
  lng: initial,
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...LANGUAGES],
  nsSeparator: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function currentLanguage(): Language {
  return isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : DEFAULT_LANGUAGE;
}

export async function setLanguage(lang: Language): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not persisted; the switch still applies to this page.
  }
  document.documentElement.lang = lang;
  applyZodLocale(lang);
  await i18n.changeLanguage(lang);
}

/**
 * The server and the shared zod schemas write messages as "中文 / English".
 * Show only the half that matches the UI language; other text passes through.
 */
export function localizeMessage(message: string, lang: Language = currentLanguage()): string {
  const at = message.indexOf(" / ");
  if (at < 0) return message;
  const zh = message.slice(0, at).trim();
  const en = message.slice(at + 3).trim();
  return lang === "zh-CN" ? zh : en;
}

export default i18n;
