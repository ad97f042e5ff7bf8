import { ArrowLeftOutlined } from '@ant-design/icons';
import { Card, Col, Descriptions, Flex, Result, Row, Tag, Timeline, Typography } from 'antd';
import { ApiProblem } from '@crm/api-client';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useUser } from '../../auth/session';
import { QueryState } from '../../ui/states';
import { useFormat } from '../../ui/useFormat';
import { useReps } from '../../api/reps';
import { useOpportunity, usePipelines, type Detail } from './api';
import { overdueInStage, type Stage } from './board';
import { CloseActions, WonOrderLink } from './CloseActions';
import { CriteriaPanel } from './CriteriaPanel';
import { ScoreFactors } from './ScoreFactors';
import { StrategiesPanel } from './StrategiesPanel';
import { TasksPanel } from './TasksPanel';
import { NS } from './texts';

const STATUS_COLOR = { open: 'blue', won: 'green', lost: 'default' } as const;

function Heading({ level, children }: { level: 2 | 3; children: React.ReactNode }) {
  return (
    <Typography.Title level={level} style={{ fontSize: level === 2 ? 16 : 14, margin: 0 }}>
      {children}
    </Typography.Title>
  );
}

function Body({ o, stages }: { o: Detail; stages: Stage[] }) {
  const { t } = useTranslation(NS);
  const format = useFormat();
  const user = useUser();
  const reps = useReps();
  const stageName = (key: string | null) => (key ? (stages.find((s) => s.key === key)?.name ?? key) : '–');
  const owner = o.repId === user.id ? user.name : (reps.data?.items.find((r) => r.id === o.repId)?.name ?? '–');
  const stage = stages.find((s) => s.key === o.stage);
  const requiredTasks = stages.flatMap((s) => s.exitCriteria.requiredTasks ?? []);
  return (
    <Flex vertical gap={16}>
      <Link to="/pipeline">
        <ArrowLeftOutlined /> {t('opp.back')}
      </Link>
      <Flex justify="space-between" align="start" wrap gap={12}>
        <div>
          <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
            {o.customer.company ?? o.customer.name}
          </Typography.Title>
          <Flex gap={6} wrap style={{ marginTop: 6 }}>
            <Tag color={STATUS_COLOR[o.status]} data-testid="opp-status">
              {t(`opp.${o.status}`)}
            </Tag>
            <Tag data-testid="opp-stage">{stageName(o.stage)}</Tag>
            {o.status === 'open' && overdueInStage(o, stage) ? <Tag color="red">{t('board.overdue')}</Tag> : null}
          </Flex>
        </div>
        <CloseActions opportunity={o} stages={stages} />
      </Flex>
      {o.status === 'won' ? <WonOrderLink opportunity={o} /> : null}
      {o.status === 'lost' && o.lostReason ? <Typography.Text>{t('opp.lostReason', { reason: o.lostReason })}</Typography.Text> : null}
      <Descriptions bordered size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
        <Descriptions.Item label={t('opp.amount')}>
          <span data-testid="opp-amount">{format.money(o.expectedAmount, o.currency)}</span>
        </Descriptions.Item>
        {o.wonAmount ? <Descriptions.Item label={t('opp.wonAmount')}>{format.money(o.wonAmount, o.currency)}</Descriptions.Item> : null}
        <Descriptions.Item label={t('opp.closeDate')}>{format.date(o.expectedCloseDate)}</Descriptions.Item>
        <Descriptions.Item label={t('opp.owner')}>{owner}</Descriptions.Item>
        <Descriptions.Item label={t('opp.account')}>
          {o.accountId ? <Link to={`/customers/${o.accountId}`}>{o.customer.company ?? o.customer.name}</Link> : (o.customer.company ?? '–')}
        </Descriptions.Item>
        <Descriptions.Item label={t('opp.contact')}>{[o.customer.name, o.customer.email, o.customer.phone].filter(Boolean).join(' · ')}</Descriptions.Item>
        {o.status === 'open' ? <Descriptions.Item label={t('opp.stageDue')}>{format.dateTime(o.stageDueAt)}</Descriptions.Item> : null}
      </Descriptions>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Flex vertical gap={16}>
            {o.status === 'open' ? (
              <Card title={<Heading level={2}>{t('criteria.title', { stage: stageName(o.stage) })}</Heading>} size="small">
                <CriteriaPanel opportunity={o} stages={stages} />
              </Card>
            ) : null}
            <Card title={<Heading level={2}>{t('opp.tasks')}</Heading>} size="small">
              <TasksPanel opportunity={o} requiredTasks={requiredTasks} />
            </Card>
            <Card title={<Heading level={2}>{t('opp.strategies')}</Heading>} size="small">
              <StrategiesPanel opportunityId={o.id} open={o.status === 'open'} />
            </Card>
          </Flex>
        </Col>
        <Col xs={24} xl={10}>
          <Flex vertical gap={16}>
            <Card
              size="small"
              title={<Heading level={2}>{t('opp.score')}</Heading>}
              extra={
                <Typography.Text strong style={{ fontSize: 18 }} data-testid="opp-score">
                  {format.number(o.score, 2)}
                </Typography.Text>
              }
            >
              <ScoreFactors opportunity={o} />
            </Card>
            <Card title={<Heading level={2}>{t('opp.history')}</Heading>} size="small">
              <Timeline
                data-testid="stage-history"
                items={o.history.map((h) => ({
                  key: h.id,
                  content: (
                    <>
                      <div>
                        {h.fromStage
                          ? t('opp.entered', { from: stageName(h.fromStage), to: stageName(h.toStage) })
                          : t('opp.created', { to: stageName(h.toStage) })}
                      </div>
                      <Typography.Text type="secondary">{format.dateTime(h.at)}</Typography.Text>
                    </>
                  ),
                }))}
              />
            </Card>
          </Flex>
        </Col>
      </Row>
    </Flex>
  );
}

/** One opportunity: header, exit criteria with what fills them, tasks, strategies, score factors, history, win/lose. */
export default function OpportunityPage() {
  const { t } = useTranslation(NS);
  const { id = '' } = useParams();
  const opportunity = useOpportunity(id);
  const pipelines = usePipelines();
  if (opportunity.error instanceof ApiProblem && (opportunity.error.status === 404 || opportunity.error.status === 400)) {
    return <Result status="404" title="404" subTitle={t('opp.notFound')} />;
  }
  return <QueryState query={opportunity}>{(o) => <Body o={o} stages={pipelines.data?.find((p) => p.id === o.pipelineId)?.stages ?? []} />}</QueryState>;
}
