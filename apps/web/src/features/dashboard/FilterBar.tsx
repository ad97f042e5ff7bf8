import { Card, DatePicker, Flex, Form, Segmented, Select } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { periodRange, quarterOf, type Filters, type PeriodKind } from './filters';

const CURRENCIES = ['CNY', 'USD', 'EUR'];

/** One bar of filters over every chart: the period (Beijing months, quarters or days) and the team. */
export function FilterBar({ filters, teams, onChange }: { filters: Filters; teams: string[]; onChange: (next: Filters) => void }) {
  const { t } = useTranslation('dashboard');
  const set = (patch: Partial<Filters>) => onChange({ ...filters, ...patch });
  const setKind = (kind: PeriodKind) => {
    if (kind === 'custom') return set({ kind });
    const period = kind === 'month' ? filters.to.slice(0, 7) : quarterOf(filters.to);
    set({ kind, period, ...periodRange(period) });
  };
  return (
    <Card size="small" role="search" aria-label={t('filters.label')}>
      <Form layout="inline" component="div">
        <Flex wrap gap={12} align="center">
          <Form.Item label={t('filters.period')} style={{ margin: 0 }}>
            <Segmented<PeriodKind>
              aria-label={t('filters.period')}
              value={filters.kind}
              onChange={setKind}
              options={(['month', 'quarter', 'custom'] as const).map((k) => ({ value: k, label: t(`filters.${k}`) }))}
            />
          </Form.Item>
          {filters.kind === 'month' ? (
            <Form.Item label={t('filters.pickMonth')} htmlFor="dashboard-month" style={{ margin: 0 }}>
              <DatePicker
                id="dashboard-month"
                picker="month"
                allowClear={false}
                value={dayjs(filters.from)}
                onChange={(d) => d && set({ period: d.format('YYYY-MM'), ...periodRange(d.format('YYYY-MM')) })}
              />
            </Form.Item>
          ) : filters.kind === 'quarter' ? (
            <Form.Item label={t('filters.pickQuarter')} htmlFor="dashboard-quarter" style={{ margin: 0 }}>
              <DatePicker
                id="dashboard-quarter"
                picker="quarter"
                allowClear={false}
                format={() => filters.period}
                value={dayjs(filters.from)}
                onChange={(d) => {
                  if (!d) return;
                  const period = quarterOf(d.format('YYYY-MM-DD'));
                  set({ period, ...periodRange(period) });
                }}
              />
            </Form.Item>
          ) : (
            <Form.Item label={t('filters.range')} htmlFor="dashboard-range" style={{ margin: 0 }}>
              <DatePicker.RangePicker
                id={{ start: 'dashboard-range' }}
                allowClear={false}
                value={[dayjs(filters.from), dayjs(filters.to)]}
                onChange={(r) => r?.[0] && r[1] && set({ from: r[0].format('YYYY-MM-DD'), to: r[1].format('YYYY-MM-DD') })}
              />
            </Form.Item>
          )}
          <Form.Item label={t('filters.team')} htmlFor="dashboard-team" style={{ margin: 0 }}>
            <Select
              id="dashboard-team"
              data-testid="dashboard-team"
              style={{ minWidth: 180 }}
              value={filters.team ?? ''}
              onChange={(v: string) => set({ team: v || null })}
              options={[{ value: '', label: t('filters.allTeams') }, ...teams.map((team) => ({ value: team, label: team }))]}
            />
          </Form.Item>
          <Form.Item label={t('filters.currency')} htmlFor="dashboard-currency" style={{ margin: 0 }}>
            <Select
              id="dashboard-currency"
              style={{ width: 96 }}
              value={filters.currency}
              onChange={(currency: string) => set({ currency })}
              options={CURRENCIES.map((c) => ({ value: c, label: c }))}
            />
          </Form.Item>
        </Flex>
      </Form>
    </Card>
  );
}
