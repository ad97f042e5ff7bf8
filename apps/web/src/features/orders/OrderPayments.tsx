import { useState } from 'react';
import { App as AntApp, Badge, Button, Card, Descriptions, Empty, Form, Input, Modal, Table } from 'antd';
import { useMutation, useQuery } from '@tanstack/react-query';
import { ApiProblem, idempotencyKey, unwrap, type components } from '@crm/api-client';
import { useTranslation } from 'react-i18next';
import { useCrm } from '../../api/crm';
import { formFieldsOf } from '../../api/problem';
import { isManager } from '../../auth/roles';
import { useUser } from '../../auth/session';
import { ProblemAlert, QueryState } from '../../ui/states';
import { useFormat } from '../../ui/useFormat';
import { ORDERS_NS } from './texts';
import { useRefreshOrder } from './useOrder';

type Payment = components['schemas']['PaymentView'];
interface PaymentValues {
  amount: string;
  method?: string;
  reference?: string;
}

/** The order's receivable (finance's), its payments and what is still owed; managers record a payment (the API allows them). */
export function OrderPayments({ orderId }: { orderId: string }) {
  const { t } = useTranslation(ORDERS_NS);
  const crm = useCrm();
  const fmt = useFormat();
  const user = useUser();
  const refresh = useRefreshOrder(orderId);
  const { message } = AntApp.useApp();
  const [open, setOpen] = useState(false);
  const [key, setKey] = useState(idempotencyKey);
  const [form] = Form.useForm<PaymentValues>();
  // No receivable yet (the order is not confirmed) is an answer, not an error.
  const receivable = useQuery({
    queryKey: ['receivable', orderId],
    queryFn: async () => {
      try {
        return await unwrap(crm.GET('/api/v1/receivables/by-order/{orderId}', { params: { path: { orderId } } }));
      } catch (error) {
        if (error instanceof ApiProblem && error.status === 404) return null;
        throw error;
      }
    },
  });
  const record = useMutation({
    mutationFn: ({ id, currency, v }: { id: string; currency: string; v: PaymentValues }) =>
      unwrap(
        crm.POST('/api/v1/receivables/{id}/payments', {
          params: { path: { id }, header: key },
          body: { amount: v.amount.trim(), currency, method: v.method, reference: v.reference },
        }),
      ),
    onSuccess: async () => {
      setOpen(false);
      setKey(idempotencyKey());
      await refresh();
      void message.success(t('payments.recorded'));
    },
    onError: (error) => form.setFields(formFieldsOf(error, ['amount', 'method', 'reference']).fields as Parameters<typeof form.setFields>[0]),
  });

  return (
    <QueryState query={receivable}>
      {(r) => (
        <Card
          title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('payments.title')}</h2>}
          extra={
            r && isManager(user) && r.status !== 'paid' && r.status !== 'voided' ? (
              <Button size="small" onClick={() => setOpen(true)}>
                {t('payments.record')}
              </Button>
            ) : null
          }
        >
          {!r ? (
            <Empty description={t('payments.none')} />
          ) : (
            <>
              <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }}>
                <Descriptions.Item label={t('payments.amount')}>{fmt.money(r.amount, r.currency)}</Descriptions.Item>
                <Descriptions.Item label={t('payments.paid')}>{fmt.money(r.paid, r.currency)}</Descriptions.Item>
                <Descriptions.Item label={t('payments.outstanding')}>
                  <strong data-testid="receivable-outstanding">{fmt.money(r.outstanding, r.currency)}</strong>
                </Descriptions.Item>
                <Descriptions.Item label={t('payments.due')}>
                  {fmt.date(r.dueDate)}{' '}
                  <Badge color={r.overdue ? '#cf1322' : '#8c8c8c'} text={r.overdue ? t('payments.overdue') : t(`payments.status.${r.status}`)} />
                </Descriptions.Item>
              </Descriptions>
              <Table<Payment>
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={r.payments}
                locale={{ emptyText: t('payments.noPayments') }}
                columns={[
                  { title: t('payments.receivedAt'), dataIndex: 'receivedAt', render: (d: string) => fmt.dateTime(d) },
                  { title: t('payments.amount'), key: 'amount', align: 'right', render: (_, p) => fmt.money(p.amount, p.currency) },
                  { title: t('payments.method'), dataIndex: 'method' },
                  { title: t('payments.reference'), dataIndex: 'reference' },
                ]}
              />
              <Modal
                open={open}
                title={t('payments.record')}
                onCancel={() => setOpen(false)}
                onOk={() => void form.validateFields().then((v) => record.mutate({ id: r.id, currency: r.currency, v }))}
                okButtonProps={{ loading: record.isPending }}
                destroyOnHidden
              >
                {record.isError && <ProblemAlert error={record.error} />}
                <Form form={form} layout="vertical" preserve={false} initialValues={{ amount: r.outstanding, method: 'bank_transfer' }}>
                  <Form.Item name="amount" label={`${t('payments.amount')} (${r.currency})`} rules={[{ required: true, pattern: /^\d+(\.\d{1,2})?$/ }]}>
                    <Input inputMode="decimal" />
                  </Form.Item>
                  <Form.Item name="method" label={t('payments.method')}>
                    <Input />
                  </Form.Item>
                  <Form.Item name="reference" label={t('payments.reference')}>
                    <Input />
                  </Form.Item>
                </Form>
              </Modal>
            </>
          )}
        </Card>
      )}
    </QueryState>
  );
}
