import { useState } from 'react';
import { App as AntApp, Button, Card, Checkbox, Descriptions, Form, Input, Radio, Select, Typography } from 'antd';
import { useMutation, useQuery } from '@tanstack/react-query';
import { idempotencyKey, unwrap, type components } from '@crm/api-client';
import { useTranslation } from 'react-i18next';
import { useCrm } from '../../api/crm';
import { formFieldsOf } from '../../api/problem';
import { ProblemAlert, QueryState } from '../../ui/states';
import { useFormat } from '../../ui/useFormat';
import { ORDERS_NS } from './texts';
import { useRefreshOrder } from './useOrder';

type FeedbackBody = components['schemas']['FeedbackDto'];
type Record = components['schemas']['FeedbackRecordView'];
type Request = components['schemas']['FeedbackRequestView'];
const CATEGORIES: FeedbackBody['category'][] = ['quality', 'delivery', 'service', 'product', 'other'];

/** The customer's feedback on a delivered or completed order, or a form to record it. */
export function OrderFeedback({ orderId }: { orderId: string }) {
  const { t } = useTranslation(ORDERS_NS);
  const crm = useCrm();
  const fmt = useFormat();
  const refresh = useRefreshOrder(orderId);
  const { message } = AntApp.useApp();
  const [key] = useState(idempotencyKey);
  const [form] = Form.useForm<FeedbackBody>();
  const feedback = useQuery({
    queryKey: ['order-feedback', orderId],
    queryFn: () => unwrap(crm.GET('/api/v1/orders/{id}/feedback', { params: { path: { id: orderId } } })),
  });
  const send = useMutation({
    mutationFn: (body: FeedbackBody) => unwrap(crm.POST('/api/v1/orders/{id}/feedback', { params: { path: { id: orderId }, header: key }, body })),
    onSuccess: async () => {
      await refresh();
      void message.success(t('feedback.sent'));
    },
    onError: (error) => form.setFields(formFieldsOf(error, ['rating', 'category', 'comment', 'complaint']).fields as Parameters<typeof form.setFields>[0]),
  });
  return (
    <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('feedback.title')}</h2>}>
      <QueryState query={feedback}>
        {(d) => {
          const given = d.feedback as Record | null;
          const request = d.request as Request | null;
          if (given)
            return (
              <Descriptions size="small" column={1} data-testid="order-feedback">
                <Descriptions.Item label={t('feedback.rating')}>
                  <span aria-hidden="true" style={{ color: '#ad6800' }}>
                    {'★'.repeat(given.rating)}
                    {'☆'.repeat(5 - given.rating)}
                  </span>{' '}
                  {given.rating} / 5
                </Descriptions.Item>
                <Descriptions.Item label={t('feedback.category')}>{t(`feedback.categories.${given.category}`)}</Descriptions.Item>
                {given.comment && <Descriptions.Item label={t('feedback.comment')}>{given.comment}</Descriptions.Item>}
                <Descriptions.Item label={t('payments.receivedAt')}>{fmt.dateTime(given.receivedAt)}</Descriptions.Item>
              </Descriptions>
            );
          return (
            <>
              {request && <Typography.Paragraph type="secondary">{t('feedback.requested', { at: fmt.dateTime(request.openedAt) })}</Typography.Paragraph>}
              {send.isError && <ProblemAlert error={send.error} />}
              <Form form={form} layout="vertical" onFinish={(v) => send.mutate(v)} initialValues={{ category: 'quality', complaint: false }}>
                <Form.Item name="rating" label={t('feedback.rating')} rules={[{ required: true }]}>
                  <Radio.Group optionType="button" options={[1, 2, 3, 4, 5].map((n) => ({ value: n, label: `${n} ★` }))} />
                </Form.Item>
                <Form.Item name="category" label={t('feedback.category')} rules={[{ required: true }]}>
                  <Select options={CATEGORIES.map((c) => ({ value: c, label: t(`feedback.categories.${c}`) }))} />
                </Form.Item>
                <Form.Item name="comment" label={t('feedback.comment')}>
                  <Input.TextArea rows={2} maxLength={2000} />
                </Form.Item>
                <Form.Item name="complaint" valuePropName="checked">
                  <Checkbox>{t('feedback.complaint')}</Checkbox>
                </Form.Item>
                <Button htmlType="submit" loading={send.isPending}>
                  {t('feedback.send')}
                </Button>
              </Form>
            </>
          );
        }}
      </QueryState>
    </Card>
  );
}
