// What a lead's resolution does to its opportunity (ADR 0018), as a pure function.
import type { EventData, EventEnvelope } from '@crm/contracts';
import { newEvent } from '@crm/messaging';

export type LeadResolution = EventData<'contact.lead_resolved'>;

/** The opportunity of the resolved lead, as far as linking needs it. */
export interface LinkTarget {
  id: string;
  leadId: string | null;
  accountId: string | null;
  contactId: string | null;
}

export type LinkDecision =
  /** No opportunity yet: the resolution waits for it (lead.converted may come later). */
  | { kind: 'keep' }
  /** Already linked (a request, a merge or an earlier resolution): nothing changes. */
  | { kind: 'none' }
  | { kind: 'link'; accountId: string | null; contactId: string; events: EventEnvelope[] };

/**
 * The opportunity takes the lead's account and contact and announces it with `opportunity.customer_linked`.
 * A resolution without an account (the lead named no company) links the contact alone and publishes nothing:
 * the event is about an account, and the contact still travels on `opportunity.won`.
 */
export function decideLeadLink(o: LinkTarget | undefined, r: LeadResolution, now: Date): LinkDecision {
  if (!o) return { kind: 'keep' };
  if (o.accountId || o.contactId) return { kind: 'none' };
  const events = r.accountId
    ? [
        newEvent('opportunity.customer_linked', {
          subject: o.id,
          data: { opportunityId: o.id, leadId: o.leadId, accountId: r.accountId, contactId: r.contactId, linkedAt: now.toISOString() },
        }),
      ]
    : [];
  return { kind: 'link', accountId: r.accountId, contactId: r.contactId, events };
}
