import { useMemo, useState } from 'react';
import { App, Button, Flex, Space, Table, Tag, Typography, type TableProps } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiProblem } from '@crm/api-client';
import { useCrm } from '../../api/crm';
import { problemText } from '../../api/problem';
import { isManager } from '../../auth/roles';
import { useUser } from '../../auth/session';
import { ProblemAlert } from '../../ui/states';
import { useFormat } from '../../ui/useFormat';
import { NS } from './texts';
import { queryRecord, readQuery, sortOf, sortValue, type LeadQuery } from './query';
import { useReps } from '../../api/reps';
import { useLeadParams, useLeads, type Lead } from './api';
import { LeadFilters } from './LeadFilters';
import { SavedViews } from './SavedViews';
import { ImportDialog } from './ImportDialog';
import { NewLeadDialog } from './NewLeadDialog';

export default function LeadsPage() {
  const { t } = useTranslation(NS);
  const { message } = App.useApp();
  const user = useUser();
  const manager = isManager(user);
  const fmt = useFormat();
  const crm = useCrm();
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => readQuery(params), [params]);
  const apiQuery = useLeadParams(query);
  const leads = useLeads(query);
  const reps = useReps();
  const repName = useMemo(() => new Map((reps.data?.items ?? []).map((r) => [r.id, r.name])), [reps.data]);
  const [exporting, setExporting] = useState(false);
  const rows = useMemo(() => leads.data?.pages.flatMap((p) => p.items) ?? [], [leads.data]);
  const sort = sortOf(query.sort);
  // A new entry in the history per change: the back button walks back through the filters.
  const apply = (next: LeadQuery) => setParams(queryRecord(next));
  // Merged into the URL as it is now (the router's own copy can lag a render behind): a change made before the
  // last one rendered is kept.
  const patch = (change: Partial<LeadQuery> | null) => {
    const current = readQuery(new URLSearchParams(window.location.search));
    setParams(queryRecord(change ? { ...current, ...change } : { sort: current.sort }));
  };

  const exportCsv = async () => {
    setExporting(true);
    try {
      const result = await crm.GET('/api/v1/leads', { params: { query: apiQuery as never }, headers: { Accept: 'text/csv' }, parseAs: 'blob' });
      if (!result.response.ok) throw new ApiProblem(result.response, result.error);
      const url = URL.createObjectURL(result.data as Blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `leads-${new Date().toISOString().slice(0, 10)}.csv`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      void message.info(t('exported'));
    } catch (error) {
      void message.error(problemText(error));
    } finally {
      setExporting(false);
    }
  };

  const sorter = (column: string) => ({
    sorter: true,
    sortOrder: sort.column === column ? sort.order : null,
    sortDirections: ['ascend', 'descend'] as ('ascend' | 'descend')[],
  });
  const columns: TableProps<Lead>['columns'] = [
    {
      key: 'contactName',
      title: t('col.contact'),
      ...sorter('contactName'),
      render: (_, lead) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/leads/${lead.id}`}>{lead.contactName}</Link>
          <Typography.Text type="secondary">{lead.email ?? lead.phone}</Typography.Text>
        </Space>
      ),
    },
    { key: 'company', title: t('col.company'), dataIndex: 'company', ...sorter('company') },
    {
      key: 'status',
      title: t('col.status'),
      render: (_, lead) => (
        <Space size={4} wrap>
          <Tag>{t(`status.${lead.status}`)}</Tag>
          {isOverdue(lead) ? <Tag color="error">{t('overdueTag')}</Tag> : null}
        </Space>
      ),
    },
    { key: 'source', title: t('col.source'), render: (_, lead) => t(`source.${lead.source}`, { defaultValue: lead.source }), responsive: ['md'] },
    { key: 'owner', title: t('col.owner'), render: (_, lead) => (lead.ownerRepId ? (repName.get(lead.ownerRepId) ?? '…') : t('unowned')) },
    { key: 'region', title: t('col.region'), dataIndex: 'region', responsive: ['lg'] },
    { key: 'score', title: t('col.score'), dataIndex: 'score', align: 'right', ...sorter('score') },
    { key: 'due', title: t('col.due'), render: (_, lead) => (lead.firstFollowedUpAt ? '' : fmt.dateTime(lead.firstFollowUpDueAt)), responsive: ['lg'] },
    { key: 'createdAt', title: t('col.created'), render: (_, lead) => fmt.dateTime(lead.createdAt), ...sorter('createdAt') },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={1} style={{ margin: 0 }}>
          {t('title')}
        </Typography.Title>
        <Space wrap>
          <NewLeadDialog />
          {manager ? <ImportDialog /> : null}
          <Button onClick={exportCsv} loading={exporting} data-testid="lead-export">
            {t('action.export', { ns: 'common' })}
          </Button>
        </Space>
      </Flex>
      <SavedViews query={query} onApply={apply} />
      <LeadFilters query={query} onChange={patch} reps={manager ? reps.data?.items : undefined} />
      {leads.isError ? <ProblemAlert error={leads.error} onRetry={() => void leads.refetch()} /> : null}
      <Table<Lead>
        rowKey="id"
        data-testid="lead-table"
        columns={columns}
        dataSource={rows}
        loading={leads.isPending || (leads.isFetching && !leads.isFetchingNextPage)}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onChange={(_p, _f, s) => {
          const one = Array.isArray(s) ? s[0] : s;
          patch({ sort: sortValue(one?.columnKey as string | undefined, one?.order) });
        }}
      />
      <Flex justify="space-between" align="center">
        <Typography.Text aria-live="polite">{leads.data ? t('count', { count: rows.length }) : ''}</Typography.Text>
        {leads.hasNextPage ? (
          <Button onClick={() => void leads.fetchNextPage()} loading={leads.isFetchingNextPage} data-testid="lead-more">
            {t('action.more', { ns: 'common' })}
          </Button>
        ) : null}
      </Flex>
    </Flex>
  );
}

export function isOverdue(lead: Pick<Lead, 'firstFollowUpDueAt' | 'firstFollowedUpAt'>, now = Date.now()): boolean {
  return !lead.firstFollowedUpAt && !!lead.firstFollowUpDueAt && Date.parse(lead.firstFollowUpDueAt) < now;
}
