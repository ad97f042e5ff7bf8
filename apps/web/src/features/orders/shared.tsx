// Small pieces the order screens share: rep names, the status tag, the order's short number.
import { Badge } from 'antd';
import { useTranslation } from 'react-i18next';
import { ORDERS_NS } from './texts';
import type { OrderStatus } from './filters';

// The colour is a dot beside dark text: coloured text on a tinted tag falls short of WCAG AA contrast.
const STATUS_COLORS: Record<OrderStatus, string> = {
  draft: '#8c8c8c',
  submitted: '#1460d1',
  confirmed: '#1d39c4',
  on_hold: '#d48806',
  allocated: '#08979c',
  in_production: '#2f54eb',
  shipped: '#722ed1',
  delivered: '#389e0d',
  completed: '#237804',
  cancelled: '#cf1322',
};

export function StatusTag({ status }: { status: OrderStatus }) {
  const { t } = useTranslation(ORDERS_NS);
  return (
    <span data-status={status}>
      <Badge color={STATUS_COLORS[status]} text={t(`status.${status}`)} />
    </span>
  );
}

/** The first block of the id, as people read an order number aloud ("9998d16e"). */
export const shortId = (id: string) => id.slice(0, 8);
