import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { QueryCache, QueryClient, QueryClientProvider, MutationCache } from '@tanstack/react-query';
import { ApiProblem, createCrmClient, type CrmClient } from '@crm/api-client';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session';

const CrmContext = createContext<CrmClient | null>(null);

/**
 * The typed client on the page's own origin (the gateway serves both), with the session's token, and the query
 * cache. A 401 means the token ended: the session signs out and says so. Other problems stay with the screen
 * that asked, which shows them where they belong.
 */
export function CrmProvider({ children }: { children: ReactNode }) {
  const session = useSession();
  const { t, i18n } = useTranslation();
  const value = useMemo(() => {
    const onProblem = (error: unknown) => {
      if (error instanceof ApiProblem && error.status === 401) session.signOut(t('signIn.expired'));
    };
    const client = createCrmClient({
      baseUrl: window.location.origin,
      getToken: session.getToken,
      headers: { 'Accept-Language': i18n.resolvedLanguage ?? 'en' },
    });
    const queries = new QueryClient({
      queryCache: new QueryCache({ onError: onProblem }),
      mutationCache: new MutationCache({ onError: onProblem }),
      defaultOptions: {
        queries: {
          staleTime: 15_000,
          // A problem the user can act on (4xx) is not asked again; an unavailable service is, twice.
          retry: (count, error) => !(error instanceof ApiProblem && error.status < 500) && count < 2,
        },
      },
    });
    return { client, queries };
  }, [session, t, i18n.resolvedLanguage]);
  return (
    <CrmContext.Provider value={value.client}>
      <QueryClientProvider client={value.queries}>{children}</QueryClientProvider>
    </CrmContext.Provider>
  );
}

/** The API client for this user: `const crm = useCrm(); unwrap(crm.GET('/api/v1/leads', …))`. */
export function useCrm(): CrmClient {
  const client = useContext(CrmContext);
  if (!client) throw new Error('useCrm outside CrmProvider');
  return client;
}
