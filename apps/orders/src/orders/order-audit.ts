import { changedFields, type FieldChange } from '@crm/audit';
import { ERASED } from '@crm/privacy';
import type { CustomerInfo, OrderChanges } from './order.domain';

export const ORDER_RECORD = 'order';

// What the trail compares of an order (bookkeeping left out; lines by their content, not their row ids).
const ORDER_FIELDS = [
  'customerName',
  'customerCompany',
  'customerEmail',
  'customerPhone',
  'status',
  'opportunityId',
  'repId',
  'team',
  'accountId',
  'contactId',
  'billingAddress',
  'shippingAddress',
  'region',
  'currency',
  'total',
  'paymentTerms',
  'promisedDeliveryDate',
  'autoConfirmed',
  'paymentStatus',
  'outstanding',
  'holdReason',
  'holdKind',
  'erpRefusal',
  'productionPercent',
  'carrier',
  'trackingNumber',
  'cancelReason',
  'lines',
] as const;
// Personal: the customer's name, e-mail and phone (the company and the addresses are the account's), and the free
// texts people write on an order, which may repeat them (the erasure scrubs those; the trail keeps them sealed).
const CUSTOMER_PERSONAL = ['customerName', 'customerEmail', 'customerPhone'];
const ORDER_PERSONAL = [...CUSTOMER_PERSONAL, 'holdReason', 'cancelReason'];
const TRACKING_FIELDS = ['kind', 'percent', 'carrier', 'trackingNumber', 'location', 'note'] as const;
const FEEDBACK_FIELDS = ['rating', 'category', 'comment', 'complaint'] as const;

interface AuditedOrder {
  customer: CustomerInfo;
  lines: { sku: string; productName: string; quantity: number; unitPrice: string; discount: string; lineTotal: string }[];
}
type Snapshot = (AuditedOrder & object) | null | undefined;

const customerOf = (c: CustomerInfo | undefined) => ({
  customerName: c?.name,
  customerCompany: c?.company,
  customerEmail: c?.email,
  customerPhone: c?.phone,
});

const flat = (o: Snapshot) =>
  o && {
    ...o,
    ...customerOf(o.customer),
    lines: o.lines.map(({ sku, productName, quantity, unitPrice, discount, lineTotal }) => ({ sku, productName, quantity, unitPrice, discount, lineTotal })),
  };

const prefixed = (prefix: string, changes: FieldChange[]) => changes.map((c) => ({ ...c, field: `${prefix}.${c.field}` }));
const note = (field: string, value: string | null | undefined): FieldChange[] => (value ? [{ field, old: null, new: value, personal: true }] : []);

/** The order's changed fields, and what a workflow step adds beside the row: its notes and its tracking report. */
export function orderChanges(before: Snapshot, after: Snapshot, changes?: Pick<OrderChanges, 'steps' | 'tracking'>): FieldChange[] {
  const audited = changedFields(flat(before), flat(after), ORDER_PERSONAL, ORDER_FIELDS);
  for (const step of changes?.steps ?? []) audited.push(...note('statusNote', step.history?.note));
  if (changes?.tracking) audited.push(...prefixed('tracking', changedFields(null, changes.tracking, ['location', 'note'], TRACKING_FIELDS)));
  return audited;
}

/** A draft edit: the fields it changed and its note. */
export const draftEditChanges = (before: Snapshot, after: Snapshot, editNote: string | null | undefined): FieldChange[] => [
  ...changedFields(flat(before), flat(after), ORDER_PERSONAL, ORDER_FIELDS),
  ...note('editNote', editNote),
];

/** The customer's feedback: the comment is theirs (personal). */
export const feedbackChanges = (feedback: object): FieldChange[] => prefixed('feedback', changedFields(null, feedback, ['comment'], FEEDBACK_FIELDS));

/** A hand-over's new owner and team, and its reason (free text: personal). */
export const handOverChanges = (
  before: { repId: string; team: string | null },
  after: { repId: string; team: string | null },
  reason: string,
): FieldChange[] => [...changedFields(before, after, [], ['repId', 'team']), ...note('handOverReason', reason)];

/** What an erasure scrubbed (recorded once the key is gone, so without the values): the customer and feedback comments. */
export function erasedChanges(customer: CustomerInfo, comments: readonly string[]): FieldChange[] {
  const changes = changedFields(customerOf(customer), customerOf({ name: ERASED, company: customer.company }), CUSTOMER_PERSONAL, CUSTOMER_PERSONAL);
  if (comments.length) changes.push({ field: 'feedback.comment', old: null, new: null, personal: true });
  return changes;
}
