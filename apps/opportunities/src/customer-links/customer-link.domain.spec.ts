import { decideLeadLink, type LeadResolution } from './customer-link.domain';

const resolution = (r: Partial<LeadResolution> = {}): LeadResolution => ({
  leadId: '9a1f1c3e-3b51-4f0f-8d7e-5a7c2b1e0001',
  contactId: '9a1f1c3e-3b51-4f0f-8d7e-5a7c2b1e0002',
  accountId: '9a1f1c3e-3b51-4f0f-8d7e-5a7c2b1e0003',
  contactCreated: true,
  accountCreated: true,
  resolvedAt: '2026-03-01T10:00:00.000Z',
  ...r,
});
const opportunity = { id: '9a1f1c3e-3b51-4f0f-8d7e-5a7c2b1e0004', leadId: '9a1f1c3e-3b51-4f0f-8d7e-5a7c2b1e0001', accountId: null, contactId: null };
const now = new Date('2026-03-01T10:00:05.000Z');

describe('decideLeadLink', () => {
  it('keeps the resolution aside while the lead has no opportunity', () => {
    expect(decideLeadLink(undefined, resolution(), now)).toEqual({ kind: 'keep' });
  });

  it('links the account and contact and announces them', () => {
    const d = decideLeadLink(opportunity, resolution(), now);
    expect(d).toMatchObject({ kind: 'link', accountId: resolution().accountId, contactId: resolution().contactId });
    expect(d.kind === 'link' && d.events).toEqual([
      expect.objectContaining({
        type: 'crm.opportunity.customer_linked',
        subject: opportunity.id,
        data: {
          opportunityId: opportunity.id,
          leadId: opportunity.leadId,
          accountId: resolution().accountId,
          contactId: resolution().contactId,
          linkedAt: now.toISOString(),
        },
      }),
    ]);
  });

  it('links the contact alone, without an event, when the lead had no company', () => {
    expect(decideLeadLink(opportunity, resolution({ accountId: null }), now)).toEqual({
      kind: 'link',
      accountId: null,
      contactId: resolution().contactId,
      events: [],
    });
  });

  it('leaves an opportunity that is linked already as it is', () => {
    expect(decideLeadLink({ ...opportunity, accountId: 'a' }, resolution(), now)).toEqual({ kind: 'none' });
    expect(decideLeadLink({ ...opportunity, contactId: 'c' }, resolution(), now)).toEqual({ kind: 'none' });
  });
});
