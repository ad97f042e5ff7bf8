import type { ReactNode } from 'react';
import { Alert, Button, Empty, Flex, Spin } from 'antd';
import type { UseQueryResult } from '@tanstack/react-query';
import { ApiProblem } from '@crm/api-client';
import { useTranslation } from 'react-i18next';
import { problemText } from '../api/problem';

/** A problem as the user reads it: the title, the detail, each field error, and the correlation id for support. */
export function ProblemAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const problem = error instanceof ApiProblem ? error : null;
  const title = problem?.status === 403 ? t('state.forbidden') : problem && problem.status >= 502 ? t('state.offline') : (problem?.title ?? t('state.error'));
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={title}
      description={
        <>
          <div>{problemText(error)}</div>
          {problem?.errors.length ? (
            <ul>
              {problem.errors.map((e) => (
                <li key={`${e.field}:${e.message}`}>
                  <code>{e.field}</code>: {e.message}
                </li>
              ))}
            </ul>
          ) : null}
          {problem?.correlationId ? <small>ID: {problem.correlationId}</small> : null}
        </>
      }
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('state.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}

/**
 * Loading, error and empty states around what a query answered: `<QueryState query={q} empty={(d) => !d.items.length}>{(d) => …}</QueryState>`.
 */
export function QueryState<T>({
  query,
  empty,
  emptyText,
  children,
}: {
  query: UseQueryResult<T>;
  empty?: (data: T) => boolean;
  emptyText?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const { t } = useTranslation();
  if (query.isPending) {
    return (
      <Flex justify="center" style={{ padding: 32 }} role="status" aria-live="polite">
        <Spin aria-label={t('state.loading')} />
      </Flex>
    );
  }
  if (query.isError) return <ProblemAlert error={query.error} onRetry={() => void query.refetch()} />;
  if (empty?.(query.data)) return <Empty description={emptyText ?? t('state.empty')} />;
  return <>{children(query.data)}</>;
}
