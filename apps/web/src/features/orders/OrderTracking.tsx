import { useState } from 'react';
import { App as AntApp, Button, Card, Col, Form, Input, InputNumber, List, Modal, Row, Select } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { unwrap, type components } from '@crm/api-client';
import { useTranslation } from 'react-i18next';
import { useCrm } from '../../api/crm';
import { formFieldsOf } from '../../api/problem';
import { worksSales } from '../../auth/roles';
import { useUser } from '../../auth/session';
import { ProblemAlert } from '../../ui/states';
import { useFormat } from '../../ui/useFormat';
import { ORDERS_NS } from './texts';
import { useRefreshOrder, type OrderDetail } from './useOrder';

type TrackingBody = components['schemas']['TrackingDto'];
const KINDS: TrackingBody['kind'][] = ['production', 'shipment', 'logistics', 'delivered', 'quality_problem'];
/** Tracking is taken once the order is under way (the API refuses it on drafts and cancelled orders). */
const TRACKABLE = new Set(['confirmed', 'allocated', 'in_production', 'shipped', 'delivered']);

export function OrderTracking({ order }: { order: OrderDetail }) {
  const { t } = useTranslation(ORDERS_NS);
  const crm = useCrm();
  const fmt = useFormat();
  const user = useUser();
  const refresh = useRefreshOrder(order.id);
  const { message } = AntApp.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<TrackingBody>();
  const add = useMutation({
    mutationFn: (body: TrackingBody) => unwrap(crm.POST('/api/v1/orders/{id}/tracking', { params: { path: { id: order.id } }, body })),
    onSuccess: async () => {
      setOpen(false);
      await refresh();
      void message.success(t('tracking.added'));
    },
    onError: (error) => form.setFields(formFieldsOf(error, Object.keys(form.getFieldsValue())).fields as Parameters<typeof form.setFields>[0]),
  });
  const entries = [...(order.tracking ?? [])].sort((a, b) => b.at.localeCompare(a.at));

  return (
    <Card
      title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('tracking.title')}</h2>}
      extra={
        worksSales(user) && TRACKABLE.has(order.status) ? (
          <Button size="small" onClick={() => setOpen(true)}>
            {t('tracking.add')}
          </Button>
        ) : null
      }
    >
      <List
        size="small"
        dataSource={entries}
        locale={{ emptyText: t('tracking.none') }}
        renderItem={(e) => (
          <List.Item>
            <List.Item.Meta
              title={`${t(`tracking.kinds.${e.kind}`)}${e.percent !== null ? ` · ${e.percent}%` : ''}`}
              description={[e.carrier, e.trackingNumber, e.location, e.note, fmt.dateTime(e.at)].filter(Boolean).join(' · ')}
            />
          </List.Item>
        )}
      />
      <Modal
        open={open}
        title={t('tracking.add')}
        onCancel={() => setOpen(false)}
        onOk={() => void form.validateFields().then((v) => add.mutate(v))}
        okButtonProps={{ loading: add.isPending }}
        destroyOnHidden
      >
        {add.isError && <ProblemAlert error={add.error} />}
        <Form form={form} layout="vertical" preserve={false} initialValues={{ kind: 'production' }}>
          <Row gutter={8}>
            <Col span={12}>
              <Form.Item name="kind" label={t('tracking.kind')} rules={[{ required: true }]}>
                <Select options={KINDS.map((k) => ({ value: k, label: t(`tracking.kinds.${k}`) }))} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="percent" label={t('tracking.percent')}>
                <InputNumber min={0} max={100} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="carrier" label={t('tracking.carrier')}>
                <Input />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="trackingNumber" label={t('tracking.number')}>
                <Input />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="location" label={t('tracking.location')}>
                <Input />
              </Form.Item>
              <Form.Item name="note" label={t('tracking.note')}>
                <Input.TextArea rows={2} />
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Modal>
    </Card>
  );
}
