import { useState } from 'react';
import { Alert, Breadcrumb, Card, Col, Descriptions, Flex, Row, Table, Timeline, Typography } from 'antd';
import type { components } from '@crm/api-client';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { QueryState } from '../../ui/states';
import { useFormat } from '../../ui/useFormat';
import { DraftEditor } from './DraftEditor';
import { OrderActions } from './OrderActions';
import { OrderAlerts } from './OrderAlerts';
import { OrderFeedback } from './OrderFeedback';
import { OrderPayments } from './OrderPayments';
import { OrderTracking } from './OrderTracking';
import { useRepNames } from '../../api/reps';
import { shortId, StatusTag } from './shared';
import { ORDERS_NS } from './texts';
import { useOrder, type OrderDetail } from './useOrder';

type Line = components['schemas']['OrderLineView'];

function History({ order }: { order: OrderDetail }) {
  const { t } = useTranslation(ORDERS_NS);
  const fmt = useFormat();
  const repName = useRepNames();
  const changes = order.history ?? [];
  if (!changes.length) return <Typography.Text type="secondary">{t('order.noHistory')}</Typography.Text>;
  return (
    <Timeline
      data-testid="order-history"
      items={changes.map((c) => ({
        key: c.id,
        color: c.toStatus === 'cancelled' ? 'red' : c.toStatus === 'on_hold' ? 'orange' : 'blue',
        content: (
          <div data-testid="history-entry" data-to={c.toStatus}>
            <strong>
              {c.fromStatus
                ? t('order.changedBy', { from: t(`status.${c.fromStatus}`), to: t(`status.${c.toStatus}`), by: repName(c.by) })
                : t('order.createdAs', { to: t(`status.${c.toStatus}`), by: repName(c.by) })}
            </strong>
            <div>
              <time dateTime={c.at} data-testid="history-at">
                {fmt.dateTime(c.at)}
              </time>
            </div>
            {c.note && <Typography.Text type="secondary">{c.note}</Typography.Text>}
          </div>
        ),
      }))}
    />
  );
}

function Lines({ order }: { order: OrderDetail }) {
  const { t } = useTranslation(ORDERS_NS);
  const fmt = useFormat();
  return (
    <Table<Line>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={order.lines}
      data-testid="order-lines"
      columns={[
        { title: t('order.sku'), dataIndex: 'sku', render: (s: string) => <code>{s}</code> },
        { title: t('order.product'), dataIndex: 'productName' },
        { title: t('order.quantity'), dataIndex: 'quantity', align: 'right', render: (q: number) => <span data-testid="line-quantity">{fmt.number(q)}</span> },
        { title: t('order.unitPrice'), dataIndex: 'unitPrice', align: 'right', render: (p: string) => fmt.money(p, order.currency) },
        { title: t('order.discount'), dataIndex: 'discount', align: 'right', render: (d: string) => fmt.money(d, order.currency) },
        {
          title: t('order.lineTotal'),
          dataIndex: 'lineTotal',
          align: 'right',
          render: (l: string) => <span data-testid="line-total">{fmt.money(l, order.currency)}</span>,
        },
      ]}
      summary={() => (
        <Table.Summary.Row>
          <Table.Summary.Cell index={0} colSpan={5} align="right">
            <strong>{t('order.total')}</strong>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={1} align="right">
            <strong>{fmt.money(order.total, order.currency)}</strong>
          </Table.Summary.Cell>
        </Table.Summary.Row>
      )}
    />
  );
}

function OrderView({ order, etag }: { order: OrderDetail; etag: string }) {
  const { t } = useTranslation(ORDERS_NS);
  const fmt = useFormat();
  const repName = useRepNames();
  const [editing, setEditing] = useState(false);
  const customer = order.customer.company ?? order.customer.name;
  const title = t('order.heading', { id: shortId(order.id) });
  return (
    <Flex vertical gap={16}>
      <Breadcrumb items={[{ title: <Link to="/orders">{t('order.back')}</Link> }, { title: shortId(order.id) }]} />
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Flex align="center" gap={12}>
          <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
            {title}
          </Typography.Title>
          <span data-testid="order-status">
            <StatusTag status={order.status} />
          </span>
        </Flex>
        <OrderActions order={order} etag={etag} onEdit={() => setEditing(true)} />
      </Flex>
      {order.holdReason && <Alert type="warning" showIcon title={t('order.hold', { reason: order.holdReason })} />}
      {order.cancelReason && <Alert type="error" showIcon title={t('order.cancelReason', { reason: order.cancelReason })} />}
      <Card>
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
          <Descriptions.Item label={t('order.customer')}>
            <span data-testid="order-customer">
              {order.accountId ? <Link to={`/customers/${order.accountId}`}>{customer}</Link> : customer}
              {order.customer.company && order.customer.name ? ` · ${order.customer.name}` : ''}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('order.total')}>
            <strong data-testid="order-total">{fmt.money(order.total, order.currency)}</strong>
          </Descriptions.Item>
          <Descriptions.Item label={t('order.promised')}>{fmt.date(order.promisedDeliveryDate)}</Descriptions.Item>
          <Descriptions.Item label={t('order.owner')}>
            {repName(order.repId)} · {order.team}
          </Descriptions.Item>
          <Descriptions.Item label={t('order.terms')}>{order.paymentTerms}</Descriptions.Item>
          <Descriptions.Item label={t('order.outstanding')}>
            {order.outstanding ? fmt.money(order.outstanding, order.currency) : t(`payment.${order.paymentStatus}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('order.created')}>{fmt.dateTime(order.createdAt)}</Descriptions.Item>
          {order.opportunityId && (
            <Descriptions.Item label={t('order.opportunity')}>
              <Link to={`/opportunities/${order.opportunityId}`}>{shortId(order.opportunityId)}</Link>
            </Descriptions.Item>
          )}
          {order.productionPercent !== null && (
            <Descriptions.Item label={t('tracking.kinds.production')}>{t('order.production', { percent: order.productionPercent })}</Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('order.lines')}</h2>}>
            <Lines order={order} />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('order.history')}</h2>}>
            <History order={order} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <OrderPayments orderId={order.id} />
        </Col>
        <Col xs={24} lg={12}>
          <OrderTracking order={order} />
        </Col>
        <Col xs={24} lg={12}>
          <OrderAlerts orderId={order.id} />
        </Col>
        {(order.status === 'delivered' || order.status === 'completed') && (
          <Col xs={24} lg={12}>
            <OrderFeedback orderId={order.id} />
          </Col>
        )}
      </Row>
      {order.status === 'draft' && <DraftEditor order={order} etag={etag} open={editing} onClose={() => setEditing(false)} />}
    </Flex>
  );
}

export default function OrderPage() {
  const { id = '' } = useParams();
  const order = useOrder(id);
  return <QueryState query={order}>{({ order: o, etag }) => <OrderView order={o} etag={etag} />}</QueryState>;
}
