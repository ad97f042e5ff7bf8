import { useState } from 'react';
import { Breadcrumb, Button, Card, Col, Descriptions, Drawer, Flex, List, Row, Space, Statistic, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap, type components } from '@crm/api-client';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useCrm } from '../../api/crm';
import { QueryState } from '../../ui/states';
import { useFormat } from '../../ui/useFormat';
import { useRepNames } from '../../api/reps';
import { useUser } from '../../auth/session';
import { worksSales } from '../../auth/roles';
import { HistoryPanel } from '../privacy/HistoryPanel';
import { PersonalDataActions } from '../privacy/PersonalDataActions';
import { PRIVACY_NS } from '../privacy/texts';
import { AccountTimeline } from './AccountTimeline';
import { CUSTOMERS_NS } from './texts';

type Amounts = components['schemas']['CurrencyAmountView'][];
type Summary = components['schemas']['CustomerSummaryView'];

/** Amounts in several currencies are shown one per line, never added together. */
function AmountList({ amounts, testId }: { amounts: Amounts; testId: string }) {
  const { t } = useTranslation(CUSTOMERS_NS);
  const fmt = useFormat();
  if (!amounts.length) return <span data-testid={testId}>{t('account.none')}</span>;
  return (
    <Flex vertical data-testid={testId}>
      {amounts.map((a) => (
        <span key={a.currency} data-testid={`${testId}-${a.currency}`}>
          {fmt.money(a.amount, a.currency)}
        </span>
      ))}
    </Flex>
  );
}

function SummaryCard({ summary }: { summary: Summary }) {
  const { t } = useTranslation(CUSTOMERS_NS);
  const fmt = useFormat();
  const repName = useRepNames();
  const { satisfaction, lastContact } = summary;
  const cards = [
    { key: 'openPipeline', title: t('account.openPipeline'), value: <AmountList amounts={summary.openPipeline} testId="summary-openPipeline" /> },
    { key: 'lifetimeRevenue', title: t('account.lifetimeRevenue'), value: <AmountList amounts={summary.lifetimeRevenue} testId="summary-lifetimeRevenue" /> },
    { key: 'outstanding', title: t('account.outstanding'), value: <AmountList amounts={summary.outstandingReceivables} testId="summary-outstanding" /> },
    {
      key: 'satisfaction',
      title: t('account.satisfaction'),
      value: (
        <span data-testid="summary-satisfaction">
          {satisfaction.average !== null
            ? t('account.satisfactionOf', { average: fmt.number(satisfaction.average, 1), count: satisfaction.count })
            : t('account.noSatisfaction')}
        </span>
      ),
    },
  ];
  return (
    <Flex vertical gap={16}>
      <Row gutter={[16, 16]}>
        {cards.map((c) => (
          <Col key={c.key} xs={12} lg={6}>
            <Card size="small">
              <Statistic title={c.title} valueRender={() => <div style={{ fontSize: 18 }}>{c.value}</div>} />
            </Card>
          </Col>
        ))}
      </Row>
      <Card size="small">
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('account.owner')}>
            {repName(summary.owner.repId)}
            {summary.owner.team ? ` · ${summary.owner.team}` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('account.lastContact')}>
            {lastContact ? (
              <span data-testid="summary-lastContact">
                {fmt.dateTime(lastContact.at)} · {t('account.lastContactBy', { channel: lastContact.channel, rep: repName(lastContact.repId) })}
              </span>
            ) : (
              t('account.none')
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('account.reps')}>
            {summary.reps.map((r) => `${repName(r.repId)} (${t('account.repRecords', { open: r.openRecords, total: r.records })})`).join('; ') ||
              t('account.none')}
          </Descriptions.Item>
        </Descriptions>
      </Card>
    </Flex>
  );
}

type Contact = components['schemas']['ContactView'];

/**
 * The account's contacts; each opens its History in a drawer (reps, managers, admins), and an admin may export or
 * erase the person's data from here, the one place the console shows a contact.
 */
