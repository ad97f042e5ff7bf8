import { useMemo, useState } from 'react';
import { ReloadOutlined } from '@ant-design/icons';
import { Button, Col, Flex, Row, Select, Tag, Typography } from 'antd';
import { useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import type { components } from '@crm/api-client';
import { useTranslation } from 'react-i18next';
import { isManager, isRep } from '../../auth/roles';
import { useUser } from '../../auth/session';
import { todayIn } from '../../ui/format';
import { useFormat } from '../../ui/useFormat';
import { dueDay, leadsNearBreach, msUntil, SLA_HORIZON_HOURS, spanParts, stageOverdue, type StageOverdue } from './home.logic';
import { HomeSection, type SectionRow } from './HomeSection';
import { HOME } from './texts';
import { useReps } from '../../api/reps';
import { useHomeData, useLeadsById } from './useHomeData';

type FollowUp = components['schemas']['FollowUpView'];
type Lead = components['schemas']['LeadView'];
type Alert = components['schemas']['AlertView'];

/** Two queries as one (the stage list needs the pipelines' time limits and the opportunities). */
function combined<A, B, T>(a: UseQueryResult<A>, b: UseQueryResult<B>, join: (a: A, b: B) => T): UseQueryResult<T> {
  const pending = a.isPending || b.isPending;
  const error = a.error ?? b.error;
  return {
    ...a,
    isPending: !error && pending,
    isError: !!error,
    error,
    data: !pending && !error ? join(a.data as A, b.data as B) : undefined,
    refetch: () => Promise.all([a.refetch(), b.refetch()]).then(() => a.refetch()),
  } as unknown as UseQueryResult<T>;
}

/** The rep's day: what is due, what is about to breach, what is stuck, what went wrong on their orders. */
export default function HomePage() {
  const { t } = useTranslation(HOME);
  const user = useUser();
  const fmt = useFormat();
  const manager = isManager(user);
  const [picked, setPicked] = useState<string | undefined>(undefined);
  // A rep sees their own day; a manager their team's, or one rep's.
  const repId = manager ? picked : isRep(user) ? user.id : undefined;
  const reps = useReps(manager);
  const data = useHomeData(repId);
  const queries = useQueryClient();
  const now = Date.now();
  const today = todayIn(fmt.timeZone);

  const span = (ms: number) => {
    const { days, hours, minutes } = spanParts(ms);
    if (days) return `${t('span.d', { count: days })} ${t('span.h', { count: hours })}`;
    if (hours) return `${t('span.h', { count: hours })} ${t('span.m', { count: minutes })}`;
    return t('span.m', { count: minutes });
  };

  const leadIds = useMemo(() => [...new Set((data.nextActions.data ?? []).map((f) => f.leadId))], [data.nextActions.data]);
  const leads = useLeadsById(leadIds);
  const leadName = (id: string) => {
    const lead = leads.find((q) => q.data?.id === id)?.data;
    return lead ? [lead.company, lead.contactName].filter(Boolean).join(' · ') : t('unknownLead', { id: id.slice(0, 8) });
  };

  const nextActionRows = (items: FollowUp[]): SectionRow[] =>
    items.map((f) => {
      const day = f.nextActionDueAt ? dueDay(f.nextActionDueAt, today, (iso) => todayIn(fmt.timeZone, new Date(iso))) : 'earlier';
      return {
        key: f.id,
        href: `/leads/${f.leadId}`,
        title: leadName(f.leadId),
        tag: day === 'today' ? <Tag color="gold">{t('nextActions.dueToday')}</Tag> : <Tag color="red">{t('nextActions.overdue')}</Tag>,
        details: `${f.nextAction ?? '–'} · ${t('nextActions.due', { when: fmt.dateTime(f.nextActionDueAt) })}`,
      };
    });

  const slaRows = (items: Lead[]): SectionRow[] =>
    leadsNearBreach(items, now).map((l) => {
      const left = msUntil(l.firstFollowUpDueAt as string, now);
      return {
        key: l.id,
        href: `/leads/${l.id}`,
        title: [l.company, l.contactName].filter(Boolean).join(' · '),
        tag:
          left < 0 ? (
            <Tag color="red">{t('sla.breached', { span: span(left) })}</Tag>
          ) : (
            <Tag color={left < 3_600_000 ? 'volcano' : 'gold'}>{t('sla.left', { span: span(left) })}</Tag>
          ),
        details: t('sla.deadline', { when: fmt.dateTime(l.firstFollowUpDueAt) }),
      };
    });

  const stage = combined(data.openOpportunities, data.pipelines, (opps, pipelines) => stageOverdue(opps, pipelines, now));
  const stageRows = (items: StageOverdue[]): SectionRow[] =>
    items.map((s) => ({
      key: s.opportunity.id,
      href: `/opportunities/${s.opportunity.id}`,
      title: s.opportunity.customer.company ?? s.opportunity.customer.name,
      tag: <Tag color="red">{t('stage.late', { span: span(now - Date.parse(s.dueAt)), hours: s.limitHours })}</Tag>,
      details: `${t('stage.since', { stage: s.stageName, when: fmt.dateTime(s.opportunity.stageEnteredAt) })} · ${fmt.money(s.opportunity.expectedAmount, s.opportunity.currency)}`,
    }));

  const alertRows = (items: Alert[]): SectionRow[] =>
    items.map((a) => ({
      key: a.id,
      href: `/orders/${a.orderId}`,
      title: a.message,
      tag: <Tag color={a.kind === 'quality_problem' || a.kind === 'stock_shortage' ? 'red' : 'orange'}>{t(`alerts.kind.${a.kind}`)}</Tag>,
      details: fmt.dateTime(a.createdAt),
    }));

  const repOptions = (reps.data?.items ?? [])
    .filter((r) => r.active && (user.roles.includes('admin') || !user.team || r.team === user.team))
    .map((r) => ({ value: r.id, label: r.name }));

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={12}>
        <div>
          <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
            {!manager ? t('title') : picked ? t('repTitle', { name: repOptions.find((r) => r.value === picked)?.label ?? '' }) : t('teamTitle')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('greeting', { name: user.name, date: fmt.date(today) })}</Typography.Text>
        </div>
        <Flex gap={8} align="center" wrap>
          {manager && (
            <Select
              aria-label={t('rep')}
              data-testid="home-rep"
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('allReps')}
              value={picked}
              onChange={(v) => setPicked(v ?? undefined)}
              loading={reps.isPending}
              options={repOptions}
              style={{ width: 220 }}
            />
          )}
          <Button icon={<ReloadOutlined />} onClick={() => void queries.invalidateQueries({ queryKey: ['home'] })}>
            {t('refresh')}
          </Button>
        </Flex>
      </Flex>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <HomeSection
            id="next-actions"
            title={t('nextActions.title')}
            hint={t('nextActions.hint')}
            query={data.nextActions}
            rows={nextActionRows}
            emptyText={t('nextActions.empty')}
          />
        </Col>
        <Col xs={24} xl={12}>
          <HomeSection
            id="sla"
            title={t('sla.title')}
            hint={t('sla.hint', { hours: SLA_HORIZON_HOURS })}
            query={data.waitingLeads}
            rows={slaRows}
            emptyText={t('sla.empty')}
          />
        </Col>
        <Col xs={24} xl={12}>
          <HomeSection id="stage" title={t('stage.title')} hint={t('stage.hint')} query={stage} rows={stageRows} emptyText={t('stage.empty')} />
        </Col>
        <Col xs={24} xl={12}>
          <HomeSection id="alerts" title={t('alerts.title')} hint={t('alerts.hint')} query={data.alerts} rows={alertRows} emptyText={t('alerts.empty')} />
        </Col>
      </Row>
    </Flex>
  );
}
