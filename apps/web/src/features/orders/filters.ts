// The orders list's filters live in the URL (a link or a reload shows the same list); these turn the URL's search
// params into the API's query and back. Pure, so the mapping is tested without a browser.
import type { operations } from '@crm/api-client';

export type OrdersQuery = NonNullable<operations['listOrders']['parameters']['query']>;
export type OrderStatus = NonNullable<OrdersQuery['status']>;
export type OrderSort = NonNullable<OrdersQuery['sort']>;

export const ORDER_STATUSES: readonly OrderStatus[] = [
  'draft',
  'submitted',
  'confirmed',
  'on_hold',
  'allocated',
  'in_production',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
];
export const ORDER_SORTS: readonly OrderSort[] = [
  '-createdAt',
  'createdAt',
  '-updatedAt',
  'updatedAt',
  '-total',
  'total',
  'promisedDeliveryDate',
  '-promisedDeliveryDate',
];

export interface OrderFilters {
  status?: OrderStatus;
  repId?: string;
  customer?: string;
  from?: string;
  to?: string;
  q?: string;
  sort: OrderSort;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What the URL says, keeping only values the API accepts (a hand-edited URL cannot cause a 400). */
export function filtersFromSearch(params: URLSearchParams): OrderFilters {
  const status = params.get('status') as OrderStatus | null;
  const sort = params.get('sort') as OrderSort | null;
  const q = params.get('q')?.trim();
  const text = (name: string) => params.get(name)?.trim() || undefined;
  const date = (name: string) => (DATE.test(params.get(name) ?? '') ? (params.get(name) as string) : undefined);
  return {
    status: status && ORDER_STATUSES.includes(status) ? status : undefined,
    repId: text('repId'),
    customer: text('customer'),
    from: date('from'),
    to: date('to'),
    q: q && q.length >= 2 && q.length <= 100 ? q : undefined,
    sort: sort && ORDER_SORTS.includes(sort) ? sort : '-createdAt',
  };
}

/** The URL's search params for these filters; the default sort and empty values are left out. */
export function searchFromFilters(filters: OrderFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ['status', 'repId', 'customer', 'from', 'to', 'q'] as const) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  if (filters.sort !== '-createdAt') params.set('sort', filters.sort);
  return params;
}

/**
 * The API's query. `to` is "created before": the picked end day is included, so the API gets the next day.
 */
export function apiQuery(filters: OrderFilters): OrdersQuery {
  const query: OrdersQuery = { sort: filters.sort };
  if (filters.status) query.status = filters.status;
  if (filters.repId) query.repId = filters.repId;
  if (filters.customer) query.customer = filters.customer;
  if (filters.from) query.from = filters.from;
  if (filters.to) query.to = nextDay(filters.to);
  if (filters.q) query.q = filters.q;
  return query;
}

export function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
