import { Flex, Input, Select, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useInfiniteQuery } from '@tanstack/react-query';
import { unwrap, type components } from '@crm/api-client';
import { Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useCrm } from '../../api/crm';
import { QueryState } from '../../ui/states';
import { useFormat } from '../../ui/useFormat';
import { useRepNames, useReps } from '../../api/reps';
import { CUSTOMERS_NS } from './texts';

type Account = components['schemas']['AccountView'];

/** The accounts, searched and filtered; the filters live in the URL. */
export default function CustomersPage() {
  const { t } = useTranslation(CUSTOMERS_NS);
  const crm = useCrm();
  const fmt = useFormat();
  const repName = useRepNames();
  const reps = useReps();
  const [search, setSearch] = useSearchParams();
  const q = search.get('q') ?? '';
  const ownerId = search.get('ownerId') ?? undefined;
  const region = search.get('region') ?? '';
  const [qDraft, setQDraft] = useState(q);
  const [regionDraft, setRegionDraft] = useState(region);
  const set = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(search);
    if (value) next.set(name, value);
    else next.delete(name);
    setSearch(next, { replace: true });
  };
  const query = {
    ...(q.length >= 2 ? { q } : {}),
    ...(ownerId ? { ownerId } : {}),
    ...(region ? { region } : {}),
  };
  const accounts = useInfiniteQuery({
    queryKey: ['accounts', 'list', query],
    queryFn: ({ pageParam }) => unwrap(crm.GET('/api/v1/accounts', { params: { query: { ...query, limit: 50, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  const columns: ColumnsType<Account> = [
    {
      title: t('col.name'),
      dataIndex: 'name',
      render: (name: string, a) => (
        <Link to={`/customers/${a.id}`} data-testid="account-link">
          {name}
        </Link>
      ),
    },
    { title: t('col.domains'), dataIndex: 'domains', responsive: ['lg'], render: (d: string[]) => d.join(', ') || '–' },
    { title: t('col.industry'), dataIndex: 'industry', responsive: ['md'], render: (v: string | null) => v ?? '–' },
    { title: t('col.region'), dataIndex: 'region', render: (v: string | null) => v ?? '–' },
    { title: t('col.owner'), dataIndex: 'ownerRepId', render: (id: string | null) => repName(id) },
    { title: t('col.team'), dataIndex: 'team', responsive: ['md'], render: (v: string | null) => v ?? '–' },
    { title: t('col.created'), dataIndex: 'createdAt', responsive: ['lg'], render: (d: string) => fmt.date(d) },
  ];

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
        {t('title')}
      </Typography.Title>
      <search>
        <Flex wrap gap={8}>
          <Input.Search
            aria-label={t('q')}
            placeholder={t('qHint')}
            value={qDraft}
            onChange={(e) => setQDraft(e.target.value)}
            onSearch={(v) => set('q', v.trim().length >= 2 ? v.trim() : undefined)}
            allowClear
            style={{ width: 280 }}
            data-testid="accounts-q"
          />
          <Select
            aria-label={t('owner')}
            placeholder={t('anyOwner')}
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            value={ownerId}
            onChange={(v) => set('ownerId', v)}
            options={(reps.data?.items ?? []).map((r) => ({ value: r.id, label: r.name }))}
            style={{ width: 200 }}
          />
          <Input
            aria-label={t('region')}
            placeholder={t('region')}
            value={regionDraft}
            onChange={(e) => setRegionDraft(e.target.value)}
            onPressEnter={() => set('region', regionDraft.trim() || undefined)}
            onBlur={() => regionDraft.trim() !== region && set('region', regionDraft.trim() || undefined)}
            style={{ width: 160 }}
          />
        </Flex>
      </search>
      <QueryState query={accounts}>
        {(data) => (
          <>
            <Table<Account>
              rowKey="id"
              columns={columns}
              dataSource={data.pages.flatMap((p) => p.items)}
              pagination={false}
              size="middle"
              data-testid="accounts-table"
            />
            {accounts.hasNextPage && (
              <Flex justify="center">
                <Button onClick={() => void accounts.fetchNextPage()} loading={accounts.isFetchingNextPage}>
                  {t('action.more', { ns: 'common' })}
                </Button>
              </Flex>
            )}
          </>
        )}
      </QueryState>
    </Flex>
  );
}
