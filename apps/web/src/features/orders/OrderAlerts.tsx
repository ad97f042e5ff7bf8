import { Badge, Button, Card, List } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '@crm/api-client';
import { useTranslation } from 'react-i18next';
import { useCrm } from '../../api/crm';
import { ProblemAlert, QueryState } from '../../ui/states';
import { useFormat } from '../../ui/useFormat';
import { ORDERS_NS } from './texts';

export function OrderAlerts({ orderId }: { orderId: string }) {
  const { t } = useTranslation(ORDERS_NS);
  const crm = useCrm();
  const fmt = useFormat();
  const client = useQueryClient();
  const alerts = useQuery({
    queryKey: ['order-alerts', orderId],
    queryFn: () => unwrap(crm.GET('/api/v1/alerts', { params: { query: { orderId, limit: 50 } } })),
  });
  const ack = useMutation({
    mutationFn: (id: string) => unwrap(crm.POST('/api/v1/alerts/{id}/acknowledge', { params: { path: { id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['order-alerts', orderId] }),
  });
  return (
    <Card title={<h2 style={{ margin: 0, fontSize: 16 }}>{t('alerts.title')}</h2>}>
      {ack.isError && <ProblemAlert error={ack.error} />}
      <QueryState query={alerts} empty={(d) => d.items.length === 0} emptyText={t('alerts.none')}>
        {(d) => (
          <List
            size="small"
            dataSource={d.items}
            renderItem={(a) => (
              <List.Item
                actions={[
                  a.acknowledgedAt ? (
                    <span key="done">{t('alerts.acknowledged', { at: fmt.dateTime(a.acknowledgedAt) })}</span>
                  ) : (
                    <Button key="ack" size="small" loading={ack.isPending && ack.variables === a.id} onClick={() => ack.mutate(a.id)}>
                      {t('alerts.acknowledge')}
                    </Button>
                  ),
                ]}
              >
                <List.Item.Meta
                  title={
                    <>
                      <Badge color={a.acknowledgedAt ? '#8c8c8c' : '#d48806'} text={t(`alerts.kinds.${a.kind}`)} /> · {fmt.dateTime(a.createdAt)}
                    </>
                  }
                  description={a.message}
                />
              </List.Item>
            )}
          />
        )}
      </QueryState>
    </Card>
  );
}
