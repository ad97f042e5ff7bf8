import type { ReactNode } from 'react';
import { Button, Card, Empty, Flex, List, Tag, Typography } from 'antd';
import { useInfiniteQuery } from '@tanstack/react-query';
import { unwrap } from '@crm/api-client';
import { useTranslation } from 'react-i18next';
import { useCrm } from '../../api/crm';
import { useRepNames } from '../../api/reps';
import { QueryState } from '../../ui/states';
import { useFormat } from '../../ui/useFormat';
import { changeLines, EMPTY, newestFirst, type AuditEntry, type AuditService } from './history';
import { PRIVACY_NS } from './texts';

export interface HistoryTarget {
  /** Whose trail: the service that owns the record. */
  service: AuditService;
  recordType: string;
  recordId: string;
}

/** The query key of a record's trail, for the screens that change the record to refresh it. */
export const historyKey = (target: HistoryTarget) => ['audit', target.service, target.recordType, target.recordId];

/** Every page of one record's audit trail, newest first (a rep must name the record, which this always does). */
function useHistory(target: HistoryTarget) {
  const crm = useCrm();
  return useInfiniteQuery({
    queryKey: historyKey(target),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => {
      const query = { recordType: target.recordType, recordId: target.recordId, limit: 50, cursor: pageParam };
      return unwrap(
        target.service === 'leads' ? crm.GET('/api/v1/audit/leads', { params: { query } }) : crm.GET('/api/v1/audit/customers', { params: { query } }),
      );
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/**
 * "History": who changed the record, when (in the user's time zone), how, and each changed field as old → new.
 * Personal values come as the API gives them to this user: in clear, masked, or "[erased]".
 */
export function HistoryPanel({ target, title, bare = false }: { target: HistoryTarget; title?: ReactNode; bare?: boolean }) {
  const { t, i18n } = useTranslation(PRIVACY_NS);
  const fmt = useFormat();
  const repName = useRepNames();
  const history = useHistory(target);
  const who = (actor: string) => (actor === 'system' ? t('history.system') : repName(actor));
  const label = (group: 'action' | 'field', key: string) => (i18n.exists(`${group}.${key}`, { ns: PRIVACY_NS }) ? t(`${group}.${key}`) : key);
  const shown = (field: string, value: string) => (field === 'ownerRepId' && value !== EMPTY ? repName(value) : value);

  const list = (
    <QueryState query={history}>
      {(data) => {
        const entries = newestFirst(data.pages.flatMap((p) => p.items));
        if (!entries.length) return <Empty description={t('history.empty')} />;
        return (
          <Flex vertical gap={8}>
            <List
              size="small"
              data-testid="history"
              dataSource={entries}
              renderItem={(entry: AuditEntry) => (
                <List.Item data-testid="history-entry" data-id={entry.id} data-action={entry.action}>
                  <Flex vertical gap={4} style={{ width: '100%' }}>
                    <Flex gap={8} wrap align="baseline">
                      <Tag data-testid="history-action">{label('action', entry.action)}</Tag>
                      <Typography.Text data-testid="history-at">{fmt.dateTime(entry.at)}</Typography.Text>
                      <Typography.Text type="secondary" data-testid="history-actor">
                        {t('history.by', { who: who(entry.actor) })}
                      </Typography.Text>
                    </Flex>
                    <Changes entry={entry} label={(f) => label('field', f)} shown={shown} />
                  </Flex>
                </List.Item>
              )}
            />
            {history.hasNextPage ? (
              <Button onClick={() => void history.fetchNextPage()} loading={history.isFetchingNextPage}>
                {t('history.more')}
              </Button>
            ) : null}
          </Flex>
        );
      }}
    </QueryState>
  );
  if (bare) return list;
  return (
    <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{title ?? t('history.title')}</h2>} data-testid="history-panel">
      {list}
    </Card>
  );
}

function Changes({ entry, label, shown }: { entry: AuditEntry; label: (field: string) => string; shown: (field: string, value: string) => string }) {
  const { t } = useTranslation(PRIVACY_NS);
  const lines = changeLines(entry.changes);
  if (!lines.length) return null;
  return (
    <ul style={{ margin: 0, paddingInlineStart: 18 }} aria-label={t('history.change')}>
      {lines.map((c) => (
        <li key={c.field} data-testid="history-change" data-field={c.field}>
          <Typography.Text strong>{label(c.field)}</Typography.Text>
          {': '}
          <span data-testid="history-old">{shown(c.field, c.old)}</span>
          {' → '}
          <span data-testid="history-new">{shown(c.field, c.new)}</span>
        </li>
      ))}
    </ul>
  );
}
