import { useState } from 'react';
import { App as AntApp, Button, Flex, Form, Input, Modal } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { ifMatch, unwrap } from '@crm/api-client';
import { useTranslation } from 'react-i18next';
import { useCrm } from '../../api/crm';
import { problemText } from '../../api/problem';
import { isManager, worksSales } from '../../auth/roles';
import { useUser } from '../../auth/session';
import { ORDERS_NS } from './texts';
import { useRefreshOrder, type OrderDetail } from './useOrder';

type Action = 'submit' | 'confirm' | 'reject' | 'cancel';
const CANCELLABLE = new Set(['draft', 'submitted', 'confirmed', 'on_hold', 'allocated']);

/**
 * The moves of the order's workflow, each shown only to the roles its route allows (orders.controller.ts): submit
 * and cancel for reps and managers, confirm and reject for managers and admins.
 */
export function OrderActions({ order, etag, onEdit }: { order: OrderDetail; etag: string; onEdit: () => void }) {
  const { t } = useTranslation(ORDERS_NS);
  const crm = useCrm();
  const user = useUser();
  const refresh = useRefreshOrder(order.id);
  const { message } = AntApp.useApp();
  const [cancelling, setCancelling] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();

  const act = useMutation({
    mutationFn: async ({ action, reason }: { action: Action; reason?: string }) => {
      const params = { path: { id: order.id }, header: ifMatch(etag) };
      if (action === 'cancel') return unwrap(crm.POST('/api/v1/orders/{id}/cancel', { params, body: { reason: reason ?? '' } }));
      if (action === 'reject') return unwrap(crm.POST('/api/v1/orders/{id}/reject', { params, body: {} }));
      return unwrap(crm.POST(`/api/v1/orders/{id}/${action}`, { params }));
    },
    onSuccess: async (updated) => {
      setCancelling(false);
      await refresh();
      void message.success(t('act.done', { status: t(`status.${updated.status}`) }));
    },
    onError: (error) => void message.error(problemText(error)),
  });

  if (!worksSales(user)) return null;
  const manager = isManager(user);
  return (
    <Flex gap={8} wrap>
      {order.status === 'draft' && <Button onClick={onEdit}>{t('act.edit')}</Button>}
      {order.status === 'draft' && (
        <Button type="primary" loading={act.isPending} onClick={() => act.mutate({ action: 'submit' })} data-testid="order-submit">
          {t('act.submit')}
        </Button>
      )}
      {order.status === 'submitted' && manager && (
        <>
          <Button type="primary" loading={act.isPending} onClick={() => act.mutate({ action: 'confirm' })} data-testid="order-confirm">
            {t('act.confirm')}
          </Button>
          <Button loading={act.isPending} onClick={() => act.mutate({ action: 'reject' })}>
            {t('act.reject')}
          </Button>
        </>
      )}
      {CANCELLABLE.has(order.status) && <Button onClick={() => setCancelling(true)}>{t('act.cancel')}</Button>}
      <Modal
        open={cancelling}
        title={t('act.cancelTitle')}
        okText={t('act.cancel')}
        okButtonProps={{ danger: true, loading: act.isPending }}
        cancelText={t('action.close', { ns: 'common' })}
        onCancel={() => setCancelling(false)}
        onOk={() => void form.validateFields().then(({ reason }) => act.mutate({ action: 'cancel', reason }))}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="reason" label={t('act.reason')} rules={[{ required: true, whitespace: true, message: t('act.reasonRequired') }]}>
            <Input.TextArea rows={3} maxLength={500} autoFocus />
          </Form.Item>
        </Form>
      </Modal>
    </Flex>
  );
}
