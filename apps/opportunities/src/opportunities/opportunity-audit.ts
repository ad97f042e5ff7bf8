import { changedFields, type FieldChange } from '@crm/audit';
import { ERASED } from '@crm/privacy';
import type { CustomerInfo } from './opportunity.domain';

export const OPPORTUNITY_RECORD = 'opportunity';

// What the trail compares of an opportunity (bookkeeping, scores and counters left out). Custom fields and tasks
// are compared one by one (`fields.<name>`, `tasks.<key>.<field>`).
const OPPORTUNITY_FIELDS = [
  'customerName',
  'customerCompany',
  'customerEmail',
  'customerPhone',
  'leadId',
  'pipelineId',
  'stage',
  'status',
  'repId',
  'team',
  'accountId',
  'contactId',
  'region',
  'productLine',
  'companySize',
  'productNeeds',
  'expectedAmount',
  'currency',
  'expectedCloseDate',
  'lines',
  'wonAmount',
  'paymentTerms',
  'lostReason',
  'competitor',
  'closedAt',
] as const;
// Personal: the customer's name, e-mail and phone (the company is the account's), and every free text people write
// on the deal, which may repeat them (the erasure scrubs those too; the trail keeps them sealed with the deal's key).
const CUSTOMER_PERSONAL = ['customerName', 'customerEmail', 'customerPhone'];
const OPPORTUNITY_PERSONAL = [...CUSTOMER_PERSONAL, 'productNeeds', 'lostReason', 'competitor'];
const TASK_FIELDS = ['key', 'title', 'dueAt', 'doneAt', 'doneBy'] as const;
const STRATEGY_FIELDS = ['strategyId', 'replacesId', 'products', 'pricing', 'discountPercent', 'promotions', 'rationale'] as const;
const STRATEGY_PERSONAL = ['products', 'pricing', 'promotions', 'rationale'];

export interface AuditedTask {
  id: string;
  key: string;
  title: string;
  dueAt: Date | null;
  doneAt: Date | null;
  doneBy: string | null;
}

/** An opportunity as the trail sees it: the row, its lines and its tasks. */
export interface OpportunitySnapshot {
  customer: CustomerInfo;
  fields: Record<string, string>;
  lines: unknown[];
  tasks: AuditedTask[];
  [column: string]: unknown;
}

type Snapshot = OpportunitySnapshot | null | undefined;

const customerOf = (c: CustomerInfo | undefined) => ({
  customerName: c?.name,
  customerCompany: c?.company,
  customerEmail: c?.email,
  customerPhone: c?.phone,
});

const prefixed = (prefix: string, changes: FieldChange[]) => changes.map((c) => ({ ...c, field: `${prefix}.${c.field}` }));

export function opportunityChanges(before: Snapshot, after: Snapshot): FieldChange[] {
  const flat = (o: Snapshot) => o && { ...o, ...customerOf(o.customer) };
  const changes = changedFields(flat(before), flat(after), OPPORTUNITY_PERSONAL, OPPORTUNITY_FIELDS);
  const names = [...new Set([...Object.keys(before?.fields ?? {}), ...Object.keys(after?.fields ?? {})])];
  // Custom field values are free text (a report's link, a note): personal.
  changes.push(...prefixed('fields', changedFields(before?.fields, after?.fields, names, names)));
  const taskIds = [...new Set([...(before?.tasks ?? []), ...(after?.tasks ?? [])].map((t) => t.id))];
  for (const id of taskIds) {
    const was = before?.tasks.find((t) => t.id === id);
    const now = after?.tasks.find((t) => t.id === id);
    changes.push(...prefixed(`tasks.${(now ?? was)!.key}`, changedFields(was, now, ['title'], TASK_FIELDS)));
  }
  return changes;
}

/** A strategy record appended to the opportunity: every field it sets, as new. */
export const strategyChanges = (record: { id: string } & object): FieldChange[] =>
  prefixed('strategy', changedFields(null, { ...record, strategyId: record.id }, STRATEGY_PERSONAL, STRATEGY_FIELDS));

/** A hand-over's new owner and team, and its reason (free text: personal). */
export function handOverChanges(before: { repId: string; team: string | null }, after: { repId: string; team: string | null }, reason: string): FieldChange[] {
  return [...changedFields(before, after, [], ['repId', 'team']), { field: 'handOverReason', old: null, new: reason, personal: true }];
}

/** What an erasure scrubbed: the customer's personal fields (recorded once the key is gone, so without their values). */
export const erasedCustomerChanges = (customer: CustomerInfo): FieldChange[] =>
  changedFields(customerOf(customer), customerOf({ name: ERASED, company: customer.company }), CUSTOMER_PERSONAL, CUSTOMER_PERSONAL);
