import { useEffect } from 'react';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { BrowserRouter } from 'react-router';
import { CrmProvider } from '../api/crm';
import { SessionProvider, useSession } from '../auth/session';
import { SignInPage } from '../auth/SignInPage';
import { ErrorBoundary } from './ErrorBoundary';
import { PreferencesProvider, usePreferences } from './preferences';
import { AppRoutes } from './routes';
import { Shell } from './Shell';

// antd's defaults, darkened where their contrast falls short of WCAG AA (4.5:1 on white): the primary colour
// under white text, the error red of danger buttons and messages (3.3:1 → 5.6:1), and the secondary, tertiary
// and placeholder greys.
const THEME = {
  token: {
    colorPrimary: '#1460d1',
    colorLink: '#1460d1',
    colorLinkHover: '#0f4fae',
    colorPrimaryHover: '#0f4fae',
    colorError: '#cf1322',
    colorErrorHover: '#a8071a',
    colorTextSecondary: '#595959',
    colorTextTertiary: '#666666',
    colorTextDescription: '#595959',
    colorTextPlaceholder: '#707070',
    colorTextDisabled: '#6e6e6e',
  },
};

function Themed({ children }: { children: React.ReactNode }) {
  const { language } = usePreferences();
  useEffect(() => {
    document.documentElement.lang = language;
    dayjs.locale(language === 'zh-CN' ? 'zh-cn' : 'en');
  }, [language]);
  return (
    <ConfigProvider locale={language === 'zh-CN' ? zhCN : enUS} theme={THEME}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

function Signed() {
  const { status } = useSession();
  if (status !== 'signed-in') return <SignInPage />;
  return (
    <CrmProvider>
      <Shell>
        <AppRoutes />
      </Shell>
    </CrmProvider>
  );
}

export function App() {
  return (
    <PreferencesProvider>
      <Themed>
        <ErrorBoundary>
          <BrowserRouter>
            <SessionProvider>
              <Signed />
            </SessionProvider>
          </BrowserRouter>
        </ErrorBoundary>
      </Themed>
    </PreferencesProvider>
  );
}
