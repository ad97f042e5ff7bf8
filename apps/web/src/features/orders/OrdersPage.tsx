import { useMemo, useState } from 'react';
import { DownloadOutlined } from '@ant-design/icons';
import { App as AntApp, Button, DatePicker, Flex, Input, Select, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useInfiniteQuery } from '@tanstack/react-query';
import { unwrap, type components } from '@crm/api-client';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useCrm } from '../../api/crm';
import { isManager } from '../../auth/roles';
import { useUser } from '../../auth/session';
import { problemText } from '../../api/problem';
import { QueryState } from '../../ui/states';
import { useFormat } from '../../ui/useFormat';
import { apiQuery, filtersFromSearch, ORDER_SORTS, ORDER_STATUSES, searchFromFilters, type OrderFilters } from './filters';
import { useRepNames, useReps } from '../../api/reps';
import { shortId, StatusTag } from './shared';
import { ORDERS_NS } from './texts';

type Order = components['schemas']['OrderView'];

export default function OrdersPage() {
  const { t } = useTranslation(ORDERS_NS);
  const crm = useCrm();
  const user = useUser();
  const fmt = useFormat();
  const repName = useRepNames();
  const { message } = AntApp.useApp();
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(search), [search]);
  const [qDraft, setQDraft] = useState(filters.q ?? '');
  const [customerDraft, setCustomerDraft] = useState(filters.customer ?? '');
  const [exporting, setExporting] = useState(false);
  const manager = isManager(user);

  const update = (patch: Partial<OrderFilters>) => setSearch(searchFromFilters({ ...filters, ...patch }), { replace: true });

  const query = useInfiniteQuery({
    queryKey: ['orders', 'list', apiQuery(filters)],
    queryFn: ({ pageParam }) => unwrap(crm.GET('/api/v1/orders', { params: { query: { ...apiQuery(filters), limit: 50, cursor: pageParam } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  const reps = useReps();

  // The same filters, answered as CSV by the API, saved as a file.
  const exportCsv = async () => {
    setExporting(true);
    try {
      const blob = await unwrap(
        crm.GET('/api/v1/orders', { params: { query: { ...apiQuery(filters), limit: 200 } }, headers: { Accept: 'text/csv' }, parseAs: 'blob' }),
      );
      const url = URL.createObjectURL(blob as unknown as Blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `orders-${dayjs().format('YYYYMMDD-HHmm')}.csv`;
      a.click();
      URL.revokeObjectURL(url);
      void message.success(t('exported'));
    } catch (error) {
      void message.error(problemText(error));
    } finally {
      setExporting(false);
    }
  };

  const columns: ColumnsType<Order> = [
    {
      title: t('col.id'),
      dataIndex: 'id',
      render: (id: string) => (
        <Link to={`/orders/${id}`} data-testid="order-link">
          <code>{shortId(id)}</code>
        </Link>
      ),
    },
    {
      title: t('col.customer'),
      key: 'customer',
      render: (_, o) => (
        <span data-testid="order-customer">
          {o.customer.company ?? o.customer.name}
          {o.customer.company && o.customer.name ? <Typography.Text type="secondary"> · {o.customer.name}</Typography.Text> : null}
        </span>
      ),
    },
    { title: t('col.status'), dataIndex: 'status', render: (s: Order['status']) => <StatusTag status={s} /> },
    {
      title: t('col.total'),
      key: 'total',
      align: 'right',
      render: (_, o) => <span data-testid="order-total">{fmt.money(o.total, o.currency)}</span>,
    },
    { title: t('col.payment'), dataIndex: 'paymentStatus', responsive: ['lg'], render: (p: Order['paymentStatus']) => t(`payment.${p}`) },
    { title: t('col.promised'), dataIndex: 'promisedDeliveryDate', render: (d: string | null) => fmt.date(d) },
    ...(manager ? [{ title: t('col.rep'), dataIndex: 'repId', responsive: ['md' as const], render: (id: string) => repName(id) }] : []),
    { title: t('col.created'), dataIndex: 'createdAt', responsive: ['lg'], render: (d: string) => fmt.dateTime(d) },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
          {t('title')}
        </Typography.Title>
        <Button icon={<DownloadOutlined />} onClick={() => void exportCsv()} loading={exporting} data-testid="orders-export">
          {t('action.export', { ns: 'common' })}
        </Button>
      </Flex>
      <search>
        <Flex wrap gap={8} align="center">
          <Input.Search
            aria-label={t('filters.q')}
            placeholder={t('filters.qHint')}
            title={t('filters.qHint')}
            value={qDraft}
            onChange={(e) => setQDraft(e.target.value)}
            onSearch={(v) => update({ q: v.trim().length >= 2 ? v.trim() : undefined })}
            allowClear
            style={{ width: 300 }}
            data-testid="orders-q"
          />
          <Select
            aria-label={t('filters.status')}
            placeholder={t('filters.anyStatus')}
            allowClear
            value={filters.status}
            onChange={(status) => update({ status })}
            options={ORDER_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
            style={{ width: 160 }}
            data-testid="orders-status"
          />
          {manager && (
            <Select
              aria-label={t('filters.rep')}
              placeholder={t('filters.anyRep')}
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              value={filters.repId}
              onChange={(repId) => update({ repId })}
              options={(reps.data?.items ?? []).map((r) => ({ value: r.id, label: r.name }))}
              style={{ width: 180 }}
            />
          )}
          <Input
            aria-label={t('filters.customer')}
            placeholder={t('filters.customer')}
            value={customerDraft}
            onChange={(e) => setCustomerDraft(e.target.value)}
            onPressEnter={() => update({ customer: customerDraft.trim() || undefined })}
            onBlur={() => customerDraft.trim() !== (filters.customer ?? '') && update({ customer: customerDraft.trim() || undefined })}
            style={{ width: 180 }}
          />
          <DatePicker
            aria-label={t('filters.from')}
            placeholder={t('filters.from')}
            value={filters.from ? dayjs(filters.from) : null}
            onChange={(d) => update({ from: d ? d.format('YYYY-MM-DD') : undefined })}
          />
          <DatePicker
            aria-label={t('filters.to')}
            placeholder={t('filters.to')}
            value={filters.to ? dayjs(filters.to) : null}
            onChange={(d) => update({ to: d ? d.format('YYYY-MM-DD') : undefined })}
          />
          <Select
            aria-label={t('filters.sort')}
            value={filters.sort}
            onChange={(sort) => update({ sort })}
            options={ORDER_SORTS.map((s) => ({ value: s, label: t(`sort.${s}`) }))}
            style={{ width: 170 }}
          />
        </Flex>
      </search>
      <QueryState query={query}>
        {(data) => (
          <>
            <Table<Order>
              rowKey="id"
              columns={columns}
              dataSource={data.pages.flatMap((p) => p.items)}
              pagination={false}
              size="middle"
              // Which deal each row came from, for tests and tools that follow a won deal to its order.
              onRow={(o) => ({ 'data-order-id': o.id, 'data-opportunity-id': o.opportunityId ?? undefined }) as React.HTMLAttributes<HTMLElement>}
              data-testid="orders-table"
            />
            {query.hasNextPage && (
              <Flex justify="center">
                <Button onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
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
