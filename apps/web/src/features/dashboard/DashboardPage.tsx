import { useMemo } from 'react';
import { Col, Flex, Row, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useUser } from '../../auth/session';
import { todayIn } from '../../ui/format';
import { useFormat } from '../../ui/useFormat';
import { useKpis, useSales } from './analytics';
import { FilterBar } from './FilterBar';
import { AccuracyCard, ForecastCard } from './ForecastCards';
import { IncentivesCard, QuotaCard, RankingsCard } from './PeopleCards';
import { CycleTimeCard, FunnelCard, RevenueCard } from './SalesCards';
import { readFilters, writeFilters, type Filters } from './filters';
import './texts';

/** The manager dashboard: every chart reads the analytics API for the period and team in the URL. */
export default function DashboardPage() {
  const { t } = useTranslation('dashboard');
  const fmt = useFormat();
  const user = useUser();
  const [params, setParams] = useSearchParams();
  // Periods are those of the business calendar (Beijing), whatever zone the user reads times in.
  const filters = useMemo(() => readFilters(params, todayIn('Asia/Shanghai'), user.team), [params, user.team]);
  const change = (next: Filters) => setParams(writeFilters(next), { replace: true });
  const teamRows = useKpis(filters, 'team').data?.rows ?? [];
  const teams = [...new Set([...(user.team ? [user.team] : []), ...teamRows.map((r) => String(r.key)).filter((k) => k && k !== 'unknown')])].sort();
  const asOf = useSales(filters, 'month').data?.asOf;

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="baseline" wrap gap={8}>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
          {t('title')}
        </Typography.Title>
        {asOf ? <Typography.Text type="secondary">{t('asOf', { time: fmt.dateTime(asOf) })}</Typography.Text> : null}
      </Flex>
      <FilterBar filters={filters} teams={teams} onChange={change} />
      <Row gutter={[16, 16]}>
        <Col xs={24}>
          <RevenueCard filters={filters} groupBy="month" />
        </Col>
        <Col xs={24} lg={12}>
          <RevenueCard filters={filters} groupBy="region" />
        </Col>
        <Col xs={24} lg={12}>
          <RevenueCard filters={filters} groupBy="product" />
        </Col>
        <Col xs={24} lg={12}>
          <FunnelCard filters={filters} />
        </Col>
        <Col xs={24} lg={12}>
          <CycleTimeCard filters={filters} />
        </Col>
        <Col xs={24} lg={12}>
          <ForecastCard filters={filters} />
        </Col>
        <Col xs={24} lg={12}>
          <AccuracyCard filters={filters} />
        </Col>
        <Col xs={24} lg={12}>
          <RankingsCard filters={filters} onMetric={(metric) => change({ ...filters, metric })} />
        </Col>
        <Col xs={24} lg={12}>
          <QuotaCard filters={filters} />
        </Col>
        <Col xs={24}>
          <IncentivesCard filters={filters} />
        </Col>
      </Row>
    </Flex>
  );
}
