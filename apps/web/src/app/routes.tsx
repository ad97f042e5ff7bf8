import { lazy, Suspense } from 'react';
import { Flex, Result, Spin } from 'antd';
import { Navigate, Route, Routes } from 'react-router';
import { useTranslation } from 'react-i18next';
import { isManager } from '../auth/roles';
import { useSession, useUser } from '../auth/session';

// One chunk per screen: the first page loads the shell and what it shows, nothing else (the charts' library
// comes only with the dashboard).
const HomePage = lazy(() => import('../features/home/HomePage'));
const LeadsPage = lazy(() => import('../features/leads/LeadsPage'));
const LeadPage = lazy(() => import('../features/leads/LeadPage'));
const PipelinePage = lazy(() => import('../features/pipeline/PipelinePage'));
const OpportunityPage = lazy(() => import('../features/pipeline/OpportunityPage'));
const OrdersPage = lazy(() => import('../features/orders/OrdersPage'));
const OrderPage = lazy(() => import('../features/orders/OrderPage'));
const CustomersPage = lazy(() => import('../features/customers/CustomersPage'));
const AccountPage = lazy(() => import('../features/customers/AccountPage'));
const DashboardPage = lazy(() => import('../features/dashboard/DashboardPage'));

function NotFound() {
  const { t } = useTranslation();
  return <Result status="404" title="404" subTitle={t('state.notFound')} />;
}

/** Back from the identity provider: to where the user was when they signed in. */
function SignedInCallback() {
  const { returnTo } = useSession();
  return <Navigate to={returnTo ?? '/'} replace />;
}

function ManagersOnly({ children }: { children: React.ReactNode }) {
  const user = useUser();
  const { t } = useTranslation();
  return isManager(user) ? <>{children}</> : <Result status="403" title="403" subTitle={t('state.forbidden')} />;
}

export function AppRoutes() {
  const { t } = useTranslation();
  return (
    <Suspense
      fallback={
        <Flex justify="center" style={{ padding: 48 }} role="status">
          <Spin aria-label={t('state.loading')} />
        </Flex>
      }
    >
      <Routes>
        <Route path="/" element={<HomePage />} />
        <Route path="/leads" element={<LeadsPage />} />
        <Route path="/leads/:id" element={<LeadPage />} />
        <Route path="/pipeline" element={<PipelinePage />} />
        <Route path="/opportunities/:id" element={<OpportunityPage />} />
        <Route path="/orders" element={<OrdersPage />} />
        <Route path="/orders/:id" element={<OrderPage />} />
        <Route path="/customers" element={<CustomersPage />} />
        <Route path="/customers/:id" element={<AccountPage />} />
        <Route
          path="/dashboard"
          element={
            <ManagersOnly>
              <DashboardPage />
            </ManagersOnly>
          }
        />
        <Route path="/auth/callback" element={<SignedInCallback />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Suspense>
  );
}
