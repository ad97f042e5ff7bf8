import { useQuery, useQueryClient } from '@tanstack/react-query';
import { etagOf, unwrap, type components } from '@crm/api-client';
import { useCrm } from '../../api/crm';

export type OrderDetail = components['schemas']['OrderDetailView'];

/** The order with the ETag its writes send back as If-Match. */
export function useOrder(id: string) {
  const crm = useCrm();
  return useQuery({
    queryKey: ['orders', 'one', id],
    queryFn: async () => {
      const answer = await crm.GET('/api/v1/orders/{id}', { params: { path: { id } } });
      const order = await unwrap(answer);
      return { order, etag: etagOf(answer) ?? `"${order.version}"` };
    },
  });
}

/** After a write: the order, its list, its alerts and its receivable are read again. */
export function useRefreshOrder(id: string) {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ['orders'] }),
      client.invalidateQueries({ queryKey: ['order-alerts', id] }),
      client.invalidateQueries({ queryKey: ['receivable', id] }),
      client.invalidateQueries({ queryKey: ['order-feedback', id] }),
    ]);
}
