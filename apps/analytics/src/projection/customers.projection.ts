import type { Projections } from './projection-context';

/**
 * The customer links of the facts (ADR 0018). Only the facts' account and contact columns change, never a
 * contribution: the totals are the same before and after a merge.
 */
export const customerProjections: Projections = {
  'contact.lead_resolved': ({ data }, batch) => batch.later(({ m, repos }) => repos.customers.leadResolved(m, data)),
  'opportunity.customer_linked': ({ data }, batch) => batch.later(({ m, repos }) => repos.customers.opportunityLinked(m, data)),
  'order.drafted': ({ data }, batch) => batch.later(({ m, repos }) => repos.customers.orderDrafted(m, data)),
  'account.merged': ({ data }, batch) => batch.later(async ({ m, repos }) => void (await repos.customers.merged(m, 'account', data))),
  'account.merge_undone': ({ data }, batch) => batch.later(async ({ m, repos }) => void (await repos.customers.undone(m, 'account', data))),
  'contact.merged': ({ data }, batch) => batch.later(async ({ m, repos }) => void (await repos.customers.merged(m, 'contact', data))),
  'contact.merge_undone': ({ data }, batch) => batch.later(async ({ m, repos }) => void (await repos.customers.undone(m, 'contact', data))),
};

/** The merge events: the rebuild applies them after every other event, in the order they happened. */
export const MERGE_EVENT_TYPES: readonly string[] = ['account.merged', 'account.merge_undone', 'contact.merged', 'contact.merge_undone'].map(
  (name) => `crm.${name}`,
);
