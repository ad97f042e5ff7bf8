import { useState } from 'react';
import { Button, Card, Empty, Flex, Select, Tag, Timeline, Typography } from 'antd';
import { useInfiniteQuery } from '@tanstack/react-query';
import { unwrap } from '@crm/api-client';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCrm } from '../../api/crm';
import { QueryState } from '../../ui/states';
import { useFormat } from '../../ui/useFormat';
import { useRepNames } from '../../api/reps';
import { CUSTOMERS_NS } from './texts';
import { amountOf, consoleLinkOf, noteOf, type TimelineEntry } from './timeline';

const RECORD_KINDS: TimelineEntry['recordKind'][] = ['lead', 'opportunity', 'order', 'receivable', 'account', 'contact'];
const COLORS: Record<TimelineEntry['recordKind'], string> = {
  lead: 'gray',
  opportunity: 'blue',
  order: 'purple',
  receivable: 'green',
  account: 'cyan',
  contact: 'cyan',
};

/** The account's events (leads, deals, orders, payments, feedback), newest first, a page at a time. */
export function AccountTimeline({ accountId }: { accountId: string }) {
  const { t, i18n } = useTranslation(CUSTOMERS_NS);
  const crm = useCrm();
  const fmt = useFormat();
  const repName = useRepNames();
  const [kinds, setKinds] = useState<TimelineEntry['recordKind'][]>([]);
  const timeline = useInfiniteQuery({
    queryKey: ['accounts', 'timeline', accountId, kinds],
    queryFn: ({ pageParam }) =>
      unwrap(
        crm.GET('/api/v1/accounts/{id}/timeline', {
          params: { path: { id: accountId }, query: { limit: 50, cursor: pageParam, ...(kinds.length ? { recordKind: kinds } : {}) } },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const label = (kind: string) => (i18n.exists(`kinds.${kind}`, { ns: CUSTOMERS_NS }) ? t(`kinds.${kind}`) : kind);

  return (
    <Card
      title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('account.timeline')}</h2>}
      extra={
        <Select
          mode="multiple"
          aria-label={t('account.kind')}
          placeholder={t('account.allKinds')}
          value={kinds}
          onChange={setKinds}
          options={RECORD_KINDS.map((k) => ({ value: k, label: t(`recordKind.${k}`) }))}
          style={{ minWidth: 200 }}
          maxTagCount="responsive"
        />
      }
    >
      <QueryState query={timeline}>
        {(data) => {
          const entries = data.pages.flatMap((p) => p.items);
          if (!entries.length) return <Empty description={t('account.noTimeline')} />;
          return (
            <Flex vertical gap={8}>
              <Timeline
                data-testid="account-timeline"
                items={entries.map((e) => {
                  const link = consoleLinkOf(e);
                  const amount = amountOf(e);
                  const note = noteOf(e);
                  return {
                    key: e.id,
                    color: COLORS[e.recordKind],
                    content: (
                      <div data-testid="timeline-entry" data-kind={e.kind} data-id={e.id}>
                        <Flex gap={8} wrap align="baseline">
                          <strong>{label(e.kind)}</strong>
                          {amount && <span data-testid="timeline-amount">{fmt.money(amount.amount, amount.currency)}</span>}
                          <Tag>{t(`recordKind.${e.recordKind}`)}</Tag>
                          {link && <Link to={link}>{t('account.open', { record: t(`record.${e.recordKind}`) })}</Link>}
                        </Flex>
                        <Typography.Text type="secondary">
                          <time dateTime={e.at} data-testid="timeline-at">
                            {fmt.dateTime(e.at)}
                          </time>
                          {e.repId ? ` · ${repName(e.repId)}` : ''}
                        </Typography.Text>
                        {note && <div>{note}</div>}
                      </div>
                    ),
                  };
                })}
              />
              {timeline.hasNextPage && (
                <Flex justify="center">
                  <Button onClick={() => void timeline.fetchNextPage()} loading={timeline.isFetchingNextPage} data-testid="timeline-more">
                    {t('action.more', { ns: 'common' })}
                  </Button>
                </Flex>
              )}
            </Flex>
          );
        }}
      </QueryState>
    </Card>
  );
}