function Contacts({ accountId }: { accountId: string }) {
  const { t } = useTranslation(CUSTOMERS_NS);
  const { t: tp } = useTranslation(PRIVACY_NS);
  const crm = useCrm();
  const user = useUser();
  const queries = useQueryClient();
  const [history, setHistory] = useState<Contact | null>(null);
  const contacts = useQuery({
    queryKey: ['contacts', 'of-account', accountId],
    queryFn: () => unwrap(crm.GET('/api/v1/contacts', { params: { query: { accountId, limit: 50 } } })),
  });
  // An erasure reaches the timeline and the summary through events: their next read shows it.
  const erased = (contact: Contact) =>
    Promise.all([
      queries.invalidateQueries({ queryKey: ['contacts', 'of-account', accountId] }),
      queries.invalidateQueries({ queryKey: ['accounts', 'timeline', accountId] }),
      queries.invalidateQueries({ queryKey: ['audit', 'customers', 'contact', contact.id] }),
    ]);
  return (
    <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('account.contacts')}</h2>}>
      <QueryState query={contacts} empty={(d) => !d.items.length} emptyText={t('account.noContacts')}>
        {(d) => (
          <List
            size="small"
            dataSource={d.items}
            renderItem={(c) => (
              <List.Item data-testid="account-contact" data-id={c.id}>
                <Flex vertical gap={4} style={{ width: '100%' }}>
                  <List.Item.Meta
                    title={`${c.name}${c.title ? ` · ${c.title}` : ''}`}
                    description={[
                      ...c.emails.map((e) => (
                        <a key={e} href={`mailto:${e}`}>
                          {e}
                        </a>
                      )),
                      ...c.phones.map((p) => (
                        <a key={p} href={`tel:${p}`}>
                          {p}
                        </a>
                      )),
                    ].reduce<React.ReactNode[]>((all, el, i) => (i ? [...all, ' · ', el] : [el]), [])}
                  />
                  <Space wrap size={4}>
                    {worksSales(user) ? (
                      <Button size="small" onClick={() => setHistory(c)} data-testid="contact-history">
                        {tp('history.open')}
                      </Button>
                    ) : null}
                    <PersonalDataActions size="small" subject={{ contactId: c.id }} name={c.name} erased={!!c.erasedAt} onErased={() => erased(c)} />
                  </Space>
                </Flex>
              </List.Item>
            )}
          />
        )}
      </QueryState>
      <Drawer open={history !== null} onClose={() => setHistory(null)} title={tp('history.drawer', { name: history?.name ?? '' })} size="large" destroyOnHidden>
        {history ? <HistoryPanel bare target={{ service: 'customers', recordType: 'contact', recordId: history.id }} /> : null}
      </Drawer>
    </Card>
  );
}

/** The account's own trail (its fields' edits), for those who work sales. */
function AccountHistory({ accountId }: { accountId: string }) {
  const user = useUser();
  return worksSales(user) ? <HistoryPanel target={{ service: 'customers', recordType: 'account', recordId: accountId }} /> : null;
}

export default function AccountPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation(CUSTOMERS_NS);
  const crm = useCrm();
  const account = useQuery({ queryKey: ['accounts', 'one', id], queryFn: () => unwrap(crm.GET('/api/v1/accounts/{id}', { params: { path: { id } } })) });
  const summary = useQuery({
    queryKey: ['accounts', 'summary', id],
    queryFn: () => unwrap(crm.GET('/api/v1/accounts/{id}/summary', { params: { path: { id } } })),
  });
  return (
    <QueryState query={account}>
      {(a) => (
        <Flex vertical gap={16}>
          <Breadcrumb items={[{ title: <Link to="/customers">{t('account.back')}</Link> }, { title: a.name }]} />
          <div>
            <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
              {a.name}
            </Typography.Title>
            <Typography.Text type="secondary">{[a.industry, a.region, a.team, ...a.domains].filter(Boolean).join(' · ')}</Typography.Text>
          </div>
          <section aria-label={t('account.summary')}>
            <QueryState query={summary}>{(s) => <SummaryCard summary={s} />}</QueryState>
          </section>
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={16}>
              <AccountTimeline accountId={id} />
            </Col>
            <Col xs={24} xl={8}>
              <Flex vertical gap={16}>
                <Contacts accountId={id} />
                <AccountHistory accountId={id} />
              </Flex>
            </Col>
          </Row>
        </Flex>
      )}
    </QueryState>
  );
}
