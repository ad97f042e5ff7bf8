import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, DatePicker, Flex, Form, Input, Modal, Spin } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ifMatch, unwrap } from '@crm/api-client';
import { useCrm } from '../../api/crm';
import { formFieldsOf } from '../../api/problem';
import { ProblemAlert } from '../../ui/states';
import { useKeepDetail, type Detail } from './api';
import { unmetCriteriaOf, type Stage } from './board';
import { UnmetCriteriaList } from './UnmetCriteria';
import { NS } from './texts';

interface WinForm {
  paymentTerms?: string;
  promisedDeliveryDate?: Dayjs | null;
}
interface LoseForm {
  reason: string;
  competitor?: string;
}

/** Win (payment terms, promised delivery) and lose (with a reason), each in a dialog with its field errors. */
export function CloseActions({ opportunity, stages }: { opportunity: Detail; stages: Stage[] }) {
  const { t } = useTranslation(NS);
  const crm = useCrm();
  const keep = useKeepDetail();
  const [dialog, setDialog] = useState<'win' | 'lose' | null>(null);
  const [winForm] = Form.useForm<WinForm>();
  const [loseForm] = Form.useForm<LoseForm>();
  const header = ifMatch(opportunity.etag);
  const win = useMutation({
    mutationFn: (v: WinForm) =>
      unwrap(
        crm.POST('/api/v1/opportunities/{id}/win', {
          params: { path: { id: opportunity.id }, header },
          body: { paymentTerms: v.paymentTerms?.trim() || undefined, promisedDeliveryDate: v.promisedDeliveryDate?.format('YYYY-MM-DD') },
        }),
      ),
    onSuccess: (data) => {
      keep(data);
      setDialog(null);
    },
    onError: (error) => winForm.setFields(formFieldsOf(error, ['paymentTerms', 'promisedDeliveryDate']).fields as never),
  });
  const lose = useMutation({
    mutationFn: (v: LoseForm) =>
      unwrap(
        crm.POST('/api/v1/opportunities/{id}/lose', {
          params: { path: { id: opportunity.id }, header },
          body: { reason: v.reason.trim(), competitor: v.competitor?.trim() || undefined },
        }),
      ),
    onSuccess: (data) => {
      keep(data);
      setDialog(null);
    },
    onError: (error) => loseForm.setFields(formFieldsOf(error, ['reason', 'competitor']).fields as never),
  });
  if (opportunity.status !== 'open') return null;
  const winOther = win.isError ? formFieldsOf(win.error, ['paymentTerms', 'promisedDeliveryDate']).other : [];
  const unmet = win.isError ? unmetCriteriaOf(win.error) : [];
  return (
    <Flex gap={8} wrap>
      <Button type="primary" onClick={() => setDialog('win')} data-testid="win">
        {t('opp.win')}
      </Button>
      <Button onClick={() => setDialog('lose')} data-testid="lose" style={{ color: '#a8071a', borderColor: '#a8071a' }}>
        {t('opp.lose')}
      </Button>
      <Modal
        title={t('opp.win')}
        open={dialog === 'win'}
        onCancel={() => setDialog(null)}
        onOk={() => winForm.submit()}
        okText={t('opp.win')}
        confirmLoading={win.isPending}
        destroyOnHidden
      >
        {!opportunity.lines.length ? <Alert type="warning" showIcon title={t('opp.winNeedsLines')} style={{ marginBottom: 12 }} /> : null}
        <Form form={winForm} layout="vertical" onFinish={(v) => win.mutate(v)} initialValues={{ paymentTerms: opportunity.paymentTerms ?? 'NET30' }}>
          <Form.Item name="paymentTerms" label={t('opp.paymentTerms')}>
            <Input />
          </Form.Item>
          <Form.Item name="promisedDeliveryDate" label={t('opp.promisedDeliveryDate')}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Form>
        {unmet.length ? (
          <Alert type="error" showIcon role="alert" title={t('board.unmetIntro')} description={<UnmetCriteriaList criteria={unmet} stages={stages} />} />
        ) : winOther.length || (win.isError && !formFieldsOf(win.error, ['paymentTerms', 'promisedDeliveryDate']).fields.length) ? (
          <ProblemAlert error={win.error} />
        ) : null}
      </Modal>
      <Modal
        title={t('opp.lose')}
        open={dialog === 'lose'}
        onCancel={() => setDialog(null)}
        onOk={() => loseForm.submit()}
        okText={t('opp.lose')}
        okButtonProps={{ danger: true, style: { background: '#a8071a' } }}
        confirmLoading={lose.isPending}
        destroyOnHidden
      >
        <Form form={loseForm} layout="vertical" onFinish={(v) => lose.mutate(v)}>
          <Form.Item name="reason" label={t('opp.reason')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.Item name="competitor" label={t('opp.competitor')}>
            <Input />
          </Form.Item>
        </Form>
        {lose.isError && !formFieldsOf(lose.error, ['reason', 'competitor']).fields.length ? <ProblemAlert error={lose.error} /> : null}
      </Modal>
    </Flex>
  );
}

/** The order drafted from a won deal: the orders service drafts it from the win event, so look for it briefly. */
export function WonOrderLink({ opportunity }: { opportunity: Detail }) {
  const { t } = useTranslation(NS);
  const crm = useCrm();
  const term = (opportunity.customer.company ?? opportunity.customer.name).slice(0, 100);
  const recent = !opportunity.closedAt || Date.now() - Date.parse(opportunity.closedAt) < 60_000;
  const order = useQuery({
    queryKey: ['pipeline', 'won-order', opportunity.id],
    enabled: opportunity.status === 'won' && term.length >= 2,
    queryFn: async () => {
      const page = await unwrap(crm.GET('/api/v1/orders', { params: { query: { q: term, repId: opportunity.repId, limit: 50, sort: '-createdAt' } } }));
      return page.items.find((o) => o.opportunityId === opportunity.id) ?? null;
    },
    refetchInterval: (query) => (query.state.data === null && recent ? 2000 : false),
  });
  if (opportunity.status !== 'won') return null;
  if (order.data) {
    return (
      <Link to={`/orders/${order.data.id}`} data-testid="won-order">
        {t('opp.orderLink')}
      </Link>
    );
  }
  if (order.isError) return <ProblemAlert error={order.error} />;
  return recent || order.isPending ? (
    <Flex gap={8} align="center" role="status">
      <Spin size="small" /> {t('opp.orderPending')}
    </Flex>
  ) : (
    <span>{t('opp.orderMissing')}</span>
  );
}
