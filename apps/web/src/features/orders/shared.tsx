// Small pieces the order screens share: rep names, the status tag, the order's short number.
import { Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { unwrap } from '@crm/api-client';
import { useTranslation } from 'react-i18next';
import { useCrm } from '../../api/crm';
import { ORDERS_NS } from './texts';
import type { OrderStatus } from './filters';

const STATUS_COLORS: Record<OrderStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  confirmed: 'blue',
  on_hold: 'warning',
  allocated: 'cyan',
  in_production: 'geekblue',
  shipped: 'purple',
  delivered: 'green',
  completed: 'success',
  cancelled: 'error',
};

export function StatusTag({ status }: { status: OrderStatus }) {
  const { t } = useTranslation(ORDERS_NS);
  return (
    <Tag color={STATUS_COLORS[status]} data-status={status}>
      {t(`status.${status}`)}
    </Tag>
  );
}

/** The first block of the id, as people read an order number aloud ("9998d16e"). */
export const shortId = (id: string) => id.slice(0, 8);

/** Rep id → name, from the reps list (both reps and managers may read it); a missing name shows the id's start. */
export function useReps() {
  const crm = useCrm();
  return useQuery({ queryKey: ['reps'], queryFn: () => unwrap(crm.GET('/api/v1/reps')), staleTime: 300_000 });
}

export function useRepNames(): (id: string | null | undefined) => string {
  const reps = useReps();
  return (id) => {
    if (!id) return '–';
    return reps.data?.items.find((r) => r.id === id)?.name ?? (id === 'system' ? 'system' : shortId(id));
  };
}
