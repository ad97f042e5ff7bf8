import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage, type Language } from '../i18n';
import { TIME_ZONES, type TimeZoneChoice } from '../ui/format';

interface Preferences {
  language: Language;
  /** The locale Intl formats with: zh-CN or en-GB (day-month order, 24-hour clock: what business users expect). */
  locale: string;
  timeZone: TimeZoneChoice;
  setLanguage(language: Language): void;
  setTimeZone(zone: TimeZoneChoice): void;
}

const PreferencesContext = createContext<Preferences | null>(null);
const ZONE_KEY = 'crm.timeZone';

function storedZone(): TimeZoneChoice {
  const stored = localStorage.getItem(ZONE_KEY);
  if (TIME_ZONES.includes(stored as TimeZoneChoice)) return stored as TimeZoneChoice;
  // A Chinese-speaking user reads Beijing time by default; others their device's zone.
  return currentLanguage() === 'zh-CN' ? 'Asia/Shanghai' : 'local';
}

export function PreferencesProvider({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const [timeZone, setZone] = useState<TimeZoneChoice>(storedZone);
  const language: Language = i18n.resolvedLanguage?.startsWith('zh') ? 'zh-CN' : 'en';
  const setLanguage = useCallback((lng: Language) => void i18n.changeLanguage(lng), [i18n]);
  const setTimeZone = useCallback((zone: TimeZoneChoice) => {
    localStorage.setItem(ZONE_KEY, zone);
    setZone(zone);
  }, []);
  const value = useMemo(
    () => ({ language, locale: language === 'zh-CN' ? 'zh-CN' : 'en-GB', timeZone, setLanguage, setTimeZone }),
    [language, timeZone, setLanguage, setTimeZone],
  );
  return <PreferencesContext.Provider value={value}>{children}</PreferencesContext.Provider>;
}

export function usePreferences(): Preferences {
  const value = useContext(PreferencesContext);
  if (!value) throw new Error('usePreferences outside PreferencesProvider');
  return value;
}
