import { Alert, Button, Card, Col, Descriptions, Flex, Row, Space, Spin, Tag, Typography } from 'antd';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { QueryState } from '../../ui/states';
import { useFormat } from '../../ui/useFormat';
import { NS } from './texts';
import { useReps } from '../../api/reps';
import { useLead, useRefreshLead, type LeadDetail } from './api';
import { FollowUps } from './FollowUps';
import { LeadActions } from './LeadActions';
import { isOverdue } from './LeadsPage';
import { useUser } from '../../auth/session';
import { worksSales } from '../../auth/roles';
import { HistoryPanel } from '../privacy/HistoryPanel';
import { PersonalDataActions } from '../privacy/PersonalDataActions';

const OPEN = ['assigned', 'contacted', 'qualified'];

export default function LeadPage() {
  const { id = '' } = useParams();
  const lead = useLead(id);
  return <QueryState query={lead}>{({ lead, etag }) => <LeadView lead={lead} etag={etag} />}</QueryState>;
}

function LeadView({ lead, etag }: { lead: LeadDetail; etag: string }) {
  const { t } = useTranslation(NS);
  const fmt = useFormat();
  const reps = useReps();
  const owner = lead.ownerRepId ? (reps.data?.items.find((r) => r.id === lead.ownerRepId)?.name ?? '…') : t('unowned');
  const none = t('lead.none');
  const overdue = isOverdue(lead);
  const user = useUser();
  const refresh = useRefreshLead(lead.id);

  return (
    <Flex vertical gap={16}>
      <Link to="/leads">← {t('lead.back')}</Link>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Flex align="center" gap={8} wrap>
          <Typography.Title level={1} style={{ margin: 0 }}>
            {lead.contactName}
          </Typography.Title>
          <Tag data-testid="lead-status">{t(`status.${lead.status}`)}</Tag>
          {overdue ? <Tag color="error">{t('overdueTag')}</Tag> : null}
        </Flex>
        <Space wrap>
          <LeadActions lead={lead} etag={etag} />
          <PersonalDataActions subject={{ leadId: lead.id }} name={lead.contactName} erased={!!lead.erasedAt} onErased={refresh} />
        </Space>
      </Flex>
      {lead.status === 'converted' ? <ConvertedNotice opportunityId={lead.opportunityId} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          <Card
            title={
              <Typography.Title level={2} style={{ margin: 0, fontSize: 18 }}>
                {t('lead.details')}
              </Typography.Title>
            }
          >
            <Descriptions column={1} size="small" data-testid="lead-details">
              <Descriptions.Item label={t('lead.email')}>{lead.email ? <a href={`mailto:${lead.email}`}>{lead.email}</a> : none}</Descriptions.Item>
              <Descriptions.Item label={t('lead.phone')}>{lead.phone ? <a href={`tel:${lead.phone}`}>{lead.phone}</a> : none}</Descriptions.Item>
              <Descriptions.Item label={t('lead.company')}>{lead.company ?? none}</Descriptions.Item>
              <Descriptions.Item label={t('lead.companySize')}>{lead.companySize ?? none}</Descriptions.Item>
              <Descriptions.Item label={t('lead.source')}>{t(`source.${lead.source}`, { defaultValue: lead.source })}</Descriptions.Item>
              <Descriptions.Item label={t('lead.campaign')}>{lead.campaign ?? none}</Descriptions.Item>
              <Descriptions.Item label={t('lead.owner')}>
                <span data-testid="lead-owner">{owner}</span>
                {lead.team ? ` · ${lead.team}` : ''}
              </Descriptions.Item>
              <Descriptions.Item label={t('lead.score')}>
                <span data-testid="lead-score">{lead.score ?? none}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('lead.sla')}>
                {lead.firstFollowedUpAt ? t('lead.slaMet', { at: fmt.dateTime(lead.firstFollowedUpAt) }) : fmt.dateTime(lead.firstFollowUpDueAt) || none}
              </Descriptions.Item>
              <Descriptions.Item label={t('lead.region')}>{lead.region ?? none}</Descriptions.Item>
              <Descriptions.Item label={t('lead.product')}>{lead.productInterest ?? none}</Descriptions.Item>
              <Descriptions.Item label={t('lead.needs')}>{lead.needs ?? none}</Descriptions.Item>
              {lead.disqualifyReason ? (
                <Descriptions.Item label={t('lead.disqualifyReason')}>
                  {t(`reason.${lead.disqualifyReason}`, { defaultValue: lead.disqualifyReason })}
                </Descriptions.Item>
              ) : null}
              {lead.accountId ? (
                <Descriptions.Item label={t('lead.account')}>
                  <Link to={`/customers/${lead.accountId}`}>{lead.company ?? lead.accountId}</Link>
                </Descriptions.Item>
              ) : null}
              {lead.opportunityId ? (
                <Descriptions.Item label={t('lead.opportunity')}>
                  <Link to={`/opportunities/${lead.opportunityId}`} data-testid="lead-opportunity">
                    {t('actions.openOpportunity')}
                  </Link>
                </Descriptions.Item>
              ) : null}
              <Descriptions.Item label={t('lead.created')}>{fmt.dateTime(lead.createdAt)}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Flex vertical gap={16}>
            <FollowUps leadId={lead.id} open={OPEN.includes(lead.status) && !!lead.ownerRepId} />
            {worksSales(user) ? <HistoryPanel target={{ service: 'leads', recordType: 'lead', recordId: lead.id }} /> : null}
          </Flex>
        </Col>
      </Row>
    </Flex>
  );
}

/** A converted lead offers its opportunity; until the opportunities service has made it, says it is coming. */
function ConvertedNotice({ opportunityId }: { opportunityId: string | null }) {
  const { t } = useTranslation(NS);
  const navigate = useNavigate();
  return opportunityId ? (
    <Alert
      type="success"
      showIcon
      title={t('actions.converted')}
      action={
        <Button type="primary" data-testid="lead-open-opportunity" onClick={() => navigate(`/opportunities/${opportunityId}`)}>
          {t('actions.openOpportunity')}
        </Button>
      }
    />
  ) : (
    <Alert type="info" showIcon icon={<Spin size="small" />} title={t('actions.converting')} role="status" />
  );
}
