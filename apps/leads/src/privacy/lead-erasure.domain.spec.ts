import { DomainError } from '@crm/domain';
import { ERASED } from '@crm/privacy';
import { decideErasure, personalValues, reasonCode, redact, retentionCutoffs } from './lead-erasure.domain';

const L1 = '0b1c2d3e-4f5a-4b7c-8d9e-0f1a2b3c4d5e';
const OPP = '8f6a3c1e-2b4d-4e5f-9a7b-1c2d3e4f5a6b';
const now = new Date('2026-06-01T00:00:00.000Z');
const lead = (over = {}) => ({ id: L1, contactId: null, opportunityId: null, erasedAt: null, ...over });

describe('lead erasure', () => {
  it('erases a lead that never became a contact once, naming its opportunity', () => {
    const { changes, events } = decideErasure(lead({ opportunityId: OPP }), { reason: 'request', by: 'admin-1', now });
    expect(changes).toEqual({ erase: true });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'crm.lead.erased',
      subject: L1,
      data: { leadId: L1, reason: 'request', opportunityIds: [OPP], by: 'admin-1', erasedAt: now.toISOString() },
    });
    expect(decideErasure(lead({ erasedAt: now }), { reason: 'retention', by: 'system', now })).toEqual({ changes: { erase: false }, events: [] });
  });

  it('refuses a lead that became a contact, naming the contact', () => {
    const refuse = () => decideErasure(lead({ contactId: 'contact-9' }), { reason: 'request', by: 'admin-1', now });
    expect(refuse).toThrow(DomainError);
    expect(refuse).toThrow(expect.objectContaining({ kind: 'conflict', code: 'LEAD_IS_CONTACT', extensions: { contactId: 'contact-9' } }));
  });

  it('redacts the values quoted in a kept text, longest first, and leaves short ones alone', () => {
    const values = personalValues(['Li Wei', ' li.wei@acme.example ', null, '', ERASED, 'Li Wei', 'Li']);
    expect(values).toEqual(['Li Wei', 'li.wei@acme.example', 'Li']);
    expect(redact('chosen by m1: Li Wei (li.wei@acme.example) asked, Lisbon office', values)).toBe(`chosen by m1: ${ERASED} (${ERASED}) asked, Lisbon office`);
    expect(reasonCode('no_budget: Li Wei said next year')).toBe('no_budget');
    expect(reasonCode('spam')).toBe('spam');
  });

  it('computes each retention cutoff in days before now; 0 turns a rule off', () => {
    expect(retentionCutoffs({ disqualifiedDays: 730, unconvertedDays: 0 }, now)).toEqual({
      disqualifiedBefore: new Date('2024-06-01T00:00:00.000Z'),
      untouchedBefore: null,
    });
  });
});
