// Chinese and English: the browser's language first, then what the user picked (kept in localStorage). Each
// screen registers its own texts (`registerTexts`) when its code loads, so a lazy screen brings its words with it.
import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import { common } from './common';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

type Texts = { [key: string]: string | Texts };

/** Adds a screen's texts under its namespace: `registerTexts('leads', { en: {...}, zh: {...} })`. */
export function registerTexts<T extends Texts>(ns: string, texts: { en: T; zh: { [K in keyof T]: T[K] } }): string {
  if (!i18n.hasResourceBundle('en', ns)) {
    i18n.addResourceBundle('en', ns, texts.en);
    i18n.addResourceBundle('zh-CN', ns, texts.zh);
  }
  return ns;
}

void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    supportedLngs: [...LANGUAGES],
    fallbackLng: 'en',
    load: 'currentOnly',
    ns: ['common'],
    defaultNS: 'common',
    resources: { en: { common: common.en }, 'zh-CN': { common: common.zh } },
    detection: { order: ['localStorage', 'navigator'], lookupLocalStorage: 'crm.language', caches: ['localStorage'] },
    interpolation: { escapeValue: false },
    returnNull: false,
  });

/** The language in use, as one of ours (a `zh-TW` browser reads zh-CN, anything else English). */
export function currentLanguage(): Language {
  return i18n.resolvedLanguage?.startsWith('zh') ? 'zh-CN' : 'en';
}

export { i18n };
